/* peel-gemini-reply-json.c
 *
 * A reply's JSON as base reads it (peel-json-document.c, peel-base64.c), and what goes wrong
 * there told in a reply's words: base's errors name no reply and no provider.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "peel-base64.h"
#include "peel-gemini-error.h"
#include "peel-gemini-reply-private.h"
#include "peel-json-reader.h"

/**
 * _peel_gemini_reply_open_json:
 * @json: a reply's body; it must outlive the result
 * @len: its length
 * @error: return location for a #PEEL_GEMINI_ERROR_MALFORMED error
 *
 * Returns: (transfer full) (nullable): the reply's document
 */
PeelJsonDocument *
_peel_gemini_reply_open_json (const char  *json,
                              gsize        len,
                              GError     **error)
{
  g_autoptr(GError) json_error = NULL;
  PeelJsonDocument *document;
  gsize start = 0;

  while (start < len && g_ascii_isspace (json[start]))
    start++;
  if (start == len)
    {
      g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                           _("The reply is empty. Try again."));
      return NULL;
    }

  /* A web page or a proxy's own answer, not the service's. */
  if (json[start] != '{' && json[start] != '[')
    {
      g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                           _("The reply is not JSON. Check the provider's address in "
                             "Preferences."));
      return NULL;
    }

  document = peel_json_document_load (json, len, &json_error);
  if (document != NULL)
    return document;

  if (json_error->domain == JSON_PARSER_ERROR)
    g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                 _("The reply is not valid JSON (%s). Try again."), json_error->message);
  else if (g_error_matches (json_error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_TOO_DEEP))
    g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                 _("The reply is nested more than %d levels deep, which no real "
                   "reply is. Peel did not read it."), PEEL_JSON_MAX_DEPTH);
  else if (g_error_matches (json_error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_TOO_LARGE))
    g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                 _("The reply holds more JSON than any real reply (%s). Peel did not read "
                   "it."), json_error->message);
  else
    g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                         _("The reply was cut short: its JSON ends in the middle. Try again."));
  return NULL;
}

/**
 * _peel_gemini_reply_decode_base64:
 * @document: the reply's document
 * @data: (nullable): an `inlineData.data` value from its tree
 * @error: return location for a #PEEL_GEMINI_ERROR_MALFORMED error
 *
 * Returns: (transfer full) (nullable): the decoded bytes, empty when @data is %NULL
 */
GBytes *
_peel_gemini_reply_decode_base64 (PeelJsonDocument  *document,
                                  const char        *data,
                                  GError           **error)
{
  g_autoptr(GBytes) bytes = NULL;
  const char *raw;
  gsize raw_len;

  /* Straight from the reply's own buffer: no copy of the base64. */
  if (peel_json_document_get_long_string (document, data, &raw, &raw_len))
    bytes = peel_base64_decode (raw, raw_len, TRUE, NULL);
  else if (data != NULL)
    bytes = peel_base64_decode (data, strlen (data), FALSE, NULL);
  else
    return g_bytes_new (NULL, 0);

  if (bytes == NULL)
    g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                         _("The image data in the reply is not valid base64: it was damaged "
                           "on the way. Try again."));
  return g_steal_pointer (&bytes);
}
