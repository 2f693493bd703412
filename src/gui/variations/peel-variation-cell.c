/* peel-variation-cell.c
 *
 * One sibling of a Generate with variations, as a cell of the grid: waiting in line, then its
 * streamed preview under a spinner, then its final image; or its failure with the reason and
 * Retry. A star marks a keeper. Images are decoded off the main thread at the size a cell
 * shows, so eight 4K images cost what eight cells show, not 64 MiB each.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "peel-panel-text.h"
#include "peel-text.h"
#include "peel-variation-cell.h"

/* The long side a cell decodes to: a cell of a grid of two on a 4K screen is not wider. */
#define CELL_DECODE_SIZE 1024
/* An image that claims more pixels than this is not decoded for a cell (hostile headers). */
#define CELL_MAX_PIXELS  (16384 * 16384)

struct _PeelVariationCell
{
  GtkWidget       parent_instance;

  guint           index;
  guint           count;
  gboolean        selected;
  PeelNode       *node;
  PeelGeneration *generation;
  GSignalGroup   *node_signals;
  GCancellable   *cancellable;     /* the decode under way */
  GBytes         *decoded;         /* the bytes the picture shows, to not decode twice */
  char           *state_text;

  GtkWidget      *frame;          /* keeps the card to the image's shape */
  GtkWidget      *overlay;
  GtkPicture     *picture;
  GtkWidget      *status_box;
  GtkSpinner     *spinner;
  GtkLabel       *status_label;
  GtkWidget      *failure_box;
  GtkLabel       *failure_label;
  GtkWidget      *retry_button;
  GtkWidget      *star_button;
  GtkWidget      *hidden_label;
};

G_DEFINE_FINAL_TYPE (PeelVariationCell, peel_variation_cell, GTK_TYPE_WIDGET)

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  double scale;

  if ((gint64) width * height > CELL_MAX_PIXELS)
    {
      /* Scaling to 1×1 keeps the loader from allocating what the header claims. */
      gdk_pixbuf_loader_set_size (loader, 1, 1);
      return;
    }
  scale = MIN (1.0, (double) CELL_DECODE_SIZE / MAX (width, height));
  if (scale < 1.0)
    gdk_pixbuf_loader_set_size (loader, MAX (1, width * scale), MAX (1, height * scale));
}

static void
decode_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), NULL);
  if (!gdk_pixbuf_loader_write_bytes (loader, task_data, &error) ||
      !gdk_pixbuf_loader_close (loader, &error))
    {
      gdk_pixbuf_loader_close (loader, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL || gdk_pixbuf_get_width (pixbuf) < 2)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "The image could not be read");
      return;
    }
  g_task_return_pointer (task, g_object_ref (pixbuf), g_object_unref);
}

static void
decoded_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PeelVariationCell *self;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  pixbuf = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PEEL_VARIATION_CELL (object);
  g_clear_object (&self->cancellable);
  if (pixbuf == NULL)
    {
      /* A preview that does not decode is only a preview; the cell says its state. */
      g_debug ("Variation %u: %s", self->index + 1, error->message);
      return;
    }

  pixels = gdk_pixbuf_read_pixel_bytes (pixbuf);
  texture = gdk_memory_texture_new (gdk_pixbuf_get_width (pixbuf),
                                    gdk_pixbuf_get_height (pixbuf),
                                    gdk_pixbuf_get_has_alpha (pixbuf) ? GDK_MEMORY_R8G8B8A8
                                                                      : GDK_MEMORY_R8G8B8,
                                    pixels,
                                    gdk_pixbuf_get_rowstride (pixbuf));
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
}

static void
show_bytes (PeelVariationCell *self,
            GBytes            *bytes)
{
  g_autoptr(GTask) task = NULL;

  if (bytes == NULL || (self->decoded != NULL && g_bytes_equal (bytes, self->decoded)))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->decoded, g_bytes_unref);
  self->decoded = g_bytes_ref (bytes);
  self->cancellable = g_cancellable_new ();

  task = g_task_new (self, self->cancellable, decoded_cb, NULL);
  g_task_set_source_tag (task, show_bytes);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, decode_worker);
}

static void
show_final_image (PeelVariationCell *self)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = peel_node_dup_final_image_bytes (self->node, &error);
  if (bytes == NULL)
    {
      g_debug ("Variation %u has no image to show: %s", self->index + 1,
               error ? error->message : "none");
      return;
    }
  show_bytes (self, bytes);
}

static void
set_state_text (PeelVariationCell *self,
                const char        *text)
{
  g_autofree char *label = NULL;

  g_free (self->state_text);
  self->state_text = g_strdup (text);
  /* Translators: what a screen reader says for a cell: "Variation 2 of 4, ready" */
  label = g_strdup_printf (_("Variation %u of %u, %s"), self->index + 1, self->count, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

/* The card takes the image's shape (the one asked for until the image is there), so the grid
 * shows pictures, not bars around them. */
static void
update_ratio (PeelVariationCell *self)
{
  double ratio = 1.0;
  int w = 0, h = 0;

  if (self->node != NULL && peel_node_get_final_width (self->node) > 0 &&
      peel_node_get_final_height (self->node) > 0)
    ratio = (double) peel_node_get_final_width (self->node) /
            peel_node_get_final_height (self->node);
  else if (self->node != NULL && peel_node_get_aspect_ratio (self->node) != NULL &&
           sscanf (peel_node_get_aspect_ratio (self->node), "%d:%d", &w, &h) == 2 && w > 0 &&
           h > 0)
    ratio = (double) w / h;
  gtk_aspect_frame_set_ratio (GTK_ASPECT_FRAME (self->frame), CLAMP (ratio, 0.1, 10.0));
}

static void
update (PeelVariationCell *self)
{
  PeelNodeStatus status = self->node ? peel_node_get_status (self->node) : PEEL_NODE_PENDING;
  gboolean waiting = self->node == NULL;
  gboolean pending = !waiting && status == PEEL_NODE_PENDING;
  gboolean failed = !waiting && status == PEEL_NODE_FAILED;
  gboolean done = !waiting && status == PEEL_NODE_DONE;
  gboolean hidden = self->node != NULL && peel_node_get_hidden (self->node);

  update_ratio (self);
  gtk_widget_set_visible (self->status_box, waiting || pending);
  gtk_spinner_set_spinning (self->spinner, pending);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), pending);
  gtk_widget_set_visible (self->failure_box, failed);
  gtk_widget_set_visible (self->star_button, done);
  gtk_widget_set_visible (self->hidden_label, hidden);
  gtk_widget_set_opacity (GTK_WIDGET (self->picture), pending || hidden ? 0.45 : 1.0);

  if (waiting)
    {
      gtk_label_set_label (self->status_label, _("Waiting its turn…"));
      set_state_text (self, _("waiting its turn"));
    }
  else if (pending)
    {
      gtk_label_set_label (self->status_label, _("Generating…"));
      set_state_text (self, _("generating"));
    }
  else if (failed)
    {
      const char *message = peel_node_get_error_message (self->node);
      g_autofree char *safe = peel_text_strip_for_label (message ? message
                                                                 : _("The turn failed for an "
                                                                     "unknown reason."), -1);
      g_autofree char *detailed_action = NULL;

      gtk_label_set_label (self->failure_label, safe);
      gtk_widget_set_visible (self->retry_button,
                              peel_panels_can_retry (peel_node_get_error_code (self->node)));
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->retry_button), "s",
                                        peel_node_get_id (self->node));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->retry_button), "variations.retry");
      /* Translators: "failed: " and the reason, for a screen reader */
      detailed_action = g_strdup_printf (_("failed: %s"), safe);
      set_state_text (self, detailed_action);
      gtk_picture_set_paintable (self->picture, NULL);
      g_clear_pointer (&self->decoded, g_bytes_unref);
    }
  else if (done)
    {
      gboolean starred = peel_node_get_starred (self->node);

      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->star_button), starred);
      gtk_button_set_icon_name (GTK_BUTTON (self->star_button),
                                starred ? "starred-symbolic" : "non-starred-symbolic");
      gtk_widget_set_tooltip_text (self->star_button, starred ? _("Unstar (S)") : _("Star (S)"));
      set_state_text (self, starred ? _("ready, starred") : _("ready"));
      if (peel_node_get_has_image (self->node))
        show_final_image (self);
    }
}

static void
preview_changed_cb (PeelVariationCell *self)
{
  if (self->generation != NULL)
    show_bytes (self, peel_generation_get_preview (self->generation));
}

static void
star_toggled_cb (PeelVariationCell *self,
                 GtkToggleButton   *button)
{
  gboolean active = gtk_toggle_button_get_active (button);

  /* Only a click changes the node; the node's own change only updates the button. */
  if (self->node == NULL || active == peel_node_get_starred (self->node))
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "variations.toggle-star", "s",
                              peel_node_get_id (self->node));
  /* Starring may fail (the grid says why): the button shows what the node holds. */
  if (self->node != NULL)
    gtk_toggle_button_set_active (button, peel_node_get_starred (self->node));
}

static void
peel_variation_cell_dispose (GObject *object)
{
  PeelVariationCell *self = PEEL_VARIATION_CELL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->generation != NULL)
    g_signal_handlers_disconnect_by_data (self->generation, self);
  g_clear_object (&self->generation);
  if (self->node_signals != NULL)
    g_signal_group_set_target (self->node_signals, NULL);
  g_clear_object (&self->node_signals);
  g_clear_object (&self->node);
  g_clear_pointer (&self->frame, gtk_widget_unparent);

  G_OBJECT_CLASS (peel_variation_cell_parent_class)->dispose (object);
}

static void
peel_variation_cell_finalize (GObject *object)
{
  PeelVariationCell *self = PEEL_VARIATION_CELL (object);

  g_clear_pointer (&self->decoded, g_bytes_unref);
  g_free (self->state_text);

  G_OBJECT_CLASS (peel_variation_cell_parent_class)->finalize (object);
}

static void
peel_variation_cell_class_init (PeelVariationCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = peel_variation_cell_dispose;
  object_class->finalize = peel_variation_cell_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "variationcell");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GRID_CELL);
}

static GtkWidget *
make_status_box (PeelVariationCell *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_can_target (box, FALSE);
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->spinner), 32, 32);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->spinner));
  self->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "variation-status");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->status_label));
  self->status_box = box;
  return box;
}

static GtkWidget *
make_failure_box (PeelVariationCell *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 32);
  gtk_widget_add_css_class (icon, "error");
  gtk_box_append (GTK_BOX (box), icon);
  self->failure_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->failure_label, TRUE);
  gtk_label_set_wrap_mode (self->failure_label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_justify (self->failure_label, GTK_JUSTIFY_CENTER);
  gtk_label_set_max_width_chars (self->failure_label, 40);
  gtk_label_set_lines (self->failure_label, 5);
  gtk_label_set_ellipsize (self->failure_label, PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->failure_label));
  self->retry_button = gtk_button_new_with_mnemonic (_("_Retry"));
  gtk_widget_set_halign (self->retry_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->retry_button, "pill");
  gtk_box_append (GTK_BOX (box), self->retry_button);
  self->failure_box = box;
  return box;
}

static void
peel_variation_cell_init (PeelVariationCell *self)
{
  GtkWidget *overlay = gtk_overlay_new ();

  self->frame = gtk_aspect_frame_new (0.5, 0.5, 1.0, FALSE);
  gtk_widget_set_parent (self->frame, GTK_WIDGET (self));
  self->overlay = overlay;
  gtk_aspect_frame_set_child (GTK_ASPECT_FRAME (self->frame), overlay);
  gtk_widget_set_overflow (overlay, GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (overlay, "card");
  gtk_widget_add_css_class (overlay, "variation-card");

  self->picture = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_can_shrink (self->picture, TRUE);
  gtk_picture_set_content_fit (self->picture, GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_hexpand (GTK_WIDGET (self->picture), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->picture), TRUE);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), GTK_WIDGET (self->picture));

  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), make_status_box (self));
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), make_failure_box (self));

  self->star_button = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (self->star_button), "non-starred-symbolic");
  gtk_widget_set_halign (self->star_button, GTK_ALIGN_START);
  gtk_widget_set_valign (self->star_button, GTK_ALIGN_START);
  gtk_widget_set_margin_top (self->star_button, 8);
  gtk_widget_set_margin_start (self->star_button, 8);
  /* Arrow keys move between cells: the grid holds the focus, S stars. */
  gtk_widget_set_focusable (self->star_button, FALSE);
  gtk_widget_add_css_class (self->star_button, "circular");
  gtk_widget_add_css_class (self->star_button, "osd");
  gtk_widget_add_css_class (self->star_button, "variation-star");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->star_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Star"), -1);
  g_signal_connect_object (self->star_button, "toggled", G_CALLBACK (star_toggled_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->star_button);

  self->hidden_label = gtk_label_new (_("Hidden"));
  gtk_widget_set_halign (self->hidden_label, GTK_ALIGN_START);
  gtk_widget_set_valign (self->hidden_label, GTK_ALIGN_END);
  gtk_widget_set_margin_start (self->hidden_label, 8);
  gtk_widget_set_margin_bottom (self->hidden_label, 8);
  gtk_widget_add_css_class (self->hidden_label, "variation-badge");
  gtk_widget_add_css_class (self->hidden_label, "caption");
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->hidden_label);

  self->node_signals = g_signal_group_new (PEEL_TYPE_NODE);
  g_signal_group_connect_swapped (self->node_signals, "notify::status", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->node_signals, "notify::has-image", G_CALLBACK (update),
                                  self);
  g_signal_group_connect_swapped (self->node_signals, "notify::starred", G_CALLBACK (update),
                                  self);
  g_signal_group_connect_swapped (self->node_signals, "notify::hidden", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->node_signals, "notify::error-message",
                                  G_CALLBACK (update), self);
}

/**
 * peel_variation_cell_new:
 * @index: the sibling's place in its batch, from 0
 * @count: how many the batch has
 */
GtkWidget *
peel_variation_cell_new (guint index,
                         guint count)
{
  PeelVariationCell *self = g_object_new (PEEL_TYPE_VARIATION_CELL, NULL);

  self->index = index;
  self->count = count;
  update (self);
  return GTK_WIDGET (self);
}

/**
 * peel_variation_cell_get_node:
 *
 * Returns: (transfer none) (nullable): the sibling, or %NULL while it waits in the queue
 */
PeelNode *
peel_variation_cell_get_node (PeelVariationCell *self)
{
  g_return_val_if_fail (PEEL_IS_VARIATION_CELL (self), NULL);
  return self->node;
}

void
peel_variation_cell_set_node (PeelVariationCell *self,
                              PeelNode          *node)
{
  g_return_if_fail (PEEL_IS_VARIATION_CELL (self));

  if (!g_set_object (&self->node, node))
    return;
  g_signal_group_set_target (self->node_signals, node);
  update (self);
}

/**
 * peel_variation_cell_set_generation:
 * @generation: (nullable): the sibling's run, whose interim images the cell shows
 */
void
peel_variation_cell_set_generation (PeelVariationCell *self,
                                    PeelGeneration    *generation)
{
  g_return_if_fail (PEEL_IS_VARIATION_CELL (self));

  if (self->generation != NULL)
    g_signal_handlers_disconnect_by_data (self->generation, self);
  if (!g_set_object (&self->generation, generation) || generation == NULL)
    return;
  g_signal_connect_object (generation, "notify::preview", G_CALLBACK (preview_changed_cb), self,
                           G_CONNECT_SWAPPED);
  if (peel_generation_get_node (generation) != NULL)
    peel_variation_cell_set_node (self, peel_generation_get_node (generation));
  preview_changed_cb (self);
}

/**
 * peel_variation_cell_set_unsent:
 * @reason: why the sibling was never sent (cancelled in the queue, or none could be made)
 *
 * A sibling that ended without a node says why; there is nothing to retry on its own.
 */
void
peel_variation_cell_set_unsent (PeelVariationCell *self,
                                const char        *reason)
{
  g_autofree char *safe = NULL;
  g_autofree char *state = NULL;

  g_return_if_fail (PEEL_IS_VARIATION_CELL (self));

  if (self->node != NULL)
    return;
  safe = peel_text_strip_for_label (reason ? reason : _("This variation was not sent."), -1);
  gtk_widget_set_visible (self->status_box, FALSE);
  gtk_widget_set_visible (self->failure_box, TRUE);
  gtk_widget_set_visible (self->retry_button, FALSE);
  gtk_label_set_label (self->failure_label, safe);
  /* Translators: "not sent: " and the reason, for a screen reader */
  state = g_strdup_printf (_("not sent: %s"), safe);
  set_state_text (self, state);
}

gboolean
peel_variation_cell_get_selected (PeelVariationCell *self)
{
  g_return_val_if_fail (PEEL_IS_VARIATION_CELL (self), FALSE);
  return self->selected;
}

void
peel_variation_cell_set_selected (PeelVariationCell *self,
                                  gboolean           selected)
{
  g_return_if_fail (PEEL_IS_VARIATION_CELL (self));

  self->selected = !!selected;
  if (selected)
    gtk_widget_add_css_class (self->overlay, "selected");
  else
    gtk_widget_remove_css_class (self->overlay, "selected");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_SELECTED, selected,
                               -1);
}

/**
 * peel_variation_cell_get_has_texture:
 *
 * Returns: whether the cell shows a picture (a preview or the final image)
 */
gboolean
peel_variation_cell_get_has_texture (PeelVariationCell *self)
{
  g_return_val_if_fail (PEEL_IS_VARIATION_CELL (self), FALSE);
  return gtk_picture_get_paintable (self->picture) != NULL;
}

/**
 * peel_variation_cell_get_state_text:
 *
 * Returns: what the cell says of its sibling: "waiting its turn", "generating", "ready",
 *   "ready, starred" or "failed: " and the reason
 */
const char *
peel_variation_cell_get_state_text (PeelVariationCell *self)
{
  g_return_val_if_fail (PEEL_IS_VARIATION_CELL (self), NULL);
  return self->state_text;
}
