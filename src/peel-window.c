/* peel-window.c
 *
 * The studio window: the session's history on the left, the current image in the middle with
 * the prompt bar under it, the details on the right. Generation lives in
 * peel-window-generate.c, drag and drop and the clipboard in peel-window-dnd.c, export in
 * peel-window-export.c, the header bar of a narrow window in peel-window-header.c.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-application.h"
#include "peel-details-panel.h"
#include "peel-history-view.h"
#include "peel-panels-logic.h"
#include "peel-sessions-popover.h"
#include "peel-store.h"
#include "peel-text.h"
#include "peel-util.h"
#include "peel-window-private.h"

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

/* A decoded image and the smaller copies the canvas draws when zoomed out. */
typedef struct
{
  GdkTexture        *texture;
  PeelCanvasMipmaps *mipmaps;
} NodeImage;

static void
node_image_free (NodeImage *image)
{
  g_clear_object (&image->texture);
  g_clear_pointer (&image->mipmaps, peel_canvas_mipmaps_free);
  g_free (image);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NodeImage, node_image_free)

/* Decoding a 4K image takes a third of a second: never on the main loop; nor shrinking it. */
static void
load_texture_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  GError *error = NULL;
  NodeImage *image = g_new0 (NodeImage, 1);

  image->texture = gdk_texture_new_from_bytes (bytes, &error);
  if (image->texture == NULL)
    {
      node_image_free (image);
      g_task_return_error (task, error);
      return;
    }

  image->mipmaps = peel_canvas_prepare_mipmaps (image->texture);
  g_task_return_pointer (task, image, (GDestroyNotify) node_image_free);
}

void
peel_window_load_texture_async (PeelWindow          *self,
                                GBytes              *bytes,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, peel_window_load_texture_async);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, load_texture_thread);
}

/**
 * peel_window_load_texture_finish:
 * @mipmaps: (out) (transfer full): the smaller copies, for peel_canvas_set_texture_prepared()
 *
 * Returns: (transfer full): the decoded image, or %NULL
 */
GdkTexture *
peel_window_load_texture_finish (PeelWindow         *self,
                                 GAsyncResult       *result,
                                 PeelCanvasMipmaps **mipmaps,
                                 GError            **error)
{
  g_autoptr(NodeImage) image = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  image = g_task_propagate_pointer (G_TASK (result), error);
  if (image == NULL)
    return NULL;

  *mipmaps = g_steal_pointer (&image->mipmaps);
  return g_steal_pointer (&image->texture);
}

/* Reads, decodes and shrinks a node's image in a worker: with the smaller copies ready, the
 * canvas shows a 4K image fitted without ever drawing (or uploading) it at full size. */
static void
node_image_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  PeelNode *node = task_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  NodeImage *image;

  bytes = peel_node_dup_final_image_bytes (node, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  image = g_new0 (NodeImage, 1);
  image->texture = gdk_texture_new_from_bytes (bytes, &error);
  if (image->texture == NULL)
    {
      node_image_free (image);
      g_task_return_error (task, error);
      return;
    }

  image->mipmaps = peel_canvas_prepare_mipmaps (image->texture);
  g_task_return_pointer (task, image, (GDestroyNotify) node_image_free);
}

static void
set_compare_texture (PeelWindow *self);

static void
node_image_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  PeelWindow *self = PEEL_WINDOW (object);
  g_autoptr(NodeImage) image = NULL;
  g_autoptr(GError) error = NULL;

  image = g_task_propagate_pointer (G_TASK (result), &error);
  if (image == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message =
            g_strdup_printf (_("This image cannot be shown: %s"), error->message);
          peel_window_toast (self, message);
        }
      return;
    }

  g_set_object (&self->texture, image->texture);
  peel_canvas_set_texture_prepared (self->canvas, image->texture, image->mipmaps);
  /* For a turn still being made this is the image it starts from, shown dimmed. */
  peel_canvas_set_dimmed (self->canvas, self->shown_node != NULL &&
                          peel_node_get_status (self->shown_node) == PEEL_NODE_PENDING);
  gtk_stack_set_visible_child_name (self->canvas_stack, "canvas");
  set_compare_texture (self);
}

/* What a screen reader says for the image: its title, its size and shape, and whether the
 * demo drew it. */
static void
peel_window_describe_canvas (PeelWindow *self,
                             PeelNode   *node)
{
  g_autoptr(GString) text = g_string_new (peel_node_get_display_title (node));
  const char *ratio = peel_node_get_aspect_ratio (node);

  if (peel_node_get_final_width (node) > 0)
    g_string_append_printf (text, ", %d × %d", peel_node_get_final_width (node),
                            peel_node_get_final_height (node));
  if (ratio != NULL)
    g_string_append_printf (text, ", %s", ratio);
  if (self->service != NULL && peel_service_get_demo (self->service))
    /* Translators: said by a screen reader after an image's title and size */
    g_string_append_printf (text, ", %s", _("drawn by the offline demo"));
  peel_canvas_set_description (self->canvas, text->str);
}

/**
 * peel_window_show_node:
 * @node: (nullable): the node to show
 *
 * Shows @node's image on the canvas; a failed node shows its reason, a pending one keeps the
 * previous image dimmed under the progress card.
 */
void
peel_window_show_node (PeelWindow *self,
                       PeelNode   *node)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(PeelNode) previous = self->shown_node ? g_object_ref (self->shown_node) : NULL;
  PeelNode *parent;

  g_set_object (&self->shown_node, node);

  g_cancellable_cancel (self->texture_cancellable);
  g_clear_object (&self->texture_cancellable);

  if (node == NULL)
    {
      g_clear_object (&self->texture);
      peel_canvas_set_texture (self->canvas, NULL);
      gtk_stack_set_visible_child_name (self->canvas_stack, "empty");
      return;
    }

  peel_window_describe_canvas (self, node);

  switch (peel_node_get_status (node))
    {
    case PEEL_NODE_FAILED:
      {
        const char *code = peel_node_get_error_code (node);
        g_autofree char *message = peel_text_strip_for_label (peel_node_get_error_message (node),
                                                              -1);

        adw_status_page_set_title (self->failed_page, g_strcmp0 (code, "cancelled") == 0
                                                      ? _("Cancelled") : _("No Image"));
        adw_status_page_set_description (self->failed_page, message);
        gtk_widget_set_visible (adw_status_page_get_child (self->failed_page),
                                peel_panels_can_retry (code));
        gtk_stack_set_visible_child_name (self->canvas_stack, "failed");
        return;
      }

    case PEEL_NODE_PENDING:
      /* The waiting turn, never the page of the one shown before (a failed attempt's "No
       * Image"): the image it starts from, dimmed, or an empty canvas. */
      parent = peel_node_get_parent (node);
      peel_canvas_set_dimmed (self->canvas, TRUE);
      if (parent == NULL || !peel_node_get_has_image (parent))
        {
          g_clear_object (&self->texture);
          peel_canvas_set_texture (self->canvas, NULL);
          gtk_stack_set_visible_child_name (self->canvas_stack, "canvas");
          return;
        }
      if (previous == parent && self->texture != NULL &&
          g_strcmp0 (gtk_stack_get_visible_child_name (self->canvas_stack), "canvas") == 0)
        return;
      node = parent;
      break;

    case PEEL_NODE_DONE:
    default:
      break;
    }

  if (!peel_node_get_has_image (node))
    {
      adw_status_page_set_title (self->failed_page, _("No Image"));
      gtk_widget_set_visible (adw_status_page_get_child (self->failed_page), TRUE);
      adw_status_page_set_description (self->failed_page,
                                       _("The model answered without an image."));
      gtk_stack_set_visible_child_name (self->canvas_stack, "failed");
      return;
    }

  self->texture_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->texture_cancellable, node_image_cb, NULL);
  g_task_set_source_tag (task, peel_window_show_node);
  g_task_set_task_data (task, g_object_ref (node), g_object_unref);
  g_task_run_in_thread (task, node_image_thread);
}

static void
compare_texture_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  PeelWindow *self = PEEL_WINDOW (object);
  g_autoptr(NodeImage) image = g_task_propagate_pointer (G_TASK (result), NULL);

  if (image != NULL)
    peel_canvas_set_compare_texture (self->canvas, image->texture);
}

/* Compare mode shows the current image beside another: the one chosen with "Compare with
 * Current", else the parent of the current image. */
static void
set_compare_texture (PeelWindow *self)
{
  PeelNode *other = self->compare_node;
  g_autoptr(GTask) task = NULL;

  if (peel_canvas_get_compare_mode (self->canvas) == PEEL_CANVAS_COMPARE_NONE)
    return;

  if (other == NULL && self->shown_node != NULL)
    other = peel_node_get_parent (self->shown_node);

  if (other == NULL || !peel_node_get_has_image (other))
    {
      peel_canvas_set_compare_texture (self->canvas, NULL);
      return;
    }

  {
    const char *title = peel_node_get_display_title (other);
    g_autofree char *label = NULL;

    /* A pill on the image, not a caption: a long prompt is cut short. */
    if (g_utf8_strlen (title, -1) > 28)
      label = peel_utf8_shorten (title, 28);
    peel_canvas_set_compare_labels (self->canvas, _("This"), label ? label : title);
  }
  task = g_task_new (self, self->texture_cancellable, compare_texture_cb, NULL);
  g_task_set_source_tag (task, set_compare_texture);
  g_task_set_task_data (task, g_object_ref (other), g_object_unref);
  g_task_run_in_thread (task, node_image_thread);
}

/* An edit starts from the shown image's shape and size (from the image a failed attempt
 * started from); the pickers say so until the user picks others. */
static void
follow_shown_image (PeelWindow *self,
                    PeelNode   *node)
{
  const char *ratio;

  /* A turn under way was asked with the pickers' values: they stay. */
  if (node != NULL && peel_node_get_status (node) == PEEL_NODE_PENDING)
    {
      peel_prompt_bar_follow_image (self->prompt_bar, peel_node_get_aspect_ratio (node),
                                    peel_node_get_size (node), TRUE);
      return;
    }
  while (node != NULL && peel_node_get_status (node) != PEEL_NODE_DONE)
    node = peel_node_get_parent (node);
  if (node == NULL || !peel_node_get_has_image (node))
    {
      peel_prompt_bar_follow_image (self->prompt_bar, NULL, PEEL_IMAGE_SIZE_1K, FALSE);
      return;
    }
  ratio = peel_node_get_aspect_ratio (node);
  if (ratio == NULL)
    ratio = peel_panels_ratio_for_pixels (peel_node_get_final_width (node),
                                          peel_node_get_final_height (node));
  peel_prompt_bar_follow_image (self->prompt_bar, ratio, peel_node_get_size (node), TRUE);
}

static void
current_changed_cb (PeelWindow *self)
{
  PeelNode *current = self->session ? peel_session_get_current (self->session) : NULL;

  peel_window_show_node (self, current);
  peel_window_update_editing (self);
  follow_shown_image (self, current);
  peel_details_panel_set_node (PEEL_DETAILS_PANEL (self->details_panel), current);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo",
                                 self->session && peel_session_can_undo (self->session));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.redo",
                                 self->session && peel_session_can_redo (self->session));
}

static void
session_name_changed_cb (PeelWindow *self)
{
  g_autofree char *name = peel_text_strip_for_label (peel_session_get_name (self->session), -1);

  adw_window_title_set_title (self->window_title, name);
}

static void
update_banner (PeelWindow *self)
{
  g_autofree char *problem = peel_text_strip_for_label (peel_service_get_problem (self->service),
                                                        -1);

  adw_window_title_set_subtitle (self->window_title,
                                 peel_service_get_demo (self->service) ? _("Demo") : NULL);
  gtk_label_set_label (self->banner_label, problem ? problem : "");
  gtk_revealer_set_reveal_child (self->banner_revealer, problem != NULL);
}

/**
 * peel_window_open_session:
 *
 * Makes @session the window's session, closing the previous one (which waits for its writer:
 * every change is on disk when it returns).
 */
void
peel_window_open_session (PeelWindow  *self,
                          PeelSession *session)
{
  g_autoptr(GError) error = NULL;

  if (self->session == session)
    return;

  /* What was said about the previous session is over. */
  peel_window_withdraw_toasts (self, PEEL_TOAST_SESSION | PEEL_TOAST_GENERATION);

  if (self->session != NULL)
    {
      g_clear_signal_handler (&self->current_handler, self->session);
      g_signal_handlers_disconnect_by_data (self->session, self);
      if (!peel_store_close_session (self->session, &error))
        peel_window_toast_error (self, error);
      g_clear_object (&self->session);
    }

  self->session = g_object_ref (session);
  self->compare_node = NULL;
  self->current_handler =
    g_signal_connect_object (session, "notify::current", G_CALLBACK (current_changed_cb),
                             self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::name", G_CALLBACK (session_name_changed_cb),
                           self, G_CONNECT_SWAPPED);
  /* Changes are written in the background: a full disk is told when the write fails. */
  g_signal_connect_object (session, "save-failed", G_CALLBACK (peel_window_toast_error),
                           self, G_CONNECT_SWAPPED);

  peel_history_view_set_session (PEEL_HISTORY_VIEW (self->history_view), session);
  peel_details_panel_set_session (PEEL_DETAILS_PANEL (self->details_panel), session);

  g_settings_set_string (self->settings, "last-session",
                         peel_store_get_path (peel_session_get_store (session)));
  peel_sessions_popover_set_current_session (PEEL_SESSIONS_POPOVER (self->sessions_popover),
                                             session);

  session_name_changed_cb (self);
  current_changed_cb (self);
}

static PeelSession *
open_or_create_session (PeelWindow  *self,
                        GError     **error)
{
  g_autofree char *last = g_settings_get_string (self->settings, "last-session");
  g_autofree char *dir = peel_store_get_default_dir ();
  g_autoptr(GError) open_error = NULL;
  PeelSession *session = NULL;

  if (last[0] != '\0' && g_file_test (last, G_FILE_TEST_IS_DIR))
    {
      session = peel_store_open_session (last, &open_error);
      if (session == NULL)
        {
          /* A damaged session is kept as it is; open what can be recovered and say so. */
          session = peel_store_recover_session (last, NULL);
          peel_window_toast_error (self, open_error);
        }
    }

  if (session == NULL)
    session = peel_store_create_session (dir, _("Untitled Session"), error);

  return session;
}

static void
new_session_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  g_autofree char *dir = peel_store_get_default_dir ();
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = peel_store_create_session (dir, _("Untitled Session"), &error);
  if (session == NULL)
    {
      peel_window_toast_error (self, error);
      return;
    }

  peel_window_open_session (self, session);
  peel_prompt_bar_focus_prompt (self->prompt_bar);
}

static void
rename_popover_show_cb (PeelWindow *self)
{
  if (self->session != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->rename_entry),
                           peel_session_get_name (self->session));
}

static void
rename_session_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->rename_entry));

  gtk_popover_popdown (self->rename_popover);
  if (self->session == NULL || name[0] == '\0')
    return;

  if (!peel_session_set_name (self->session, name, &error))
    peel_window_toast_error (self, error);
}

/* The popover has no default widget for the entry to activate: Enter renames here. */
static void
rename_entry_activate_cb (PeelWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.rename-session", NULL);
}

static void
rename_popup_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  gtk_popover_popup (self->rename_popover);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  if (self->session != NULL)
    peel_session_undo (self->session);
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  if (self->session != NULL)
    peel_session_redo (self->session);
}

static PeelNode *
node_from_parameter (PeelWindow *self,
                     GVariant   *parameter)
{
  if (self->session == NULL || parameter == NULL)
    return NULL;

  return peel_session_find_node (self->session, g_variant_get_string (parameter, NULL));
}

static void
go_to_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  PeelNode *node = node_from_parameter (self, parameter);

  if (node != NULL)
    peel_session_set_current (self->session, node);
}

static void
continue_from_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  go_to_action (widget, action_name, parameter);
  peel_prompt_bar_focus_prompt (self->prompt_bar);
}

static void
delete_branch_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  PeelNode *node = node_from_parameter (self, parameter);
  g_autoptr(GError) error = NULL;

  if (node == NULL)
    return;

  if (!peel_session_delete_branch (self->session, node, &error))
    {
      peel_window_toast_error (self, error);
      return;
    }

  peel_window_add_toast (self, _("Branch deleted"), _("_Undo"), "win.undelete",
                         PEEL_TOAST_SESSION, 5);
}

static void
undelete_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->session != NULL && peel_session_can_undelete (self->session) &&
      peel_session_undelete (self->session, &error) == NULL)
    peel_window_toast_error (self, error);
}

static void
compare_with_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  self->compare_node = node_from_parameter (self, parameter);
  if (peel_canvas_get_compare_mode (self->canvas) == PEEL_CANVAS_COMPARE_NONE)
    peel_canvas_set_compare_mode (self->canvas, PEEL_CANVAS_COMPARE_SPLIT);
  set_compare_texture (self);
}

static const struct {
  const char            *name;
  PeelCanvasCompareMode  mode;
} compare_modes[] = {
  { "none", PEEL_CANVAS_COMPARE_NONE },
  { "split", PEEL_CANVAS_COMPARE_SPLIT },
  { "side-by-side", PEEL_CANVAS_COMPARE_SIDE_BY_SIDE },
  { "difference", PEEL_CANVAS_COMPARE_DIFFERENCE },
};

/* Whether there is a second image: the one chosen, or the shown image's parent. */
static gboolean
can_compare (PeelWindow *self)
{
  PeelNode *other = self->compare_node;

  if (other == NULL && self->shown_node != NULL)
    other = peel_node_get_parent (self->shown_node);
  return other != NULL && peel_node_get_has_image (other);
}

static void
compare_mode_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (compare_modes); i++)
    {
      if (g_strcmp0 (compare_modes[i].name, name) != 0)
        continue;

      /* Without a second image the mode changes nothing on screen yet: say why. */
      if (compare_modes[i].mode != PEEL_CANVAS_COMPARE_NONE && !can_compare (self))
        peel_window_toast (self, _("There is no earlier image to compare this one with. In "
                                   "the history, open another turn’s menu and choose "
                                   "Compare with Current."));

      peel_canvas_set_compare_mode (self->canvas, compare_modes[i].mode);
      if (compare_modes[i].mode == PEEL_CANVAS_COMPARE_NONE)
        self->compare_node = NULL;
      set_compare_texture (self);
    }
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  g_autofree char *canvas_action = g_strconcat ("canvas.", action_name + strlen ("win."), NULL);

  gtk_widget_activate_action (GTK_WIDGET (self->canvas), canvas_action, NULL);
}

static void
toggle_flap_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  AdwFlap *flap = g_str_equal (action_name, "win.toggle-history") ? self->history_flap
                                                                 : self->details_flap;

  adw_flap_set_reveal_flap (flap, !adw_flap_get_reveal_flap (flap));
}

/* Without a GPU the cairo renderer draws only what changed, and a cross-fade between the empty
 * page and the first image draws the whole canvas twice over on every frame of it. */
static void
realize_cb (PeelWindow *self)
{
  if (GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (GTK_NATIVE (self))))
    gtk_stack_set_transition_type (self->canvas_stack, GTK_STACK_TRANSITION_TYPE_NONE);
}

static void
zoom_label_cb (PeelWindow *self)
{
  gtk_menu_button_set_label (self->zoom_button, peel_canvas_get_zoom_label (self->canvas));
}

static gboolean
peel_window_close_request (GtkWindow *window)
{
  PeelWindow *self = PEEL_WINDOW (window);
  g_autoptr(GError) error = NULL;

  peel_window_save_state (self);
  if (self->session != NULL && !peel_session_flush (self->session, &error))
    g_warning ("Could not save the session: %s", error->message);

  return GTK_WINDOW_CLASS (peel_window_parent_class)->close_request (window);
}

static void
session_activated_cb (PeelWindow *self,
                      const char *path)
{
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(GError) error = NULL;

  if (self->session != NULL &&
      g_strcmp0 (path, peel_store_get_path (peel_session_get_store (self->session))) == 0)
    return;

  session = peel_store_open_session (path, &error);
  if (session == NULL)
    {
      peel_window_toast_error (self, error);
      return;
    }
  peel_window_open_session (self, session);
}

static void
session_renamed_cb (PeelWindow *self,
                    const char *path,
                    const char *name)
{
  if (self->session != NULL &&
      g_strcmp0 (path, peel_store_get_path (peel_session_get_store (self->session))) == 0)
    peel_session_set_name (self->session, name, NULL);
}

static void
session_deleted_cb (PeelWindow *self,
                    const char *path)
{
  if (self->session != NULL &&
      g_strcmp0 (path, peel_store_get_path (peel_session_get_store (self->session))) == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.new-session", NULL);
}

static void
files_chosen_cb (PeelWindow *self,
                 GListModel *files)
{
  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      peel_window_add_reference_file (self, file);
    }
}

/* The prompt bar starts where the designer left it last time. */
static void
restore_prompt_settings (PeelWindow *self)
{
  g_autofree char *ratio = g_settings_get_string (self->settings, "aspect-ratio");
  g_autofree char *size = g_settings_get_string (self->settings, "image-size");
  g_autofree char *model = g_settings_get_string (self->settings, "model");
  g_autofree char *thinking = g_settings_get_string (self->settings, "thinking-level");
  PeelImageSize image_size = PEEL_IMAGE_SIZE_1K;
  const char *replacement = peel_model_get_replacement (model);

  /* A saved model that was shut down moves to its replacement, once: the setting no longer
   * names it afterwards. */
  if (replacement != NULL)
    {
      g_autofree char *message = peel_model_dup_moved_message (model);

      g_settings_set_string (self->settings, "model", replacement);
      g_free (model);
      model = g_strdup (replacement);
      peel_window_toast (self, message);
    }

  peel_image_size_from_string (size, &image_size);
  peel_prompt_bar_set_model (self->prompt_bar, model);
  peel_prompt_bar_set_aspect_ratio (self->prompt_bar, ratio);
  peel_prompt_bar_set_image_size (self->prompt_bar, image_size);
  peel_prompt_bar_set_thinking_level (self->prompt_bar, thinking);
  peel_prompt_bar_set_show_thoughts (self->prompt_bar,
                                     g_settings_get_boolean (self->settings, "show-thoughts"));
  peel_prompt_bar_set_search (self->prompt_bar,
                              g_settings_get_boolean (self->settings, "search-grounding"));
  peel_prompt_bar_set_image_search (self->prompt_bar,
                                    g_settings_get_boolean (self->settings, "image-search"));
}

static void
peel_window_dispose (GObject *object)
{
  PeelWindow *self = PEEL_WINDOW (object);

  peel_window_generate_dispose (self);
  peel_window_toasts_dispose (self);

  g_cancellable_cancel (self->texture_cancellable);
  g_clear_object (&self->texture_cancellable);

  /* What was said about the previous session is over. */
  peel_window_withdraw_toasts (self, PEEL_TOAST_SESSION | PEEL_TOAST_GENERATION);

  if (self->session != NULL)
    {
      g_clear_signal_handler (&self->current_handler, self->session);
      peel_store_close_session (self->session, NULL);
      g_clear_object (&self->session);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), PEEL_TYPE_WINDOW);

  g_clear_object (&self->narrow_menu);
  g_clear_object (&self->shown_node);
  g_clear_object (&self->texture);
  g_clear_object (&self->service);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (peel_window_parent_class)->dispose (object);
}

static void
peel_window_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  peel_window_header_allocate (PEEL_WINDOW (widget), width);
  GTK_WIDGET_CLASS (peel_window_parent_class)->size_allocate (widget, width, height, baseline);
}

static void
peel_window_class_init (PeelWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = peel_window_dispose;
  widget_class->size_allocate = peel_window_size_allocate;
  window_class->close_request = peel_window_close_request;

  g_type_ensure (PEEL_TYPE_CANVAS);
  g_type_ensure (PEEL_TYPE_PROMPT_BAR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/peelapp/Peel/peel-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, sessions_button);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, compare_button);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, rename_button);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, rename_icon);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, details_button);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, zoom_menu);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, compare_menu);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, rename_popover);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, rename_entry);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, history_flap);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, details_flap);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, history_box);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, details_box);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, canvas_stack);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, failed_page);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, progress_card);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, progress_spinner);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, stall_box);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, stall_label);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, stall_retry_button);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, thoughts_label);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, drop_highlight);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, prompt_bar);

  gtk_widget_class_install_action (widget_class, "win.new-session", NULL, new_session_action);
  gtk_widget_class_install_action (widget_class, "win.rename-session", NULL,
                                   rename_session_action);
  gtk_widget_class_install_action (widget_class, "win.rename-session-popup", NULL,
                                   rename_popup_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "win.go-to", "s", go_to_action);
  gtk_widget_class_install_action (widget_class, "win.continue-from", "s",
                                   continue_from_action);
  gtk_widget_class_install_action (widget_class, "win.delete-branch", "s",
                                   delete_branch_action);
  gtk_widget_class_install_action (widget_class, "win.undelete", NULL, undelete_action);
  gtk_widget_class_install_action (widget_class, "win.compare-with", "s", compare_with_action);
  gtk_widget_class_install_action (widget_class, "win.compare-mode", "s", compare_mode_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-100", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-history", NULL, toggle_flap_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-details", NULL, toggle_flap_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-session", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "win.rename-session-popup",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-history", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.toggle-details", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK,
                                       "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK,
                                       "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "win.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK,
                                       "win.zoom-100", NULL);

  peel_window_generate_class_init (widget_class);
  peel_window_dnd_class_init (widget_class);
  peel_window_export_class_init (widget_class);
  peel_window_keys_class_init (widget_class);
  peel_window_toasts_class_init (widget_class);
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

  g_signal_connect_object (self->canvas, "notify::zoom-label", G_CALLBACK (zoom_label_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->rename_popover, "show", G_CALLBACK (rename_popover_show_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->rename_entry, "activate", G_CALLBACK (rename_entry_activate_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "realize", G_CALLBACK (realize_cb), NULL);
  zoom_label_cb (self);
  peel_window_header_init (self);

  self->history_view = peel_history_view_new ();
  gtk_widget_set_vexpand (self->history_view, TRUE);
  gtk_box_append (self->history_box, self->history_view);

  self->details_panel = peel_details_panel_new ();
  gtk_widget_set_vexpand (self->details_panel, TRUE);
  gtk_box_append (self->details_box, self->details_panel);

  self->sessions_popover = peel_sessions_popover_new ();
  {
    g_autofree char *dir = peel_store_get_default_dir ();
    peel_sessions_popover_set_sessions_dir (PEEL_SESSIONS_POPOVER (self->sessions_popover), dir);
  }
  gtk_menu_button_set_popover (self->sessions_button, self->sessions_popover);
  g_signal_connect_object (self->sessions_popover, "session-activated",
                           G_CALLBACK (session_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sessions_popover, "session-renamed",
                           G_CALLBACK (session_renamed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sessions_popover, "session-deleted",
                           G_CALLBACK (session_deleted_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sessions_popover, "show-message",
                           G_CALLBACK (peel_window_toast), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sessions_popover, "image-chosen",
                           G_CALLBACK (peel_window_restore_png_file), self, G_CONNECT_SWAPPED);

  restore_prompt_settings (self);
  g_signal_connect_object (self->prompt_bar, "files-chosen", G_CALLBACK (files_chosen_cb),
                           self, G_CONNECT_SWAPPED);
  peel_window_dnd_init (self);
}

/* The prompt bar's model menu offers what the service lists, once it has answered. */
static void
service_models_cb (PeelWindow *self)
{
  g_auto(GStrv) ids = NULL;
  g_autoptr(GPtrArray) offered = g_ptr_array_new_with_free_func (g_free);

  g_object_get (self->service, "offered-models", &ids, NULL);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    g_ptr_array_add (offered, g_strdup (ids[i]));
  peel_prompt_bar_set_offered_models (self->prompt_bar, offered);
}

static void
service_changed_cb (PeelWindow *self)
{
  update_banner (self);
  peel_window_update_editing (self);
}

PeelWindow *
peel_window_new (PeelApplication *application)
{
  PeelWindow *self;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (PEEL_IS_APPLICATION (application), NULL);

  self = g_object_new (PEEL_TYPE_WINDOW, "application", application, NULL);

  self->service = g_object_ref (peel_application_get_service (application));
  g_signal_connect_object (self->service, "notify::problem", G_CALLBACK (service_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->service, "notify::demo", G_CALLBACK (service_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->service, "notify::offered-models",
                           G_CALLBACK (service_models_cb), self, G_CONNECT_SWAPPED);
  service_models_cb (self);
  update_banner (self);

  session = open_or_create_session (self, &error);
  if (session != NULL)
    peel_window_open_session (self, session);
  else
    peel_window_toast_error (self, error);

  peel_prompt_bar_focus_prompt (self->prompt_bar);
  return self;
}

/**
 * peel_window_get_session:
 *
 * Returns: (transfer none) (nullable): the session the window shows
 */
PeelSession *
peel_window_get_session (PeelWindow *self)
{
  g_return_val_if_fail (PEEL_IS_WINDOW (self), NULL);
  return self->session;
}

PeelCanvas *
peel_window_get_canvas (PeelWindow *self)
{
  g_return_val_if_fail (PEEL_IS_WINDOW (self), NULL);
  return self->canvas;
}

PeelPromptBar *
peel_window_get_prompt_bar (PeelWindow *self)
{
  g_return_val_if_fail (PEEL_IS_WINDOW (self), NULL);
  return self->prompt_bar;
}
