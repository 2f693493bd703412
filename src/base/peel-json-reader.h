/* peel-json-reader.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* No document Peel reads nests deeper; json-glib recurses once per level. */
#define PEEL_JSON_MAX_DEPTH 64

/* What json-glib may be given, per kind of document. Replies leave their long strings out
 * of what json-glib parses (peel-json-document.c), so their limit is on the rest. */
#define PEEL_JSON_MAX_REPLY_BYTES    ((gsize) 16 * 1024 * 1024)
#define PEEL_JSON_MAX_ERROR_BYTES    ((gsize) 1024 * 1024)
#define PEEL_JSON_MAX_SESSION_BYTES  ((gsize) 512 * 1024 * 1024)
#define PEEL_JSON_MAX_META_BYTES     ((gsize) 1024 * 1024)
#define PEEL_JSON_MAX_TEXT_BYTES     ((gsize) 4 * 1024 * 1024)
#define PEEL_JSON_MAX_SETTING_BYTES  ((gsize) 64 * 1024)

#define PEEL_JSON_ERROR (peel_json_error_quark ())

/**
 * PeelJsonError:
 * @PEEL_JSON_ERROR_INVALID: not JSON, or empty
 * @PEEL_JSON_ERROR_CUT_SHORT: the text ends inside a string or an open array or object
 * @PEEL_JSON_ERROR_TOO_DEEP: nested more than %PEEL_JSON_MAX_DEPTH levels
 * @PEEL_JSON_ERROR_TOO_LARGE: longer than the limit for its kind
 * @PEEL_JSON_ERROR_NOT_A_FILE: the path is not a regular file
 */
typedef enum
{
  PEEL_JSON_ERROR_INVALID,
  PEEL_JSON_ERROR_CUT_SHORT,
  PEEL_JSON_ERROR_TOO_DEEP,
  PEEL_JSON_ERROR_TOO_LARGE,
  PEEL_JSON_ERROR_NOT_A_FILE,
} PeelJsonError;

/**
 * PeelJsonLongStringFunc:
 * @start: the offset of the first byte inside the quotes
 * @end: the offset of the closing quote
 * @user_data: data given to peel_json_reader_scan()
 *
 * Called for each string longer than the scan's threshold, in order.
 */
typedef void (*PeelJsonLongStringFunc) (gsize    start,
                                        gsize    end,
                                        gpointer user_data);

GQuark    peel_json_error_quark        (void);

gboolean  peel_json_reader_check_size  (gsize                    len,
                                        gsize                    max_size,
                                        GError                 **error);
gboolean  peel_json_reader_scan        (const char              *json,
                                        gsize                    len,
                                        gsize                    max_size,
                                        gsize                    long_string,
                                        PeelJsonLongStringFunc   func,
                                        gpointer                 user_data,
                                        GError                 **error);
JsonNode *peel_json_reader_parse       (const char              *json,
                                        gssize                   len,
                                        gsize                    max_size,
                                        GError                 **error);
JsonNode *peel_json_reader_load_file   (const char              *path,
                                        gsize                    max_size,
                                        GError                 **error);

G_END_DECLS
