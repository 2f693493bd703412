/* peel-ratio-picker.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PEEL_TYPE_RATIO_PICKER (peel_ratio_picker_get_type ())

G_DECLARE_FINAL_TYPE (PeelRatioPicker, peel_ratio_picker, PEEL, RATIO_PICKER, GtkWidget)

GtkWidget  *peel_ratio_picker_new              (void);
const char *peel_ratio_picker_get_aspect_ratio (PeelRatioPicker *self);
void        peel_ratio_picker_set_aspect_ratio (PeelRatioPicker *self,
                                                const char      *aspect_ratio);
const char *peel_ratio_picker_get_model        (PeelRatioPicker *self);
void        peel_ratio_picker_set_model        (PeelRatioPicker *self,
                                                const char      *model);
gboolean    peel_ratio_picker_get_editing      (PeelRatioPicker *self);
void        peel_ratio_picker_set_editing      (PeelRatioPicker *self,
                                                gboolean         editing);
GtkPopover *peel_ratio_picker_get_popover      (PeelRatioPicker *self);

G_END_DECLS
