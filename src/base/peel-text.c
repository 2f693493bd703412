/* peel-text.c
 *
 * Text that came from a file or a server, made safe to show. Prompts, model text, error
 * messages and PNG keywords can hold ESC sequences (which a terminal obeys: move the cursor,
 * retitle the window, rewrite what was printed), BEL, BiDi overrides (U+202E makes
 * "gnp.exe" read "exe.png") and bytes that are not UTF-8. Everything peel-cli prints goes
 * through peel_text_escape_for_terminal(); the window's labels use
 * peel_text_strip_for_label().
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-text.h"

/**
 * peel_text_is_control:
 * @c: a character
 *
 * Returns: whether @c is a C0 or C1 control other than newline and tab, DEL, or one of the
 *   invisible marks that change the direction of text (U+061C, U+200E, U+200F,
 *   U+202A–U+202E, U+2066–U+2069) or break lines (U+2028, U+2029)
 */
gboolean
peel_text_is_control (gunichar c)
{
  if (c == '\n' || c == '\t')
    return FALSE;
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f ||
         (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/**
 * peel_text_is_clean:
 * @text: (nullable): text
 * @len: its length in bytes, or -1 if it ends with a NUL
 *
 * Returns: whether @text is valid UTF-8 without any character peel_text_is_control() names
 */
gboolean
peel_text_is_clean (const char *text,
                    gssize      len)
{
  const char *end;

  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate_len (text, len < 0 ? strlen (text) : (gsize) len, &end))
    return FALSE;
  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    if (peel_text_is_control (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

typedef enum
{
  ESCAPE,
  STRIP,
} Mode;

static char *
clean (const char *text,
       gssize      len,
       Mode        mode)
{
  GString *out;
  const char *p;
  const char *end;

  if (text == NULL)
    return NULL;
  if (len < 0)
    len = strlen (text);
  if (peel_text_is_clean (text, len))
    return g_strndup (text, len);

  out = g_string_sized_new (len + 16);
  p = text;
  end = text + len;
  while (p < end)
    {
      gunichar c = *p == '\0' ? 0 : g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* A byte that starts no UTF-8 character. */
          if (mode == ESCAPE)
            g_string_append_printf (out, "\\x%02x", (guchar) *p);
          else
            g_string_append (out, "\xef\xbf\xbd");
          p++;
          continue;
        }
      if (c == 0 && mode == ESCAPE)
        g_string_append (out, "\\u0000");
      else if (c == 0)
        ;
      else if (!peel_text_is_control (c))
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      else if (mode == ESCAPE)
        g_string_append_printf (out, "\\u%04x", c);
      p = c == 0 ? p + 1 : g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

/**
 * peel_text_escape_for_terminal:
 * @text: (nullable): text from a file or a server
 * @len: its length in bytes, or -1 if it ends with a NUL
 *
 * Writes every control character (peel_text_is_control()) and NUL as `\uXXXX`, which is
 * also how JSON writes it, and every byte that is not UTF-8 as `\xNN`. Newlines and tabs
 * stay.
 *
 * Returns: (transfer full) (nullable): text safe to print
 */
char *
peel_text_escape_for_terminal (const char *text,
                               gssize      len)
{
  return clean (text, len, ESCAPE);
}

/**
 * peel_text_strip_for_label:
 * @text: (nullable): text from a file or a server
 * @len: its length in bytes, or -1 if it ends with a NUL
 *
 * Drops every control character (peel_text_is_control()) and NUL, and turns bytes that are
 * not UTF-8 into U+FFFD.
 *
 * Returns: (transfer full) (nullable): text safe to show in a label
 */
char *
peel_text_strip_for_label (const char *text,
                           gssize      len)
{
  return clean (text, len, STRIP);
}
