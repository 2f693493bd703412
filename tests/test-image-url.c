/* test-image-url.c
 *
 * A reply that links to its image instead of holding it (`fileData`), fetched by the client
 * from the demo server's image-url faults, end to end.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "peel-demo-server-private.h"
#include "peel-demo-server.h"
#include "peel-gemini-client.h"
#include "peel-gemini-error.h"

#define KEY "test-key-image-url"

typedef struct
{
  PeelDemoServer   *server;
  PeelProvider     *provider;
  PeelGeminiClient *client;
  GCancellable     *cancellable;
  char             *file_path;    /* the path of the last image link fetched */
  gint64            cancelled_at;
} Fixture;

static gboolean
cancel_cb (gpointer data)
{
  Fixture *fixture = data;

  fixture->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (fixture->cancellable);
  return G_SOURCE_REMOVE;
}

static void
request_received_cb (PeelDemoServer *server,
                     const char     *path,
                     Fixture        *fixture)
{
  if (!g_str_has_prefix (path, "/files/"))
    return;

  g_free (fixture->file_path);
  fixture->file_path = g_strdup (path);
  /* Cancel once the fetch is under way: the stalled link has sent half the image. */
  if (fixture->cancellable != NULL)
    g_timeout_add (200, cancel_cb, fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = peel_demo_server_new ();
  peel_demo_server_set_api_key (fixture->server, KEY);
  peel_demo_server_start (fixture->server, 0, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->server, "request-received", G_CALLBACK (request_received_cb),
                    fixture);

  fixture->provider = peel_provider_new ("Demo", peel_demo_server_get_base_url (fixture->server),
                                         PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
  g_assert_no_error (error);
  fixture->client = peel_gemini_client_new (fixture->provider, KEY);
  peel_gemini_client_set_max_attempts (fixture->client, 1);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->provider);
  peel_demo_server_stop (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->cancellable);
  g_clear_pointer (&fixture->file_path, g_free);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static PeelGeminiReply *
generate (Fixture        *fixture,
          PeelImageSize   size,
          gboolean        stream,
          GError        **error)
{
  g_autoptr(PeelGeminiRequest) request = peel_gemini_request_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;

  peel_gemini_request_set_prompt (request, "a kite over the dunes");
  peel_gemini_request_set_aspect_ratio (request, "16:9");
  peel_gemini_request_set_image_size (request, size);
  peel_gemini_client_generate_async (fixture->client, request, stream, fixture->cancellable,
                                     result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return peel_gemini_client_generate_finish (fixture->client, result, error);
}

/* A message that names the link and says what to do. */
static void
assert_message (const GError *error,
                const char   *says)
{
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "/files/"));
  g_assert_nonnull (strstr (error->message, says));
  g_assert_nonnull (strstr (error->message, "Try again"));
}

static void
test_fetched (Fixture       *fixture,
              gconstpointer  data)
{
  for (guint stream = 0; stream < 2; stream++)
    {
      g_autoptr(PeelGeminiReply) reply = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) served = NULL;
      g_autoptr(SoupMessageHeaders) headers = NULL;
      g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
      g_autoptr(SoupSession) session = soup_session_new ();
      g_autoptr(SoupMessage) again = NULL;
      g_autoptr(GAsyncResult) again_result = NULL;
      g_autoptr(GBytes) again_body = NULL;
      g_autofree char *url = NULL;
      const PeelPart *image;
      GdkPixbuf *pixbuf;

      peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_IMAGE_URL);
      reply = generate (fixture, PEEL_IMAGE_SIZE_1K, stream, &error);
      g_assert_no_error (error);

      /* The image is exactly what the link served, at the size the model makes. */
      served = peel_demo_server_dup_last_file_body (fixture->server);
      g_assert_nonnull (served);
      image = peel_gemini_reply_get_final_image (reply);
      g_assert_nonnull (image);
      g_assert_false (image->thought);
      g_assert_cmpstr (image->mime_type, ==, "image/png");
      g_assert_true (g_bytes_equal (image->data, served));
      g_assert_cmpint (image->width, ==, 1376);
      g_assert_cmpint (image->height, ==, 768);
      g_assert_true (gdk_pixbuf_loader_write_bytes (loader, served, NULL));
      g_assert_true (gdk_pixbuf_loader_close (loader, NULL));
      pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
      g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 1376);
      g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 768);

      /* It stands for the fileData part: it carries that part's signature, and is what the
       * next turn sends back as the model's image (the demo server checks it then). */
      {
        g_autoptr(GPtrArray) history = peel_gemini_reply_dup_history_parts (reply);
        const PeelPart *last;
        g_autofree char *expected = peel_demo_sign ('I', g_bytes_get_data (served, NULL),
                                                    g_bytes_get_size (served));

        g_assert_cmpuint (history->len, >=, 1);
        last = g_ptr_array_index (history, history->len - 1);
        g_assert_cmpint (last->kind, ==, PEEL_PART_IMAGE);
        g_assert_true (g_bytes_equal (last->data, served));
        g_assert_cmpstr (last->signature, ==, expected);
        g_assert_cmpstr (image->signature, ==, expected);
      }

      /* The image host is not the provider: it never sees the key. */
      headers = peel_demo_server_dup_last_request_headers (fixture->server);
      g_assert_nonnull (fixture->file_path);
      g_assert_null (soup_message_headers_get_one (headers, "x-goog-api-key"));
      g_assert_null (soup_message_headers_get_one (headers, "Authorization"));

      /* The link was good for one fetch. */
      url = g_strconcat (peel_demo_server_get_base_url (fixture->server), fixture->file_path,
                         NULL);
      again = soup_message_new ("GET", url);
      soup_session_send_and_read_async (session, again, G_PRIORITY_DEFAULT, NULL, result_cb,
                                        &again_result);
      while (again_result == NULL)
        g_main_context_iteration (NULL, TRUE);
      again_body = soup_session_send_and_read_finish (session, again_result, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (again), ==, 404);
    }
}

static void
test_missing (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_IMAGE_URL_MISSING);
  reply = generate (fixture, PEEL_IMAGE_SIZE_512, TRUE, &error);
  g_assert_null (reply);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NO_IMAGE);
  assert_message (error, "HTTP 404");
}

static void
test_not_image (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_IMAGE_URL_NOT_IMAGE);
  reply = generate (fixture, PEEL_IMAGE_SIZE_512, FALSE, &error);
  g_assert_null (reply);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NO_IMAGE);
  assert_message (error, "it is not an image");
}

static void
test_bomb (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_IMAGE_URL_BOMB);
  reply = generate (fixture, PEEL_IMAGE_SIZE_512, FALSE, &error);
  g_assert_null (reply);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE);
  assert_message (error, "100000 × 100000 pixels");
}

static void
test_huge (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* 600 MiB announced against the default 256 MiB cap: refused before reading it. */
  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_IMAGE_URL_HUGE);
  reply = generate (fixture, PEEL_IMAGE_SIZE_512, TRUE, &error);
  g_assert_null (reply);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE);
  assert_message (error, "more than any image needs");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_small_cap (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  /* A cap the reply fits in but the image does not. */
  peel_gemini_client_set_max_reply_bytes (fixture->client, 16 * 1024);
  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_IMAGE_URL);
  reply = generate (fixture, PEEL_IMAGE_SIZE_512, FALSE, &error);
  g_assert_null (reply);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE);
  assert_message (error, "larger than 16.4");
}

static void
test_stall_timeout (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  peel_gemini_client_set_timeout (fixture->client, 1);
  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_IMAGE_URL_STALL);
  reply = generate (fixture, PEEL_IMAGE_SIZE_512, FALSE, &error);
  g_assert_null (reply);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TIMEOUT);
  assert_message (error, "the image had not arrived whole within 1 second.");
  g_assert_nonnull (fixture->file_path);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static void
test_stall_cancelled (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  fixture->cancellable = g_cancellable_new ();
  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_IMAGE_URL_STALL);
  reply = generate (fixture, PEEL_IMAGE_SIZE_512, TRUE, &error);
  g_assert_null (reply);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Cancelled during the fetch, and over at once. */
  g_assert_nonnull (fixture->file_path);
  g_assert_cmpint (fixture->cancelled_at, >, 0);
  g_assert_cmpint (g_get_monotonic_time () - fixture->cancelled_at, <, G_USEC_PER_SEC / 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Peel/ImageUrl/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("fetched", test_fetched);
  ADD ("missing", test_missing);
  ADD ("not-image", test_not_image);
  ADD ("bomb", test_bomb);
  ADD ("huge", test_huge);
  ADD ("small-cap", test_small_cap);
  ADD ("stall-timeout", test_stall_timeout);
  ADD ("stall-cancelled", test_stall_cancelled);

#undef ADD

  return g_test_run ();
}
