/* peel-image-probe.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Larger than every size the image models make (12288×1536 at 8:1 4K), small enough that
 * decoding one cannot take the machine's memory. */
#define PEEL_IMAGE_MAX_SIDE   16384
#define PEEL_IMAGE_MAX_PIXELS G_GUINT64_CONSTANT (200000000)

gboolean peel_image_probe (GBytes      *bytes,
                           int         *width,
                           int         *height,
                           char       **mime_type,
                           GError     **error);

G_END_DECLS
