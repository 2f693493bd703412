/* peel-json-lift.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _PeelJsonLift PeelJsonLift;

PeelJsonLift *peel_json_lift_load      (const char    *json,
                                        gsize          len,
                                        GError       **error);
JsonNode     *peel_json_lift_get_root  (PeelJsonLift  *self);
gboolean      peel_json_lift_get_raw   (PeelJsonLift  *self,
                                        const char    *value,
                                        const char   **raw,
                                        gsize         *raw_len);
char         *peel_json_lift_dup_value (PeelJsonLift  *self,
                                        const char    *value);
void          peel_json_lift_free      (PeelJsonLift  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PeelJsonLift, peel_json_lift_free)

G_END_DECLS
