/* peel-json-document.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "peel-types.h"

G_BEGIN_DECLS

PeelJsonDocument *peel_json_document_load            (const char        *json,
                                                      gsize              len,
                                                      GError           **error);
JsonNode         *peel_json_document_get_root        (PeelJsonDocument  *self);
gboolean          peel_json_document_get_long_string (PeelJsonDocument  *self,
                                                      const char        *value,
                                                      const char       **raw,
                                                      gsize             *raw_len);
char             *peel_json_document_dup_string      (PeelJsonDocument  *self,
                                                      const char        *value);
void              peel_json_document_free            (PeelJsonDocument  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PeelJsonDocument, peel_json_document_free)

G_END_DECLS
