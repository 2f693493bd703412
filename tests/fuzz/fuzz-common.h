/* fuzz-common.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Shared by the fuzz targets and by tests/regressions/test-regressions.c, which compiles the
 * same targets with PEEL_FUZZ_NO_ENTRY defined and feeds them saved inputs. Each target
 * defines PEEL_FUZZ_TARGET (name, function): a function taking the bytes, and, for libFuzzer,
 * LLVMFuzzerTestOneInput calling it. */

#pragma once

#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "peel-gemini-reply.h"
#include "peel-node.h"

#ifdef PEEL_FUZZ_NO_ENTRY
# define PEEL_FUZZ_TARGET(name, func)
#else
# define PEEL_FUZZ_TARGET(name, func)                                    \
  int LLVMFuzzerInitialize (int *argc, char ***argv);                   \
  int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);        \
  int                                                                   \
  LLVMFuzzerInitialize (int    *argc,                                   \
                        char ***argv)                                   \
  {                                                                     \
    peel_fuzz_init ();                                                  \
    return 0;                                                           \
  }                                                                     \
  int                                                                   \
  LLVMFuzzerTestOneInput (const uint8_t *data,                          \
                          size_t         size)                          \
  {                                                                     \
    func (data, size);                                                  \
    return 0;                                                           \
  }
#endif

static GLogWriterOutput
peel_fuzz_log_writer (GLogLevelFlags   level,
                      const GLogField *fields,
                      gsize            n_fields,
                      gpointer         user_data)
{
  /* A critical is a broken precondition inside Peel: hostile input must never reach one. */
  if (level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR))
    {
      g_log_writer_standard_streams (level, fields, n_fields, user_data);
      abort ();
    }
  /* Warnings about damaged input are expected by the thousand; keep the fuzzer's output quiet. */
  return G_LOG_WRITER_HANDLED;
}

static inline void
peel_fuzz_init (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_log_set_writer_func (peel_fuzz_log_writer, NULL, NULL);
}

/* A failure must say what went wrong, in words. */
static inline void
peel_fuzz_check_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 0);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static inline void
peel_fuzz_check_utf8 (const char *text)
{
  if (text != NULL)
    g_assert_true (g_utf8_validate (text, -1, NULL));
}

/* Reads everything a reply offers, as the window and the CLI would. */
static inline void
peel_fuzz_exercise_reply (PeelGeminiReply *reply)
{
  GPtrArray *parts = peel_gemini_reply_get_parts (reply);
  GPtrArray *sources = peel_gemini_reply_get_sources (reply);
  g_autoptr(GPtrArray) history = peel_gemini_reply_dup_history_parts (reply);
  g_autofree char *text = peel_gemini_reply_dup_text (reply);
  g_autofree char *thoughts = peel_gemini_reply_dup_thoughts (reply);
  const char *const *queries = peel_gemini_reply_get_search_queries (reply);
  const PeelPart *image = peel_gemini_reply_get_final_image (reply);
  const PeelUsage *usage = peel_gemini_reply_get_usage (reply);

  peel_fuzz_check_utf8 (text);
  peel_fuzz_check_utf8 (thoughts);
  for (guint i = 0; parts != NULL && i < parts->len; i++)
    {
      const PeelPart *part = g_ptr_array_index (parts, i);

      if (part->kind == PEEL_PART_TEXT)
        peel_fuzz_check_utf8 (part->text);
      else if (part->data != NULL)
        (void) g_bytes_get_size (part->data);
    }
  for (guint i = 0; sources != NULL && i < sources->len; i++)
    {
      const PeelGroundingSource *source = g_ptr_array_index (sources, i);

      peel_fuzz_check_utf8 (source->title);
      peel_fuzz_check_utf8 (source->uri);
    }
  for (guint i = 0; queries != NULL && queries[i] != NULL; i++)
    peel_fuzz_check_utf8 (queries[i]);
  if (image != NULL)
    g_assert_true (image->kind == PEEL_PART_IMAGE);
  g_assert_nonnull (usage);
  (void) peel_gemini_reply_get_last_thought_image (reply);
  (void) peel_gemini_reply_get_image_url (reply);
  peel_fuzz_check_utf8 (peel_gemini_reply_get_finish_reason (reply));
  peel_fuzz_check_utf8 (peel_gemini_reply_get_finish_message (reply));
  peel_fuzz_check_utf8 (peel_gemini_reply_get_block_reason (reply));
  peel_fuzz_check_utf8 (peel_gemini_reply_get_block_message (reply));
  peel_fuzz_check_utf8 (peel_gemini_reply_get_model_version (reply));
  peel_fuzz_check_utf8 (peel_gemini_reply_get_response_id (reply));
  (void) peel_gemini_reply_get_search_entry_point (reply);
}

/* Splits an input into a chunking and a body: byte 0 says how many of the next bytes are chunk
 * lengths (0–7, so a plain body also works), each length byte + 1 is one chunk, used in turn. */
typedef struct
{
  const guint8 *lengths;
  gsize         n_lengths;
  const char   *body;
  gsize         body_len;
} PeelFuzzChunks;

static inline void
peel_fuzz_chunks_init (PeelFuzzChunks *chunks,
                       const guint8   *data,
                       gsize           size)
{
  gsize n = size > 0 ? data[0] % 8 : 0;

  memset (chunks, 0, sizeof *chunks);
  if (size == 0 || 1 + n > size)
    {
      chunks->body = (const char *) data;
      chunks->body_len = size;
      return;
    }
  chunks->lengths = data + 1;
  chunks->n_lengths = n;
  chunks->body = (const char *) data + 1 + n;
  chunks->body_len = size - 1 - n;
}

/* Feeds @chunks's body to @feed in pieces, each copied to a buffer of exactly its size so that
 * AddressSanitizer sees a read past one piece. Stops at the first failure. */
typedef gboolean (*PeelFuzzFeedFunc) (gpointer     target,
                                      const char  *data,
                                      gsize        len,
                                      GError     **error);

static inline gboolean
peel_fuzz_chunks_feed (const PeelFuzzChunks *chunks,
                       PeelFuzzFeedFunc      feed,
                       gpointer              target,
                       GError              **error)
{
  gsize offset = 0;
  guint turn = 0;

  while (offset < chunks->body_len)
    {
      gsize len = chunks->n_lengths > 0
                  ? (gsize) chunks->lengths[turn++ % chunks->n_lengths] + 1
                  : chunks->body_len;
      g_autofree char *piece = NULL;

      len = MIN (len, chunks->body_len - offset);
      piece = g_memdup2 (chunks->body + offset, len);
      if (!feed (target, piece, len, error))
        return FALSE;
      offset += len;
    }
  return TRUE;
}
