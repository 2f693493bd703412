/* peel-reference-strip.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PEEL_TYPE_REFERENCE_STRIP (peel_reference_strip_get_type ())

G_DECLARE_FINAL_TYPE (PeelReferenceStrip, peel_reference_strip, PEEL, REFERENCE_STRIP, GtkWidget)

GtkWidget  *peel_reference_strip_new            (void);
GListModel *peel_reference_strip_get_references (PeelReferenceStrip *self);
void        peel_reference_strip_choose_files   (PeelReferenceStrip *self);
void        peel_reference_strip_set_references (PeelReferenceStrip *self,
                                                 GListModel         *references);
const char *peel_reference_strip_get_model      (PeelReferenceStrip *self);
void        peel_reference_strip_set_model      (PeelReferenceStrip *self,
                                                 const char         *model);

G_END_DECLS
