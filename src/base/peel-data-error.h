/* peel-data-error.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PEEL_DATA_ERROR (peel_data_error_quark ())

/**
 * PeelDataError:
 * @PEEL_DATA_ERROR_MALFORMED: the data is damaged, cut short, or not in the encoding it
 *   should be (base64 that is not, an image whose header cannot be read)
 * @PEEL_DATA_ERROR_TOO_LARGE: the data declares a size past what Peel opens safely
 * @PEEL_DATA_ERROR_UNSUPPORTED: the data is in no format Peel reads
 *
 * What is wrong with encoded data that base reads: base64 and image headers. Each library
 * above says it in its own words where it meets one (the protocol in #PEEL_GEMINI_ERROR).
 */
typedef enum
{
  PEEL_DATA_ERROR_MALFORMED,
  PEEL_DATA_ERROR_TOO_LARGE,
  PEEL_DATA_ERROR_UNSUPPORTED,
} PeelDataError;

GQuark peel_data_error_quark (void);

G_END_DECLS
