/* peel-store-private.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "peel-store.h"

G_BEGIN_DECLS

/* What the session calls on every change; each writes at once (see docs/session-format.md). */
gboolean   _peel_store_save_node     (PeelStore   *store,
                                      PeelNode    *node,
                                      GError     **error);
gboolean   _peel_store_save_delete   (PeelStore   *store,
                                      GPtrArray   *nodes,
                                      GError     **error);
gboolean   _peel_store_save_session  (PeelStore   *store,
                                      gboolean     durable,
                                      GError     **error);

/* peel-store-json.c: nodes to and from their JSON records. */
JsonNode  *_peel_node_to_json        (PeelNode    *node);
PeelNode  *_peel_node_from_json      (JsonObject  *object,
                                      GError     **error);

/* peel-store-io.c: durable small writes. */
gboolean   _peel_write_file_atomic   (const char  *path,
                                      const char  *data,
                                      gsize        len,
                                      int          mode,
                                      GError     **error);
gboolean   _peel_fsync_dir           (const char  *dir,
                                      GError     **error);
gboolean   _peel_ensure_dir          (const char  *path,
                                      GError     **error);
gboolean   _peel_write_all           (int          fd,
                                      const char  *path,
                                      const void  *data,
                                      gsize        len,
                                      GError     **error);
void       _peel_set_write_error     (GError     **error,
                                      const char  *path,
                                      int          saved_errno);
void       _peel_store_set_io_error  (int          errno_value);
int        _peel_store_get_io_error  (void);

G_END_DECLS
