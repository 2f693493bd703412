/* test-service.c
 *
 * The service's model list is kept with the time it was listed: a start within a day of the
 * last list from the same service uses it without asking again; an older list, one from
 * another service, or a change of provider or key asks again.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gtk/gtk.h>

#include "peel-demo-server.h"
#include "peel-service.h"

#define HOUR (60 * 60)
#define DEMO_LIST "gemini-3.1-flash-image", "gemini-3-pro-image", "gemini-3.1-flash-lite-image"

static GSettings *
settings_with_list (const char *source,
                    gint64      age)
{
  GSettings *settings = g_settings_new ("io.github.peelapp.Peel");
  const char *saved[] = { "gemini-3-pro-image", NULL };

  g_settings_set_strv (settings, "model-list", saved);
  g_settings_set_string (settings, "model-list-source", source);
  g_settings_set_int64 (settings, "model-list-fetched", g_get_real_time () / G_USEC_PER_SEC - age);
  return settings;
}

static void
reset (GSettings *settings)
{
  g_settings_reset (settings, "model-list");
  g_settings_reset (settings, "model-list-source");
  g_settings_reset (settings, "model-list-fetched");
}

/* Runs the main loop until the service has listed its models, or for @ms at most. */
static void
spin (PeelService *service,
      guint        ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  PeelDemoServer *demo = peel_service_get_demo_server (service);
  guint asked = peel_demo_server_get_request_count (demo);
  gint64 fetched = peel_service_get_models_fetched (service);

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      if (peel_demo_server_get_request_count (demo) > asked &&
          peel_service_get_models_fetched (service) != fetched)
        break;
      g_usleep (1000);
    }
}

static void
assert_offered (PeelService *service,
                const char  *const *expected)
{
  g_auto(GStrv) offered = NULL;

  g_object_get (service, "offered-models", &offered, NULL);
  g_assert_nonnull (offered);
  g_assert_true (g_strv_equal ((const char * const *) offered, expected));
}

static void
test_young_list_kept (void)
{
  g_autoptr(GSettings) settings = settings_with_list (PEEL_DEMO_SERVER_ISSUER, HOUR);
  gint64 saved = g_settings_get_int64 (settings, "model-list-fetched");
  g_autoptr(PeelService) service = peel_service_new (settings, TRUE, peel_demo_server_new_started);
  const char *kept[] = { "gemini-3-pro-image", NULL };
  const char *listed[] = { DEMO_LIST, NULL };

  assert_offered (service, kept);
  g_assert_cmpint (peel_service_get_models_fetched (service), ==, saved);
  spin (service, 300);
  g_assert_cmpuint (peel_demo_server_get_request_count (peel_service_get_demo_server (service)),
                    ==, 0);
  assert_offered (service, kept);

  /* A change of provider or key asks again, young list or not. */
  peel_service_reload (service);
  spin (service, 5000);
  assert_offered (service, listed);
  g_assert_cmpint (peel_service_get_models_fetched (service), >=, saved + HOUR);

  reset (settings);
}

static void
test_old_or_foreign_list_refetched (void)
{
  const char *sources[] = { PEEL_DEMO_SERVER_ISSUER, "https://generativelanguage.googleapis.com" };
  const gint64 ages[] = { 25 * HOUR, HOUR };
  const char *listed[] = { DEMO_LIST, NULL };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autoptr(GSettings) settings = settings_with_list (sources[i], ages[i]);
      g_autoptr(PeelService) service =
        peel_service_new (settings, TRUE, peel_demo_server_new_started);
      g_auto(GStrv) stored = NULL;
      g_autofree char *source = NULL;
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;

      spin (service, 5000);
      assert_offered (service, listed);
      g_assert_cmpint (peel_service_get_models_fetched (service), >=, now - 1);

      /* What was listed is kept for the next start, with when and from where. */
      stored = g_settings_get_strv (settings, "model-list");
      source = g_settings_get_string (settings, "model-list-source");
      g_assert_true (g_strv_equal ((const char * const *) stored, listed));
      g_assert_cmpstr (source, ==, PEEL_DEMO_SERVER_ISSUER);
      g_assert_cmpint (g_settings_get_int64 (settings, "model-list-fetched"), ==,
                       peel_service_get_models_fetched (service));
      reset (settings);
    }
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Peel/Service/young-list-kept", test_young_list_kept);
  g_test_add_func ("/Peel/Service/old-or-foreign-list-refetched",
                   test_old_or_foreign_list_refetched);
  return g_test_run ();
}
