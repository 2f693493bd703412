/* peel-png-meta.c
 *
 * PNG text chunks, read and written by hand: the image data chunks are copied byte for byte,
 * so adding metadata never re-encodes or loses anything. New chunks go right after IHDR, where
 * readers that stop early still find them.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "peel-png-meta.h"

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

PeelPngText *
peel_png_text_new (const char *keyword,
                   const char *text,
                   gboolean    international)
{
  PeelPngText *t = g_new0 (PeelPngText, 1);

  t->keyword = g_strdup (keyword);
  t->text = g_strdup (text ? text : "");
  t->international = international;
  return t;
}

void
peel_png_text_free (PeelPngText *text)
{
  if (text == NULL)
    return;
  g_free (text->keyword);
  g_free (text->text);
  g_free (text);
}

guint32
peel_png_crc32 (const guint8 *data,
                gsize         len)
{
  static guint32 table[256];
  static gsize initialized = 0;
  guint32 crc = 0xffffffff;

  if (g_once_init_enter (&initialized))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320 ^ (c >> 1) : c >> 1;
          table[n] = c;
        }
      g_once_init_leave (&initialized, 1);
    }
  for (gsize i = 0; i < len; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffff;
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
append_be32 (GByteArray *out,
             guint32     v)
{
  guint8 b[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };

  g_byte_array_append (out, b, 4);
}

static void
append_chunk (GByteArray   *out,
              const char   *type,
              const guint8 *data,
              gsize         len)
{
  g_autoptr(GByteArray) body = g_byte_array_sized_new (len + 4);

  g_byte_array_append (body, (const guint8 *) type, 4);
  if (len > 0)
    g_byte_array_append (body, data, len);
  append_be32 (out, len);
  g_byte_array_append (out, body->data, body->len);
  append_be32 (out, peel_png_crc32 (body->data, body->len));
}

typedef struct
{
  const guint8 *type;
  const guint8 *data;
  guint32       len;
  gsize         offset;      /* of the length field */
  gsize         total;       /* length + type + data + CRC */
} Chunk;

static gboolean
next_chunk (const guint8  *png,
            gsize          size,
            gsize         *offset,
            Chunk         *chunk,
            GError       **error)
{
  if (*offset + 12 > size)
    goto bad;
  chunk->len = read_be32 (png + *offset);
  if (chunk->len > size - *offset - 12)
    goto bad;
  chunk->offset = *offset;
  chunk->type = png + *offset + 4;
  chunk->data = png + *offset + 8;
  chunk->total = (gsize) chunk->len + 12;
  *offset += chunk->total;
  return TRUE;

bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("The PNG file is truncated or damaged."));
  return FALSE;
}

/**
 * peel_png_check:
 * @png: bytes
 * @error: return location for an error
 *
 * Returns: whether @png starts with the PNG signature and an IHDR chunk
 */
gboolean
peel_png_check (GBytes  *png,
                GError **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (png, &size);

  if (size < 8 + 25 || memcmp (data, png_signature, 8) != 0 || memcmp (data + 12, "IHDR", 4) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("This is not a PNG image."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_text_chunk (const guint8 *type)
{
  return memcmp (type, "tEXt", 4) == 0 || memcmp (type, "iTXt", 4) == 0 ||
         memcmp (type, "zTXt", 4) == 0;
}

static char *
chunk_keyword (const Chunk *chunk)
{
  const guint8 *nul = memchr (chunk->data, 0, chunk->len);

  return nul ? g_strndup ((const char *) chunk->data, nul - chunk->data) : NULL;
}

static gboolean
replaced (const Chunk *chunk,
          GPtrArray   *texts,
          gboolean     strip_text)
{
  g_autofree char *keyword = NULL;

  if (!is_text_chunk (chunk->type))
    return FALSE;
  if (strip_text)
    return TRUE;
  keyword = chunk_keyword (chunk);
  for (guint i = 0; keyword && texts && i < texts->len; i++)
    if (g_str_equal (((PeelPngText *) g_ptr_array_index (texts, i))->keyword, keyword))
      return TRUE;
  return FALSE;
}

static void
append_text (GByteArray        *out,
             const PeelPngText *t)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autofree char *latin1 = NULL;
  gsize latin1_len = 0;

  g_byte_array_append (body, (const guint8 *) t->keyword, strlen (t->keyword) + 1);
  if (!t->international)
    latin1 = g_convert (t->text, -1, "ISO-8859-1", "UTF-8", NULL, &latin1_len, NULL);
  if (latin1 != NULL)
    {
      g_byte_array_append (body, (const guint8 *) latin1, latin1_len);
      append_chunk (out, "tEXt", body->data, body->len);
      return;
    }
  /* iTXt: no compression, no language tag, no translated keyword, then UTF-8 text. */
  g_byte_array_append (body, (const guint8 *) "\0\0\0\0", 4);
  g_byte_array_append (body, (const guint8 *) t->text, strlen (t->text));
  append_chunk (out, "iTXt", body->data, body->len);
}

/**
 * peel_png_set_text:
 * @png: a PNG image
 * @texts: (element-type PeelPngText) (nullable): chunks to write
 * @strip_text: also drop every other text chunk
 * @error: return location for an error
 *
 * Copies @png with @texts inserted after IHDR; existing text chunks with the same keywords
 * are dropped. Every other chunk is copied unchanged. A tEXt whose text is not Latin-1 is
 * written as iTXt.
 *
 * Returns: (transfer full): the new PNG
 */
GBytes *
peel_png_set_text (GBytes     *png,
                   GPtrArray  *texts,
                   gboolean    strip_text,
                   GError    **error)
{
  g_autoptr(GByteArray) out = NULL;
  gsize size, offset = 8;
  const guint8 *data;
  gboolean seen_end = FALSE;

  if (!peel_png_check (png, error))
    return NULL;
  data = g_bytes_get_data (png, &size);
  out = g_byte_array_sized_new (size + 4096);
  g_byte_array_append (out, png_signature, 8);

  while (offset < size && !seen_end)
    {
      Chunk chunk;

      if (!next_chunk (data, size, &offset, &chunk, error))
        return NULL;
      if (!replaced (&chunk, texts, strip_text))
        g_byte_array_append (out, data + chunk.offset, chunk.total);
      if (memcmp (chunk.type, "IHDR", 4) == 0)
        for (guint i = 0; texts != NULL && i < texts->len; i++)
          append_text (out, g_ptr_array_index (texts, i));
      seen_end = memcmp (chunk.type, "IEND", 4) == 0;
    }
  if (!seen_end)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The PNG file is truncated or damaged."));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* Inflates at most PEEL_PNG_TEXT_MAX_BYTES: the cap is on the output, since a few KB of
 * zlib can claim gigabytes. Returns NULL for a damaged stream, and sets *too_large when the
 * text would be longer than the cap. */
static char *
inflate (const guint8 *data,
         gsize         len,
         gboolean     *too_large)
{
  g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize in_done = 0;

  for (;;)
    {
      guint8 buffer[16 * 1024];
      g_autoptr(GError) error = NULL;
      gsize bytes_read = 0, bytes_written = 0;
      GConverterResult result;

      result = g_converter_convert (G_CONVERTER (z), data + in_done, len - in_done, buffer,
                                    sizeof buffer, G_CONVERTER_INPUT_AT_END, &bytes_read,
                                    &bytes_written, &error);
      if (result == G_CONVERTER_ERROR)
        return NULL;
      in_done += bytes_read;
      if (out->len + bytes_written > PEEL_PNG_TEXT_MAX_BYTES)
        {
          *too_large = TRUE;
          return NULL;
        }
      g_byte_array_append (out, buffer, bytes_written);
      if (result == G_CONVERTER_FINISHED)
        break;
      if (bytes_read == 0 && bytes_written == 0)
        return NULL;
    }
  /* Text ends at the first NUL, as it did when read with a terminator. */
  g_byte_array_append (out, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&out), FALSE);
}

static char *
chunk_text (const Chunk *chunk,
            gsize        key_len,
            gboolean    *too_large)
{
  const guint8 *p = chunk->data + key_len + 1;
  gsize rest = chunk->len - key_len - 1;

  if (memcmp (chunk->type, "tEXt", 4) == 0)
    {
      if (rest > PEEL_PNG_TEXT_MAX_BYTES)
        {
          *too_large = TRUE;
          return NULL;
        }
      return g_convert ((const char *) p, rest, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
    }
  if (memcmp (chunk->type, "zTXt", 4) == 0)
    {
      g_autofree char *raw = rest >= 1 ? inflate (p + 1, rest - 1, too_large) : NULL;

      return raw ? g_convert (raw, -1, "UTF-8", "ISO-8859-1", NULL, NULL, NULL) : NULL;
    }
  /* iTXt: compression flag, method, language tag\0, translated keyword\0, text. */
  if (rest >= 2)
    {
      gboolean compressed = p[0] != 0;
      const guint8 *end = p + rest;
      const guint8 *q = p + 2;
      char *text;

      for (int field = 0; field < 2; field++)
        {
          const guint8 *nul = memchr (q, 0, end - q);

          if (nul == NULL)
            return NULL;
          q = nul + 1;
        }
      if (!compressed && (gsize) (end - q) > PEEL_PNG_TEXT_MAX_BYTES)
        {
          *too_large = TRUE;
          return NULL;
        }
      text = compressed ? inflate (q, end - q, too_large) : g_strndup ((const char *) q, end - q);
      if (text != NULL && !g_utf8_validate (text, -1, NULL))
        g_clear_pointer (&text, g_free);
      return text;
    }
  return NULL;
}

/**
 * peel_png_read_text_full:
 * @png: a PNG image
 * @too_large: (out) (optional) (transfer full) (element-type utf8): the keywords of the text
 *   chunks not read because their text is longer than %PEEL_PNG_TEXT_MAX_BYTES, inflated
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type utf8 utf8): keyword → text (UTF-8) of every tEXt,
 *   zTXt and iTXt chunk; the first of several with one keyword wins
 */
GHashTable *
peel_png_read_text_full (GBytes     *png,
                         GPtrArray **too_large,
                         GError    **error)
{
  g_autoptr(GHashTable) out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func (g_free);
  gsize size, offset = 8;
  const guint8 *data;

  if (!peel_png_check (png, error))
    return NULL;
  data = g_bytes_get_data (png, &size);
  while (offset < size)
    {
      Chunk chunk;
      g_autofree char *keyword = NULL;
      gboolean big = FALSE;
      gsize key_len;
      char *text;

      if (!next_chunk (data, size, &offset, &chunk, error))
        return NULL;
      if (memcmp (chunk.type, "IEND", 4) == 0)
        break;
      if (!is_text_chunk (chunk.type) || !(keyword = chunk_keyword (&chunk)))
        continue;
      key_len = strlen (keyword);
      /* Keywords are Latin-1; as keys they are UTF-8 like the texts. */
      if (!g_utf8_validate (keyword, -1, NULL))
        {
          char *utf8 = g_convert (keyword, -1, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);

          if (utf8 == NULL)
            continue;
          g_free (keyword);
          keyword = utf8;
        }
      if (g_hash_table_contains (out, keyword) ||
          g_ptr_array_find_with_equal_func (skipped, keyword, g_str_equal, NULL))
        continue;
      if ((text = chunk_text (&chunk, key_len, &big)))
        g_hash_table_insert (out, g_steal_pointer (&keyword), text);
      else if (big)
        g_ptr_array_add (skipped, g_steal_pointer (&keyword));
    }
  if (too_large != NULL)
    *too_large = g_steal_pointer (&skipped);
  return g_steal_pointer (&out);
}

/**
 * peel_png_read_text:
 * @png: a PNG image
 * @error: return location for an error
 *
 * As peel_png_read_text_full(), with the chunks too large to read left out.
 *
 * Returns: (transfer full) (element-type utf8 utf8): keyword → text (UTF-8)
 */
GHashTable *
peel_png_read_text (GBytes  *png,
                    GError **error)
{
  return peel_png_read_text_full (png, NULL, error);
}
