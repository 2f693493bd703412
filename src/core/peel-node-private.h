/* peel-node-private.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "peel-node.h"

G_BEGIN_DECLS

/* The session and the store build and change nodes; everyone else reads them. */
struct _PeelNode
{
  GObject          parent_instance;

  char            *id;
  char            *parent_id;
  PeelNode        *parent;            /* not owned: the session owns every node */
  GListStore      *children;          /* whole once peel_node_get_children() returns it */
  PeelSession     *lazy_session;      /* not owned: builds the children when first asked */
  gboolean         children_pending;  /* the children are still lines of the snapshot */
  PeelNodeStatus   status;
  gint64           created;           /* µs since the epoch, UTC */
  char            *title;
  gboolean         starred;
  gboolean         hidden;
  gboolean         imported;
  gboolean         unsaved;

  /* The user turn. */
  char            *prompt;
  GPtrArray       *references;        /* PeelPart, image bytes may be NULL until loaded */
  GPtrArray       *reference_blobs;   /* char *, sha256 hex, parallel to references */
  char            *aspect_ratio;
  PeelImageSize    size;
  char            *model;
  PeelTurnOptions  options;

  /* The model turn, as received. */
  GPtrArray       *parts;             /* PeelPart, image bytes may be NULL until loaded */
  GPtrArray       *part_blobs;        /* char * or NULL, parallel to parts */
  gint64           prompt_tokens;
  gint64           output_tokens;
  gint64           thought_tokens;
  double           cost;
  char            *finish_reason;
  char            *finish_message;
  GPtrArray       *sources;           /* PeelSource */
  char           **search_queries;
  char            *error_code;
  char            *error_message;

  /* Where the bytes of parts live once saved; NULL keeps everything in memory. */
  char            *blob_dir;
};

PeelNode   *_peel_node_new                (const char            *id,
                                           const char            *parent_id,
                                           gint64                 created);
void        _peel_node_set_user_turn      (PeelNode              *node,
                                           const char            *prompt,
                                           GPtrArray             *references,
                                           const char            *aspect_ratio,
                                           PeelImageSize          size,
                                           const char            *model,
                                           const PeelTurnOptions *options);
void        _peel_node_complete           (PeelNode              *node,
                                           GPtrArray             *parts,
                                           const PeelTurnResult  *result);
void        _peel_node_fail               (PeelNode              *node,
                                           const char            *code,
                                           const char            *message);
void        _peel_node_set_status         (PeelNode              *node,
                                           PeelNodeStatus         status);
void        _peel_node_set_title          (PeelNode              *node,
                                           const char            *title);
void        _peel_node_set_starred        (PeelNode              *node,
                                           gboolean               starred);
void        _peel_node_set_hidden         (PeelNode              *node,
                                           gboolean               hidden);
void        _peel_node_set_unsaved        (PeelNode              *node,
                                           gboolean               unsaved);
void        _peel_node_set_blob_dir       (PeelNode              *node,
                                           const char            *blob_dir);
void        _peel_node_drop_saved_bytes   (PeelNode              *node);
void        _peel_node_notify_image       (PeelNode              *node);

const char *_peel_blob_extension          (const char            *mime_type);
char       *_peel_blob_hash               (GBytes                *bytes);
void        _peel_blob_hash_remember      (GBytes                *bytes,
                                           const char            *hash);
char       *_peel_blob_path               (const char            *blob_dir,
                                           const char            *hash,
                                           const char            *mime_type);

G_END_DECLS
