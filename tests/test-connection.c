/* test-connection.c
 *
 * One connection for every program: the window's policy falls back to the offline demo and
 * says why, peel-cli generate's refuses to go on without a key, --base-url takes
 * GEMINI_API_KEY only, and a demo that cannot start says so. The demo is the real server on
 * loopback, started the way `peel` starts it.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-connection.h"
#include "peel-demo-server.h"

/* No session bus: the keyring is not asked, only the environment. */
static void
no_keyring (const char *key)
{
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_setenv ("XDG_RUNTIME_DIR", "/nonexistent", TRUE);
  if (key != NULL)
    g_setenv ("GEMINI_API_KEY", key, TRUE);
  else
    g_unsetenv ("GEMINI_API_KEY");
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static PeelGeminiClient *
open_and_wait (PeelConnection  *connection,
               PeelProvider    *provider,
               const GError    *provider_error,
               PeelKeyPolicy    policy,
               GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  peel_connection_open_async (connection, provider, provider_error, policy, NULL, opened_cb,
                              &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return peel_connection_open_finish (connection, result, error);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GPtrArray **ids = user_data;
  g_autoptr(GError) error = NULL;

  *ids = peel_gemini_client_list_models_finish (PEEL_GEMINI_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

/* The window without a key: the demo runs, the banner says why, and the client it hands out
 * talks to the demo server it started. */
static void
test_window_without_key (void)
{
  g_autoptr(PeelConnection) connection =
    peel_connection_new (peel_demo_server_new_started, NULL, NULL);
  g_autoptr(PeelProvider) google = peel_provider_new_google ();
  g_autoptr(PeelGeminiClient) client = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  PeelDemoServer *server;

  no_keyring (NULL);
  client = open_and_wait (connection, google, NULL, PEEL_KEY_STORED_OR_DEMO, &error);
  g_assert_no_error (error);
  g_assert_true (client == peel_connection_get_client (connection));
  g_assert_true (peel_connection_get_demo (connection));
  g_assert_true (peel_connection_get_ready (connection));
  g_assert_nonnull (strstr (peel_connection_get_problem (connection), "No API key is set"));

  server = PEEL_DEMO_SERVER (peel_connection_get_demo_server (connection));
  g_assert_cmpstr (peel_provider_get_base_url (peel_gemini_client_get_provider (client)), ==,
                   peel_demo_server_get_base_url (server));
  g_assert_cmpstr (peel_provider_get_issuer (peel_gemini_client_get_provider (client)), ==,
                   PEEL_DEMO_SERVER_ISSUER);
  peel_gemini_client_list_models_async (client, NULL, listed_cb, &ids);
  while (ids == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (ids->len, >, 0);
  g_assert_cmpuint (peel_demo_server_get_request_count (server), >, 0);
}

/* A key, but a custom address that cannot be used: the demo, with the address's reason. */
static void
test_window_unusable_provider (void)
{
  g_autoptr(PeelConnection) connection =
    peel_connection_new (peel_demo_server_new_started, NULL, NULL);
  g_autoptr(PeelProvider) refused = NULL;
  g_autoptr(PeelGeminiClient) client = NULL;
  g_autoptr(GError) why = NULL;
  g_autoptr(GError) error = NULL;

  no_keyring ("a-key");
  refused = peel_provider_new (NULL, "http://example.com", PEEL_AUTH_STYLE_BEARER, &why);
  g_assert_null (refused);
  g_assert_nonnull (why);

  client = open_and_wait (connection, NULL, why, PEEL_KEY_STORED_OR_DEMO, &error);
  g_assert_no_error (error);
  g_assert_true (peel_connection_get_demo (connection));
  g_assert_nonnull (strstr (peel_connection_get_problem (connection),
                            "The custom service cannot be used"));
  g_assert_nonnull (strstr (peel_connection_get_problem (connection), why->message));
}

/* peel-cli generate: no key is an error of its own (exit 2); with one, the provider. */
static void
test_required_key (void)
{
  g_autoptr(PeelConnection) connection =
    peel_connection_new (peel_demo_server_new_started, NULL, NULL);
  g_autoptr(PeelProvider) google = peel_provider_new_google ();
  g_autoptr(PeelGeminiClient) client = NULL;
  g_autoptr(GError) error = NULL;

  no_keyring (NULL);
  client = open_and_wait (connection, google, NULL, PEEL_KEY_STORED_REQUIRED, &error);
  g_assert_null (client);
  g_assert_error (error, PEEL_CONNECTION_ERROR, PEEL_CONNECTION_ERROR_NO_KEY);
  g_assert_nonnull (strstr (error->message, "GEMINI_API_KEY"));
  g_assert_null (peel_connection_get_demo_server (connection));
  g_clear_error (&error);

  no_keyring ("a-key");
  client = open_and_wait (connection, google, NULL, PEEL_KEY_STORED_REQUIRED, &error);
  g_assert_no_error (error);
  g_assert_true (peel_gemini_client_get_provider (client) == google);
  g_assert_false (peel_connection_get_demo (connection));
  g_assert_null (peel_connection_get_problem (connection));
  g_assert_null (peel_connection_get_demo_server (connection));
}

/* --base-url: GEMINI_API_KEY or none, and never the demo. */
static void
test_environment_key (void)
{
  g_autoptr(PeelConnection) connection = peel_connection_new (NULL, NULL, NULL);
  g_autoptr(PeelProvider) own = NULL;
  g_autoptr(PeelGeminiClient) client = NULL;
  g_autoptr(GError) error = NULL;

  own = peel_provider_new (NULL, "http://127.0.0.1:9", PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
  g_assert_no_error (error);
  no_keyring (NULL);
  client = open_and_wait (connection, own, NULL, PEEL_KEY_ENVIRONMENT, &error);
  g_assert_no_error (error);
  g_assert_true (peel_gemini_client_get_provider (client) == own);
  g_assert_false (peel_connection_get_demo (connection));
}

static GObject *
refuse_to_start (gpointer   user_data,
                 char     **base_url,
                 GError   **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE, "Address already in use");
  return NULL;
}

/* A demo that cannot start: the reason as it came for peel-cli, a sentence for the banner,
 * and no client; a program without a demo says that. */
static void
test_demo_cannot_start (void)
{
  g_autoptr(PeelConnection) connection = peel_connection_new (refuse_to_start, NULL, NULL);
  g_autoptr(PeelConnection) none = peel_connection_new (NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (peel_connection_open_demo (connection, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_assert_null (peel_connection_get_client (connection));
  g_assert_true (peel_connection_get_demo (connection));
  g_assert_cmpstr (peel_connection_get_problem (connection), ==,
                   "The offline demo could not start: Address already in use");
  g_clear_error (&error);

  g_assert_false (peel_connection_open_demo (none, NULL, &error));
  g_assert_error (error, PEEL_CONNECTION_ERROR, PEEL_CONNECTION_ERROR_NO_DEMO);
}

static gboolean
listens (const char *base_url)
{
  g_autoptr(GUri) uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_to_host (client, g_uri_get_host (uri),
                                                (guint16) g_uri_get_port (uri), NULL, NULL);
  return connection != NULL;
}

/* The demo server ends with the connection, even while someone else holds it. */
static void
test_demo_ends_with_connection (void)
{
  PeelConnection *connection = peel_connection_new (peel_demo_server_new_started, NULL, NULL);
  g_autoptr(GObject) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;

  g_assert_true (peel_connection_open_demo (connection, "Demo mode", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (peel_connection_get_problem (connection), ==, "Demo mode");
  server = g_object_ref (peel_connection_get_demo_server (connection));
  base_url = g_strdup (peel_demo_server_get_base_url (PEEL_DEMO_SERVER (server)));
  g_assert_true (listens (base_url));

  g_assert_finalize_object (connection);
  g_assert_false (listens (base_url));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Peel/Connection/window-without-key", test_window_without_key);
  g_test_add_func ("/Peel/Connection/window-unusable-provider", test_window_unusable_provider);
  g_test_add_func ("/Peel/Connection/required-key", test_required_key);
  g_test_add_func ("/Peel/Connection/environment-key", test_environment_key);
  g_test_add_func ("/Peel/Connection/demo-cannot-start", test_demo_cannot_start);
  g_test_add_func ("/Peel/Connection/demo-ends-with-connection", test_demo_ends_with_connection);

  return g_test_run ();
}
