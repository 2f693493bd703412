/* peel-export-private.h
 *
 * What peel-export.c shares with peel-export-region.c: region edits in an exported PNG's
 * lineage, and read back.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "peel-export.h"
#include "peel-png-meta.h"

G_BEGIN_DECLS

/* The text chunk holding the exported node's region mask, a PNG in base64. */
#define PEEL_EXPORT_REGION_MASK_KEYWORD "peel:region-mask"

PeelPngText  *_peel_export_region_mask_text (PeelNode         *node);
gboolean      _peel_export_read_region      (JsonObject       *entry,
                                             int               width,
                                             int               height,
                                             PeelRegionInfo   *info);
PeelPart     *_peel_export_read_region_mask (GHashTable       *meta,
                                             int               width,
                                             int               height);

G_END_DECLS
