/* peel-store.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "peel-node.h"
#include "peel-session.h"
#include "peel-session-types.h"

G_BEGIN_DECLS

#define PEEL_TYPE_STORE (peel_store_get_type ())
#define PEEL_STORE_ERROR (peel_store_error_quark ())

/* The newest session.json format this Peel reads and writes. */
#define PEEL_STORE_FORMAT_VERSION 1

G_DECLARE_FINAL_TYPE (PeelStore, peel_store, PEEL, STORE, GObject)

typedef enum
{
  PEEL_STORE_ERROR_NOT_A_SESSION,
  PEEL_STORE_ERROR_DAMAGED,
  PEEL_STORE_ERROR_UNKNOWN_VERSION,
  PEEL_STORE_ERROR_ARCHIVE,
  PEEL_STORE_ERROR_NOT_FOUND,
  PEEL_STORE_ERROR_BUSY,
} PeelStoreError;

/**
 * PeelSessionInfo:
 * @id: the folder name
 * @path: the session's folder
 * @name: the session's name
 * @thumbnail: (nullable): the thumbnail of the current (or last) image, which may still
 *   have to be made with peel_store_ensure_thumbnail_for_blob()
 * @image: (nullable): that image's blob
 * @modified: last change, µs since the epoch
 * @n_nodes: the number of turns
 *
 * What the sessions list shows, read from each session's small meta.json.
 */
typedef struct
{
  char   *id;
  char   *path;
  char   *name;
  char   *thumbnail;
  char   *image;
  gint64  modified;
  guint   n_nodes;
} PeelSessionInfo;

GQuark           peel_store_error_quark             (void);

char            *peel_store_get_default_dir         (void);
PeelSession     *peel_store_create_session          (const char      *sessions_dir,
                                                     const char      *name,
                                                     GError         **error);
PeelSession     *peel_store_open_session            (const char      *path,
                                                     GError         **error);
PeelSession     *peel_store_recover_session         (const char      *path,
                                                     GError         **error);
gboolean         peel_store_close_session           (PeelSession     *session,
                                                     GError         **error);

const char      *peel_store_get_path                (PeelStore       *store);
const char      *peel_store_get_blob_dir            (PeelStore       *store);
guint            peel_store_get_journal_lines       (PeelStore       *store);
void             peel_store_set_compact_threshold   (PeelStore       *store,
                                                     guint            lines);
gboolean         peel_store_compact                 (PeelStore       *store,
                                                     GError         **error);
gboolean         peel_store_check_writable          (PeelStore       *store,
                                                     GError         **error);
void             peel_store_prepare_parts_async     (PeelStore           *store,
                                                     GPtrArray           *parts,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean         peel_store_prepare_parts_finish    (PeelStore       *store,
                                                     GAsyncResult    *result,
                                                     GError         **error);

char            *peel_store_ensure_thumbnail        (PeelStore       *store,
                                                     PeelNode        *node,
                                                     GError         **error);
char            *peel_store_ensure_thumbnail_for_blob (const char    *session_path,
                                                       const char    *blob_name,
                                                       GError       **error);
void             peel_store_ensure_thumbnail_async  (PeelStore           *store,
                                                     PeelNode            *node,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
char            *peel_store_ensure_thumbnail_finish (PeelStore       *store,
                                                     GAsyncResult    *result,
                                                     GError         **error);

/* peel-store-list.c: sessions as folders. */
void             peel_session_info_free             (PeelSessionInfo *info);
GPtrArray       *peel_store_list_sessions           (const char      *sessions_dir,
                                                     GError         **error);
char            *peel_store_resolve_session         (const char      *folder_or_name,
                                                     GError         **error);
PeelSession     *peel_store_open_or_create          (const char      *folder_or_name,
                                                     gboolean        *created,
                                                     GError         **error);
gboolean         peel_store_rename_session          (const char      *path,
                                                     const char      *name,
                                                     GError         **error);
char            *peel_store_duplicate_session       (const char      *path,
                                                     GError         **error);
gboolean         peel_store_delete_session          (const char      *path,
                                                     GError         **error);
gboolean         peel_store_export_archive          (const char      *path,
                                                     const char      *archive,
                                                     GError         **error);
char            *peel_store_import_archive          (const char      *archive,
                                                     const char      *sessions_dir,
                                                     GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PeelSessionInfo, peel_session_info_free)

G_END_DECLS
