/* peel-generation.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "peel-gemini-client.h"
#include "peel-node.h"
#include "peel-region.h"
#include "peel-session.h"

G_BEGIN_DECLS

#define PEEL_TYPE_GENERATION (peel_generation_get_type ())
#define PEEL_GENERATION_ERROR (peel_generation_error_quark ())

/**
 * PeelGenerationError:
 * @PEEL_GENERATION_ERROR_CANNOT_SAVE: the session cannot take the turn (read-only, full); found
 *   out before anything was sent
 * @PEEL_GENERATION_ERROR_NOT_SAVED: the answer arrived, and was paid for, but could not be
 *   saved in the session; peel_generation_get_unsaved_path() says where the image is kept
 */
typedef enum
{
  PEEL_GENERATION_ERROR_CANNOT_SAVE,
  PEEL_GENERATION_ERROR_NOT_SAVED,
} PeelGenerationError;

GQuark          peel_generation_error_quark         (void);

G_DECLARE_FINAL_TYPE (PeelGeneration, peel_generation, PEEL, GENERATION, GObject)

PeelGeneration *peel_generation_new                 (PeelSession          *session,
                                                     PeelGeminiClient     *client);
void            peel_generation_set_region          (PeelGeneration       *self,
                                                     PeelRegionMask       *mask,
                                                     int                   feather);
void            peel_generation_set_marks           (PeelGeneration       *self,
                                                     GPtrArray            *marks);
void            peel_generation_run_async           (PeelGeneration       *self,
                                                     PeelNode             *parent,
                                                     const PeelTurnSpec   *spec,
                                                     gboolean              stream,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
PeelNode       *peel_generation_run_finish          (PeelGeneration       *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
PeelNode       *peel_generation_get_node            (PeelGeneration       *self);
const char     *peel_generation_get_thoughts        (PeelGeneration       *self);
GBytes         *peel_generation_get_preview         (PeelGeneration       *self);
const char     *peel_generation_get_status          (PeelGeneration       *self);
const char     *peel_generation_get_context_summary (PeelGeneration       *self);
guint64         peel_generation_get_received_bytes  (PeelGeneration       *self);
gint64          peel_generation_get_started         (PeelGeneration       *self);
const char     *peel_generation_get_unsaved_path    (PeelGeneration       *self);
GError         *peel_generation_keep_unsaved        (const PeelPart       *image,
                                                     const char           *name,
                                                     const GError         *why,
                                                     char                **path);

const char     *peel_generation_error_code          (const GError         *error);

G_END_DECLS
