/* peel-json-document.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "peel-json-document.h"
#include "peel-json-reader.h"

/*
 * A large JSON document read without copying its long strings. A 4K reply is a 16–30 MB
 * document that is almost all one base64 string, and json-glib needs ~140 ms for 16 MB. So
 * strings longer than LONG_STRING_MIN are left in the text: the bounded scan finds each one's
 * closing quote, a short placeholder takes its place, and json-glib parses the small rest.
 * The caller reads a long string straight from the original buffer, which must outlive the
 * #PeelJsonDocument.
 */
#define LONG_STRING_MIN   (64 * 1024)
#define PLACEHOLDER       "\001peel-long-string:"

typedef struct
{
  gsize offset;   /* of the first byte inside the quotes */
  gsize len;
} Slice;

struct _PeelJsonDocument
{
  const char *json;
  GArray     *slices;
  JsonParser *parser;
};

typedef struct
{
  const char *json;
  GString    *small;
  GArray     *slices;
  gsize       copied;
} Shrinking;

static void
long_string_cb (gsize    start,
                gsize    end,
                gpointer user_data)
{
  Shrinking *l = user_data;
  Slice slice = { start, end - start };

  if (l->small == NULL)
    l->small = g_string_sized_new (64 * 1024);
  /* Up to the opening quote, which start - 1 is. */
  g_string_append_len (l->small, l->json + l->copied, start - 1 - l->copied);
  g_string_append_printf (l->small, "\"\\u0001peel-long-string:%u\"", l->slices->len);
  g_array_append_val (l->slices, slice);
  l->copied = end + 1;
}

/*
 * Checks the nesting depth and size through the bounded reader before json-glib recurses,
 * finds the end of the document and puts placeholders for the long strings. *small is left
 * NULL when there were none.
 */
static gboolean
shrink (const char  *json,
        gsize        len,
        GString    **small,
        GArray      *slices,
        GError     **error)
{
  Shrinking l = { json, NULL, slices, 0 };

  if (!peel_json_reader_scan (json, len, PEEL_JSON_MAX_REPLY_BYTES, LONG_STRING_MIN,
                              long_string_cb, &l, error))
    {
      if (l.small != NULL)
        g_string_free (l.small, TRUE);
      return FALSE;
    }

  if (l.small != NULL)
    {
      g_string_append_len (l.small, json + l.copied, len - l.copied);
      *small = l.small;
    }

  return TRUE;
}

/* The value of the raw inside of a JSON string, for the long strings left in the text. */
static char *
unescape_json (const char *raw,
               gsize       len,
               gsize      *out_len)
{
  char *out = g_malloc (len + 1);
  char *o = out;
  gsize i = 0;

  while (i < len)
    {
      const char *backslash = memchr (raw + i, '\\', len - i);
      gsize run = backslash != NULL ? (gsize) (backslash - (raw + i)) : len - i;
      char e;

      memcpy (o, raw + i, run);
      o += run;
      i += run;
      if (i >= len)
        break;

      if (i + 1 >= len)
        break;
      e = raw[i + 1];
      i += 2;
      switch (e)
        {
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u':
          {
            gunichar c = 0;
            gboolean ok = i + 4 <= len;

            for (guint k = 0; ok && k < 4; k++)
              {
                int v = g_ascii_xdigit_value (raw[i + k]);

                ok = v >= 0;
                c = c * 16 + (ok ? v : 0);
              }
            if (!ok)
              {
                c = 0xfffd;
              }
            else
              {
                i += 4;
                if (c >= 0xd800 && c < 0xdc00 && i + 6 <= len && raw[i] == '\\' &&
                    raw[i + 1] == 'u')
                  {
                    gunichar low = 0;

                    for (guint k = 0; k < 4; k++)
                      low = low * 16 + MAX (0, g_ascii_xdigit_value (raw[i + 2 + k]));
                    if (low >= 0xdc00 && low < 0xe000)
                      {
                        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
                        i += 6;
                      }
                  }
                if (c >= 0xd800 && c < 0xe000)
                  c = 0xfffd;
              }
            o += g_unichar_to_utf8 (c, o);
          }
          break;
        default:
          *o++ = e;   /* \" \\ \/ */
          break;
        }
    }

  *o = '\0';
  *out_len = o - out;

  if (!g_utf8_validate (out, *out_len, NULL))
    {
      char *valid = g_utf8_make_valid (out, *out_len);

      g_free (out);
      *out_len = strlen (valid);
      return valid;
    }

  return out;
}

/**
 * peel_json_document_load:
 * @json: a JSON document; it must stay alive as long as the result
 * @len: its length
 * @error: return location for an error
 *
 * Parses @json through the bounded reader (peel-json-reader.c): nesting deeper than
 * %PEEL_JSON_MAX_DEPTH levels is refused before any recursion. Strings longer than 64 KiB
 * stay in @json: in the tree their values are placeholders, which
 * peel_json_document_get_long_string() and peel_json_document_dup_string() resolve.
 *
 * Fails with #PEEL_JSON_ERROR when the text is empty or the bounded scan refuses it
 * (%PEEL_JSON_ERROR_CUT_SHORT, %PEEL_JSON_ERROR_TOO_DEEP, %PEEL_JSON_ERROR_TOO_LARGE), and
 * with json-glib's #JSON_PARSER_ERROR, its message made valid UTF-8, when json-glib does.
 *
 * Returns: (transfer full) (nullable): the parsed document
 */
PeelJsonDocument *
peel_json_document_load (const char  *json,
                         gsize        len,
                         GError     **error)
{
  g_autoptr(GString) small = NULL;
  g_autoptr(GError) json_error = NULL;
  PeelJsonDocument *self;
  gsize start = 0;

  while (start < len && g_ascii_isspace (json[start]))
    start++;
  if (start == len)
    {
      g_set_error_literal (error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_INVALID,
                           _("The text is empty."));
      return NULL;
    }

  self = g_new0 (PeelJsonDocument, 1);
  self->json = json;
  self->slices = g_array_new (FALSE, FALSE, sizeof (Slice));
  self->parser = json_parser_new_immutable ();

  if (!shrink (json, len, &small, self->slices, error))
    {
      peel_json_document_free (self);
      return NULL;
    }

  if (!json_parser_load_from_data (self->parser, small != NULL ? small->str : json,
                                   small != NULL ? (gssize) small->len : (gssize) len,
                                   &json_error))
    {
      /* json-glib quotes the input in its message, invalid UTF-8 included. */
      g_autofree char *detail = g_utf8_make_valid (json_error->message, -1);

      g_set_error_literal (error, json_error->domain, json_error->code, detail);
      peel_json_document_free (self);
      return NULL;
    }

  return self;
}

JsonNode *
peel_json_document_get_root (PeelJsonDocument *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return json_parser_get_root (self->parser);
}

/**
 * peel_json_document_get_long_string:
 * @self: a #PeelJsonDocument
 * @value: (nullable): a string value from the parsed tree
 * @raw: (out): the inside of the long string in the original text, escapes and all
 * @raw_len: (out): its length
 *
 * Returns: whether @value is the placeholder of a long string
 */
gboolean
peel_json_document_get_long_string (PeelJsonDocument  *self,
                                    const char        *value,
                                    const char       **raw,
                                    gsize             *raw_len)
{
  const Slice *slice;
  guint64 index;

  g_return_val_if_fail (self != NULL, FALSE);

  if (value == NULL || !g_str_has_prefix (value, PLACEHOLDER))
    return FALSE;
  if (!g_ascii_string_to_unsigned (value + strlen (PLACEHOLDER), 10, 0, G_MAXUINT, &index,
                                   NULL) ||
      index >= self->slices->len)
    return FALSE;

  slice = &g_array_index (self->slices, Slice, index);
  *raw = self->json + slice->offset;
  *raw_len = slice->len;
  return TRUE;
}

/**
 * peel_json_document_dup_string:
 * @self: a #PeelJsonDocument
 * @value: (nullable): a string value from the parsed tree
 *
 * Returns: (transfer full) (nullable): the string's value, long or not, as valid UTF-8
 */
char *
peel_json_document_dup_string (PeelJsonDocument *self,
                               const char       *value)
{
  const char *raw;
  gsize raw_len;
  gsize len;
  char *out;

  g_return_val_if_fail (self != NULL, NULL);

  if (peel_json_document_get_long_string (self, value, &raw, &raw_len))
    out = unescape_json (raw, raw_len, &len);
  else
    out = g_strdup (value);

  /* A lone surrogate (\ud800) decodes to bytes that are not UTF-8; text must be. */
  if (out != NULL && !g_utf8_validate (out, -1, NULL))
    {
      char *valid = g_utf8_make_valid (out, -1);

      g_free (out);
      out = valid;
    }
  return out;
}

void
peel_json_document_free (PeelJsonDocument *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->slices, g_array_unref);
  g_clear_object (&self->parser);
  g_free (self);
}
