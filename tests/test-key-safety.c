/* test-key-safety.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The API key goes to the service in a header and nowhere else. A made-up key is used for a
 * session of generations, an edit, an export, refusals (wrong key, 429, blocked) and a peel-cli
 * killed mid-generation; then no file under the test's XDG data, cache and config folders, no
 * exported PNG and no log line at any debug level holds it, and the demo server saw it only in
 * the x-goog-api-key header, never in a URL. Plain http:// to another machine is refused, and a
 * TLS failure is an error, not a success. Usage: test-key-safety [PATH-TO-PEEL-CLI] */

#include <glib/gstdio.h>
#include <string.h>

#include "peel-demo-server.h"
#include "peel-export.h"
#include "peel-gemini-client.h"
#include "peel-gemini-error.h"
#include "peel-model-catalog.h"
#include "peel-generation.h"
#include "peel-session.h"
#include "peel-store.h"

#define KEY       "peel-test-key-7f3a9c0d5e1b2a4f86c3"
#define WRONG_KEY "peel-test-key-0badc0ffee11d00d4242"
#define MODEL     PEEL_DEFAULT_MODEL

static struct
{
  char             *dir;
  const char       *cli;
  PeelDemoServer   *server;
  PeelGeminiClient *client;
  PeelSession      *session;
  GString          *log;
  guint             requests_seen;
  guint             key_in_header;
  guint             key_elsewhere;
} t;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_autofree char *line = g_log_writer_format_fields (level, fields, n_fields, FALSE);

  g_string_append (t.log, line);
  g_string_append_c (t.log, '\n');
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

/* g_test_init() prints unstructured messages itself: catch those too. */
static void
capture_handler (const char     *domain,
                 GLogLevelFlags  level,
                 const char     *message,
                 gpointer        user_data)
{
  g_string_append_printf (t.log, "%s: %s\n", domain != NULL ? domain : "", message);
}

static void
header_cb (const char *name,
           const char *value,
           gpointer    user_data)
{
  if (strstr (value, KEY) == NULL && strstr (value, WRONG_KEY) == NULL &&
      strstr (name, KEY) == NULL)
    return;
  if (g_ascii_strcasecmp (name, "x-goog-api-key") == 0)
    t.key_in_header++;
  else
    t.key_elsewhere++;
}

static void
request_received_cb (PeelDemoServer *server,
                     const char     *path,
                     gpointer        user_data)
{
  g_autoptr(SoupMessageHeaders) headers = peel_demo_server_dup_last_request_headers (server);
  g_autoptr(GBytes) body = peel_demo_server_dup_last_request_body (server);

  t.requests_seen++;
  if (strstr (path, KEY) != NULL || strstr (path, "key=") != NULL)
    t.key_elsewhere++;
  if (body != NULL && g_bytes_get_size (body) > 0 &&
      g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), KEY) != NULL)
    t.key_elsewhere++;
  soup_message_headers_foreach (headers, header_cb, NULL);
}

typedef struct
{
  PeelNode *node;
  GError   *error;
  gboolean  done;
} Wait;

static void
generation_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Wait *w = user_data;

  w->node = peel_generation_run_finish (PEEL_GENERATION (object), result, &w->error);
  w->done = TRUE;
}

static PeelNode *
generate (PeelGeminiClient  *client,
          PeelNode          *parent,
          const char        *prompt,
          GPtrArray         *references,
          gboolean           stream,
          GError           **error)
{
  g_autoptr(PeelGeneration) generation = peel_generation_new (t.session, client);
  PeelTurnSpec spec = { 0 };
  Wait w = { 0 };

  spec.prompt = prompt;
  spec.references = references;
  spec.aspect_ratio = "1:1";
  spec.size = PEEL_IMAGE_SIZE_512;
  spec.model = MODEL;
  peel_generation_run_async (generation, parent, &spec, stream, NULL, generation_cb, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.node;
}

static void
test_session (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelNode) first = NULL;
  g_autoptr(PeelNode) second = NULL;
  g_autoptr(PeelNode) edit = NULL;
  g_autoptr(GPtrArray) references = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GBytes) image = NULL;
  g_autofree char *export_path = g_build_filename (t.dir, "data", "export.png", NULL);
  g_autofree char *png = NULL;
  gsize png_len = 0;

  first = generate (t.client, NULL, "a lighthouse at dusk", NULL, FALSE, &error);
  g_assert_no_error (error);
  second = generate (t.client, first, "make the sky stormy", NULL, TRUE, &error);
  g_assert_no_error (error);

  /* An edit: the image of the first turn sent back as a reference. */
  image = peel_node_dup_final_image_bytes (first, &error);
  g_assert_no_error (error);
  g_ptr_array_add (references, peel_part_new_image ("image/png", image, FALSE));
  edit = generate (t.client, NULL, "add a boat to this picture", references, TRUE, &error);
  g_assert_no_error (error);

  g_assert_true (peel_export_node_to_file (edit, export_path, PEEL_EXPORT_DEFAULT, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (export_path, &png, &png_len, NULL));
  g_assert_null (g_strstr_len (png, png_len, KEY));
}

static void
test_refusals (void)
{
  g_autoptr(PeelProvider) provider = NULL;
  g_autoptr(PeelGeminiClient) wrong = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelNode) node = NULL;

  provider = peel_provider_new ("demo", peel_demo_server_get_base_url (t.server),
                                PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
  g_assert_no_error (error);
  wrong = peel_gemini_client_new (provider, WRONG_KEY);
  node = generate (wrong, NULL, "a fox", NULL, FALSE, &error);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INVALID_KEY);
  g_assert_null (strstr (error->message, WRONG_KEY));
  g_clear_error (&error);

  peel_gemini_client_set_max_attempts (t.client, 1);
  peel_demo_server_push_fault (t.server, PEEL_DEMO_FAULT_RATE_LIMIT);
  g_assert_null (generate (t.client, NULL, "a fox", NULL, TRUE, &error));
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_RATE_LIMITED);
  g_assert_null (strstr (error->message, KEY));
  g_clear_error (&error);

  peel_demo_server_push_fault (t.server, PEEL_DEMO_FAULT_BLOCKED_PROMPT);
  g_assert_null (generate (t.client, NULL, "a fox", NULL, FALSE, &error));
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BLOCKED);
  g_assert_null (strstr (error->message, KEY));
  g_clear_error (&error);
  peel_gemini_client_set_max_attempts (t.client, 5);
}

static void
cli_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}

static GSubprocess *
spawn_cli (const char *name)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  g_autofree char *out_name = g_strconcat (name, ".out", NULL);
  g_autofree char *err_name = g_strconcat (name, ".err", NULL);
  g_autofree char *png_name = g_strconcat (name, ".png", NULL);
  g_autofree char *out = g_build_filename (t.dir, "cache", out_name, NULL);
  g_autofree char *err = g_build_filename (t.dir, "cache", err_name, NULL);
  g_autofree char *png = g_build_filename (t.dir, "data", png_name, NULL);
  GSubprocess *process;

  g_subprocess_launcher_setenv (launcher, "GEMINI_API_KEY", KEY, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  g_subprocess_launcher_set_stdout_file_path (launcher, out);
  g_subprocess_launcher_set_stderr_file_path (launcher, err);
  process = g_subprocess_launcher_spawn (launcher, &error, t.cli, "generate", "--base-url",
                                         peel_demo_server_get_base_url (t.server), "--prompt",
                                         "a lighthouse", "--size", "512", "--stream", "--json",
                                         "--output", png, NULL);
  g_assert_no_error (error);
  return process;
}

/* A run that did not exit 0 puts what it printed on stderr into the test's log: where a
 * sanitizer's report (or the reason) is, since the run's own stderr goes to a file. */
static void
print_cli_errors_if_failed (GSubprocess *process,
                            const char  *name)
{
  g_autofree char *err_name = g_strconcat (name, ".err", NULL);
  g_autofree char *err = g_build_filename (t.dir, "cache", err_name, NULL);
  g_autofree char *text = NULL;

  if (g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 0)
    return;
  if (g_file_get_contents (err, &text, NULL, NULL))
    g_printerr ("%s printed on stderr:\n%s\n", name, text);
}

static void
test_cli (void)
{
  g_autoptr(GSubprocess) ok = NULL;
  g_autoptr(GSubprocess) killed = NULL;
  gboolean done = FALSE;
  guint before;

  if (t.cli == NULL)
    {
      g_test_skip ("no peel-cli given");
      return;
    }

  ok = spawn_cli ("cli-ok");
  g_subprocess_wait_async (ok, NULL, cli_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  print_cli_errors_if_failed (ok, "cli-ok");
  g_assert_true (g_subprocess_get_if_exited (ok));
  g_assert_cmpint (g_subprocess_get_exit_status (ok), ==, 0);

  /* kill -9 while the server holds the answer back. */
  peel_demo_server_set_latency (t.server, 3000);
  before = t.requests_seen;
  done = FALSE;
  killed = spawn_cli ("cli-killed");
  g_subprocess_wait_async (killed, NULL, cli_done_cb, &done);
  while (t.requests_seen == before && !done)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_force_exit (killed);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_if_signaled (killed));
  peel_demo_server_set_latency (t.server, 0);
}

static void
test_insecure (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelProvider) provider = NULL;

  provider = peel_provider_new ("plain", "http://example.com", PEEL_AUTH_STYLE_GOOG_API_KEY,
                                &error);
  g_assert_null (provider);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INSECURE);
  g_assert_null (strstr (error->message, KEY));
  g_clear_error (&error);

  provider = peel_provider_new ("plain", "http://192.168.1.20:8080", PEEL_AUTH_STYLE_BEARER,
                                &error);
  g_assert_null (provider);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INSECURE);
}

static gboolean
tls_incoming_cb (GSocketService    *service,
                 GSocketConnection *connection,
                 GObject           *source,
                 gpointer           user_data)
{
  GTlsCertificate *certificate = user_data;
  g_autoptr(GIOStream) tls = g_tls_server_connection_new (G_IO_STREAM (connection), certificate,
                                                          NULL);

  /* The handshake fails on the client's side; nothing more is served. */
  if (tls != NULL)
    g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL);
  return TRUE;
}

/* Sends one request to @base_url; it must fail with a network error and say nothing of the key. */
static void
expect_network_error (const char *base_url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelProvider) provider = NULL;
  g_autoptr(PeelGeminiClient) client = NULL;
  g_autoptr(PeelNode) node = NULL;

  provider = peel_provider_new ("tls", base_url, PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
  g_assert_no_error (error);
  client = peel_gemini_client_new (provider, KEY);
  peel_gemini_client_set_max_attempts (client, 1);
  peel_gemini_client_set_timeout (client, 3);
  node = generate (client, NULL, "a fox over TLS", NULL, FALSE, &error);
  g_assert_null (node);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", base_url, error->message);
  g_assert_true (error->domain == PEEL_GEMINI_ERROR);
  /* A plain-HTTP server never answers a TLS hello, so that one may end in the timeout. */
  g_assert_true (error->code == PEEL_GEMINI_ERROR_NETWORK ||
                 error->code == PEEL_GEMINI_ERROR_TIMEOUT);
  g_assert_null (strstr (error->message, KEY));
}

static void
test_tls (void)
{
  g_autoptr(GUri) uri = g_uri_parse (peel_demo_server_get_base_url (t.server), G_URI_FLAGS_NONE,
                                     NULL);
  g_autofree char *plain = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uri));
  g_autofree char *key_path = g_build_filename (t.dir, "tls-key.pem", NULL);
  g_autofree char *cert_path = g_build_filename (t.dir, "tls-cert.pem", NULL);
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *https = NULL;
  guint16 port;
  int wait_status = 0;

  expect_network_error (plain);

  /* A real TLS server whose certificate nobody trusts: the client must not go on. */
  if (openssl == NULL)
    {
      g_test_message ("no openssl: the self-signed certificate case is skipped");
      return;
    }
  {
    const char *argv[] = { openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days",
                           "1", "-subj", "/CN=127.0.0.1", "-keyout", key_path, "-out",
                           cert_path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                                 G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                                 &wait_status, &error));
    g_assert_no_error (error);
  }
  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);
  service = g_threaded_socket_service_new (2);
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (tls_incoming_cb), certificate);
  g_socket_service_start (service);
  https = g_strdup_printf ("https://127.0.0.1:%u", port);
  expect_network_error (https);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

static void
scan_tree (const char *path,
           guint      *n_files,
           GPtrArray  *holders)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (strstr (name, KEY) != NULL)
        g_ptr_array_add (holders, g_strdup (child));
      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          scan_tree (child, n_files, holders);
          continue;
        }
      (*n_files)++;
      if (g_file_get_contents (child, &contents, &len, NULL) &&
          (g_strstr_len (contents, len, KEY) != NULL ||
           g_strstr_len (contents, len, WRONG_KEY) != NULL ||
           g_strstr_len (contents, len, "7f3a9c0d5e1b2a4f") != NULL))
        g_ptr_array_add (holders, g_strdup (child));
    }
}

static void
test_no_trace (void)
{
  g_autoptr(GPtrArray) holders = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  guint n_files = 0;

  /* Closing writes the snapshot: it must not hold the key either. */
  g_assert_true (peel_store_close_session (t.session, &error));
  g_assert_no_error (error);

  scan_tree (t.dir, &n_files, holders);
  for (guint i = 0; i < holders->len; i++)
    g_test_message ("the key is in %s", (const char *) g_ptr_array_index (holders, i));
  g_assert_cmpuint (holders->len, ==, 0);
  /* Sessions, blobs, meta, the export, and the CLI's captured output were all there. */
  g_assert_cmpuint (n_files, >=, 6);

  g_assert_cmpuint (t.log->len, >, 0);
  g_assert_null (strstr (t.log->str, KEY));
  g_assert_null (strstr (t.log->str, WRONG_KEY));

  g_assert_cmpuint (t.requests_seen, >=, 6);
  g_assert_cmpuint (t.key_in_header, >=, 6);
  g_assert_cmpuint (t.key_elsewhere, ==, 0);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PeelProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sessions = NULL;
  const char *subdirs[] = { "data", "cache", "config" };
  const char *variables[] = { "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME" };
  int status;

  /* Every message at every level reaches the capture; nothing is printed. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_test_init (&argc, &argv, NULL);
  t.cli = argc > 1 ? argv[1] : g_getenv ("PEEL_CLI");
  t.log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_log_set_default_handler (capture_handler, NULL);

  t.dir = g_dir_make_tmp ("peel-key-safety-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (t.dir, subdirs[i], NULL);

      g_mkdir_with_parents (path, 0700);
      g_setenv (variables[i], path, TRUE);
    }
  g_setenv ("HOME", t.dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_unsetenv ("GEMINI_API_KEY");

  t.server = peel_demo_server_new ();
  peel_demo_server_set_api_key (t.server, KEY);
  peel_demo_server_set_retry_delay (t.server, 0.001);
  g_assert_true (peel_demo_server_start (t.server, 0, &error));
  g_assert_no_error (error);
  g_signal_connect (t.server, "request-received", G_CALLBACK (request_received_cb), NULL);

  provider = peel_provider_new ("demo", peel_demo_server_get_base_url (t.server),
                                PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
  g_assert_no_error (error);
  t.client = peel_gemini_client_new (provider, KEY);
  peel_gemini_client_set_backoff (t.client, 0.001, 0.01);

  sessions = peel_store_get_default_dir ();
  g_assert_true (g_str_has_prefix (sessions, t.dir));
  g_mkdir_with_parents (sessions, 0700);
  t.session = peel_store_create_session (sessions, "Key safety", &error);
  g_assert_no_error (error);

  g_test_add_func ("/Peel/KeySafety/session", test_session);
  g_test_add_func ("/Peel/KeySafety/refusals", test_refusals);
  g_test_add_func ("/Peel/KeySafety/cli", test_cli);
  g_test_add_func ("/Peel/KeySafety/insecure", test_insecure);
  g_test_add_func ("/Peel/KeySafety/tls", test_tls);
  g_test_add_func ("/Peel/KeySafety/no-trace", test_no_trace);
  status = g_test_run ();

  peel_demo_server_stop (t.server);
  g_clear_object (&t.session);
  g_clear_object (&t.client);
  g_clear_object (&t.server);
  remove_tree (t.dir);
  g_free (t.dir);
  g_string_free (t.log, TRUE);
  return status;
}
