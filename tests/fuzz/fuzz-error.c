/* fuzz-error.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Google's error bodies (and whatever a proxy answers instead) turned into a typed error.
 * Byte 0 picks the HTTP status; when byte 1 is odd, what follows up to the first newline is a
 * Retry-After header; the rest is the body. */

#include <math.h>

#include "fuzz-common.h"
#include "peel-gemini-error.h"

int peel_fuzz_error (const guint8 *data, size_t size);

static const guint statuses[] = {
  400, 401, 403, 404, 408, 409, 413, 429, 499, 500, 502, 503, 504, 200, 0, 302, 418, 999,
};

int
peel_fuzz_error (const guint8 *data,
                 size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) model_error = NULL;
  g_autofree char *header = NULL;
  g_autofree char *body = NULL;
  g_autofree char *clean = NULL;
  const char *rest = (const char *) data;
  gsize rest_len = size;
  double delay = -1;
  double model_delay = -1;
  guint status = 500;

  if (size >= 2)
    {
      status = (data[0] & 0x80) ? statuses[data[0] % G_N_ELEMENTS (statuses)]
                                : 400 + (guint) data[0] * 2;
      rest += 2;
      rest_len -= 2;
      if (data[1] & 1)
        {
          const char *nl = memchr (rest, '\n', rest_len);
          gsize header_len = nl != NULL ? (gsize) (nl - rest) : rest_len;

          header = g_strndup (rest, header_len);
          rest += MIN (header_len + 1, rest_len);
          rest_len -= MIN (header_len + 1, rest_len);
        }
    }
  body = g_memdup2 (rest, rest_len);

  peel_gemini_error_set_from_http (&error, status, body, rest_len, header, &delay);
  peel_fuzz_check_error (error);
  g_assert_true (error->domain == PEEL_GEMINI_ERROR);
  g_assert_true (delay >= 0 || delay == -1);
  (void) peel_gemini_error_is_retryable (error);

  peel_gemini_error_set_from_http_for_model (&model_error, status, body, rest_len, header,
                                             "gemini-3.1-flash-image-preview", &model_delay);
  peel_fuzz_check_error (model_error);

  if (header != NULL)
    {
      double seconds = peel_gemini_error_parse_retry_after (header);

      g_assert_false (isnan (seconds));
    }

  clean = peel_gemini_error_sanitize (body, rest_len, 200);
  g_assert_nonnull (clean);
  g_assert_true (g_utf8_validate (clean, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (clean, -1), <=, 201);
  return 0;
}

PEEL_FUZZ_TARGET ("error", peel_fuzz_error)
