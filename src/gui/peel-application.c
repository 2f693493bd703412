/* peel-application.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-application.h"
#include "peel-preferences-window.h"
#include "peel-resources.h"
#include "peel-service.h"
#include "peel-window.h"

struct _PeelApplication
{
  AdwApplication     parent_instance;

  GSettings         *settings;
  PeelService       *service;
  PeelDemoStartFunc  start_demo;
  gboolean           demo;
};

G_DEFINE_FINAL_TYPE (PeelApplication, peel_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "demo", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Start in demo mode: images are drawn on this computer, no API key needed"), NULL },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and quit"), NULL },
  { NULL }
};

static int
peel_application_handle_local_options (GApplication *app,
                                       GVariantDict *options)
{
  PeelApplication *self = PEEL_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_contains (options, "demo"))
    self->demo = TRUE;

  return -1;
}

static void
peel_application_activate (GApplication *app)
{
  PeelApplication *self = PEEL_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (peel_window_new (GTK_APPLICATION (app), self->service));

  gtk_window_present (window);
}

static void
peel_application_about_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  static const char *developers[] = { "The Peel authors", NULL };
  PeelApplication *self = user_data;
  GtkWindow *window;
  AdwAboutWindow *about;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  gtk_window_set_transient_for (GTK_WINDOW (about), window);
  adw_about_window_set_application_name (about, _("Peel"));
  adw_about_window_set_application_icon (about, APP_ID);
  adw_about_window_set_version (about, PACKAGE_VERSION);
  adw_about_window_set_developer_name (about, _("The Peel authors"));
  adw_about_window_set_developers (about, developers);
  adw_about_window_set_website (about, "https://github.com/peelapp/peel");
  adw_about_window_set_issue_url (about, "https://github.com/peelapp/peel/issues");
  adw_about_window_set_license_type (about, GTK_LICENSE_GPL_3_0);
  adw_about_window_set_copyright (about, "© 2026 The Peel authors");
  /* Translators: put your names here, one per line */
  adw_about_window_set_translator_credits (about, _("translator-credits"));
  gtk_window_present (GTK_WINDOW (about));
}

static void
peel_application_quit_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  PeelApplication *self = user_data;
  GList *windows;

  /* Close the windows first so each can finish its own work and save its state. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (windows);

  g_application_quit (G_APPLICATION (self));
}

static void
peel_application_preferences_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  PeelApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  peel_application_show_preferences (self, window);
}

static const GActionEntry app_actions[] = {
  { "about", peel_application_about_action },
  { "preferences", peel_application_preferences_action },
  { "quit", peel_application_quit_action },
};

static void
peel_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *generate_accels[] = { "<Control>Return", "<Control>KP_Enter", NULL };
  static const char *help_accels[] = { "<Control>question", "<Control>slash", NULL };
  PeelApplication *self = PEEL_APPLICATION (app);

  G_APPLICATION_CLASS (peel_application_parent_class)->startup (app);

  self->settings = g_settings_new (APP_ID);
  self->service = peel_service_new (self->settings, self->demo, self->start_demo);

  gtk_window_set_default_icon_name (APP_ID);
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.generate",
                                         generate_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay",
                                         help_accels);
}

static void
peel_application_shutdown (GApplication *app)
{
  PeelApplication *self = PEEL_APPLICATION (app);

  g_clear_object (&self->service);
  g_clear_object (&self->settings);

  G_APPLICATION_CLASS (peel_application_parent_class)->shutdown (app);
}

static void
peel_application_class_init (PeelApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->shutdown = peel_application_shutdown;
  app_class->activate = peel_application_activate;
  app_class->startup = peel_application_startup;
  app_class->handle_local_options = peel_application_handle_local_options;

  peel_register_resource ();
}

static void
peel_application_init (PeelApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
}

PeelApplication *
peel_application_new (void)
{
  return g_object_new (PEEL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/peelapp/Peel",
                       NULL);
}

/**
 * peel_application_new_for_test:
 * @demo: whether to start the offline demo server, as `--demo` does
 *
 * An application that does not claim its name on the session bus, so tests can start it
 * (g_application_register()) and open windows in-process.
 */
PeelApplication *
peel_application_new_for_test (gboolean demo)
{
  PeelApplication *self = g_object_new (PEEL_TYPE_APPLICATION,
                                        "application-id", APP_ID,
                                        "flags", G_APPLICATION_NON_UNIQUE,
                                        "resource-base-path", "/io/github/peelapp/Peel",
                                        NULL);

  self->demo = demo;
  return self;
}

/**
 * peel_application_set_demo_start:
 * @start_demo: how to start the offline demo server, which this library does not link:
 *   `peel`'s main() and the tests hand in peel_demo_server_new_started()
 *
 * Call before the application starts up.
 */
void
peel_application_set_demo_start (PeelApplication   *self,
                                 PeelDemoStartFunc  start_demo)
{
  g_return_if_fail (PEEL_IS_APPLICATION (self));

  self->start_demo = start_demo;
}

gboolean
peel_application_get_demo (PeelApplication *self)
{
  g_return_val_if_fail (PEEL_IS_APPLICATION (self), FALSE);

  return self->demo;
}

/**
 * peel_application_get_service:
 *
 * Returns: (transfer none): where generations go: the configured service or the offline demo
 */
PeelService *
peel_application_get_service (PeelApplication *self)
{
  g_return_val_if_fail (PEEL_IS_APPLICATION (self), NULL);
  return self->service;
}

/**
 * peel_application_show_preferences:
 * @parent: (nullable): the window to put Preferences above
 */
void
peel_application_show_preferences (PeelApplication *self,
                                   GtkWindow       *parent)
{
  PeelPreferencesWindow *preferences;

  g_return_if_fail (PEEL_IS_APPLICATION (self));

  preferences = peel_preferences_window_new (self->settings, !self->demo);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_set_modal (GTK_WINDOW (preferences), TRUE);
  /* A new key or provider takes effect for the next generation. */
  g_signal_connect_object (preferences, "destroy", G_CALLBACK (peel_service_reload),
                           self->service, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (preferences));
}
