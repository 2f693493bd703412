/* peel-thumbnail-cache.c
 *
 * Thumbnail textures for the history and the sessions list: the store makes the 256 px PNG
 * in a thread, another thread decodes it, and a small LRU keyed by the image blob's hash
 * keeps the decoded textures of what was shown last. Blobs are content-addressed, so the
 * same key means the same picture in any session.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-thumbnail-cache.h"

#define DEFAULT_MAX_TEXTURES 192

struct _PeelThumbnailCache
{
  GObject     parent_instance;

  guint       max_textures;
  GHashTable *index;            /* key → GList link in lru */
  GQueue      lru;              /* Entry, most recent first */
};

typedef struct
{
  char       *key;
  GdkTexture *texture;
} Entry;

typedef struct
{
  char *key;
  char *session_path;
  char *blob;
  char *thumb_path;
} LoadJob;

G_DEFINE_FINAL_TYPE (PeelThumbnailCache, peel_thumbnail_cache, G_TYPE_OBJECT)

static void
entry_free (Entry *entry)
{
  g_free (entry->key);
  g_clear_object (&entry->texture);
  g_free (entry);
}

static void
load_job_free (LoadJob *job)
{
  g_free (job->key);
  g_free (job->session_path);
  g_free (job->blob);
  g_free (job->thumb_path);
  g_free (job);
}

static void
peel_thumbnail_cache_finalize (GObject *object)
{
  PeelThumbnailCache *self = (PeelThumbnailCache *)object;

  g_clear_pointer (&self->index, g_hash_table_unref);
  g_queue_clear_full (&self->lru, (GDestroyNotify) entry_free);

  G_OBJECT_CLASS (peel_thumbnail_cache_parent_class)->finalize (object);
}

static void
peel_thumbnail_cache_class_init (PeelThumbnailCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = peel_thumbnail_cache_finalize;
}

static void
peel_thumbnail_cache_init (PeelThumbnailCache *self)
{
  self->max_textures = DEFAULT_MAX_TEXTURES;
  self->index = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&self->lru);
}

/**
 * peel_thumbnail_cache_new:
 * @max_textures: how many decoded thumbnails to keep
 *
 * Returns: (transfer full): a new cache
 */
PeelThumbnailCache *
peel_thumbnail_cache_new (guint max_textures)
{
  PeelThumbnailCache *self = g_object_new (PEEL_TYPE_THUMBNAIL_CACHE, NULL);

  self->max_textures = MAX (max_textures, 1);
  return self;
}

/**
 * peel_thumbnail_cache_get_default:
 *
 * Returns: (transfer none): the cache the widgets share
 */
PeelThumbnailCache *
peel_thumbnail_cache_get_default (void)
{
  static PeelThumbnailCache *instance;

  if (instance == NULL)
    {
      instance = peel_thumbnail_cache_new (DEFAULT_MAX_TEXTURES);
      g_object_add_weak_pointer (G_OBJECT (instance), (gpointer *) &instance);
    }
  return instance;
}

guint
peel_thumbnail_cache_get_n_textures (PeelThumbnailCache *self)
{
  g_return_val_if_fail (PEEL_IS_THUMBNAIL_CACHE (self), 0);
  return self->lru.length;
}

/**
 * peel_thumbnail_cache_key_for_blob:
 * @blob: a blob, as "blobs/HASH.EXT", "HASH.EXT" or "HASH"
 *
 * Returns: (transfer full): the hash, which is the cache key
 */
char *
peel_thumbnail_cache_key_for_blob (const char *blob)
{
  g_autofree char *base = g_path_get_basename (blob);
  char *dot = strchr (base, '.');

  if (dot != NULL)
    *dot = '\0';
  return g_steal_pointer (&base);
}

/**
 * peel_thumbnail_cache_lookup:
 * @self: a cache
 * @key: (nullable): a blob hash
 *
 * Returns: (transfer none) (nullable): the texture if it is in memory
 */
GdkTexture *
peel_thumbnail_cache_lookup (PeelThumbnailCache *self,
                             const char         *key)
{
  GList *link;

  g_return_val_if_fail (PEEL_IS_THUMBNAIL_CACHE (self), NULL);

  if (key == NULL || (link = g_hash_table_lookup (self->index, key)) == NULL)
    return NULL;
  g_queue_unlink (&self->lru, link);
  g_queue_push_head_link (&self->lru, link);
  return ((Entry *) link->data)->texture;
}

static void
insert (PeelThumbnailCache *self,
        const char         *key,
        GdkTexture         *texture)
{
  Entry *entry;
  GList *link = g_hash_table_lookup (self->index, key);

  if (link != NULL)
    {
      entry = link->data;
      g_set_object (&entry->texture, texture);
      g_queue_unlink (&self->lru, link);
      g_queue_push_head_link (&self->lru, link);
      return;
    }

  entry = g_new0 (Entry, 1);
  entry->key = g_strdup (key);
  entry->texture = g_object_ref (texture);
  g_queue_push_head (&self->lru, entry);
  g_hash_table_insert (self->index, entry->key, self->lru.head);

  while (self->lru.length > self->max_textures)
    {
      Entry *old = g_queue_pop_tail (&self->lru);

      g_hash_table_remove (self->index, old->key);
      entry_free (old);
    }
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadJob *job = task_data;
  g_autofree char *path = NULL;
  GError *error = NULL;
  GdkTexture *texture;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (job->thumb_path != NULL)
    path = g_strdup (job->thumb_path);
  else if ((path = peel_store_ensure_thumbnail_for_blob (job->session_path, job->blob,
                                                          &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  texture = gdk_texture_new_from_filename (path, &error);
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static GTask *
load_task_new (PeelThumbnailCache  *self,
               const char          *key,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  LoadJob *job = g_new0 (LoadJob, 1);

  job->key = g_strdup (key);
  g_task_set_task_data (task, job, (GDestroyNotify) load_job_free);
  return task;
}

static void
node_thumbnail_ready_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  job->thumb_path = peel_store_ensure_thumbnail_finish (PEEL_STORE (object), result, &error);
  if (job->thumb_path == NULL)
    g_task_return_error (task, error);
  else
    g_task_run_in_thread (task, load_thread);
}

/**
 * peel_thumbnail_cache_load_node_async:
 * @self: a cache
 * @store: the store of @node's session
 * @node: a node with an image
 * @cancellable: (nullable): a cancellable
 * @callback: called with the texture
 * @user_data: data for @callback
 *
 * Makes the node's thumbnail if needed and decodes it, both off the main thread.
 */
void
peel_thumbnail_cache_load_node_async (PeelThumbnailCache  *self,
                                      PeelStore           *store,
                                      PeelNode            *node,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *blob;

  g_return_if_fail (PEEL_IS_THUMBNAIL_CACHE (self));
  g_return_if_fail (PEEL_IS_STORE (store));
  g_return_if_fail (PEEL_IS_NODE (node));

  blob = peel_node_get_final_blob (node);
  task = load_task_new (self, blob, cancellable, callback, user_data);
  g_task_set_source_tag (task, peel_thumbnail_cache_load_node_async);
  if (blob == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "Turn %s has no image",
                               peel_node_get_id (node));
      return;
    }
  peel_store_ensure_thumbnail_async (store, node, cancellable, node_thumbnail_ready_cb,
                                     g_steal_pointer (&task));
}

/**
 * peel_thumbnail_cache_load_blob_async:
 * @self: a cache
 * @session_path: a session's folder
 * @blob: an image of that session, as "blobs/HASH.EXT" or "HASH.EXT"
 * @cancellable: (nullable): a cancellable
 * @callback: called with the texture
 * @user_data: data for @callback
 *
 * Like peel_thumbnail_cache_load_node_async() for a session that is not open.
 */
void
peel_thumbnail_cache_load_blob_async (PeelThumbnailCache  *self,
                                      const char          *session_path,
                                      const char          *blob,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  LoadJob *job;

  g_return_if_fail (PEEL_IS_THUMBNAIL_CACHE (self));
  g_return_if_fail (session_path != NULL);
  g_return_if_fail (blob != NULL);

  key = peel_thumbnail_cache_key_for_blob (blob);
  task = load_task_new (self, key, cancellable, callback, user_data);
  g_task_set_source_tag (task, peel_thumbnail_cache_load_blob_async);
  job = g_task_get_task_data (task);
  job->session_path = g_strdup (session_path);
  job->blob = g_strdup (blob);
  g_task_run_in_thread (task, load_thread);
}

/**
 * peel_thumbnail_cache_load_finish:
 * @self: a cache
 * @result: the result
 * @error: return location for an error
 *
 * Also keeps the texture in the cache, under the blob's hash.
 *
 * Returns: (transfer full): the thumbnail
 */
GdkTexture *
peel_thumbnail_cache_load_finish (PeelThumbnailCache  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  LoadJob *job;
  GdkTexture *texture;

  g_return_val_if_fail (PEEL_IS_THUMBNAIL_CACHE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  texture = g_task_propagate_pointer (G_TASK (result), error);
  job = g_task_get_task_data (G_TASK (result));
  if (texture != NULL && job->key != NULL)
    insert (self, job->key, texture);
  return texture;
}
