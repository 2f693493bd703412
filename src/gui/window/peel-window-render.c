/* peel-window-render.c
 *
 * Render Larger in the window (docs/render-larger.md): `win.render-larger` makes a node's turn
 * again at a larger size as its sibling, through the same path as Generate; when a final
 * arrives, compare opens with its draft beside it.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-render.h"
#include "peel-window-private.h"

/* The parameter is (node id, size); an empty size asks why the node cannot be rendered
 * larger, which the refusal's message says. */
static void
render_larger_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  g_autoptr(PeelTurnSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  PeelImageSize size = PEEL_IMAGE_SIZE_4K;
  const char *id;
  const char *size_name;
  PeelNode *draft;

  g_variant_get (parameter, "(&s&s)", &id, &size_name);
  draft = self->session != NULL ? peel_session_find_node (self->session, id) : NULL;
  if (draft == NULL)
    return;

  if (*size_name != '\0' && !peel_image_size_from_string (size_name, &size))
    return;
  spec = peel_render_dup_spec (draft, size, &error);
  if (spec == NULL)
    {
      peel_window_toast_error (self, error);
      return;
    }
  if (peel_window_get_busy (self))
    {
      peel_window_toast (self, _("An image is being made. Render larger once it is ready."));
      return;
    }
  peel_window_start_turn (self, peel_node_get_parent (draft), spec);
}

/**
 * peel_window_render_set_compare_labels:
 *
 * Names the sides of compare when it shows a final beside its draft: both have the same
 * prompt, so their titles would not tell them apart.
 */
void
peel_window_render_set_compare_labels (PeelWindow *self,
                                       PeelNode   *final,
                                       PeelNode   *draft)
{
  g_autofree char *final_label = NULL;
  g_autofree char *draft_label = NULL;

  /* Translators: the two sides of compare after Render Larger, with their sizes */
  final_label = g_strdup_printf (_("Final · %s"),
                                 peel_image_size_to_string (peel_node_get_size (final)));
  draft_label = g_strdup_printf (_("Draft · %s"),
                                 peel_image_size_to_string (peel_node_get_size (draft)));
  peel_canvas_set_compare_labels (self->canvas, final_label, draft_label);
}

/**
 * peel_window_render_turn_finished:
 * @node: the turn that just arrived, shown on the canvas
 *
 * When @node renders a draft larger, compare opens on the pair: the final as "This", the
 * draft beside it.
 */
void
peel_window_render_turn_finished (PeelWindow *self,
                                  PeelNode   *node)
{
  const char *draft_id = peel_node_get_draft_of (node);
  PeelNode *draft;

  if (draft_id == NULL || self->session == NULL ||
      (draft = peel_session_get_node (self->session, draft_id)) == NULL ||
      !peel_node_get_has_image (draft))
    return;

  /* Compare labels the pair "Final" and "Draft" (set_compare_texture()). */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.compare-with", "s", draft_id);
}

void
peel_window_render_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.render-larger", "(ss)",
                                   render_larger_action);
}
