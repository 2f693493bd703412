/* peel-window-generate.c
 *
 * Generate, cancel and retry: the prompt bar's turn settings become a turn of the session, the
 * stream shows up over the canvas while it runs, and a failure keeps the prompt and says why.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-gemini-error.h"
#include "peel-panel-text.h"
#include "peel-reference.h"
#include "peel-text.h"
#include "peel-window-private.h"

static void
update_progress_label (PeelWindow *self)
{
  g_autofree char *text = NULL;
  gint64 started;
  gint64 elapsed = 0;
  guint64 received;
  guint ended, count;

  if (self->generation == NULL)
    {
      if (!peel_window_variations_progress (self, &started, &received, &ended, &count))
        return;
      elapsed = (g_get_monotonic_time () - started) / G_USEC_PER_SEC;
      if (received > 0)
        {
          g_autofree char *size = g_format_size (received);
          /* Translators: %d is seconds, then "2 of 4" variations ended, then an amount of
           * data such as "1.2 MB" */
          text = g_strdup_printf (_("Generating variations… %d s · %u of %u · %s"),
                                  (int) elapsed, ended, count, size);
        }
      else
        {
          /* Translators: %d is seconds, then "0 of 4" variations ended */
          text = g_strdup_printf (_("Generating variations… %d s · %u of %u"), (int) elapsed,
                                  ended, count);
        }
      if (g_strcmp0 (gtk_label_get_label (self->progress_label), text) != 0)
        gtk_label_set_label (self->progress_label, text);
      return;
    }

  /* The window shows the card before the run starts its clock: until then, 0 s. */
  started = peel_generation_get_started (self->generation);
  if (started > 0)
    elapsed = (g_get_monotonic_time () - started) / G_USEC_PER_SEC;
  received = peel_generation_get_received_bytes (self->generation);

  if (received > 0)
    {
      g_autofree char *size = g_format_size (received);
      /* Translators: %d is seconds, %s an amount of data such as "1.2 MB" */
      text = g_strdup_printf (_("Generating… %d s · %s"), (int) elapsed, size);
    }
  else
    {
      /* Translators: %d is seconds */
      text = g_strdup_printf (_("Generating… %d s"), (int) elapsed);
    }

  /* Most chunks do not change the size shown ("12.3 MB"): leave the label alone then. */
  if (g_strcmp0 (gtk_label_get_label (self->progress_label), text) != 0)
    gtk_label_set_label (self->progress_label, text);
}

/* Without a word from the service for this long, a reply is said to be stalled. Without thoughts
 * an image can come whole at the end of a quiet stream, so some silence is normal. The deadline
 * that ends a stall is the client's; this only tells the user and offers a way out sooner. */
#define STALL_SECONDS_DEFAULT 30

static void
note_progress (PeelWindow *self)
{
  self->last_progress = g_get_monotonic_time ();
  if (gtk_widget_get_visible (self->stall_box))
    gtk_widget_set_visible (self->stall_box, FALSE);
}

static void
update_stall (PeelWindow *self)
{
  guint threshold = self->stall_seconds ? self->stall_seconds : STALL_SECONDS_DEFAULT;
  gint64 silent;
  g_autofree char *text = NULL;

  if (self->generation == NULL)
    return;

  silent = (g_get_monotonic_time () - self->last_progress) / G_USEC_PER_SEC;
  if (silent < threshold)
    return;

  text = g_strdup_printf (ngettext ("Nothing has arrived for %d second. The service may be "
                                    "busy: wait, or cancel and try again.",
                                    "Nothing has arrived for %d seconds. The service may be "
                                    "busy: wait, or cancel and try again.", silent),
                          (int) silent);
  gtk_label_set_label (self->stall_label, text);
  gtk_widget_set_visible (self->stall_box, TRUE);
}

static gboolean
elapsed_tick_cb (gpointer user_data)
{
  update_progress_label (user_data);
  update_stall (user_data);
  return G_SOURCE_CONTINUE;
}

/* Thoughts come as Markdown; the headings the model writes ("**Planning the edit**") are the
 * part worth reading at a glance, so they are shown bold and the rest as it is. */
static char *
thoughts_to_markup (const char *thoughts)
{
  g_autofree char *stripped = peel_text_strip_for_label (thoughts, -1);
  g_autofree char *escaped = g_markup_escape_text (stripped, -1);
  GString *markup = g_string_new (NULL);
  gboolean bold = FALSE;

  for (const char *p = escaped; *p != '\0'; p++)
    {
      if (p[0] == '*' && p[1] == '*')
        {
          g_string_append (markup, bold ? "</b>" : "<b>");
          bold = !bold;
          p++;
          continue;
        }
      g_string_append_c (markup, *p);
    }
  if (bold)
    g_string_append (markup, "</b>");

  return g_string_free (markup, FALSE);
}

static void
update_thoughts_label (PeelWindow *self)
{
  const char *thoughts = peel_generation_get_thoughts (self->generation);
  g_autofree char *markup = thoughts_to_markup (thoughts);

  gtk_label_set_markup (self->thoughts_label, markup);
  gtk_widget_set_visible (GTK_WIDGET (self->thoughts_label), thoughts[0] != '\0');
}

static void
update_status_label (PeelWindow *self)
{
  const char *status = peel_generation_get_status (self->generation);
  g_autofree char *safe = peel_text_strip_for_label (status, -1);

  gtk_label_set_label (self->status_label, safe ? safe : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL);
}

/* What changed in the stream since the last frame. */
enum
{
  STREAM_PROGRESS = 1 << 0,
  STREAM_THOUGHTS = 1 << 1,
  STREAM_STATUS   = 1 << 2,
};

static gboolean
stream_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  guint changes = self->stream_changes;

  self->stream_tick = 0;
  self->stream_changes = 0;
  if (self->generation == NULL)
    return G_SOURCE_REMOVE;

  if (changes & STREAM_PROGRESS)
    update_progress_label (self);
  if (changes & STREAM_THOUGHTS)
    update_thoughts_label (self);
  if (changes & STREAM_STATUS)
    update_status_label (self);
  return G_SOURCE_REMOVE;
}

/* A reply streams in many chunks, each one notifying: the labels over the canvas follow at most
 * once a frame, so each chunk does not lay them out (and draw the window) again. */
static void
queue_stream_update (PeelWindow *self,
                     guint       change)
{
  self->stream_changes |= change;
  if (self->stream_tick != 0)
    return;

  /* Without a frame clock no frame would come: update at once. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      stream_tick_cb (GTK_WIDGET (self), NULL, NULL);
      return;
    }
  self->stream_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), stream_tick_cb,
                                                    NULL, NULL);
}

static void
cancel_stream_update (PeelWindow *self)
{
  if (self->stream_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->stream_tick);
  self->stream_tick = 0;
  self->stream_changes = 0;
}

static void
received_bytes_changed_cb (PeelWindow *self)
{
  note_progress (self);
  queue_stream_update (self, STREAM_PROGRESS);
}

static void
thoughts_changed_cb (PeelWindow *self)
{
  note_progress (self);
  queue_stream_update (self, STREAM_THOUGHTS);
}

static void
status_changed_cb (PeelWindow *self)
{
  note_progress (self);
  queue_stream_update (self, STREAM_STATUS);
}

static void
preview_shown_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PeelWindow) self = PEEL_WINDOW (user_data);

  /* An interim image that does not decode is only a preview: the final one is checked. */
  if (!peel_canvas_load_finish (PEEL_CANVAS (object), result, NULL) || self->generation == NULL ||
      self->canvas == NULL)
    return;

  peel_canvas_set_dimmed (self->canvas, TRUE);
  gtk_stack_set_visible_child_name (self->canvas_stack, "canvas");
}

/* The canvas decodes each image once: a final image that is the last preview is not decoded
 * again. Showing another node ends the previews' loads (texture_cancellable). */
static void
preview_changed_cb (PeelWindow *self)
{
  GBytes *preview = peel_generation_get_preview (self->generation);

  note_progress (self);

  if (preview != NULL)
    peel_canvas_load_bytes_async (self->canvas, PEEL_CANVAS_IMAGE, preview,
                                  self->texture_cancellable, preview_shown_cb,
                                  g_object_ref (self));
}

/* Says @text through the progress card, which is a status: GTK 4.8 has no announcement API,
 * and a status's new name is what screen readers read out. */
void
peel_window_announce (PeelWindow *self,
                      const char *text)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_card),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  -1);
}

/**
 * peel_window_set_busy:
 *
 * Generate becomes Cancel and the progress card counts the seconds, for one turn or a batch.
 */
void
peel_window_set_busy (PeelWindow *self,
                      gboolean    busy)
{
  peel_prompt_bar_set_busy (self->prompt_bar, busy);
  gtk_revealer_set_reveal_child (self->progress_revealer, busy);
  gtk_spinner_set_spinning (self->progress_spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel", busy);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, busy, -1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restart-generation", busy);

  if (busy)
    {
      gtk_label_set_label (self->thoughts_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->thoughts_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
      peel_window_announce (self, self->generation != NULL ? _("Generating an image")
                                                           : _("Generating variations"));
      update_progress_label (self);
      note_progress (self);
      self->elapsed_source = g_timeout_add_seconds (1, elapsed_tick_cb, self);
    }
  else
    {
      g_clear_handle_id (&self->elapsed_source, g_source_remove);
      gtk_widget_set_visible (self->stall_box, FALSE);
      cancel_stream_update (self);
    }
}

/**
 * peel_window_update_progress:
 *
 * The progress card follows at once (a sibling of a batch ended).
 */
void
peel_window_update_progress (PeelWindow *self)
{
  update_progress_label (self);
}

static void
error_toast (PeelWindow   *self,
             const GError *error,
             const char   *model)
{
  g_autofree char *use_label = NULL;
  const char *button_label = NULL;
  const char *action_name = NULL;
  PeelToastFlags flags = PEEL_TOAST_SESSION | PEEL_TOAST_GENERATION;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      peel_window_add_toast (self, _("Generation cancelled. The attempt is kept in the history."),
                             NULL, NULL, flags, 6);
      return;
    }

  if (g_error_matches (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INVALID_KEY) ||
      g_error_matches (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_PERMISSION) ||
      g_error_matches (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INSECURE))
    {
      button_label = _("_Preferences");
      action_name = "app.preferences";
    }
  else if (g_error_matches (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NOT_FOUND) &&
           peel_model_get_replacement (model) != NULL)
    {
      g_autofree char *name = peel_model_dup_display_name (peel_model_get_replacement (model));

      /* Translators: a button that switches to the named model and tries again */
      use_label = g_strdup_printf (_("_Use %s"), name);
      button_label = use_label;
      action_name = "win.use-replacement";
    }
  else if (error->domain == PEEL_GEMINI_ERROR &&
           error->code != PEEL_GEMINI_ERROR_BAD_INPUT &&
           peel_panels_can_retry (peel_generation_error_code (error)))
    {
      button_label = _("_Retry");
      action_name = "win.retry-current";
    }
  peel_window_add_toast (self, error->message, button_label, action_name, flags, 0);
}

/**
 * peel_window_generation_failed:
 * @model: (nullable): the model the failed turn asked
 *
 * A turn (or a whole batch) made nothing: the prompt and the references stay, so trying again
 * is one click, and the toast says why.
 */
void
peel_window_generation_failed (PeelWindow   *self,
                               const GError *error,
                               const char   *model)
{
  peel_window_announce (self, error->message);
  error_toast (self, error, model);
  peel_window_show_node (self, self->session ? peel_session_get_current (self->session) : NULL);
}

static void retry_node (PeelWindow *self,
                        PeelNode   *node);

static void
generation_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PeelWindow) self = user_data;
  g_autoptr(PeelNode) node = NULL;
  g_autoptr(GError) error = NULL;
  PeelGeneration *generation = PEEL_GENERATION (object);
  const char *summary;

  node = peel_generation_run_finish (generation, result, &error);
  summary = peel_generation_get_context_summary (generation);

  if (self->generation == generation)
    {
      g_signal_handlers_disconnect_by_data (generation, self);
      g_clear_object (&self->generation);
      g_clear_object (&self->generation_cancellable);
      peel_window_set_busy (self, FALSE);
    }

  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  peel_window_board_turn_finished (self, error);

  if (node == NULL && self->restart_pending &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stalled and asked to try again: the cancelled attempt stays in the history, a new
       * one starts with the same turn. */
      self->restart_pending = FALSE;
      retry_node (self, peel_generation_get_node (generation));
      return;
    }
  self->restart_pending = FALSE;

  if (node == NULL)
    {
      PeelNode *failed = peel_generation_get_node (generation);

      peel_window_generation_failed (self, error,
                                     failed != NULL ? peel_node_get_model (failed) : NULL);
      return;
    }

  peel_window_withdraw_toasts (self, PEEL_TOAST_GENERATION);
  peel_prompt_bar_clear_prompt (self->prompt_bar);
  peel_prompt_bar_clear_references (self->prompt_bar);
  peel_window_announce (self, _("The image is ready"));
  peel_window_show_node (self, node);
  /* The node was pending when it became current: only now is there an image to match. */
  peel_window_update_editing (self);
  peel_window_render_turn_finished (self, node);
  if (summary != NULL)
    peel_window_toast (self, summary);
}

/* A new session is named from its first prompt, unless the user named it already; renaming
 * stays possible. */
static void
name_session (PeelWindow *self,
              const char *prompt)
{
  const char *name = peel_session_get_name (self->session);
  g_autofree char *named = NULL;
  g_autoptr(GError) error = NULL;

  if (peel_session_get_n_nodes (self->session) > 0 ||
      (g_strcmp0 (name, _("Untitled Session")) != 0 &&
       g_strcmp0 (name, _("Untitled session")) != 0))
    return;
  named = peel_panels_session_name_from_prompt (prompt);
  if (named != NULL && !peel_session_set_name (self->session, named, &error))
    peel_window_toast_error (self, error);
}

/**
 * peel_window_begin_turn:
 *
 * What every Generate does first: the last attempt's error is over once the next one is under
 * way, and a new session is named from its first prompt.
 */
void
peel_window_begin_turn (PeelWindow *self,
                        const char *prompt)
{
  peel_window_withdraw_toasts (self, PEEL_TOAST_GENERATION);
  name_session (self, prompt);
}

static void
start_generation (PeelWindow         *self,
                  PeelNode           *parent,
                  const PeelTurnSpec *spec,
                  gboolean            with_edits)
{
  PeelGeminiClient *client = peel_service_get_client (self->service);

  if (peel_window_get_busy (self) || self->session == NULL)
    return;

  if (client == NULL)
    {
      peel_window_toast (self, _("Peel is still looking for your API key. Try again in a moment."));
      return;
    }

  peel_window_begin_turn (self, spec->prompt);
  self->generation = peel_generation_new (self->session, client);
  if (with_edits)
    peel_window_select_prepare_generation (self, parent, self->generation);
  self->generation_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->generation, "notify::thoughts",
                           G_CALLBACK (thoughts_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->generation, "notify::status",
                           G_CALLBACK (status_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->generation, "notify::preview",
                           G_CALLBACK (preview_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->generation, "notify::received-bytes",
                           G_CALLBACK (received_bytes_changed_cb), self, G_CONNECT_SWAPPED);

  peel_window_set_busy (self, TRUE);
  peel_canvas_set_dimmed (self->canvas, TRUE);
  peel_generation_run_async (self->generation, parent, spec, TRUE, self->generation_cancellable,
                             generation_cb, g_object_ref (self));
  update_progress_label (self);
}

/**
 * peel_window_start_turn:
 *
 * Starts @spec as a child of @parent through the same path as Generate (the board's Apply to
 * Each uses it).
 *
 * Returns: whether the turn started
 */
gboolean
peel_window_start_turn (PeelWindow         *self,
                        PeelNode           *parent,
                        const PeelTurnSpec *spec)
{
  if (peel_window_get_busy (self))
    return FALSE;
  start_generation (self, parent, spec, FALSE);
  return self->generation != NULL;
}

/* A new turn continues from the image on screen; from a failed attempt it continues from the
 * image that attempt started from. */
static PeelNode *
parent_for_new_turn (PeelWindow *self)
{
  PeelNode *node = self->session ? peel_session_get_current (self->session) : NULL;

  while (node != NULL && peel_node_get_status (node) != PEEL_NODE_DONE)
    node = peel_node_get_parent (node);

  return node;
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  GListModel *references = peel_prompt_bar_get_references (self->prompt_bar);
  PeelTurnSettings *settings = peel_prompt_bar_get_settings (self->prompt_bar);
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autoptr(PeelTurnSpec) spec = NULL;
  guint count;

  if (!peel_prompt_bar_get_can_generate (self->prompt_bar))
    return;

  for (guint i = 0; i < g_list_model_get_n_items (references); i++)
    {
      g_autoptr(PeelReference) reference = g_list_model_get_item (references, i);
      g_ptr_array_add (parts, (gpointer) peel_reference_get_part (reference));
    }

  spec = peel_turn_settings_dup_spec (settings, peel_prompt_bar_get_prompt (self->prompt_bar),
                                      parts);
  count = peel_turn_settings_get_variations (settings);
  if (count > 1 && peel_window_select_has_edits (self, parent_for_new_turn (self)))
    {
      /* Each sibling of a batch is a whole turn: a selection or marks are sent once. */
      peel_window_toast (self, _("A selection or marks are edited one image at a time: this "
                                 "Generate makes one. Clear them to make variations."));
      count = 1;
    }
  if (count > 1)
    {
      /* The grid takes the focus: the arrow keys pick, Escape cancels. */
      peel_window_start_variations (self, parent_for_new_turn (self), spec, count);
      return;
    }
  start_generation (self, parent_for_new_turn (self), spec, TRUE);
  /* Generate turns into Cancel under the focus: the prompt, where the next turn is written,
   * takes it rather than nothing. */
  peel_prompt_bar_focus_prompt (self->prompt_bar);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  g_cancellable_cancel (self->generation_cancellable);
  peel_window_variations_cancel (self);
}

static void
restart_generation_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  if (self->generation == NULL)
    return;
  self->restart_pending = TRUE;
  g_cancellable_cancel (self->generation_cancellable);
}

static void
retry_node_with_model (PeelWindow *self,
                       PeelNode   *node,
                       const char *model)
{
  g_autoptr(PeelTurnSpec) spec = NULL;
  g_autoptr(GError) error = NULL;

  if (node == NULL || peel_node_get_status (node) == PEEL_NODE_PENDING)
    return;

  spec = peel_turn_spec_new_from_node (node, &error);
  if (spec == NULL)
    {
      peel_window_toast_error (self, error);
      return;
    }
  if (model != NULL)
    {
      g_free ((char *) spec->model);
      spec->model = g_strdup (model);
    }

  start_generation (self, peel_node_get_parent (node), spec, FALSE);
}

static void
retry_node (PeelWindow *self,
            PeelNode   *node)
{
  retry_node_with_model (self, node, NULL);
}

/* A model that was shut down: switch to its replacement and make the failed turn again. */
static void
use_replacement_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  PeelNode *current = self->session ? peel_session_get_current (self->session) : NULL;
  const char *replacement;

  if (current == NULL || peel_node_get_status (current) != PEEL_NODE_FAILED)
    return;
  replacement = peel_model_get_replacement (peel_node_get_model (current));
  if (replacement == NULL)
    return;

  peel_turn_settings_set_model (peel_prompt_bar_get_settings (self->prompt_bar), replacement);
  retry_node_with_model (self, current, replacement);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  if (self->session != NULL)
    retry_node (self, peel_session_find_node (self->session,
                                              g_variant_get_string (parameter, NULL)));
}

static void
retry_current_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  PeelNode *current = self->session ? peel_session_get_current (self->session) : NULL;

  /* After a failure the current node is the failed attempt; otherwise make the prompt again. */
  if (current != NULL && peel_node_get_status (current) == PEEL_NODE_FAILED)
    retry_node (self, current);
  else
    gtk_widget_activate_action (widget, "win.generate", NULL);
}

/**
 * peel_window_update_editing:
 *
 * The prompt bar offers "match input" and says "what to change" once there is an image to
 * continue from.
 */
void
peel_window_update_editing (PeelWindow *self)
{
  peel_turn_settings_set_editing (peel_prompt_bar_get_settings (self->prompt_bar),
                                  parent_for_new_turn (self) != NULL);
}

gboolean
peel_window_get_busy (PeelWindow *self)
{
  g_return_val_if_fail (PEEL_IS_WINDOW (self), FALSE);
  return self->generation != NULL || peel_window_variations_running (self);
}

void
peel_window_generate_dispose (PeelWindow *self)
{
  g_cancellable_cancel (self->generation_cancellable);
  g_clear_object (&self->generation_cancellable);
  if (self->generation != NULL)
    g_signal_handlers_disconnect_by_data (self->generation, self);
  g_clear_object (&self->generation);
  g_clear_handle_id (&self->elapsed_source, g_source_remove);
  cancel_stream_update (self);
}

void
peel_window_generate_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.restart-generation", NULL,
                                   restart_generation_action);
  gtk_widget_class_install_action (widget_class, "win.retry", "s", retry_action);
  gtk_widget_class_install_action (widget_class, "win.use-replacement", NULL,
                                   use_replacement_action);
  gtk_widget_class_install_action (widget_class, "win.retry-current", NULL,
                                   retry_current_action);
}
