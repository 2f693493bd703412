/* peel-turn-spec.c
 *
 * What one new turn asks for, as one value the prompt bar's settings yield, the engine sends
 * and the session keeps on the node.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

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
  g_clear_pointer (&spec->references, g_ptr_array_unref);
  g_free (spec);
}
