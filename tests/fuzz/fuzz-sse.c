/* fuzz-sse.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The SSE splitter fed in the chunking the input's first bytes choose: it must find the same
 * events as when the whole body arrives at once, and respect its cap on the total. */

#include "fuzz-common.h"
#include "peel-sse-parser.h"

int peel_fuzz_sse (const guint8 *data, size_t size);

static gboolean
collect_cb (const char  *data,
            gsize        len,
            gpointer     user_data,
            GError     **error)
{
  GString *events = user_data;

  /* Each event is framed by its length, so "ab" + "c" differs from "a" + "bc". */
  g_string_append_printf (events, "%" G_GSIZE_FORMAT ":", len);
  g_string_append_len (events, data, len);
  return TRUE;
}

static gboolean
feed_cb (gpointer     target,
         const char  *data,
         gsize        len,
         GError     **error)
{
  return peel_sse_parser_feed (target, data, len, error);
}

static gboolean
parse (const PeelFuzzChunks *chunks,
       gsize                 cap,
       GString              *events,
       GError              **error)
{
  g_autoptr(PeelSseParser) parser = peel_sse_parser_new (cap, collect_cb, events);

  if (!peel_fuzz_chunks_feed (chunks, feed_cb, parser, error))
    return FALSE;
  g_assert_cmpuint (peel_sse_parser_get_total_bytes (parser), ==, chunks->body_len);
  return peel_sse_parser_finish (parser, error);
}

int
peel_fuzz_sse (const guint8 *data,
               size_t        size)
{
  PeelFuzzChunks chunks, whole;
  g_autoptr(GString) split_events = g_string_new (NULL);
  g_autoptr(GString) whole_events = g_string_new (NULL);
  g_autoptr(GError) split_error = NULL;
  g_autoptr(GError) whole_error = NULL;
  gboolean split_ok, whole_ok;
  /* Byte 0's high bit asks for a cap below the body's size, to reach the cap's error. */
  gsize cap = size > 0 && (data[0] & 0x80) ? size / 2 : 1024 * 1024;

  peel_fuzz_chunks_init (&chunks, data, size);
  whole = chunks;
  whole.n_lengths = 0;

  split_ok = parse (&chunks, cap, split_events, &split_error);
  whole_ok = parse (&whole, cap, whole_events, &whole_error);
  if (!split_ok)
    peel_fuzz_check_error (split_error);
  if (!whole_ok)
    peel_fuzz_check_error (whole_error);
  g_assert_cmpint (split_ok, ==, whole_ok);
  if (split_ok)
    {
      g_assert_cmpuint (split_events->len, ==, whole_events->len);
      g_assert_true (memcmp (split_events->str, whole_events->str, split_events->len) == 0);
    }
  return 0;
}

PEEL_FUZZ_TARGET ("sse", peel_fuzz_sse)
