/* peel-util.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

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

G_END_DECLS
