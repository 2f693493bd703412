/* fuzz-stream.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A streamed reply end to end, as the client reads it: the body in the chunking the input's
 * first bytes choose, split into SSE events, each event added to one reply, then the check. */

#include "fuzz-common.h"
#include "peel-sse-parser.h"

int peel_fuzz_stream (const guint8 *data, size_t size);

static gboolean
event_cb (const char  *data,
          gsize        len,
          gpointer     user_data,
          GError     **error)
{
  g_autofree char *copy = g_memdup2 (data, len);

  if (!peel_gemini_reply_add_chunk (user_data, copy, len, error))
    {
      peel_fuzz_check_error (*error);
      return FALSE;
    }
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

int
peel_fuzz_stream (const guint8 *data,
                  size_t        size)
{
  PeelFuzzChunks chunks;
  g_autoptr(PeelGeminiReply) reply = peel_gemini_reply_new ();
  g_autoptr(PeelSseParser) parser = peel_sse_parser_new (4 * 1024 * 1024, event_cb, reply);
  g_autoptr(GError) error = NULL;

  peel_fuzz_chunks_init (&chunks, data, size);
  if (!peel_fuzz_chunks_feed (&chunks, feed_cb, parser, &error) ||
      !peel_sse_parser_finish (parser, &error))
    {
      peel_fuzz_check_error (error);
      return 0;
    }
  peel_fuzz_exercise_reply (reply);
  if (!peel_gemini_reply_check (reply, &error))
    peel_fuzz_check_error (error);
  return 0;
}

PEEL_FUZZ_TARGET ("stream", peel_fuzz_stream)
