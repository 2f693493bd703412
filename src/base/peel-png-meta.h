/* peel-png-meta.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The longest text chunk read, after inflating: Peel's lineage of hundreds of turns is a few
 * hundred KB; a zTXt that inflates to gigabytes is stopped here. */
#define PEEL_PNG_TEXT_MAX_BYTES ((gsize) 4 * 1024 * 1024)

/**
 * PeelPngText:
 * @keyword: the chunk keyword (1–79 Latin-1 characters)
 * @text: the text, UTF-8
 * @international: write an iTXt chunk (UTF-8) rather than tEXt (Latin-1)
 *
 * One text chunk to write.
 */
typedef struct
{
  char     *keyword;
  char     *text;
  gboolean  international;
} PeelPngText;

PeelPngText *peel_png_text_new      (const char   *keyword,
                                     const char   *text,
                                     gboolean      international);
void         peel_png_text_free     (PeelPngText  *text);

gboolean     peel_png_check         (GBytes       *png,
                                     GError      **error);
GBytes      *peel_png_set_text      (GBytes       *png,
                                     GPtrArray    *texts,
                                     gboolean      strip_text,
                                     GError      **error);
GHashTable  *peel_png_read_text     (GBytes       *png,
                                     GError      **error);
GHashTable  *peel_png_read_text_full (GBytes      *png,
                                     GPtrArray  **too_large,
                                     GError     **error);
guint32      peel_png_crc32         (const guint8 *data,
                                     gsize         len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PeelPngText, peel_png_text_free)

G_END_DECLS
