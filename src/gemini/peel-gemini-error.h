/* peel-gemini-error.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PEEL_GEMINI_ERROR (peel_gemini_error_quark ())

/**
 * PeelGeminiError:
 * @PEEL_GEMINI_ERROR_INVALID_REQUEST: the request was refused as malformed (HTTP 400)
 * @PEEL_GEMINI_ERROR_INVALID_KEY: the API key was refused or is missing
 * @PEEL_GEMINI_ERROR_PERMISSION: the key may not use this model or service (HTTP 403)
 * @PEEL_GEMINI_ERROR_NOT_FOUND: the model or path does not exist (HTTP 404)
 * @PEEL_GEMINI_ERROR_RATE_LIMITED: quota or rate limit (HTTP 429), retried until given up
 * @PEEL_GEMINI_ERROR_SERVER: the service failed (HTTP 5xx), retried until given up
 * @PEEL_GEMINI_ERROR_NETWORK: the connection failed or dropped
 * @PEEL_GEMINI_ERROR_TIMEOUT: no answer in time
 * @PEEL_GEMINI_ERROR_BLOCKED: the prompt or the image was blocked (HTTP 200 with a reason)
 * @PEEL_GEMINI_ERROR_NO_IMAGE: the model answered without an image
 * @PEEL_GEMINI_ERROR_MALFORMED: the reply could not be understood, or was cut short
 * @PEEL_GEMINI_ERROR_TOO_LARGE: the reply or the request is past a size limit
 * @PEEL_GEMINI_ERROR_BAD_INPUT: an input image or setting cannot be sent
 * @PEEL_GEMINI_ERROR_INSECURE: plain http:// to a host other than this machine
 *
 * What went wrong with a generation, as a person would act on it.
 */
typedef enum
{
  PEEL_GEMINI_ERROR_INVALID_REQUEST,
  PEEL_GEMINI_ERROR_INVALID_KEY,
  PEEL_GEMINI_ERROR_PERMISSION,
  PEEL_GEMINI_ERROR_NOT_FOUND,
  PEEL_GEMINI_ERROR_RATE_LIMITED,
  PEEL_GEMINI_ERROR_SERVER,
  PEEL_GEMINI_ERROR_NETWORK,
  PEEL_GEMINI_ERROR_TIMEOUT,
  PEEL_GEMINI_ERROR_BLOCKED,
  PEEL_GEMINI_ERROR_NO_IMAGE,
  PEEL_GEMINI_ERROR_MALFORMED,
  PEEL_GEMINI_ERROR_TOO_LARGE,
  PEEL_GEMINI_ERROR_BAD_INPUT,
  PEEL_GEMINI_ERROR_INSECURE,
} PeelGeminiError;

GQuark   peel_gemini_error_quark                  (void);
gboolean peel_gemini_error_is_retryable           (const GError  *error);
void     peel_gemini_error_set_from_http          (GError       **error,
                                                   guint          status,
                                                   const char    *body,
                                                   gsize          len,
                                                   const char    *retry_after_header,
                                                   double        *retry_delay_seconds);
void     peel_gemini_error_set_from_http_for_model (GError      **error,
                                                   guint          status,
                                                   const char    *body,
                                                   gsize          len,
                                                   const char    *retry_after_header,
                                                   const char    *model,
                                                   double        *retry_delay_seconds);
void     peel_gemini_error_set_from_object        (GError       **error,
                                                   guint          status,
                                                   JsonObject    *object,
                                                   const char    *model,
                                                   double        *retry_delay_seconds);
double   peel_gemini_error_parse_retry_after      (const char    *header);
char    *peel_gemini_error_sanitize               (const char    *text,
                                                   gssize         len,
                                                   gsize          max_chars);

PeelGeminiError peel_gemini_error_code_from_data  (const GError  *data_error);
void            peel_gemini_error_propagate_data  (GError       **error,
                                                   GError        *data_error);

G_END_DECLS
