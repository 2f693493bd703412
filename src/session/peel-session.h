/* peel-session.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "peel-node.h"
#include "peel-session-types.h"

G_BEGIN_DECLS

#define PEEL_TYPE_SESSION (peel_session_get_type ())
#define PEEL_SESSION_ERROR (peel_session_error_quark ())

G_DECLARE_FINAL_TYPE (PeelSession, peel_session, PEEL, SESSION, GObject)

typedef enum
{
  PEEL_SESSION_ERROR_NOT_FOUND,
  PEEL_SESSION_ERROR_NOT_PENDING,
  PEEL_SESSION_ERROR_NOTHING_TO_UNDELETE,
  PEEL_SESSION_ERROR_INVALID,
} PeelSessionError;

GQuark       peel_session_error_quark        (void);

PeelSession *peel_session_new                (const char            *name);
const char  *peel_session_get_id             (PeelSession           *session);
const char  *peel_session_get_name           (PeelSession           *session);
gboolean     peel_session_set_name           (PeelSession           *session,
                                              const char            *name,
                                              GError               **error);
PeelStore   *peel_session_get_store          (PeelSession           *session);
guint        peel_session_get_n_nodes        (PeelSession           *session);
PeelNode    *peel_session_get_node           (PeelSession           *session,
                                              const char            *id);
PeelNode    *peel_session_find_node          (PeelSession           *session,
                                              const char            *id_or_prefix);
GPtrArray   *peel_session_dup_nodes          (PeelSession           *session);

GListModel  *peel_session_get_roots          (PeelSession           *session);
GListModel  *peel_session_get_current_branch (PeelSession           *session);
GPtrArray   *peel_session_dup_branch         (PeelNode              *node);
GListModel  *peel_session_search             (PeelSession           *session,
                                              const char            *text);

PeelNode    *peel_session_get_current        (PeelSession           *session);
void         peel_session_set_current        (PeelSession           *session,
                                              PeelNode              *node);
gboolean     peel_session_can_undo           (PeelSession           *session);
gboolean     peel_session_can_redo           (PeelSession           *session);
gboolean     peel_session_undo               (PeelSession           *session);
gboolean     peel_session_redo               (PeelSession           *session);

PeelNode    *peel_session_begin_turn         (PeelSession           *session,
                                              PeelNode              *parent,
                                              const PeelTurnSpec    *spec,
                                              GError               **error);
gboolean     peel_session_complete_turn      (PeelSession           *session,
                                              PeelNode              *node,
                                              GPtrArray             *parts,
                                              const PeelTurnResult  *result,
                                              GError               **error);
gboolean     peel_session_fail_turn          (PeelSession           *session,
                                              PeelNode              *node,
                                              const char            *code,
                                              const char            *message,
                                              GError               **error);
PeelNode    *peel_session_add_image          (PeelSession           *session,
                                              PeelNode              *parent,
                                              const char            *prompt,
                                              const char            *model,
                                              const char            *aspect_ratio,
                                              PeelImageSize          size,
                                              const PeelPart        *image,
                                              GError               **error);
PeelNode    *peel_session_add_image_full     (PeelSession           *session,
                                              PeelNode              *parent,
                                              const char            *prompt,
                                              const char            *model,
                                              const char            *aspect_ratio,
                                              PeelImageSize          size,
                                              const PeelPart        *image,
                                              const PeelRegionInfo  *region,
                                              const PeelPart        *region_mask,
                                              GError               **error);

gboolean     peel_session_rename_node        (PeelSession           *session,
                                              PeelNode              *node,
                                              const char            *title,
                                              GError               **error);
gboolean     peel_session_set_marks          (PeelSession           *session,
                                              PeelNode              *node,
                                              GPtrArray             *marks,
                                              GError               **error);
gboolean     peel_session_set_selection      (PeelSession           *session,
                                              PeelNode              *node,
                                              GBytes                *mask_png,
                                              int                    feather,
                                              GError               **error);
gboolean     peel_session_set_starred        (PeelSession           *session,
                                              PeelNode              *node,
                                              gboolean               starred,
                                              GError               **error);
gboolean     peel_session_set_hidden         (PeelSession           *session,
                                              PeelNode              *node,
                                              gboolean               hidden,
                                              GError               **error);
gboolean     peel_session_delete_branch      (PeelSession           *session,
                                              PeelNode              *node,
                                              GError               **error);
gboolean     peel_session_can_undelete       (PeelSession           *session);
PeelNode    *peel_session_undelete           (PeelSession           *session,
                                              GError               **error);
const char  *peel_session_get_missing_current (PeelSession          *session);
gboolean     peel_session_flush              (PeelSession           *session,
                                              GError               **error);
void         peel_session_flush_async        (PeelSession           *session,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
gboolean     peel_session_flush_finish       (PeelSession           *session,
                                              GAsyncResult          *result,
                                              GError               **error);

G_END_DECLS
