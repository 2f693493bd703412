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

#include "peel-details-panel.h"
#include "peel-history-view.h"
#include "peel-panel-text.h"
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

/* The prompt bar starts where the designer left it last time, and keeps every change. */
static void
restore_prompt_settings (PeelWindow *self)
{
  g_autofree char *model = g_settings_get_string (self->settings, "model");
  const char *replacement = peel_model_get_replacement (model);

  /* A saved model that was shut down moves to its replacement, once: the setting no longer
   * names it afterwards. */
  if (replacement != NULL)
    {
      g_autofree char *message = peel_model_dup_moved_message (model);

      g_settings_set_string (self->settings, "model", replacement);
      peel_window_toast (self, message);
    }

  peel_turn_settings_bind (peel_prompt_bar_get_settings (self->prompt_bar), self->settings);
}

static void
peel_window_dispose (GObject *object)
{
  PeelWindow *self = PEEL_WINDOW (object);

  peel_window_generate_dispose (self);
  peel_window_select_dispose (self);
  peel_window_variations_dispose (self);
  peel_window_board_dispose (self);
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
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, board_button);
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

  peel_window_session_class_init (widget_class);
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
  peel_window_select_class_init (widget_class);
  peel_window_export_class_init (widget_class);
  peel_window_keys_class_init (widget_class);
  peel_window_toasts_class_init (widget_class);
  peel_window_render_class_init (widget_class);
  peel_window_variations_class_init (widget_class);
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
  peel_window_session_init (self);
  peel_window_board_init (self);
  peel_window_variations_init (self);
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
  peel_window_select_init (self);
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
peel_window_new (GtkApplication *application,
                 PeelService    *service)
{
  PeelWindow *self;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (PEEL_IS_SERVICE (service), NULL);

  self = g_object_new (PEEL_TYPE_WINDOW, "application", application, NULL);

  self->service = g_object_ref (service);
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
