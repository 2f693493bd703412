/* peel-node-private.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "peel-node-record.h"
#include "peel-node.h"

G_BEGIN_DECLS

/* Makes the children of @node that are not nodes yet (the session's, peel-session-load.c). */
typedef void (*PeelNodeLoadFunc) (PeelNode *node,
                                  gpointer  data);

/* The session and the store build and change nodes; everyone else reads them. */
struct _PeelNode
{
  GObject          parent_instance;

  char            *id;
  char            *parent_id;
  PeelNode        *parent;            /* not owned: the session owns every node */
  GListStore      *children;          /* whole once peel_node_get_children() returns it */
  gboolean         children_pending;  /* the children are not made yet: load_children does */
  PeelNodeLoadFunc load_children;     /* set by whoever made the node lazily, or NULL */
  gpointer         load_data;         /* not owned: cleared with load_children when it goes */
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
  char            *draft_of;          /* the node this one renders larger, or NULL */
  char            *batch;             /* the siblings of one Generate with variations */

  /* The model turn, as received. */
  GPtrArray       *parts;             /* PeelPart, image bytes may be NULL until loaded */
  GPtrArray       *part_blobs;        /* char * or NULL, parallel to parts */
  GPtrArray       *history;           /* PeelReplayEntry, or NULL: parts without thoughts */
  gint64           prompt_tokens;
  gint64           output_tokens;
  gint64           thought_tokens;
  double           cost;
  char            *finish_reason;
  char            *finish_message;
  char            *context_note;     /* what the context budget left out of the request */
  char            *issuer;            /* the service that made the turn, or NULL (older) */
  gboolean         context_rebuilt;   /* the branch went without the model's signatures */
  GPtrArray       *sources;           /* PeelSource */
  char           **search_queries;
  char            *error_code;
  char            *error_message;

  /* Images that belong to the turn but are neither sent nor shown as it: each PeelPart's text
   * names its role (PEEL_EXTRA_*): a region edit's mask and raw answer, the selection. */
  GPtrArray       *extras;
  GPtrArray       *extra_blobs;       /* char *, sha256 hex, parallel to extras */
  gboolean         is_region;
  PeelRegionInfo   region;
  int              selection_feather;
  GPtrArray       *marks;             /* PeelMark, or NULL: drawn over the image, not in it */

  /* How the bytes of parts are read back once saved; NULL keeps everything in memory. */
  PeelNodeReadBlob read_blob;
  char            *blob_dir;          /* what the store gave with read_blob */
};

PeelNode   *_peel_node_new                (const char            *id,
                                           const char            *parent_id,
                                           gint64                 created);
void        _peel_node_set_user_turn      (PeelNode              *node,
                                           const PeelTurnSpec    *spec);
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
void        _peel_node_set_marks          (PeelNode              *node,
                                           GPtrArray             *marks);
void        _peel_node_set_selection      (PeelNode              *node,
                                           GBytes                *mask_png,
                                           int                    feather);
void        _peel_node_set_unsaved        (PeelNode              *node,
                                           gboolean               unsaved);
void        _peel_node_drop_saved_bytes   (PeelNode              *node);
void        _peel_node_notify_image       (PeelNode              *node);
void        _peel_node_take_record        (PeelNode              *node,
                                           PeelNode              *from);

GPtrArray  *_peel_node_compact_history    (GPtrArray             *parts,
                                           GPtrArray             *history);
gboolean    _peel_node_history_valid      (PeelNode              *node);

G_END_DECLS
