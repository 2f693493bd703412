/* peel-window-image.c
 *
 * Showing a node: its image handed to the canvas (which decodes it off the main loop), what a
 * screen reader says of it, and the second image compare mode shows beside it.
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

/* The canvas reads a node's image in its worker: a session's images may still be on disk. */
static GBytes *
read_node_image (gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return peel_node_dup_final_image_bytes (PEEL_NODE (data), error);
}

static void
node_image_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PeelWindow) self = PEEL_WINDOW (user_data);
  g_autoptr(GError) error = NULL;

  if (!peel_canvas_load_finish (PEEL_CANVAS (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->canvas != NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("This image cannot be shown: %s"), error->message);
          peel_window_toast (self, message);
        }
      return;
    }
  /* The window closed while the image came. */
  if (self->canvas == NULL || gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;

  g_set_object (&self->texture, peel_canvas_get_texture (self->canvas));
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
  g_autoptr(PeelNode) previous = self->shown_node ? g_object_ref (self->shown_node) : NULL;
  PeelNode *parent;

  g_set_object (&self->shown_node, node);
  peel_window_select_show_node (self, node);

  /* What was asked for the node shown before (its image, a preview) is not shown after. */
  g_cancellable_cancel (self->texture_cancellable);
  g_clear_object (&self->texture_cancellable);
  self->texture_cancellable = g_cancellable_new ();

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

  peel_canvas_load_async (self->canvas, PEEL_CANVAS_IMAGE, read_node_image, g_object_ref (node),
                          g_object_unref, self->texture_cancellable, node_image_cb,
                          g_object_ref (self));
}

/* The other image of compare mode is not worth a message when it cannot be shown. */
static void
compare_image_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  peel_canvas_load_finish (PEEL_CANVAS (object), result, NULL);
}

/* Compare mode shows the current image beside another: the one chosen with "Compare with
 * Current", else the parent of the current image. */
void
set_compare_texture (PeelWindow *self)
{
  PeelNode *other = self->compare_node;

  if (peel_canvas_get_compare_mode (self->canvas) == PEEL_CANVAS_COMPARE_NONE)
    return;

  if (other == NULL && self->shown_node != NULL)
    other = peel_node_get_parent (self->shown_node);

  if (other == NULL || !peel_node_get_has_image (other))
    {
      peel_canvas_set_compare_texture (self->canvas, NULL);
      return;
    }

  if (self->shown_node != NULL &&
      g_strcmp0 (peel_node_get_draft_of (self->shown_node), peel_node_get_id (other)) == 0)
    peel_window_render_set_compare_labels (self, self->shown_node, other);
  else
    {
      const char *title = peel_node_get_display_title (other);
      g_autofree char *label = NULL;
      g_autofree char *other_label = NULL;
      gboolean this_region = self->shown_node != NULL &&
                             peel_node_get_region (self->shown_node, NULL);

      /* A pill on the image, not a caption: a long prompt is cut short. */
      if (g_utf8_strlen (title, -1) > 28)
        label = peel_utf8_shorten (title, 28);
      /* A region edit says so on its side: beside its parent, only the selection differs. */
      if (peel_node_get_region (other, NULL))
        /* Translators: a compare label, the other image's title and that it is a region edit */
        other_label = g_strdup_printf (_("%s · region edit"), label ? label : title);
      peel_canvas_set_compare_labels (self->canvas,
                                      /* Translators: a compare label for the image shown */
                                      this_region ? _("This · region edit") : _("This"),
                                      other_label ? other_label : label ? label : title);
    }
  peel_canvas_load_async (self->canvas, PEEL_CANVAS_COMPARE_IMAGE, read_node_image,
                          g_object_ref (other), g_object_unref, self->texture_cancellable,
                          compare_image_cb, NULL);
}
