/* peel-gemini-error.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-gemini-error.h"

G_DEFINE_QUARK (peel-gemini-error-quark, peel_gemini_error)

/**
 * peel_gemini_error_is_retryable:
 * @error: (nullable): an error from the client
 *
 * Whether trying the same request again may succeed. Nothing that was billed is
 * retryable: a blocked or image-less answer came with HTTP 200.
 */
gboolean
peel_gemini_error_is_retryable (const GError *error)
{
  if (error == NULL || error->domain != PEEL_GEMINI_ERROR)
    return FALSE;

  switch ((PeelGeminiError) error->code)
    {
    case PEEL_GEMINI_ERROR_RATE_LIMITED:
    case PEEL_GEMINI_ERROR_SERVER:
    case PEEL_GEMINI_ERROR_NETWORK:
    case PEEL_GEMINI_ERROR_TIMEOUT:
      return TRUE;

    case PEEL_GEMINI_ERROR_INVALID_REQUEST:
    case PEEL_GEMINI_ERROR_INVALID_KEY:
    case PEEL_GEMINI_ERROR_PERMISSION:
    case PEEL_GEMINI_ERROR_NOT_FOUND:
    case PEEL_GEMINI_ERROR_BLOCKED:
    case PEEL_GEMINI_ERROR_NO_IMAGE:
    case PEEL_GEMINI_ERROR_MALFORMED:
    case PEEL_GEMINI_ERROR_TOO_LARGE:
    case PEEL_GEMINI_ERROR_BAD_INPUT:
    case PEEL_GEMINI_ERROR_INSECURE:
    default:
      return FALSE;
    }
}
