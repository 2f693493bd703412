/* test-history-parts.c
 *
 * A proxy that answers with a signed text part holding a data URI (CometAPI does) instead of an
 * inlineData part. Peel shows the text and the image apart, but the signature is only valid for
 * the text as received, so continuing from that turn must send that text back byte for byte:
 * right after the answer, and after the session was closed and opened again from disk.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "peel-demo-server.h"
#include "peel-generation.h"
#include "peel-store.h"

typedef struct
{
  char             *dir;
  PeelDemoServer   *demo;
  SoupServer       *proxy;
  char             *proxy_url;
  char             *answer;      /* the proxy's reply body */
  GBytes           *request;     /* the last body the proxy was sent */
  PeelGeminiClient *client;
  PeelSession      *session;
  GMainLoop        *loop;
  GAsyncResult     *result;
} Fixture;

static void
proxy_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) flat = soup_message_body_flatten (body);

  g_clear_pointer (&f->request, g_bytes_unref);
  f->request = g_bytes_ref (flat);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    f->answer, strlen (f->answer));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("peel-history-XXXXXX", &error);
  g_assert_no_error (error);
  f->session = peel_store_create_session (f->dir, "Kites", &error);
  g_assert_no_error (error);
  f->loop = g_main_loop_new (NULL, FALSE);
}

static void
use_client (Fixture    *f,
            const char *base_url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelProvider) provider = NULL;

  provider = peel_provider_new ("proxy", base_url, PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
  g_assert_no_error (error);
  f->client = peel_gemini_client_new (provider, "test-key-history");
  peel_gemini_client_set_max_attempts (f->client, 1);
}

static void
start_demo (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->demo = peel_demo_server_new ();
  peel_demo_server_set_api_key (f->demo, "test-key-history");
  g_assert_true (peel_demo_server_start (f->demo, 0, &error));
  g_assert_no_error (error);
  use_client (f, peel_demo_server_get_base_url (f->demo));
}

static void
start_proxy (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  f->proxy = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->proxy, NULL, proxy_cb, f, NULL);
  g_assert_true (soup_server_listen_local (f->proxy, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->proxy);
  f->proxy_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  use_client (f, f->proxy_url);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  if (f->session != NULL)
    peel_store_close_session (f->session, NULL);
  g_clear_object (&f->session);
  g_clear_object (&f->client);
  if (f->demo != NULL)
    peel_demo_server_stop (f->demo);
  g_clear_object (&f->demo);
  if (f->proxy != NULL)
    soup_server_disconnect (f->proxy);
  g_clear_object (&f->proxy);
  g_free (f->proxy_url);
  g_free (f->answer);
  g_clear_pointer (&f->request, g_bytes_unref);
  g_clear_pointer (&f->loop, g_main_loop_unref);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
  g_main_loop_quit (f->loop);
}

static PeelNode *
generate (Fixture    *f,
          PeelNode   *parent,
          const char *prompt,
          gboolean    stream,
          GError    **error)
{
  g_autoptr(PeelGeneration) generation = peel_generation_new (f->session, f->client);
  PeelTurnSpec spec = { 0 };
  PeelNode *node;

  spec.prompt = prompt;
  spec.aspect_ratio = "1:1";
  spec.size = PEEL_IMAGE_SIZE_512;
  spec.model = PEEL_DEFAULT_MODEL;

  peel_generation_run_async (generation, parent, &spec, stream, NULL, run_cb, f);
  g_main_loop_run (f->loop);
  node = peel_generation_run_finish (generation, f->result, error);
  g_clear_object (&f->result);
  return node;
}

/* Closes the session, so everything goes through session.json, and opens it again. */
static void
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (peel_store_get_path (peel_session_get_store (f->session)));

  g_assert_true (peel_store_close_session (f->session, &error));
  g_assert_no_error (error);
  g_clear_object (&f->session);
  f->session = peel_store_open_session (path, &error);
  g_assert_no_error (error);
}

static char *
read_file (Fixture    *f,
           const char *name)
{
  PeelStore *store = peel_session_get_store (f->session);
  g_autofree char *path = g_build_filename (peel_store_get_path (store), name, NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

/* The model turn of a request body: contents[index], as parsed JSON. */
static JsonArray *
request_parts (JsonParser *parser,
               GBytes     *body,
               guint       index,
               const char *role)
{
  g_autoptr(GError) error = NULL;
  JsonArray *contents;
  JsonObject *content;

  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                              &error);
  g_assert_no_error (error);
  contents = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "contents");
  g_assert_cmpuint (json_array_get_length (contents), >, index);
  content = json_array_get_object_element (contents, index);
  g_assert_cmpstr (json_object_get_string_member (content, "role"), ==, role);
  return json_object_get_array_member (content, "parts");
}

static void
assert_echoed (GBytes     *body,
               const char *text,
               const char *signature)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *parts = request_parts (parser, body, 1, "model");
  JsonObject *part;

  g_assert_cmpuint (json_array_get_length (parts), ==, 1);
  part = json_array_get_object_element (parts, 0);
  g_assert_false (json_object_has_member (part, "inlineData"));
  g_assert_cmpstr (json_object_get_string_member (part, "text"), ==, text);
  g_assert_cmpstr (json_object_get_string_member (part, "thoughtSignature"), ==, signature);
}

/* The demo server, told to answer like CometAPI, refuses a signature echoed with any other text
 * than the one it signed, as Google does. */
static void
test_demo_data_uri (Fixture       *f,
                    gconstpointer  data)
{
  gboolean stream = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelNode) root = NULL;
  g_autoptr(PeelNode) edit = NULL;
  g_autoptr(PeelNode) again = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GBytes) request = NULL;
  g_autofree char *b64 = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *snapshot = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *root_id = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *text = NULL;
  g_autofree char *signature = NULL;
  PeelNode *reopened;

  start_demo (f);
  peel_demo_server_push_fault (f->demo, PEEL_DEMO_FAULT_DATA_URI);
  root = generate (f, NULL, "a kite", stream, &error);
  g_assert_no_error (error);
  root_id = g_strdup (peel_node_get_id (root));

  /* Shown as text and image. */
  g_assert_true (peel_node_get_has_image (root));
  g_assert_cmpint (peel_node_get_final_width (root), ==, 512);
  shown = peel_node_dup_text (root);
  g_assert_null (strstr (shown, "data:image"));
  image = peel_node_dup_final_image_bytes (root, &error);
  g_assert_no_error (error);
  b64 = g_base64_encode (g_bytes_get_data (image, NULL), g_bytes_get_size (image));
  uri = g_strconcat ("(data:image/png;base64,", b64, ")", NULL);

  edit = generate (f, root, "make it red", stream, &error);
  g_assert_no_error (error);
  request = peel_demo_server_dup_last_request_body (f->demo);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonArray *parts = request_parts (parser, request, 1, "model");
    JsonObject *part;

    g_assert_cmpuint (json_array_get_length (parts), ==, 1);
    part = json_array_get_object_element (parts, 0);
    text = g_strdup (json_object_get_string_member (part, "text"));
    signature = g_strdup (json_object_get_string_member (part, "thoughtSignature"));
  }
  g_assert_nonnull (signature);
  g_assert_true (g_str_has_prefix (text, shown));
  g_assert_true (g_str_has_suffix (text, uri));
  g_clear_pointer (&request, g_bytes_unref);

  /* From disk, the same text goes back. */
  reopen (f);
  reopened = peel_session_find_node (f->session, root_id);
  g_assert_nonnull (reopened);
  again = generate (f, reopened, "make it blue", stream, &error);
  g_assert_no_error (error);
  request = peel_demo_server_dup_last_request_body (f->demo);
  assert_echoed (request, text, signature);

  /* On disk the image is in blobs/ once: the record keeps only the text around it. */
  snapshot = read_file (f, "session.json");
  journal = read_file (f, "journal.jsonl");
  g_assert_nonnull (strstr (snapshot, "\"history\""));
  g_assert_null (strstr (snapshot, b64));
  g_assert_null (strstr (journal, b64));

  /* And the turn after it sends back both, each as it came. */
  g_clear_object (&edit);
  edit = generate (f, again, "add a tail", stream, &error);
  g_assert_no_error (error);
}

static GBytes *
make_png (guint32 rgba)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 16, 16);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize len = 0;

  gdk_pixbuf_fill (pixbuf, rgba);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, len);
}

static char *
b64_of (GBytes *bytes)
{
  return g_base64_encode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Standard base64 broken into lines of 76, as some encoders write it. */
static char *
wrapped_b64_of (GBytes *bytes)
{
  g_autofree char *b64 = b64_of (bytes);
  GString *out = g_string_new (NULL);

  for (gsize i = 0; b64[i] != '\0'; i++)
    {
      if (i > 0 && i % 76 == 0)
        g_string_append (out, "\r\n");
      g_string_append_c (out, b64[i]);
    }
  return g_string_free (out, FALSE);
}

static char *
answer_with (const char *text,
             const char *signature)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "candidates");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "content");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, "model");
  json_builder_set_member_name (b, "parts");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, text);
  json_builder_set_member_name (b, "thoughtSignature");
  json_builder_add_string_value (b, signature);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "finishReason");
  json_builder_add_string_value (b, "STOP");
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* A loopback proxy with a fixed answer: the exact text is known, so the echo is compared with it
 * byte for byte, for two URIs in one part, and for a payload in a form that standard base64
 * does not rebuild (which is then kept as it came). */
static void
test_proxy_exact (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) red = make_png (0xff0000ff);
  g_autoptr(GBytes) blue = make_png (0x0000ffff);
  g_autofree char *red_b64 = b64_of (red);
  g_autofree char *blue_b64 = b64_of (blue);
  g_autofree char *wrapped = wrapped_b64_of (blue);
  const char *signature = "Zm9yIHRoaXMgdGV4dCBvbmx5";
  char *texts[2] = { NULL, NULL };

  /* Two images of which one is named in upper case, Markdown around one, odd spacing. */
  texts[0] = g_strdup_printf ("Two kites:  data:image/PNG;base64,%s, "
                              "and ![second kite](data:image/png;base64,%s) \n— done.",
                              red_b64, blue_b64);
  texts[1] = g_strdup_printf ("Wrapped: ![k](data:image/png;base64,%s)", wrapped);

  start_proxy (f);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PeelNode) node = NULL;
      g_autoptr(PeelNode) next = NULL;
      g_autofree char *id = NULL;
      g_autofree char *snapshot = NULL;
      PeelNode *reopened;

      g_free (f->answer);
      f->answer = answer_with (texts[i], signature);
      node = generate (f, NULL, "kites", FALSE, &error);
      g_assert_no_error (error);
      g_assert_true (peel_node_get_has_image (node));
      g_assert_cmpint (peel_node_get_final_width (node), ==, 16);
      id = g_strdup (peel_node_get_id (node));

      next = generate (f, node, "again", FALSE, &error);
      g_assert_no_error (error);
      assert_echoed (f->request, texts[i], signature);
      g_clear_object (&next);
      g_clear_object (&node);

      reopen (f);
      snapshot = read_file (f, "session.json");
      if (i == 0)
        {
          g_assert_null (strstr (snapshot, red_b64));
          g_assert_null (strstr (snapshot, blue_b64));
        }
      reopened = peel_session_find_node (f->session, id);
      g_assert_nonnull (reopened);
      next = generate (f, reopened, "once more", FALSE, &error);
      g_assert_no_error (error);
      assert_echoed (f->request, texts[i], signature);
    }

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    g_free (texts[i]);
}

/* A history that names a part the record does not have is dropped, not the turn: it loads, and
 * sends its parts as shown. */
static void
test_damaged_history (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) red = make_png (0xff0000ff);
  g_autofree char *red_b64 = b64_of (red);
  g_autofree char *text = g_strdup_printf ("Here: data:image/png;base64,%s.", red_b64);
  g_autoptr(PeelNode) node = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *snapshot = NULL;
  g_auto(GStrv) pieces = NULL;
  g_autofree char *damaged = NULL;
  g_autofree char *dir = NULL;
  PeelNode *reopened;

  start_proxy (f);
  f->answer = answer_with (text, "c2lnbmVk");
  node = generate (f, NULL, "kites", FALSE, &error);
  g_assert_no_error (error);
  id = g_strdup (peel_node_get_id (node));
  history = peel_node_dup_history_parts (node);
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_cmpstr (((PeelPart *) g_ptr_array_index (history, 0))->text, ==, text);
  g_clear_pointer (&history, g_ptr_array_unref);
  g_clear_object (&node);

  reopen (f);
  path = g_build_filename (peel_store_get_path (peel_session_get_store (f->session)),
                           "session.json", NULL);
  g_assert_true (peel_store_close_session (f->session, &error));
  g_assert_no_error (error);
  g_clear_object (&f->session);
  g_assert_true (g_file_get_contents (path, &snapshot, NULL, &error));
  pieces = g_strsplit (snapshot, "{\"base64\":1}", -1);
  g_assert_cmpuint (g_strv_length (pieces), ==, 2);
  damaged = g_strjoinv ("{\"base64\":7}", pieces);
  g_assert_true (g_file_set_contents (path, damaged, -1, &error));

  dir = g_path_get_dirname (path);
  f->session = peel_store_open_session (dir, &error);
  g_assert_no_error (error);
  reopened = peel_session_find_node (f->session, id);
  g_assert_nonnull (reopened);
  g_assert_true (peel_node_get_has_image (reopened));
  history = peel_node_dup_history_parts (reopened);
  g_assert_cmpuint (history->len, ==, peel_node_get_parts (reopened)->len);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/Peel/History/demo-data-uri", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_demo_data_uri, fixture_tear_down);
  g_test_add ("/Peel/History/demo-data-uri-streamed", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_demo_data_uri, fixture_tear_down);
  g_test_add ("/Peel/History/proxy-exact", Fixture, NULL,
              fixture_set_up, test_proxy_exact, fixture_tear_down);

  g_test_add ("/Peel/History/damaged-history", Fixture, NULL,
              fixture_set_up, test_damaged_history, fixture_tear_down);

  return g_test_run ();
}
