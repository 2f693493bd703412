/* peel-node-record.h
 *
 * A node as the store sees it: every field it saves, as plain data, and the few things the
 * store does to a node it read or wrote (where its saved bytes come from, whether it is
 * saved). The store reads and builds nodes through this alone; the JSON of a record is the
 * store's (peel-store-record.c), never the node's.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "peel-node.h"

G_BEGIN_DECLS

/* A piece of the text of a PeelReplayEntry: literal text, or the base64 of an image part. */
typedef struct
{
  char *text;                         /* the text as received, or NULL for an image */
  int   image;                        /* index in parts whose bytes, in standard base64, go here */
} PeelReplayPiece;

/* One part of the model turn as it is sent back (peel-node-replay.c): a part of parts as it
 * is, or a signed text part that parts show cut up (a data URI inside became an image). The
 * signature is valid for that text only, byte for byte, so it is kept: as the text around
 * the image parts cut from it, which rebuild it exactly without holding the image twice.
 * Saved as a record's "history". */
typedef struct
{
  int        part;                    /* index in parts to send as it is, or -1 */
  GPtrArray *pieces;                  /* PeelReplayPiece: the text, when part is -1 */
  char      *signature;
} PeelReplayEntry;

PeelReplayEntry *peel_replay_entry_new       (int               part,
                                              const char       *signature);
void             peel_replay_entry_free      (PeelReplayEntry  *entry);
void             peel_replay_entry_add_text  (PeelReplayEntry  *entry,
                                              const char       *text,
                                              gsize             len);
void             peel_replay_entry_add_image (PeelReplayEntry  *entry,
                                              int               image);

/**
 * PeelNodeRecord:
 *
 * Every field of a node that is saved. One filled by peel_node_get_record() borrows the
 * node's values and is valid while the node does not change; one filled for
 * peel_node_new_from_record() owns them (peel_node_record_init() makes its arrays).
 */
typedef struct
{
  char            *id;
  char            *parent_id;
  gint64           created;
  PeelNodeStatus   status;
  char            *title;
  gboolean         starred;
  gboolean         hidden;
  gboolean         imported;

  char            *prompt;
  GPtrArray       *references;        /* PeelPart; image bytes NULL when only in a blob */
  GPtrArray       *reference_blobs;   /* char *, sha256 hex, parallel to references */
  char            *aspect_ratio;
  PeelImageSize    size;
  char            *model;
  PeelTurnOptions  options;
  char            *draft_of;          /* the node this one renders larger, or NULL */
  char            *batch;

  GPtrArray       *parts;             /* PeelPart; image bytes NULL when only in a blob */
  GPtrArray       *part_blobs;        /* char * or NULL, parallel to parts */
  GPtrArray       *history;           /* PeelReplayEntry, or NULL: parts without thoughts */
  gint64           prompt_tokens;
  gint64           output_tokens;
  gint64           thought_tokens;
  double           cost;
  char            *finish_reason;
  char            *finish_message;
  char            *context_note;
  char            *issuer;
  gboolean         context_rebuilt;
  GPtrArray       *sources;           /* PeelSource */
  char           **search_queries;
  char            *error_code;
  char            *error_message;

  GPtrArray       *extras;            /* PeelPart, text = role; bytes NULL when only in a blob */
  GPtrArray       *extra_blobs;       /* char *, parallel to extras */
  gboolean         is_region;
  PeelRegionInfo   region;
  int              selection_feather;
  GPtrArray       *marks;             /* PeelMark, or NULL */
} PeelNodeRecord;

/* Where a saved node's image bytes come from: @where is what the store gave with it. */
typedef GBytes *(*PeelNodeReadBlob) (const char  *where,
                                     const char  *hash,
                                     const char  *mime_type,
                                     GError     **error);

void      peel_node_record_init      (PeelNodeRecord   *record);
void      peel_node_record_clear     (PeelNodeRecord   *record);
void      peel_node_get_record       (PeelNode         *node,
                                      PeelNodeRecord   *record);
PeelNode *peel_node_new_from_record  (PeelNodeRecord   *record);
PeelNode *peel_node_new_damaged      (const char       *id,
                                      const char       *parent_id,
                                      gint64            created,
                                      const char       *code,
                                      const char       *message);
void      peel_node_set_blob_reader  (PeelNode         *node,
                                      PeelNodeReadBlob  read,
                                      const char       *where);
void      peel_node_mark_interrupted (PeelNode         *node,
                                      const char       *message);
void      peel_node_set_saved        (PeelNode         *node,
                                      gboolean          saved);
char     *peel_node_hash_bytes       (GBytes           *bytes);
void      peel_node_remember_hash    (GBytes           *bytes,
                                      const char       *hash);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PeelNodeRecord, peel_node_record_clear)

G_END_DECLS
