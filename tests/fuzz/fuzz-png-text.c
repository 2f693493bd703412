/* fuzz-png-text.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Compressed text chunks: a fuzzer rarely makes a valid zlib stream and a PNG around it by
 * itself, so this target builds both. Byte 0: bit 0 picks zTXt or iTXt; bit 1 whether the
 * rest is the compressed stream itself (damaged, truncated, a bomb) or the text, which is
 * deflated here; bits 2–7 repeat the text 1–63 times, or (all set) up to 64 KB past the 4 MB
 * cap, before deflating.
 * Byte 1 picks the keyword. What is read must be UTF-8 within the cap, a chunk past it is
 * named as too large and not read, the lineage imports through the bounded reader, and the
 * terminal and label forms of every value are clean. */

#include "fuzz-common.h"
#include "peel-export.h"
#include "peel-png-meta.h"
#include "peel-session.h"
#include "peel-text.h"

int peel_fuzz_png_text (const guint8 *data, size_t size);

#define MAX_TEXT (PEEL_PNG_TEXT_MAX_BYTES + 64 * 1024)

static const char *keywords[] = { "peel:lineage", "prompt", "Title", "parameters" };

/* A 1×1 grey PNG: signature, IHDR, then IDAT and IEND, between which the chunk goes. */
static const guint8 png_head[] = {
  0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
  0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0, 0x3a, 0x7e, 0x9b, 0x55,
};
static const guint8 png_tail[] = {
  0, 0, 0, 10, 'I', 'D', 'A', 'T', 0x78, 0x9c, 0x63, 0x60, 0, 0, 0, 2, 0, 1, 0x48, 0xaf, 0xa4,
  0x71,
  0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82,
};

static GBytes *
deflate_text (const guint8 *text,
              gsize         len,
              guint         repeat)
{
  g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 1);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize total = len == 0 ? 0 : MIN (len * repeat, MAX_TEXT);
  gsize fed = 0;

  for (;;)
    {
      guint8 buffer[16 * 1024];
      gsize offset = len == 0 ? 0 : fed % len;
      gsize chunk = len == 0 ? 0 : MIN (len - offset, total - fed);
      gsize bytes_read = 0, bytes_written = 0;
      GConverterResult result;

      result = g_converter_convert (G_CONVERTER (z), text + offset, chunk, buffer, sizeof buffer,
                                    fed + chunk >= total ? G_CONVERTER_INPUT_AT_END
                                                         : G_CONVERTER_NO_FLAGS,
                                    &bytes_read, &bytes_written, NULL);
      g_assert_true (result != G_CONVERTER_ERROR);
      fed += bytes_read;
      g_byte_array_append (out, buffer, bytes_written);
      if (result == G_CONVERTER_FINISHED)
        break;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
append_be32 (GByteArray *out,
             guint32     v)
{
  guint8 b[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };

  g_byte_array_append (out, b, 4);
}

int
peel_fuzz_png_text (const guint8 *data,
                    size_t        size)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GBytes) stream = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GHashTable) meta = NULL;
  g_autoptr(GPtrArray) too_large = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  const char *keyword;
  gboolean itxt, raw;
  guint repeat;

  if (size < 2)
    return 0;
  itxt = data[0] & 1;
  raw = data[0] & 2;
  /* Mostly a few copies; 63 asks for 2^31, past the cap (rarely, as it costs 4 MB). */
  repeat = (data[0] >> 2) < 63 ? 1 + (data[0] >> 2) : 1u << 31;
  keyword = keywords[data[1] % G_N_ELEMENTS (keywords)];
  if (raw)
    stream = g_bytes_new (data + 2, size - 2);
  else
    stream = deflate_text (data + 2, size - 2, repeat);

  g_byte_array_append (body, (const guint8 *) (itxt ? "iTXt" : "zTXt"), 4);
  g_byte_array_append (body, (const guint8 *) keyword, strlen (keyword) + 1);
  /* iTXt: compressed, method 0, no language, no translated keyword. zTXt: method 0. */
  if (itxt)
    g_byte_array_append (body, (const guint8 *) "\1\0\0\0", 4);
  else
    g_byte_array_append (body, (const guint8 *) "\0", 1);
  g_byte_array_append (body, g_bytes_get_data (stream, NULL), g_bytes_get_size (stream));

  g_byte_array_append (png, png_head, sizeof png_head);
  append_be32 (png, body->len - 4);
  g_byte_array_append (png, body->data, body->len);
  append_be32 (png, peel_png_crc32 (body->data, body->len));
  g_byte_array_append (png, png_tail, sizeof png_tail);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&png));

  meta = peel_export_read_metadata_full (bytes, &too_large, &error);
  g_assert_no_error (error);
  g_assert_nonnull (meta);
  g_assert_nonnull (too_large);
  for (guint i = 0; i < too_large->len; i++)
    g_assert_false (g_hash_table_contains (meta, g_ptr_array_index (too_large, i)));

  g_hash_table_iter_init (&iter, meta);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *escaped = peel_text_escape_for_terminal (value, -1);
      g_autofree char *stripped = peel_text_strip_for_label (value, -1);

      g_assert_true (g_utf8_validate (value, -1, NULL));
      g_assert_cmpuint (strlen (value), <=, PEEL_PNG_TEXT_MAX_BYTES);
      g_assert_true (peel_text_is_clean (escaped, -1));
      g_assert_true (peel_text_is_clean (stripped, -1));
    }

  if (g_hash_table_contains (meta, "peel:lineage"))
    {
      g_autoptr(PeelSession) session = peel_session_new ("fuzz");
      g_autoptr(GError) import_error = NULL;

      if (peel_session_import_png (session, bytes, NULL, &import_error) == NULL)
        peel_fuzz_check_error (import_error);
    }
  return 0;
}

PEEL_FUZZ_TARGET ("png-text", peel_fuzz_png_text)
