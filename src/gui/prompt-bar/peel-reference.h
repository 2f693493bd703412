/* peel-reference.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "peel-part.h"

G_BEGIN_DECLS

#define PEEL_TYPE_REFERENCE (peel_reference_get_type ())

G_DECLARE_FINAL_TYPE (PeelReference, peel_reference, PEEL, REFERENCE, GObject)

PeelReference  *peel_reference_new         (const PeelPart *part,
                                            GdkTexture     *thumbnail,
                                            const char     *name);
const PeelPart *peel_reference_get_part    (PeelReference  *self);
GdkTexture     *peel_reference_get_thumbnail (PeelReference *self);
void            peel_reference_set_thumbnail (PeelReference *self,
                                              GdkTexture    *thumbnail);
const char     *peel_reference_get_name    (PeelReference  *self);
void            peel_reference_load_thumbnail (PeelReference *self,
                                               int            size,
                                               GCancellable  *cancellable);

G_END_DECLS
