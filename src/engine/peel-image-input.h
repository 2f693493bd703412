/* peel-image-input.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "peel-part.h"

G_BEGIN_DECLS

/* A file larger than this is refused before it is read. */
#define PEEL_IMAGE_INPUT_MAX_FILE_BYTES  (50 * 1000 * 1000)
/* Refused from the header alone: decoding one would take gigabytes. */
#define PEEL_IMAGE_INPUT_MAX_PIXELS      G_GUINT64_CONSTANT (100000000)
#define PEEL_IMAGE_INPUT_MAX_SIDE        20000
/* PNG and JPEG files within both limits, upright, are sent as they are. */
#define PEEL_IMAGE_INPUT_MAX_SENT_BYTES  (7 * 1000 * 1000)
#define PEEL_IMAGE_INPUT_MAX_SENT_SIDE   4096

PeelPart *peel_image_input_prepare          (GBytes               *bytes,
                                             const char           *display_name,
                                             GError              **error);
void      peel_image_input_load_file_async  (GFile                *file,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
PeelPart *peel_image_input_load_file_finish (GAsyncResult         *result,
                                             GError              **error);
PeelPart *peel_image_input_load_file_finish_full (GAsyncResult    *result,
                                                  char           **display_name,
                                                  GBytes         **original,
                                                  GError         **error);

G_END_DECLS
