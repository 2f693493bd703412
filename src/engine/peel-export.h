/* peel-export.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "peel-node.h"
#include "peel-session.h"

G_BEGIN_DECLS

/* The version of the peel:* chunk layout written by this Peel. */
#define PEEL_EXPORT_METADATA_VERSION "1"

typedef enum
{
  PEEL_EXPORT_DEFAULT     = 0,
  PEEL_EXPORT_NO_METADATA = 1 << 0,
} PeelExportFlags;

GBytes     *peel_export_node_png        (PeelNode         *node,
                                         PeelExportFlags   flags,
                                         GError          **error);
gboolean    peel_export_node_to_file    (PeelNode         *node,
                                         const char       *path,
                                         PeelExportFlags   flags,
                                         GError          **error);
char       *peel_export_lineage_json    (PeelNode         *node);
char       *peel_export_parameters      (PeelNode         *node);
GHashTable *peel_export_read_metadata   (GBytes           *png,
                                         GError          **error);
GHashTable *peel_export_read_metadata_full (GBytes        *png,
                                            GPtrArray    **too_large,
                                            GError       **error);
PeelNode   *peel_session_import_png     (PeelSession      *session,
                                         GBytes           *png,
                                         guint            *n_added,
                                         GError          **error);
char       *peel_export_file_name       (PeelNode         *node,
                                         const char       *suffix);
GPtrArray  *peel_export_branch          (PeelNode         *node,
                                         const char       *folder,
                                         PeelExportFlags   flags,
                                         GError          **error);
gboolean    peel_export_contact_sheet   (PeelNode         *node,
                                         const char       *path,
                                         GError          **error);
gboolean    peel_export_check_output    (const char       *path,
                                         char            **target,
                                         GError          **error);
gboolean    peel_export_write_file      (const char       *path,
                                         GBytes           *bytes,
                                         GError          **error);

typedef enum
{
  PEEL_EXPORT_KIND_NODE,
  PEEL_EXPORT_KIND_BRANCH,
  PEEL_EXPORT_KIND_CONTACT_SHEET,
} PeelExportKind;

void        peel_export_async           (PeelExportKind       kind,
                                         PeelNode            *node,
                                         const char          *path,
                                         PeelExportFlags      flags,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean    peel_export_finish          (GAsyncResult        *result,
                                         GError             **error);

void        peel_export_add_region      (JsonBuilder         *builder,
                                         PeelNode            *node);

G_END_DECLS
