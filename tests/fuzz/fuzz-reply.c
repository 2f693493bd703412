/* fuzz-reply.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A whole generateContent reply, as a non-streamed request gets it: parse, read, check. */

#include "fuzz-common.h"

int peel_fuzz_reply (const guint8 *data, size_t size);

int
peel_fuzz_reply (const guint8 *data,
                 size_t        size)
{
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = peel_gemini_reply_parse ((const char *) data, size, &error);
  if (reply == NULL)
    {
      peel_fuzz_check_error (error);
      return 0;
    }
  g_assert_no_error (error);
  peel_fuzz_exercise_reply (reply);
  if (!peel_gemini_reply_check (reply, &error))
    peel_fuzz_check_error (error);
  else
    g_assert_no_error (error);
  return 0;
}

PEEL_FUZZ_TARGET ("reply", peel_fuzz_reply)
