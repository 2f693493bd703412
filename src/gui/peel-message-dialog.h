/* peel-message-dialog.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwMessageDialog *peel_message_dialog_new (GtkWindow  *parent,
                                           const char *heading,
                                           const char *body);

G_END_DECLS
