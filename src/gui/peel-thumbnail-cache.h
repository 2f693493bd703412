/* peel-thumbnail-cache.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "peel-node.h"
#include "peel-store.h"

G_BEGIN_DECLS

#define PEEL_TYPE_THUMBNAIL_CACHE (peel_thumbnail_cache_get_type ())

G_DECLARE_FINAL_TYPE (PeelThumbnailCache, peel_thumbnail_cache, PEEL, THUMBNAIL_CACHE, GObject)

PeelThumbnailCache *peel_thumbnail_cache_new             (guint                max_textures);
PeelThumbnailCache *peel_thumbnail_cache_get_default     (void);
guint               peel_thumbnail_cache_get_n_textures  (PeelThumbnailCache  *self);
char               *peel_thumbnail_cache_key_for_blob    (const char          *blob);
GdkTexture         *peel_thumbnail_cache_lookup          (PeelThumbnailCache  *self,
                                                          const char          *key);
void                peel_thumbnail_cache_load_node_async (PeelThumbnailCache  *self,
                                                          PeelStore           *store,
                                                          PeelNode            *node,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
void                peel_thumbnail_cache_load_blob_async (PeelThumbnailCache  *self,
                                                          const char          *session_path,
                                                          const char          *blob,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
GdkTexture         *peel_thumbnail_cache_load_finish     (PeelThumbnailCache  *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

G_END_DECLS
