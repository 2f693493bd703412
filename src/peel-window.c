/* peel-window.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-window.h"

struct _PeelWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  AdwToastOverlay      *toast_overlay;
  AdwStatusPage        *empty_page;
  AdwWindowTitle       *window_title;
};

G_DEFINE_FINAL_TYPE (PeelWindow, peel_window, ADW_TYPE_APPLICATION_WINDOW)

static void
peel_window_save_state (PeelWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set (self->settings, "window-size", "(ii)", width, height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
peel_window_close_request (GtkWindow *window)
{
  peel_window_save_state (PEEL_WINDOW (window));

  return GTK_WINDOW_CLASS (peel_window_parent_class)->close_request (window);
}

static void
peel_window_dispose (GObject *object)
{
  PeelWindow *self = PEEL_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PEEL_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (peel_window_parent_class)->dispose (object);
}

static void
peel_window_class_init (PeelWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = peel_window_dispose;
  window_class->close_request = peel_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/peelapp/Peel/peel-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, window_title);
}

static void
peel_window_init (PeelWindow *self)
{
  int width, height;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  adw_status_page_set_icon_name (self->empty_page, APP_ID "-symbolic");
}

PeelWindow *
peel_window_new (PeelApplication *application)
{
  g_return_val_if_fail (PEEL_IS_APPLICATION (application), NULL);

  return g_object_new (PEEL_TYPE_WINDOW,
                       "application", application,
                       NULL);
}
