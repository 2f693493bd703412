/* test-provider.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <string.h>

#include "peel-credentials.h"
#include "peel-gemini-error.h"
#include "peel-provider.h"

static void
test_google (void)
{
  g_autoptr(PeelProvider) provider = peel_provider_new_google ();
  g_autofree char *plain = peel_provider_build_url (provider, "gemini-3.1-flash-image-preview",
                                                    FALSE);
  g_autofree char *stream = peel_provider_build_url (provider, "gemini-3.1-flash-image-preview",
                                                     TRUE);

  g_assert_cmpstr (peel_provider_get_base_url (provider), ==, PEEL_GOOGLE_BASE_URL);
  g_assert_cmpint (peel_provider_get_auth_style (provider), ==, PEEL_AUTH_STYLE_GOOG_API_KEY);
  g_assert_false (peel_provider_is_loopback (provider));
  g_assert_cmpstr (plain, ==, "https://generativelanguage.googleapis.com/v1beta/models/"
                              "gemini-3.1-flash-image-preview:generateContent");
  g_assert_cmpstr (stream, ==, "https://generativelanguage.googleapis.com/v1beta/models/"
                               "gemini-3.1-flash-image-preview:streamGenerateContent?alt=sse");
  g_assert_cmpuint (peel_provider_get_max_request_bytes (provider), ==, 20000000);

  peel_provider_set_max_request_bytes (provider, 100000000);
  g_assert_cmpuint (peel_provider_get_max_request_bytes (provider), ==, 100000000);
}

static void
test_cometapi (void)
{
  g_autoptr(PeelProvider) provider = peel_provider_new_cometapi ();
  g_autofree char *url = peel_provider_build_url (provider, "gemini-3-pro-image-preview", TRUE);

  g_assert_cmpstr (peel_provider_get_name (provider), ==, "CometAPI");
  g_assert_cmpint (peel_provider_get_auth_style (provider), ==, PEEL_AUTH_STYLE_GOOG_API_KEY);
  g_assert_cmpstr (url, ==, "https://api.cometapi.com/v1beta/models/"
                            "gemini-3-pro-image-preview:streamGenerateContent?alt=sse");
}

static void
test_custom_prefix (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelProvider) provider = NULL;
  g_autofree char *url = NULL;
  g_autofree char *odd = NULL;
  g_autofree char *prefixed = NULL;

  provider = peel_provider_new ("Proxy", "HTTPS://proxy.example.com/gemini//",
                                PEEL_AUTH_STYLE_BEARER, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (peel_provider_get_base_url (provider), ==, "https://proxy.example.com/gemini");
  g_assert_cmpint (peel_provider_get_auth_style (provider), ==, PEEL_AUTH_STYLE_BEARER);

  url = peel_provider_build_url (provider, "gemini-2.5-flash-image", FALSE);
  g_assert_cmpstr (url, ==,
                   "https://proxy.example.com/gemini/v1beta/models/gemini-2.5-flash-image:"
                   "generateContent");

  /* A model id is a path segment: whatever it holds cannot reach another path or a query. */
  odd = peel_provider_build_url (provider, "../x?key=1", FALSE);
  g_assert_cmpstr (odd, ==,
                   "https://proxy.example.com/gemini/v1beta/models/..%2Fx%3Fkey%3D1:"
                   "generateContent");

  prefixed = peel_provider_build_url (provider, "models/gemini-2.5-flash-image", FALSE);
  g_assert_cmpstr (prefixed, ==, url);
}

static void
test_loopback_http (void)
{
  static const char *allowed[] = {
    "http://127.0.0.1:8080", "http://127.1.2.3/", "http://localhost:9", "http://[::1]:4000",
    "HTTP://LOCALHOST",
  };

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PeelProvider) provider = NULL;

      provider = peel_provider_new (NULL, allowed[i], PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
      g_assert_no_error (error);
      g_assert_true (peel_provider_is_loopback (provider));
    }

  {
    g_autoptr(PeelProvider) provider = peel_provider_new (NULL, "http://[::1]:4000/api/",
                                                          PEEL_AUTH_STYLE_GOOG_API_KEY, NULL);
    g_autofree char *url = peel_provider_build_url (provider, "m", FALSE);

    g_assert_cmpstr (url, ==, "http://[::1]:4000/api/v1beta/models/m:generateContent");
  }
}

static void
test_insecure_refused (void)
{
  static const char *refused[] = {
    "http://generativelanguage.googleapis.com", "http://127.0.0.1.example.com",
    "http://10.0.0.2:8080", "http://[2001:db8::1]/",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PeelProvider) provider = NULL;

      provider = peel_provider_new (NULL, refused[i], PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
      g_assert_null (provider);
      g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INSECURE);
      g_assert_nonnull (strstr (error->message, "https://"));
    }
}

static void
test_bad_urls (void)
{
  static const char *bad[] = {
    "not a url", "ftp://example.com", "https://", "https://example.com/?key=abc",
    "https://user:secret@example.com", "example.com",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PeelProvider) provider = NULL;

      provider = peel_provider_new (NULL, bad[i], PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
      g_assert_null (provider);
      g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT);
    }
}

/* Credentials ------------------------------------------------------------------------------ */

static void
async_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_credentials_environment_without_bus (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  PeelCredentialSource source;

  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_setenv ("XDG_RUNTIME_DIR", "/nonexistent", TRUE);
  g_setenv ("GEMINI_API_KEY", " env-key \n", TRUE);

  g_assert_false (peel_credentials_have_session_bus ());

  peel_credentials_lookup_async ("Google", TRUE, NULL, async_result_cb, &result);
  key = peel_credentials_lookup_finish (wait_for (&result), &source, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "env-key");
  g_assert_cmpint (source, ==, PEEL_CREDENTIAL_SOURCE_ENVIRONMENT);
}

static void
test_credentials_none (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  PeelCredentialSource source = PEEL_CREDENTIAL_SOURCE_KEYRING;

  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_setenv ("XDG_RUNTIME_DIR", "/nonexistent", TRUE);
  g_unsetenv ("GEMINI_API_KEY");

  peel_credentials_lookup_async ("Google", TRUE, NULL, async_result_cb, &result);
  key = peel_credentials_lookup_finish (wait_for (&result), &source, &error);
  g_assert_no_error (error);
  g_assert_null (key);
  g_assert_cmpint (source, ==, PEEL_CREDENTIAL_SOURCE_NONE);
}

static void
test_credentials_store_without_bus (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_setenv ("XDG_RUNTIME_DIR", "/nonexistent", TRUE);

  peel_credentials_store_async ("Google", "secret", NULL, async_result_cb, &result);
  g_assert_false (peel_credentials_store_finish (wait_for (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "GEMINI_API_KEY"));
}

static gboolean
accept_and_ignore_cb (GSocketService     *service,
                      GSocketConnection  *connection,
                      GObject            *source_object,
                      gpointer            user_data)
{
  GPtrArray *held = user_data;

  /* Hold the connection open and never answer: a bus, or keyring, that hangs. */
  g_ptr_array_add (held, g_object_ref (connection));
  return TRUE;
}

/* A session bus that accepts the connection and then says nothing is what a locked keyring
 * waiting on an unanswerable prompt looks like from here: the lookup must give up on time and
 * fall back to the environment. */
static void
test_credentials_silent_keyring_times_out (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *dir = g_dir_make_tmp ("peel-test-bus-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bus", NULL);
  g_autofree char *bus_address = g_strdup_printf ("unix:path=%s", path);
  g_autofree char *key = NULL;
  PeelCredentialSource source;
  gint64 start;
  double elapsed;

  address = g_unix_socket_address_new (path);
  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_DEFAULT, NULL, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (accept_and_ignore_cb), held);
  g_socket_service_start (service);

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", bus_address, TRUE);
  g_setenv ("GEMINI_API_KEY", "fallback-key", TRUE);
  peel_credentials_set_timeouts (300, 300);

  start = g_get_monotonic_time ();
  peel_credentials_lookup_async ("Google", TRUE, NULL, async_result_cb, &result);
  key = peel_credentials_lookup_finish (wait_for (&result), &source, &error);
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "fallback-key");
  g_assert_cmpint (source, ==, PEEL_CREDENTIAL_SOURCE_ENVIRONMENT);
  /* It did reach the silent bus, and waited for it until the timeout, not for ever. */
  g_assert_cmpuint (held->len, >=, 1);
  g_assert_cmpfloat (elapsed, >=, 0.25);
  g_assert_cmpfloat (elapsed, <, 2.0);

  g_socket_service_stop (service);
  g_unlink (path);
  g_rmdir (dir);
}

/* After a restart the login keyring is locked and waits for its password: with no key in the
 * environment either, that is told apart from "no key set", so the user is asked to unlock. */
static void
test_credentials_locked_keyring (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *dir = g_dir_make_tmp ("peel-test-bus-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bus", NULL);
  g_autofree char *bus_address = g_strdup_printf ("unix:path=%s", path);
  g_autofree char *key = NULL;
  PeelCredentialSource source = PEEL_CREDENTIAL_SOURCE_NONE;

  address = g_unix_socket_address_new (path);
  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_DEFAULT, NULL, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (accept_and_ignore_cb), held);
  g_socket_service_start (service);

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", bus_address, TRUE);
  g_unsetenv ("GEMINI_API_KEY");
  peel_credentials_set_timeouts (300, 300);

  peel_credentials_lookup_async ("Google", TRUE, NULL, async_result_cb, &result);
  key = peel_credentials_lookup_finish (wait_for (&result), &source, &error);
  g_assert_no_error (error);
  g_assert_null (key);
  g_assert_cmpint (source, ==, PEEL_CREDENTIAL_SOURCE_LOCKED);


  g_socket_service_stop (service);
  g_unlink (path);
  g_rmdir (dir);
}

/* Each keyring test runs in its own process: libsecret keeps its bus connection per process. */
static void
test_credentials (gconstpointer data)
{
  if (g_test_subprocess ())
    {
      ((GTestFunc) data) ();
      return;
    }

  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Peel/Provider/google", test_google);
  g_test_add_func ("/Peel/Provider/cometapi", test_cometapi);
  g_test_add_func ("/Peel/Provider/custom-prefix", test_custom_prefix);
  g_test_add_func ("/Peel/Provider/loopback-http", test_loopback_http);
  g_test_add_func ("/Peel/Provider/insecure-refused", test_insecure_refused);
  g_test_add_func ("/Peel/Provider/bad-urls", test_bad_urls);
  g_test_add_data_func ("/Peel/Credentials/environment-without-bus",
                        test_credentials_environment_without_bus, test_credentials);
  g_test_add_data_func ("/Peel/Credentials/none", test_credentials_none, test_credentials);
  g_test_add_data_func ("/Peel/Credentials/store-without-bus",
                        test_credentials_store_without_bus, test_credentials);
  g_test_add_data_func ("/Peel/Credentials/silent-keyring-times-out",
                        test_credentials_silent_keyring_times_out, test_credentials);
  g_test_add_data_func ("/Peel/Credentials/locked-keyring",
                        test_credentials_locked_keyring, test_credentials);

  return g_test_run ();
}
