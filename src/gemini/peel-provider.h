/* peel-provider.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "peel-gemini-types.h"

G_BEGIN_DECLS

#define PEEL_TYPE_PROVIDER (peel_provider_get_type ())

G_DECLARE_FINAL_TYPE (PeelProvider, peel_provider, PEEL, PROVIDER, GObject)

typedef enum
{
  PEEL_AUTH_STYLE_GOOG_API_KEY,   /* x-goog-api-key: KEY */
  PEEL_AUTH_STYLE_BEARER,         /* Authorization: Bearer KEY */
} PeelAuthStyle;

#define PEEL_GOOGLE_BASE_URL   "https://generativelanguage.googleapis.com"
#define PEEL_COMETAPI_BASE_URL "https://api.cometapi.com"

PeelProvider  *peel_provider_new_google            (void);
PeelProvider  *peel_provider_new_cometapi          (void);
PeelProvider  *peel_provider_new                   (const char     *name,
                                                    const char     *base_url,
                                                    PeelAuthStyle   auth_style,
                                                    GError        **error);
const char    *peel_provider_get_name              (PeelProvider   *self);
const char    *peel_provider_get_base_url          (PeelProvider   *self);
PeelAuthStyle  peel_provider_get_auth_style        (PeelProvider   *self);
gsize          peel_provider_get_max_request_bytes (PeelProvider   *self);
void           peel_provider_set_max_request_bytes (PeelProvider   *self,
                                                    gsize           max_bytes);
char          *peel_provider_build_url             (PeelProvider   *self,
                                                    const char     *model,
                                                    gboolean        stream);
void           peel_provider_set_issuer            (PeelProvider   *self,
                                                    const char     *issuer);
const char    *peel_provider_get_issuer            (PeelProvider   *self);
gboolean       peel_provider_is_loopback           (PeelProvider   *self);

G_END_DECLS
