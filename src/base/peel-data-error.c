/* peel-data-error.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-data-error.h"

G_DEFINE_QUARK (peel-data-error-quark, peel_data_error)
