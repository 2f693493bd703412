/* test-models.c
 *
 * The service asked what it serves: the demo server's ListModels (paged), GetModel and 404
 * for shut-down ids, and the client following every page, through the demo server.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "demo-test-util.h"
#include "peel-gemini-client.h"
#include "peel-gemini-error.h"
#include "peel-generation.h"
#include "peel-store.h"
#include "peel-model-catalog.h"

static void
got_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Reply *reply = user_data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &reply->error);
  g_assert_no_error (reply->error);
}

/* The demo server answers on this thread's main context: wait for the answer there. */
static Reply *
get (Fixture    *f,
     const char *path_and_query)
{
  g_autofree char *url = g_strconcat (peel_demo_server_get_base_url (f->server), path_and_query,
                                      NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  Reply *reply = g_new0 (Reply, 1);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "x-goog-api-key",
                                "demo-key");
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, got_cb, reply);
  while (reply->body == NULL)
    g_main_context_iteration (NULL, TRUE);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  reply->json = json_from_string (g_bytes_get_data (reply->body, NULL), NULL);
  g_assert_nonnull (reply->json);
  return reply;
}

static void
today_setup (Fixture       *f,
             gconstpointer  data)
{
  fixture_setup (f, data);
  /* As Google answers today: shut-down ids are gone. */
  peel_demo_server_set_proxy_models (f->server, FALSE, TRUE);
}

/* Every page, in order: together exactly the catalogue's served models. */
static void
test_list_paged (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) offered = peel_model_dup_offered_ids ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *token = NULL;
  guint pages = 0;

  do
    {
      g_autofree char *path = token == NULL
        ? g_strdup ("/v1beta/models?pageSize=1000")
        : g_strdup_printf ("/v1beta/models?pageSize=1000&pageToken=%s", token);
      g_autoptr(Reply) page = get (f, path);
      JsonObject *root;
      JsonArray *models;

      g_assert_cmpuint (page->status, ==, 200);
      root = json_node_get_object (page->json);
      models = json_object_get_array_member (root, "models");
      g_assert_cmpuint (json_array_get_length (models), <=, 2);
      for (guint i = 0; i < json_array_get_length (models); i++)
        {
          JsonObject *model = json_array_get_object_element (models, i);
          JsonArray *methods = json_object_get_array_member (model, "supportedGenerationMethods");
          const char *name = json_object_get_string_member (model, "name");

          g_assert_true (g_str_has_prefix (name, "models/"));
          g_assert_cmpstr (json_array_get_string_element (methods, 0), ==, "generateContent");
          g_ptr_array_add (seen, g_strdup (name + strlen ("models/")));
        }
      g_clear_pointer (&token, g_free);
      if (json_object_has_member (root, "nextPageToken"))
        token = g_strdup (json_object_get_string_member (root, "nextPageToken"));
      pages++;
    }
  while (token != NULL);

  g_assert_cmpuint (pages, ==, 2);
  g_assert_cmpuint (seen->len, ==, offered->len);
  for (guint i = 0; i < seen->len; i++)
    g_assert_cmpstr (g_ptr_array_index (seen, i), ==, g_ptr_array_index (offered, i));

  {
    g_autoptr(Reply) forged = get (f, "/v1beta/models?pageToken=nonsense");

    assert_error (forged, 400, "INVALID_ARGUMENT", "Invalid page token.");
  }
}

static void
test_get_model (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Reply) ga = get (f, "/v1beta/models/" PEEL_DEFAULT_MODEL);
  g_autoptr(Reply) preview = get (f, "/v1beta/models/gemini-3.1-flash-image-preview");

  g_assert_cmpuint (ga->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (ga->json), "name"), ==,
                   "models/" PEEL_DEFAULT_MODEL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (ga->json),
                                                  "displayName"), ==, "Nano Banana 2");
  assert_error (preview, 404, "NOT_FOUND",
                "Model is not found: models/gemini-3.1-flash-image-preview for API version "
                "v1beta");
}

/* Every shut-down id of the catalogue answers as Google does today. */
static void
test_shut_down_404 (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *body = simple_body ("a cat", "1:1", NULL, FALSE);

  for (guint i = 0; i < peel_model_catalogue_get_n (); i++)
    {
      const PeelModelInfo *info = peel_model_catalogue_get (i);
      g_autoptr(Reply) reply = NULL;
      g_autofree char *message = NULL;

      if (info->shut_down_year == 0)
        continue;
      reply = post (f, info->id, body);
      message = g_strdup_printf ("models/%s is not found for API version v1beta, or is not "
                                 "supported for generateContent. Call ListModels to see the "
                                 "list of available models and their supported methods.",
                                 info->id);
      assert_error (reply, 404, "NOT_FOUND", message);
    }
}

typedef struct
{
  GMainLoop *loop;
  GPtrArray *ids;
  GError    *error;
} Listed;

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Listed *listed = user_data;

  listed->ids = peel_gemini_client_list_models_finish (PEEL_GEMINI_CLIENT (object), result,
                                                       &listed->error);
  g_main_loop_quit (listed->loop);
}

static void
list_with_client (Fixture *f,
                  Listed  *listed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelProvider) provider =
    peel_provider_new ("Demo", peel_demo_server_get_base_url (f->server),
                       PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
  g_autoptr(PeelGeminiClient) client = peel_gemini_client_new (provider, "demo-key");

  g_assert_no_error (error);
  listed->loop = g_main_loop_new (NULL, FALSE);
  peel_gemini_client_list_models_async (client, NULL, listed_cb, listed);
  g_main_loop_run (listed->loop);
  g_main_loop_unref (listed->loop);
}

/* The client follows every page; the pickers get the image models among them, a new image
 * id included, and no text model. */
static void
test_client_lists_all_pages (Fixture       *f,
                             gconstpointer  data)
{
  static const char * const served[] = {
    "text-embedding-004", PEEL_DEFAULT_MODEL, "gemini-3-flash", "gemini-4-flash-image",
    "gemini-3-pro-image", NULL,
  };
  Listed listed = { 0 };
  g_autoptr(GPtrArray) offered = NULL;

  peel_demo_server_set_models (f->server, served);
  list_with_client (f, &listed);
  g_assert_no_error (listed.error);
  g_assert_cmpuint (listed.ids->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpstr (g_ptr_array_index (listed.ids, i), ==, served[i]);

  offered = peel_model_filter_offered (listed.ids);
  g_assert_cmpuint (offered->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (offered, 0), ==, PEEL_DEFAULT_MODEL);
  g_assert_cmpstr (g_ptr_array_index (offered, 1), ==, "gemini-4-flash-image");
  g_assert_cmpstr (g_ptr_array_index (offered, 2), ==, "gemini-3-pro-image");
  g_ptr_array_unref (listed.ids);
}

/* A proxy without ListModels: an error to fall back on, never an empty list. */
static void
test_client_no_list (Fixture       *f,
                     gconstpointer  data)
{
  Listed listed = { 0 };

  peel_demo_server_set_proxy_models (f->server, TRUE, FALSE);
  list_with_client (f, &listed);
  g_assert_null (listed.ids);
  g_assert_error (listed.error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NOT_FOUND);
  g_clear_error (&listed.error);
}

/* A wrong key is refused by the list as by a generation: how Preferences checks a key. */
static void
test_client_wrong_key (Fixture       *f,
                       gconstpointer  data)
{
  Listed listed = { 0 };

  peel_demo_server_set_api_key (f->server, "another-key");
  list_with_client (f, &listed);
  g_assert_null (listed.ids);
  g_assert_error (listed.error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INVALID_KEY);
  g_assert_null (strstr (listed.error->message, "demo-key"));
  g_clear_error (&listed.error);
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Run;

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Run *run = user_data;

  run->result = g_object_ref (result);
  g_main_loop_quit (run->loop);
}

static PeelNode *
turn (PeelSession      *session,
      PeelGeminiClient *client,
      PeelNode         *parent,
      const char       *model,
      const char       *prompt)
{
  g_autoptr(PeelGeneration) generation = peel_generation_new (session, client);
  g_autoptr(GError) error = NULL;
  PeelTurnSpec spec = { 0 };
  Run run = { g_main_loop_new (NULL, FALSE), NULL };
  PeelNode *node;

  spec.prompt = prompt;
  spec.aspect_ratio = "1:1";
  spec.size = PEEL_IMAGE_SIZE_1K;
  spec.model = model;
  peel_generation_run_async (generation, parent, &spec, FALSE, NULL, run_cb, &run);
  g_main_loop_run (run.loop);
  node = peel_generation_run_finish (generation, run.result, &error);
  g_assert_no_error (error);
  g_object_unref (run.result);
  g_main_loop_unref (run.loop);
  return node;
}

static PeelGeminiClient *
client_for (Fixture    *f,
            const char *issuer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelProvider) provider =
    peel_provider_new ("Demo", peel_demo_server_get_base_url (f->server),
                       PEEL_AUTH_STYLE_GOOG_API_KEY, &error);

  g_assert_no_error (error);
  peel_provider_set_issuer (provider, issuer);
  return peel_gemini_client_new (provider, "demo-key");
}

/* What the last request sent back as the model's: any signature at all. */
static gboolean
last_request_has_signatures (Fixture *f)
{
  g_autoptr(GBytes) body = peel_demo_server_dup_last_request_body (f->server);

  return g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                       "thoughtSignature") != NULL;
}

/* Three turns on the preview id (served by a proxy that keeps it), then Google today: the
 * branch continues on the replacement, sent as the user's own images, and says so. */
static void
test_branch_continues_on_replacement (Fixture       *f,
                                      gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("peel-models-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = peel_store_create_session (dir, "Preview", &error);
  g_autoptr(PeelGeminiClient) client = client_for (f, "the-service");
  g_autoptr(PeelNode) one = NULL;
  g_autoptr(PeelNode) two = NULL;
  g_autoptr(PeelNode) three = NULL;
  g_autoptr(PeelNode) next = NULL;
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

  g_assert_no_error (error);
  peel_demo_server_set_proxy_models (f->server, TRUE, TRUE);
  one = turn (session, client, NULL, "gemini-3.1-flash-image-preview", "a lighthouse");
  two = turn (session, client, one, "gemini-3.1-flash-image-preview", "at dusk");
  three = turn (session, client, two, "gemini-3.1-flash-image-preview", "with a boat");
  g_assert_true (last_request_has_signatures (f));
  g_assert_false (peel_node_get_context_rebuilt (three));
  g_assert_cmpstr (peel_node_get_issuer (three), ==, "the-service");

  peel_demo_server_set_proxy_models (f->server, FALSE, TRUE);
  next = turn (session, client, three, peel_model_get_replacement ("gemini-3.1-flash-image-preview"),
               "make the sky orange");
  g_assert_cmpint (peel_node_get_status (next), ==, PEEL_NODE_DONE);
  g_assert_true (peel_node_get_has_image (next));
  g_assert_true (peel_node_get_context_rebuilt (next));
  g_assert_false (last_request_has_signatures (f));

  peel_store_close_session (session, NULL);
  g_assert_cmpint (system (cmd), ==, 0);
}

/* Turns made in demo mode, then continued with a real key: no demo signature goes to the
 * real service, and the turn is not lost. */
static void
test_demo_branch_continues_elsewhere (Fixture       *f,
                                      gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("peel-models-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = peel_store_create_session (dir, "Demo first", &error);
  g_autoptr(PeelGeminiClient) demo = client_for (f, PEEL_DEMO_SERVER_ISSUER);
  g_autoptr(PeelGeminiClient) real = client_for (f, "https://generativelanguage.example");
  g_autoptr(PeelNode) one = NULL;
  g_autoptr(PeelNode) two = NULL;
  g_autoptr(PeelNode) next = NULL;
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

  g_assert_no_error (error);
  one = turn (session, demo, NULL, PEEL_DEFAULT_MODEL, "a lighthouse");
  two = turn (session, demo, one, PEEL_DEFAULT_MODEL, "at dusk");
  g_assert_true (last_request_has_signatures (f));

  next = turn (session, real, two, PEEL_DEFAULT_MODEL, "with a boat");
  g_assert_true (peel_node_get_context_rebuilt (next));
  g_assert_false (last_request_has_signatures (f));

  peel_store_close_session (session, NULL);
  g_assert_cmpint (system (cmd), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Peel/Models/" path, Fixture, NULL, today_setup, func, fixture_teardown)

  ADD ("list-paged", test_list_paged);
  ADD ("get-model", test_get_model);
  ADD ("shut-down-404", test_shut_down_404);
  ADD ("client-lists-all-pages", test_client_lists_all_pages);
  ADD ("client-no-list", test_client_no_list);
  ADD ("client-wrong-key", test_client_wrong_key);
  ADD ("branch-continues-on-replacement", test_branch_continues_on_replacement);
  ADD ("demo-branch-continues-elsewhere", test_demo_branch_continues_elsewhere);

  return g_test_run ();
}
