/* peel-window-image.c
 *
 * Showing a node: its image decoded and shrunk off the main loop, what a screen reader says
 * of it, and the second image compare mode shows beside it.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-application.h"
#include "peel-details-panel.h"
#include "peel-history-view.h"
#include "peel-panel-text.h"
#include "peel-sessions-popover.h"
#include "peel-store.h"
#include "peel-text.h"
#include "peel-util.h"
#include "peel-window-private.h"

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
void
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
