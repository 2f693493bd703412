/* peel-window-toasts.c
 *
 * Toasts: one line each, shown as plain text (a toast's title is markup, a file name is not),
 * never cut off (a long message shows its first sentence and the rest
 * behind Details), and withdrawn when what they report is over: a generation's error when the
 * next attempt starts or succeeds, everything about a session when another one opens.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-message-dialog.h"
#include "peel-panel-text.h"
#include "peel-text.h"
#include "peel-window-private.h"

/* About what fits on one toast at the default window width without being cut off. */
#define TOAST_MAX_CHARS 60

/* libadwaita 1.2 crashes when a toast is dismissed while it is still sliding in (its show
 * animation ends on freed memory): a toast is withdrawn only once it has landed, this long
 * after it was added or, when it waited behind another, after that one went. */
#define TOAST_SHOW_MS 500

static void
toast_dismissed_cb (AdwToast   *toast,
                    PeelWindow *self)
{
  /* A toast that waited behind this one starts sliding in now. */
  self->toast_moved_at = g_get_monotonic_time ();
  if (self->toasts != NULL)
    g_ptr_array_remove (self->toasts, toast);
}

/**
 * peel_window_add_toast:
 * @message: the whole message
 * @button_label: (nullable): the toast's button
 * @action_name: (nullable): what the button does
 * @flags: when the toast is withdrawn
 * @timeout: seconds, 0 for a toast that stays until dismissed or withdrawn
 *
 * Returns: (transfer none): the toast, shown
 */
AdwToast *
peel_window_add_toast (PeelWindow     *self,
                       const char     *message,
                       const char     *button_label,
                       const char     *action_name,
                       PeelToastFlags  flags,
                       guint           timeout)
{
  /* Errors quote servers and files: no controls or BiDi overrides in a toast or its dialog. */
  g_autofree char *safe = peel_text_strip_for_label (message, -1);
  g_autofree char *title = peel_panels_toast_title (safe, TOAST_MAX_CHARS);
  AdwToast *toast;

  if (title != NULL)
    {
      /* The toast's own button would be lost: the dialog behind Details offers it. */
      g_autofree char *escaped = g_markup_escape_text (title, -1);

      toast = adw_toast_new (escaped);
      adw_toast_set_button_label (toast, _("_Details"));
      adw_toast_set_action_name (toast, "win.show-message");
      adw_toast_set_action_target_value (toast,
                                         g_variant_new ("(ssss)", title, safe,
                                                        button_label ? button_label : "",
                                                        action_name ? action_name : ""));
      /* Reading takes longer than a glance. */
      if (timeout != 0)
        timeout = MAX (timeout, 10);
    }
  else
    {
      g_autofree char *escaped = g_markup_escape_text (safe, -1);

      toast = adw_toast_new (escaped);
      if (button_label != NULL && action_name != NULL)
        {
          adw_toast_set_button_label (toast, button_label);
          adw_toast_set_action_name (toast, action_name);
        }
    }

  adw_toast_set_timeout (toast, timeout);
  g_object_set_data (G_OBJECT (toast), "peel-toast-flags", GUINT_TO_POINTER (flags));
  g_object_set_data_full (G_OBJECT (toast), "peel-toast-added",
                          g_memdup2 (&(gint64) { g_get_monotonic_time () }, sizeof (gint64)),
                          g_free);

  if (self->toasts == NULL)
    self->toasts = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->toasts, g_object_ref (toast));
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, 0);

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  return toast;
}

void
peel_window_toast (PeelWindow *self,
                   const char *message)
{
  peel_window_add_toast (self, message, NULL, NULL, PEEL_TOAST_SESSION, 6);
}

void
peel_window_toast_error (PeelWindow   *self,
                         const GError *error)
{
  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  peel_window_toast (self, error->message);
}

typedef struct
{
  GWeakRef  window;
  AdwToast *toast;
} LateDismissal;

static void
late_dismissal_free (gpointer data)
{
  LateDismissal *late = data;

  g_weak_ref_clear (&late->window);
  g_object_unref (late->toast);
  g_free (late);
}

static gboolean
dismiss_later_cb (gpointer data)
{
  LateDismissal *late = data;
  g_autoptr(GtkWidget) window = g_weak_ref_get (&late->window);
  GdkFrameClock *clock;
  gint64 *added;
  gint64 start;

  /* With the window gone, so is the overlay and the toast with it. */
  if (window == NULL || gtk_widget_in_destruction (window))
    return G_SOURCE_REMOVE;

  /* The animation runs on frames: on a loaded machine they come late, so wait until a frame
   * has been drawn past the time the toast needs to land. */
  clock = gtk_widget_get_frame_clock (window);
  added = g_object_get_data (G_OBJECT (late->toast), "peel-toast-added");
  start = MAX (added != NULL ? *added : 0, PEEL_WINDOW (window)->toast_moved_at);
  if (clock != NULL &&
      gdk_frame_clock_get_frame_time (clock) < start + TOAST_SHOW_MS * G_TIME_SPAN_MILLISECOND &&
      g_get_monotonic_time () < start + 10 * G_TIME_SPAN_SECOND)
    {
      /* An idle window draws no frames: ask for one, so the clock moves on. */
      gtk_widget_queue_draw (window);
      return G_SOURCE_CONTINUE;
    }

  adw_toast_dismiss (late->toast);
  return G_SOURCE_REMOVE;
}

/**
 * peel_window_withdraw_toasts:
 * @flags: which toasts: those with any of these flags
 *
 * Dismisses the toasts whose news is over.
 */
void
peel_window_withdraw_toasts (PeelWindow     *self,
                             PeelToastFlags  flags)
{
  g_autoptr(GPtrArray) withdrawn = NULL;

  if (self->toasts == NULL)
    return;

  withdrawn = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->toasts->len; i++)
    {
      AdwToast *toast = g_ptr_array_index (self->toasts, i);
      guint toast_flags = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toast),
                                                               "peel-toast-flags"));

      if (toast_flags & flags)
        g_ptr_array_add (withdrawn, g_object_ref (toast));
    }

  /* Always through the frame clock: on a loaded machine a toast added long ago may still be
   * sliding in, its frames late, or may have started only when the one before it went. */
  for (guint i = 0; i < withdrawn->len; i++)
    {
      AdwToast *toast = g_ptr_array_index (withdrawn, i);
      gint64 *added = g_object_get_data (G_OBJECT (toast), "peel-toast-added");
      gint64 start = MAX (*added, self->toast_moved_at);
      gint64 wait_ms = TOAST_SHOW_MS - (g_get_monotonic_time () - start) / 1000;
      LateDismissal *late = g_new0 (LateDismissal, 1);

      g_ptr_array_remove (self->toasts, toast);
      g_weak_ref_init (&late->window, self);
      late->toast = g_object_ref (toast);
      if (dismiss_later_cb (late) == G_SOURCE_REMOVE)
        late_dismissal_free (late);
      else
        g_timeout_add_full (G_PRIORITY_DEFAULT, CLAMP (wait_ms, 20, TOAST_SHOW_MS),
                            dismiss_later_cb, late, late_dismissal_free);
    }
}

/**
 * peel_window_message_dialog_new:
 * @heading: (nullable): what happened or what is asked, plain text
 * @body: the rest, plain text
 *
 * A message dialog over the window (peel_message_dialog_new()).
 *
 * Returns: (transfer none): the dialog, not yet shown
 */
AdwMessageDialog *
peel_window_message_dialog_new (PeelWindow *self,
                                const char *heading,
                                const char *body)
{
  return peel_message_dialog_new (GTK_WINDOW (self), heading, body);
}

static void
message_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     PeelWindow       *self)
{
  const char *action_name = g_object_get_data (G_OBJECT (dialog), "peel-action");

  if (g_strcmp0 (response, "act") == 0 && action_name != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), action_name, NULL);
}

static void
show_message_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  const char *title, *message, *button_label, *button_action;
  AdwMessageDialog *dialog;

  g_variant_get (parameter, "(&s&s&s&s)", &title, &message, &button_label, &button_action);

  /* The toast's first sentence (@title) would only repeat the message's: it names the window. */
  dialog = peel_window_message_dialog_new (self, NULL, message);
  gtk_window_set_title (GTK_WINDOW (dialog), title);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  if (*button_label != '\0' && *button_action != '\0')
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "act", button_label);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "act",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "act");
      g_object_set_data_full (G_OBJECT (dialog), "peel-action", g_strdup (button_action),
                              g_free);
    }
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect_object (dialog, "response", G_CALLBACK (message_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
peel_window_toasts_dispose (PeelWindow *self)
{
  g_clear_pointer (&self->toasts, g_ptr_array_unref);
}

void
peel_window_toasts_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-message", "(ssss)",
                                   show_message_action);
}
