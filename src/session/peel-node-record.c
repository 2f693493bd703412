/* peel-node-record.c
 *
 * The store's way into a node (peel-node-record.h): a record of every saved field, out of a
 * node and into a new one, and what the store does to a node it read or wrote.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-node-private.h"

/**
 * peel_node_record_init:
 * @record: a record to fill for peel_node_new_from_record()
 *
 * Empties @record and makes its arrays, as a new node has them.
 */
void
peel_node_record_init (PeelNodeRecord *record)
{
  memset (record, 0, sizeof *record);
  record->references = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  record->reference_blobs = g_ptr_array_new_with_free_func (g_free);
  record->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  record->part_blobs = g_ptr_array_new_with_free_func (g_free);
  record->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_source_free);
  record->extras = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  record->extra_blobs = g_ptr_array_new_with_free_func (g_free);
  record->size = PEEL_IMAGE_SIZE_1K;
}

/**
 * peel_node_record_clear:
 * @record: a record that owns its fields
 *
 * Frees what @record holds; never call it on one from peel_node_get_record().
 */
void
peel_node_record_clear (PeelNodeRecord *record)
{
  g_free (record->id);
  g_free (record->parent_id);
  g_free (record->title);
  g_free (record->prompt);
  g_clear_pointer (&record->references, g_ptr_array_unref);
  g_clear_pointer (&record->reference_blobs, g_ptr_array_unref);
  g_free (record->aspect_ratio);
  g_free (record->model);
  g_free (record->draft_of);
  g_free (record->batch);
  g_clear_pointer (&record->parts, g_ptr_array_unref);
  g_clear_pointer (&record->part_blobs, g_ptr_array_unref);
  g_clear_pointer (&record->history, g_ptr_array_unref);
  g_free (record->finish_reason);
  g_free (record->finish_message);
  g_free (record->context_note);
  g_free (record->issuer);
  g_clear_pointer (&record->sources, g_ptr_array_unref);
  g_strfreev (record->search_queries);
  g_free (record->error_code);
  g_free (record->error_message);
  g_clear_pointer (&record->extras, g_ptr_array_unref);
  g_clear_pointer (&record->extra_blobs, g_ptr_array_unref);
  g_clear_pointer (&record->marks, g_ptr_array_unref);
  memset (record, 0, sizeof *record);
}

#define FIELDS(X) \
  X (id) X (parent_id) X (created) X (status) X (title) X (starred) X (hidden) X (imported) \
  X (prompt) X (references) X (reference_blobs) X (aspect_ratio) X (size) X (model) \
  X (options) X (batch) X (parts) X (part_blobs) X (history) X (prompt_tokens) \
  X (output_tokens) \
  X (thought_tokens) X (cost) X (finish_reason) X (finish_message) X (context_note) \
  X (issuer) X (context_rebuilt) X (sources) X (search_queries) X (error_code) \
  X (error_message) X (extras) X (extra_blobs) X (is_region) X (region) \
  X (selection_feather) X (marks) X (draft_of)

/**
 * peel_node_get_record:
 * @node: a node
 * @record: (out caller-allocates): where the view goes
 *
 * Fills @record with @node's saved fields, borrowed: valid while @node does not change.
 */
void
peel_node_get_record (PeelNode       *node,
                      PeelNodeRecord *record)
{
  g_return_if_fail (PEEL_IS_NODE (node));

#define BORROW(field) record->field = node->field;
  FIELDS (BORROW)
#undef BORROW
}

/**
 * peel_node_new_from_record:
 * @record: a record that owns its fields, from peel_node_record_init()
 *
 * Makes a node of @record, taking everything it holds; @record is left empty. A history
 * that does not match the parts is dropped: the parts are sent back instead.
 *
 * Returns: (transfer full): the node, in no session yet
 */
PeelNode *
peel_node_new_from_record (PeelNodeRecord *record)
{
  PeelNode *node = g_object_new (PEEL_TYPE_NODE, NULL);

  g_clear_pointer (&node->references, g_ptr_array_unref);
  g_clear_pointer (&node->reference_blobs, g_ptr_array_unref);
  g_clear_pointer (&node->parts, g_ptr_array_unref);
  g_clear_pointer (&node->part_blobs, g_ptr_array_unref);
  g_clear_pointer (&node->sources, g_ptr_array_unref);
  g_clear_pointer (&node->extras, g_ptr_array_unref);
  g_clear_pointer (&node->extra_blobs, g_ptr_array_unref);
#define TAKE(field) node->field = record->field;
  FIELDS (TAKE)
#undef TAKE
  memset (record, 0, sizeof *record);

  if (!_peel_node_history_valid (node))
    {
      g_debug ("Turn %s: its history does not match its parts; its parts are sent back.",
               node->id);
      g_clear_pointer (&node->history, g_ptr_array_unref);
    }
  return node;
}

/**
 * peel_node_new_damaged:
 * @id: the turn's id
 * @parent_id: (nullable): its parent's
 * @created: when it was made
 * @code: the error code, e.g. "DAMAGED"
 * @message: what happened and what to do
 *
 * Returns: (transfer full): a failed node for a turn that could not be read
 */
PeelNode *
peel_node_new_damaged (const char *id,
                       const char *parent_id,
                       gint64      created,
                       const char *code,
                       const char *message)
{
  PeelNode *node = _peel_node_new (id, parent_id, created);

  _peel_node_fail (node, code, message);
  return node;
}

/**
 * peel_node_set_blob_reader:
 * @node: a node that is saved, or is to be
 * @read: how to read a saved image back
 * @where: what to give @read (copied)
 *
 * Once saved, @node drops its image bytes and reads them back through @read when asked.
 */
void
peel_node_set_blob_reader (PeelNode         *node,
                           PeelNodeReadBlob  read,
                           const char       *where)
{
  g_return_if_fail (PEEL_IS_NODE (node));

  node->read_blob = read;
  g_free (node->blob_dir);
  node->blob_dir = g_strdup (where);
}

/**
 * peel_node_mark_interrupted:
 * @node: a node read from disk
 * @message: what the user is told
 *
 * A turn that was still waiting for its answer when it was written: it failed, and can be
 * retried.
 */
void
peel_node_mark_interrupted (PeelNode   *node,
                            const char *message)
{
  g_return_if_fail (PEEL_IS_NODE (node));

  if (node->status == PEEL_NODE_PENDING)
    _peel_node_fail (node, "INTERRUPTED", message);
}

/**
 * peel_node_set_saved:
 * @node: a node
 * @saved: whether its newest change is on disk
 *
 * A saved node drops the bytes it can read back; an unsaved one shows it.
 */
void
peel_node_set_saved (PeelNode *node,
                     gboolean  saved)
{
  g_return_if_fail (PEEL_IS_NODE (node));

  _peel_node_set_unsaved (node, !saved);
  if (saved)
    _peel_node_drop_saved_bytes (node);
}
