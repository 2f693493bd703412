/* peel-size-picker.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "peel-model-catalog.h"

G_BEGIN_DECLS

#define PEEL_TYPE_SIZE_PICKER (peel_size_picker_get_type ())

G_DECLARE_FINAL_TYPE (PeelSizePicker, peel_size_picker, PEEL, SIZE_PICKER, GtkWidget)

GtkWidget     *peel_size_picker_new              (void);
PeelImageSize  peel_size_picker_get_image_size   (PeelSizePicker *self);
void           peel_size_picker_set_image_size   (PeelSizePicker *self,
                                                  PeelImageSize   image_size);
const char    *peel_size_picker_get_model        (PeelSizePicker *self);
void           peel_size_picker_set_model        (PeelSizePicker *self,
                                                  const char     *model);
const char    *peel_size_picker_get_aspect_ratio (PeelSizePicker *self);
void           peel_size_picker_set_aspect_ratio (PeelSizePicker *self,
                                                  const char     *aspect_ratio);
GtkPopover    *peel_size_picker_get_popover      (PeelSizePicker *self);

G_END_DECLS
