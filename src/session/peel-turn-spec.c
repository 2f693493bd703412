/* peel-turn-spec.c
 *
 * What one new turn asks for, as one value the prompt bar's settings yield, the engine sends
 * and the session keeps on the node.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-node.h"
#include "peel-part.h"
#include "peel-turn-spec.h"

G_DEFINE_BOXED_TYPE (PeelTurnSpec, peel_turn_spec, peel_turn_spec_copy, peel_turn_spec_free)

/**
 * peel_turn_spec_copy:
 * @spec: a spec, borrowed or owned
 *
 * Copies @spec deeply: the strings and every reference image.
 *
 * Returns: (transfer full): a spec that owns what it points to
 */
PeelTurnSpec *
peel_turn_spec_copy (const PeelTurnSpec *spec)
{
  PeelTurnSpec *copy;

  g_return_val_if_fail (spec != NULL, NULL);

  copy = g_new0 (PeelTurnSpec, 1);
  copy->prompt = g_strdup (spec->prompt);
  copy->aspect_ratio = g_strdup (spec->aspect_ratio);
  copy->size = spec->size;
  copy->model = g_strdup (spec->model);
  copy->options = spec->options;
  copy->draft_of = g_strdup (spec->draft_of);
  copy->batch = g_strdup (spec->batch);
  if (spec->references != NULL)
    {
      copy->references = g_ptr_array_new_full (spec->references->len,
                                               (GDestroyNotify) peel_part_free);
      for (guint i = 0; i < spec->references->len; i++)
        g_ptr_array_add (copy->references,
                         peel_part_copy (g_ptr_array_index (spec->references, i)));
    }
  return copy;
}

/**
 * peel_turn_spec_free:
 * @spec: (nullable): a spec made by peel_turn_spec_copy()
 *
 * Frees @spec and what it owns. Never pass a spec filled in on the stack.
 */
void
peel_turn_spec_free (PeelTurnSpec *spec)
{
  if (spec == NULL)
    return;

  g_free ((char *) spec->prompt);
  g_free ((char *) spec->aspect_ratio);
  g_free ((char *) spec->model);
  g_free ((char *) spec->draft_of);
  g_free ((char *) spec->batch);
  g_clear_pointer (&spec->references, g_ptr_array_unref);
  g_free (spec);
}

/**
 * peel_turn_spec_new_from_node:
 * @node: a node that is not pending
 * @error: return location for an error
 *
 * The turn @node asked for, to make it again (Retry) or at another size (Render Larger): its
 * prompt, references, ratio, size, model, options and the draft it renders larger. The
 * references are read back from the session's blobs when they are not in memory.
 *
 * Returns: (transfer full) (nullable): a spec that owns what it points to, or %NULL when a
 *   reference image could not be read
 */
PeelTurnSpec *
peel_turn_spec_new_from_node (PeelNode  *node,
                              GError   **error)
{
  g_autoptr(GPtrArray) references = NULL;
  PeelTurnSpec *spec;

  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);

  references = peel_node_dup_references (node, error);
  if (references == NULL)
    return NULL;

  spec = g_new0 (PeelTurnSpec, 1);
  spec->prompt = g_strdup (peel_node_get_prompt (node));
  spec->references = g_steal_pointer (&references);
  spec->aspect_ratio = g_strdup (peel_node_get_aspect_ratio (node));
  spec->size = peel_node_get_size (node);
  spec->model = g_strdup (peel_node_get_model (node));
  peel_node_get_options (node, &spec->options);
  spec->draft_of = g_strdup (peel_node_get_draft_of (node));
  return spec;
}
