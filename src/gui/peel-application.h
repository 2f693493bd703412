/* peel-application.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "peel-service.h"

G_BEGIN_DECLS

#define PEEL_TYPE_APPLICATION (peel_application_get_type ())

G_DECLARE_FINAL_TYPE (PeelApplication, peel_application, PEEL, APPLICATION, AdwApplication)

PeelApplication *peel_application_new          (void);
PeelApplication *peel_application_new_for_test (gboolean demo);
void             peel_application_set_demo_start (PeelApplication   *self,
                                                  PeelDemoStartFunc  start_demo);
gboolean         peel_application_get_demo     (PeelApplication *self);
PeelService     *peel_application_get_service  (PeelApplication *self);
void             peel_application_show_preferences (PeelApplication *self,
                                                    GtkWindow       *parent);

G_END_DECLS
