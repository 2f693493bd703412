/* generation-test-util.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "generation-test-util.h"
#include "peel-provider.h"
#include "peel-store.h"

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelProvider) provider = NULL;

  f->dir = g_dir_make_tmp ("peel-generation-XXXXXX", &error);
  g_assert_no_error (error);
  f->server = peel_demo_server_new ();
  g_assert_true (peel_demo_server_start (f->server, 0, &error));
  provider = peel_provider_new ("demo", peel_demo_server_get_base_url (f->server),
                                PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
  g_assert_no_error (error);
  f->client = peel_gemini_client_new (provider, "demo-key");
  f->session = peel_store_create_session (f->dir, "Test", &error);
  g_assert_no_error (error);
  f->loop = g_main_loop_new (NULL, FALSE);
}

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  if (f->session != NULL)
    peel_store_close_session (f->session, NULL);
  g_clear_object (&f->session);
  g_clear_object (&f->client);
  peel_demo_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_pointer (&f->loop, g_main_loop_unref);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

/* A GAsyncReadyCallback whose user data is the Fixture: keeps the result, ends the loop. */
void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
  g_main_loop_quit (f->loop);
}
