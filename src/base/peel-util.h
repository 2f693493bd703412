/* peel-util.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/**
 * peel_set_str:
 * @str_pointer: a pointer to an owned string
 * @new_str: (nullable): the new value
 *
 * g_set_str() of GLib 2.76, which the 2.74 baseline lacks: replaces the string only when it
 * differs, so a property setter can notify only on change.
 *
 * Returns: %TRUE if the value changed
 */
static inline gboolean
peel_set_str (char       **str_pointer,
              const char  *new_str)
{
  if (g_strcmp0 (*str_pointer, new_str) == 0)
    return FALSE;

  g_free (*str_pointer);
  *str_pointer = g_strdup (new_str);
  return TRUE;
}

/**
 * peel_utf8_shorten:
 * @text: valid UTF-8
 * @max_chars: the most characters to keep, the ellipsis included (at least 2)
 *
 * Shortens @text to @max_chars with an ellipsis, at the end of a word, so that a message is
 * never cut in the middle of one. Only a text whose first word is longer than @max_chars is
 * cut inside it.
 *
 * Returns: (transfer full): @text itself when it fits, else its start and "…"
 */
static inline char *
peel_utf8_shorten (const char *text,
                   gsize       max_chars)
{
  const char *cut;
  const char *space = NULL;
  GString *out;

  max_chars = MAX (max_chars, 2);
  if (g_utf8_strlen (text, -1) <= (glong) max_chars)
    return g_strdup (text);

  cut = g_utf8_offset_to_pointer (text, max_chars - 1);
  if (*cut != ' ')
    {
      for (const char *p = cut; p > text + 1; p--)
        if (p[-1] == ' ')
          {
            space = p - 1;
            break;
          }
      if (space != NULL)
        cut = space;
    }

  out = g_string_new_len (text, cut - text);
  while (out->len > 0 && strchr (" ,;:", out->str[out->len - 1]) != NULL)
    g_string_truncate (out, out->len - 1);
  g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

/* A picture the offline demo drew says so in a PNG text chunk, so that an export records the
 * demo (PEEL_DEMO_MODEL_NAME) rather than the model the turn named. */
#define PEEL_DEMO_SOURCE_KEYWORD "Source"
#define PEEL_DEMO_SOURCE_TEXT    "Peel demo"
#define PEEL_DEMO_MODEL_NAME     "peel-demo"

/* The issuer of every demo server's signatures, whatever its port (peel_provider_set_issuer()):
 * a demo session continues on the next start's demo. */
#define PEEL_DEMO_ISSUER         "peel-demo"

G_END_DECLS
