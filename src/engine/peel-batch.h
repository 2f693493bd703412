/* peel-batch.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "peel-gemini-client.h"
#include "peel-generation.h"
#include "peel-node.h"
#include "peel-session.h"

G_BEGIN_DECLS

/* The most siblings one Generate with variations makes. */
#define PEEL_BATCH_MAX_COUNT 8

#define PEEL_TYPE_BATCH (peel_batch_get_type ())

G_DECLARE_FINAL_TYPE (PeelBatch, peel_batch, PEEL, BATCH, GObject)

PeelBatch      *peel_batch_new              (PeelSession          *session,
                                             PeelGeminiClient     *client,
                                             guint                 count,
                                             guint                 concurrency);
const char     *peel_batch_get_id           (PeelBatch            *self);
guint           peel_batch_get_count        (PeelBatch            *self);
PeelGeneration *peel_batch_get_generation   (PeelBatch            *self,
                                             guint                 index);
void            peel_batch_run_async        (PeelBatch            *self,
                                             PeelNode             *parent,
                                             const PeelTurnSpec   *spec,
                                             gboolean              stream,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray      *peel_batch_run_finish       (PeelBatch            *self,
                                             GAsyncResult         *result,
                                             GError              **error);

G_END_DECLS
