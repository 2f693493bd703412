/* peel-render.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "peel-node.h"

G_BEGIN_DECLS

#define PEEL_RENDER_ERROR (peel_render_error_quark ())

/**
 * PeelRenderError:
 * @PEEL_RENDER_ERROR_NO_IMAGE: the node has no image made by a model (failed, pending,
 *   imported)
 * @PEEL_RENDER_ERROR_REGION: the node is a region edit, whose exactness a larger image cannot
 *   keep
 * @PEEL_RENDER_ERROR_MODEL: the node's model is shut down
 * @PEEL_RENDER_ERROR_SIZE: the size asked for is not larger than the draft's, or the model
 *   does not make it
 */
typedef enum
{
  PEEL_RENDER_ERROR_NO_IMAGE,
  PEEL_RENDER_ERROR_REGION,
  PEEL_RENDER_ERROR_MODEL,
  PEEL_RENDER_ERROR_SIZE,
} PeelRenderError;

GQuark        peel_render_error_quark  (void);

gboolean      peel_render_check        (PeelNode       *draft,
                                        GError        **error);
guint         peel_render_larger_sizes (PeelNode       *draft,
                                        PeelImageSize  *sizes);
double        peel_render_price        (PeelNode       *draft,
                                        PeelImageSize   size);
PeelTurnSpec *peel_render_dup_spec     (PeelNode       *draft,
                                        PeelImageSize   size,
                                        GError        **error);

G_END_DECLS
