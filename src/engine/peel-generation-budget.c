/* peel-generation-budget.c
 *
 * The context budget for the user's own images. The service counts every image a user turn
 * of the request holds, the branch's earlier references included, and refuses more than the
 * model takes ("Too many input images"); a long branch of edits with references would then
 * fail at every further turn. The new turn's images (its references, and an imported image
 * being edited, which rides with it) always go; the oldest others are left out until the
 * request fits, and the node says which.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-generation-private.h"
#include "peel-model-catalog.h"

static guint
count_images (GPtrArray *parts)
{
  guint n = 0;

  for (guint i = 0; i < parts->len; i++)
    if (((PeelPart *) g_ptr_array_index (parts, i))->kind == PEEL_PART_IMAGE)
      n++;
  return n;
}

static char *
shorten (const char *prompt)
{
  g_autofree char *flat = g_strdup (prompt != NULL ? prompt : "");

  g_strdelimit (flat, "\n\r\t", ' ');
  g_strstrip (flat);
  if (g_utf8_strlen (flat, -1) <= 40)
    return g_steal_pointer (&flat);
  return g_strconcat (g_utf8_substring (flat, 0, 39), "…", NULL);
}

/**
 * _peel_generation_budget_images:
 * @users: (element-type GPtrArray): the parts of each earlier user turn, oldest first
 * @turns: the number of each of those turns in the branch (1 for the root)
 * @prompts: (array zero-terminated=1): the prompt of each of those turns
 * @n_new: the images of the new turn, which all go
 * @model: the model the request goes to
 *
 * Leaves out the oldest images of @users so that, with the new turn's, no more than the
 * model's limit of input images go.
 *
 * Returns: (transfer full) (nullable): a sentence naming what was left out, or %NULL
 */
char *
_peel_generation_budget_images (GPtrArray          *users,
                                const guint        *turns,
                                const char * const *prompts,
                                guint               n_new,
                                const char         *model)
{
  PeelModelFamily family = peel_model_family_for_id (model);
  guint max = peel_model_max_input_images (family);
  g_autoptr(GString) which = g_string_new (NULL);
  guint total = n_new;
  guint left_out = 0;

  for (guint t = 0; t < users->len; t++)
    total += count_images (g_ptr_array_index (users, t));

  for (guint t = 0; t < users->len && total > max; t++)
    {
      GPtrArray *parts = g_ptr_array_index (users, t);
      guint dropped = 0;

      for (guint p = 0; p < parts->len && total > max;)
        {
          if (((PeelPart *) g_ptr_array_index (parts, p))->kind != PEEL_PART_IMAGE)
            {
              p++;
              continue;
            }
          g_ptr_array_remove_index (parts, p);
          dropped++;
          total--;
        }

      if (dropped > 0)
        {
          g_autofree char *prompt = shorten (prompts[t]);

          if (which->len > 0)
            g_string_append (which, ", ");
          /* Translators: how many images, from which turn of the branch, and its prompt */
          g_string_append_printf (which, g_dngettext (GETTEXT_PACKAGE,
                                                      "%u from turn %u (“%s”)",
                                                      "%u from turn %u (“%s”)", dropped),
                                  dropped, turns[t], prompt);
          left_out += dropped;
        }
    }

  if (left_out == 0)
    return NULL;

  /* Translators: a number of images, the limit, a model's name, then which were left out */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u of your earlier images was left out, to stay within "
                                       "the %u input images %s takes: %s.",
                                       "%u of your earlier images were left out, to stay within "
                                       "the %u input images %s takes: %s.", left_out),
                          left_out, max, peel_model_family_get_display_name (family),
                          which->str);
}
