/* peel-service.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "peel-connection.h"
#include "peel-gemini-client.h"

G_BEGIN_DECLS

#define PEEL_TYPE_SERVICE (peel_service_get_type ())

G_DECLARE_FINAL_TYPE (PeelService, peel_service, PEEL, SERVICE, GObject)

PeelService      *peel_service_new           (GSettings         *settings,
                                              gboolean           force_demo,
                                              PeelDemoStartFunc  start_demo);
PeelGeminiClient *peel_service_get_client    (PeelService  *self);
gboolean          peel_service_get_demo      (PeelService  *self);
gboolean          peel_service_get_ready     (PeelService  *self);
const char       *peel_service_get_problem   (PeelService  *self);
gpointer          peel_service_get_demo_server (PeelService *self);
void              peel_service_reload        (PeelService  *self);
gint64            peel_service_get_models_fetched (PeelService *self);
PeelProvider     *peel_service_provider_from_settings (GSettings  *settings,
                                                       GError    **error);

G_END_DECLS
