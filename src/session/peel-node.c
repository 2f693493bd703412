/* peel-node.c
 *
 * One whole exchange: the user turn and the model turn exactly as received, or the error
 * that ended it. Image bytes stay on disk once saved and are mapped when someone needs them,
 * so a session of hundreds of 4K images holds only their metadata in memory.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-marks.h"
#include "peel-node-private.h"

G_DEFINE_FINAL_TYPE (PeelNode, peel_node, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PARENT_ID,
  PROP_STATUS,
  PROP_CREATED,
  PROP_PROMPT,
  PROP_TITLE,
  PROP_DISPLAY_TITLE,
  PROP_STARRED,
  PROP_HIDDEN,
  PROP_IMPORTED,
  PROP_UNSAVED,
  PROP_HAS_IMAGE,
  PROP_FINAL_WIDTH,
  PROP_FINAL_HEIGHT,
  PROP_ERROR_CODE,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

PeelSource *
peel_source_new (const char *title,
                 const char *uri)
{
  PeelSource *source = g_new0 (PeelSource, 1);

  source->title = g_strdup (title);
  source->uri = g_strdup (uri ? uri : "");
  return source;
}

void
peel_source_free (PeelSource *source)
{
  if (source == NULL)
    return;
  g_free (source->title);
  g_free (source->uri);
  g_free (source);
}

const char *
peel_node_status_to_string (PeelNodeStatus status)
{
  switch (status)
    {
    case PEEL_NODE_PENDING:
      return "pending";
    case PEEL_NODE_DONE:
      return "done";
    case PEEL_NODE_FAILED:
      return "failed";
    default:
      return "unknown";
    }
}

static void
peel_node_finalize (GObject *object)
{
  PeelNode *self = (PeelNode *)object;

  g_free (self->id);
  g_free (self->parent_id);
  g_clear_object (&self->children);
  g_free (self->title);
  g_free (self->prompt);
  g_clear_pointer (&self->references, g_ptr_array_unref);
  g_clear_pointer (&self->reference_blobs, g_ptr_array_unref);
  g_free (self->aspect_ratio);
  g_free (self->model);
  g_free (self->draft_of);
  g_free (self->batch);
  g_free (self->issuer);
  g_clear_pointer (&self->parts, g_ptr_array_unref);
  g_clear_pointer (&self->part_blobs, g_ptr_array_unref);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_free (self->finish_reason);
  g_free (self->finish_message);
  g_free (self->context_note);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_strfreev (self->search_queries);
  g_free (self->error_code);
  g_free (self->error_message);
  g_free (self->blob_dir);
  g_clear_pointer (&self->extras, g_ptr_array_unref);
  g_clear_pointer (&self->extra_blobs, g_ptr_array_unref);
  g_clear_pointer (&self->marks, g_ptr_array_unref);

  G_OBJECT_CLASS (peel_node_parent_class)->finalize (object);
}

static void
peel_node_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PeelNode *self = PEEL_NODE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_PARENT_ID:
      g_value_set_string (value, self->parent_id);
      break;
    case PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case PROP_CREATED:
      g_value_set_int64 (value, self->created);
      break;
    case PROP_PROMPT:
      g_value_set_string (value, self->prompt);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_DISPLAY_TITLE:
      g_value_set_string (value, peel_node_get_display_title (self));
      break;
    case PROP_STARRED:
      g_value_set_boolean (value, self->starred);
      break;
    case PROP_HIDDEN:
      g_value_set_boolean (value, self->hidden);
      break;
    case PROP_IMPORTED:
      g_value_set_boolean (value, self->imported);
      break;
    case PROP_UNSAVED:
      g_value_set_boolean (value, self->unsaved);
      break;
    case PROP_HAS_IMAGE:
      g_value_set_boolean (value, peel_node_get_has_image (self));
      break;
    case PROP_FINAL_WIDTH:
      g_value_set_int (value, peel_node_get_final_width (self));
      break;
    case PROP_FINAL_HEIGHT:
      g_value_set_int (value, peel_node_get_final_height (self));
      break;
    case PROP_ERROR_CODE:
      g_value_set_string (value, self->error_code);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_node_class_init (PeelNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = peel_node_finalize;
  object_class->get_property = peel_node_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_PARENT_ID] = g_param_spec_string ("parent-id", NULL, NULL, NULL, ro);
  /* PeelNodeStatus as an int: core registers no enum types yet. */
  properties[PROP_STATUS] = g_param_spec_int ("status", NULL, NULL,
                                              PEEL_NODE_PENDING, PEEL_NODE_FAILED,
                                              PEEL_NODE_PENDING, ro);
  properties[PROP_CREATED] = g_param_spec_int64 ("created", NULL, NULL,
                                                 0, G_MAXINT64, 0, ro);
  properties[PROP_PROMPT] = g_param_spec_string ("prompt", NULL, NULL, NULL, ro);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, ro);
  properties[PROP_DISPLAY_TITLE] = g_param_spec_string ("display-title", NULL, NULL, NULL, ro);
  properties[PROP_STARRED] = g_param_spec_boolean ("starred", NULL, NULL, FALSE, ro);
  properties[PROP_HIDDEN] = g_param_spec_boolean ("hidden", NULL, NULL, FALSE, ro);
  properties[PROP_IMPORTED] = g_param_spec_boolean ("imported", NULL, NULL, FALSE, ro);
  properties[PROP_UNSAVED] = g_param_spec_boolean ("unsaved", NULL, NULL, FALSE, ro);
  properties[PROP_HAS_IMAGE] = g_param_spec_boolean ("has-image", NULL, NULL, FALSE, ro);
  properties[PROP_FINAL_WIDTH] = g_param_spec_int ("final-width", NULL, NULL,
                                                   0, G_MAXINT, 0, ro);
  properties[PROP_FINAL_HEIGHT] = g_param_spec_int ("final-height", NULL, NULL,
                                                    0, G_MAXINT, 0, ro);
  properties[PROP_ERROR_CODE] = g_param_spec_string ("error-code", NULL, NULL, NULL, ro);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
peel_node_init (PeelNode *self)
{
  self->children = g_list_store_new (PEEL_TYPE_NODE);
  self->references = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  self->reference_blobs = g_ptr_array_new_with_free_func (g_free);
  self->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  self->part_blobs = g_ptr_array_new_with_free_func (g_free);
  self->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_source_free);
  self->extras = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  self->extra_blobs = g_ptr_array_new_with_free_func (g_free);
  self->size = PEEL_IMAGE_SIZE_1K;
  self->cost = 0.0;
}

PeelNode *
_peel_node_new (const char *id,
                const char *parent_id,
                gint64      created)
{
  PeelNode *self = g_object_new (PEEL_TYPE_NODE, NULL);

  self->id = g_strdup (id);
  self->parent_id = g_strdup (parent_id);
  self->created = created;
  return self;
}

static void
fill_image_size (PeelPart *part)
{
  if (part->kind == PEEL_PART_IMAGE && part->data != NULL &&
      (part->width <= 0 || part->height <= 0))
    peel_image_bytes_get_size (part->data, part->mime_type, &part->width, &part->height);
}

void
_peel_node_set_user_turn (PeelNode           *node,
                          const PeelTurnSpec *spec)
{
  g_free (node->prompt);
  node->prompt = g_strdup (spec->prompt ? spec->prompt : "");
  g_ptr_array_set_size (node->references, 0);
  g_ptr_array_set_size (node->reference_blobs, 0);
  for (guint i = 0; spec->references != NULL && i < spec->references->len; i++)
    {
      PeelPart *copy = peel_part_copy (g_ptr_array_index (spec->references, i));

      fill_image_size (copy);
      g_ptr_array_add (node->references, copy);
      g_ptr_array_add (node->reference_blobs,
                       copy->data ? peel_node_hash_bytes (copy->data) : NULL);
    }
  g_free (node->aspect_ratio);
  node->aspect_ratio = g_strdup (spec->aspect_ratio);
  node->size = spec->size;
  g_free (node->model);
  node->model = g_strdup (spec->model ? spec->model : PEEL_DEFAULT_MODEL);
  node->options = spec->options;
  g_free (node->draft_of);
  node->draft_of = g_strdup (spec->draft_of);
  g_free (node->batch);
  node->batch = g_strdup (spec->batch);
}

void
_peel_node_notify_image (PeelNode *node)
{
  g_object_notify_by_pspec (G_OBJECT (node), properties[PROP_HAS_IMAGE]);
  g_object_notify_by_pspec (G_OBJECT (node), properties[PROP_FINAL_WIDTH]);
  g_object_notify_by_pspec (G_OBJECT (node), properties[PROP_FINAL_HEIGHT]);
}

#define SWAP_FIELD(a, b, field) G_STMT_START { \
    __typeof__ ((a)->field) tmp_ = (a)->field; \
    (a)->field = (b)->field; \
    (b)->field = tmp_; \
  } G_STMT_END

/**
 * _peel_node_take_record:
 * @node: a node of a session
 * @from: the same turn as another process wrote it since
 *
 * Gives @node everything @from holds except its place in the tree (id, parent, children),
 * so that widgets bound to @node show the newer record. @from is left with the old one.
 */
void
_peel_node_take_record (PeelNode *node,
                        PeelNode *from)
{
  static const guint props[] = {
    PROP_STATUS, PROP_PROMPT, PROP_TITLE, PROP_DISPLAY_TITLE, PROP_STARRED, PROP_HIDDEN,
    PROP_IMPORTED, PROP_ERROR_CODE, PROP_ERROR_MESSAGE,
  };

  SWAP_FIELD (node, from, status);
  SWAP_FIELD (node, from, title);
  SWAP_FIELD (node, from, starred);
  SWAP_FIELD (node, from, hidden);
  SWAP_FIELD (node, from, imported);
  SWAP_FIELD (node, from, issuer);
  SWAP_FIELD (node, from, context_rebuilt);
  SWAP_FIELD (node, from, prompt);
  SWAP_FIELD (node, from, references);
  SWAP_FIELD (node, from, reference_blobs);
  SWAP_FIELD (node, from, aspect_ratio);
  SWAP_FIELD (node, from, size);
  SWAP_FIELD (node, from, model);
  SWAP_FIELD (node, from, options);
  SWAP_FIELD (node, from, draft_of);
  SWAP_FIELD (node, from, batch);
  SWAP_FIELD (node, from, parts);
  SWAP_FIELD (node, from, part_blobs);
  SWAP_FIELD (node, from, history);
  SWAP_FIELD (node, from, prompt_tokens);
  SWAP_FIELD (node, from, output_tokens);
  SWAP_FIELD (node, from, thought_tokens);
  SWAP_FIELD (node, from, cost);
  SWAP_FIELD (node, from, finish_reason);
  SWAP_FIELD (node, from, finish_message);
  SWAP_FIELD (node, from, context_note);
  SWAP_FIELD (node, from, extras);
  SWAP_FIELD (node, from, extra_blobs);
  SWAP_FIELD (node, from, is_region);
  SWAP_FIELD (node, from, region);
  SWAP_FIELD (node, from, selection_feather);
  SWAP_FIELD (node, from, marks);
  SWAP_FIELD (node, from, sources);
  SWAP_FIELD (node, from, search_queries);
  SWAP_FIELD (node, from, error_code);
  SWAP_FIELD (node, from, error_message);

  g_object_freeze_notify (G_OBJECT (node));
  for (guint i = 0; i < G_N_ELEMENTS (props); i++)
    g_object_notify_by_pspec (G_OBJECT (node), properties[props[i]]);
  _peel_node_set_unsaved (node, FALSE);
  _peel_node_notify_image (node);
  g_object_thaw_notify (G_OBJECT (node));
}

#undef SWAP_FIELD

void
_peel_node_set_status (PeelNode       *node,
                       PeelNodeStatus  status)
{
  if (node->status == status)
    return;
  node->status = status;
  g_object_notify_by_pspec (G_OBJECT (node), properties[PROP_STATUS]);
}

/* Replaces the extra image of @role with a copy of @image (%NULL: removes it). */
static void
set_extra (PeelNode       *node,
           const char     *role,
           const PeelPart *image)
{
  for (guint i = 0; i < node->extras->len; i++)
    {
      const PeelPart *part = g_ptr_array_index (node->extras, i);

      if (g_strcmp0 (part->text, role) == 0)
        {
          g_ptr_array_remove_index (node->extras, i);
          g_ptr_array_remove_index (node->extra_blobs, i);
          break;
        }
    }
  if (image != NULL && image->kind == PEEL_PART_IMAGE && image->data != NULL)
    {
      PeelPart *copy = peel_part_copy (image);

      g_free (copy->text);
      copy->text = g_strdup (role);
      g_clear_pointer (&copy->signature, g_free);
      g_ptr_array_add (node->extras, copy);
      g_ptr_array_add (node->extra_blobs, peel_node_hash_bytes (copy->data));
    }
}

void
_peel_node_set_marks (PeelNode  *node,
                      GPtrArray *marks)
{
  g_clear_pointer (&node->marks, g_ptr_array_unref);
  if (marks != NULL && marks->len > 0)
    {
      node->marks = peel_marks_new ();
      for (guint i = 0; i < marks->len; i++)
        g_ptr_array_add (node->marks, peel_mark_copy (g_ptr_array_index (marks, i)));
    }
}

void
_peel_node_set_selection (PeelNode *node,
                          GBytes   *mask_png,
                          int       feather)
{
  g_autoptr(PeelPart) part = NULL;

  if (mask_png != NULL)
    part = peel_part_new_image ("image/png", mask_png, FALSE);
  set_extra (node, PEEL_EXTRA_SELECTION, part);
  node->selection_feather = mask_png != NULL ? MAX (feather, 0) : 0;
}

void
_peel_node_complete (PeelNode             *node,
                     GPtrArray            *parts,
                     const PeelTurnResult *result)
{
  g_ptr_array_set_size (node->parts, 0);
  g_ptr_array_set_size (node->part_blobs, 0);
  for (guint i = 0; parts != NULL && i < parts->len; i++)
    {
      PeelPart *copy = peel_part_copy (g_ptr_array_index (parts, i));

      fill_image_size (copy);
      g_ptr_array_add (node->parts, copy);
      g_ptr_array_add (node->part_blobs, copy->kind == PEEL_PART_IMAGE && copy->data != NULL
                                         ? peel_node_hash_bytes (copy->data) : NULL);
    }

  g_clear_pointer (&node->history, g_ptr_array_unref);
  if (result != NULL)
    node->history = _peel_node_compact_history (node->parts, result->history);

  g_ptr_array_set_size (node->sources, 0);
  g_clear_pointer (&node->search_queries, g_strfreev);
  if (result != NULL)
    {
      node->prompt_tokens = result->prompt_tokens;
      node->output_tokens = result->output_tokens;
      node->thought_tokens = result->thought_tokens;
      if (result->cost >= 0)
        node->cost = result->cost;
      else
        node->cost = peel_model_cost (peel_model_family_for_id (node->model),
                                      result->prompt_tokens, result->output_tokens,
                                      result->thought_tokens);
      g_free (node->finish_reason);
      node->finish_reason = g_strdup (result->finish_reason);
      g_free (node->finish_message);
      node->finish_message = g_strdup (result->finish_message);
      g_free (node->context_note);
      node->context_note = g_strdup (result->context_note);
      for (guint i = 0; result->sources != NULL && i < result->sources->len; i++)
        {
          const PeelSource *s = g_ptr_array_index (result->sources, i);

          g_ptr_array_add (node->sources, peel_source_new (s->title, s->uri));
        }
      node->search_queries = g_strdupv ((char **) result->search_queries);
      g_free (node->issuer);
      node->issuer = g_strdup (result->issuer);
      node->context_rebuilt = result->context_rebuilt;
      if (result->region != NULL)
        {
          node->is_region = TRUE;
          node->region = *result->region;
          set_extra (node, PEEL_EXTRA_REGION_MASK, result->region_mask);
          set_extra (node, PEEL_EXTRA_REGION_ANSWER, result->region_answer);
        }
    }

  g_object_freeze_notify (G_OBJECT (node));
  _peel_node_set_status (node, PEEL_NODE_DONE);
  _peel_node_notify_image (node);
  g_object_thaw_notify (G_OBJECT (node));
}

void
_peel_node_fail (PeelNode   *node,
                 const char *code,
                 const char *message)
{
  g_object_freeze_notify (G_OBJECT (node));
  if (g_strcmp0 (node->error_code, code) != 0)
    {
      g_free (node->error_code);
      node->error_code = g_strdup (code ? code : "UNKNOWN");
      g_object_notify_by_pspec (G_OBJECT (node), properties[PROP_ERROR_CODE]);
    }
  if (g_strcmp0 (node->error_message, message) != 0)
    {
      g_free (node->error_message);
      node->error_message = g_strdup (message ? message : "");
      g_object_notify_by_pspec (G_OBJECT (node), properties[PROP_ERROR_MESSAGE]);
    }
  _peel_node_set_status (node, PEEL_NODE_FAILED);
  g_object_thaw_notify (G_OBJECT (node));
}

void
_peel_node_set_title (PeelNode   *node,
                      const char *title)
{
  if (title != NULL && *title == '\0')
    title = NULL;
  if (g_strcmp0 (node->title, title) == 0)
    return;
  g_free (node->title);
  node->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (node), properties[PROP_TITLE]);
  g_object_notify_by_pspec (G_OBJECT (node), properties[PROP_DISPLAY_TITLE]);
}

void
_peel_node_set_starred (PeelNode *node,
                        gboolean  starred)
{
  starred = !!starred;
  if (node->starred == starred)
    return;
  node->starred = starred;
  g_object_notify_by_pspec (G_OBJECT (node), properties[PROP_STARRED]);
}

void
_peel_node_set_hidden (PeelNode *node,
                       gboolean  hidden)
{
  hidden = !!hidden;
  if (node->hidden == hidden)
    return;
  node->hidden = hidden;
  g_object_notify_by_pspec (G_OBJECT (node), properties[PROP_HIDDEN]);
}

void
_peel_node_set_unsaved (PeelNode *node,
                        gboolean  unsaved)
{
  unsaved = !!unsaved;
  if (node->unsaved == unsaved)
    return;
  node->unsaved = unsaved;
  g_object_notify_by_pspec (G_OBJECT (node), properties[PROP_UNSAVED]);
}

const char *
peel_node_get_id (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return node->id;
}

const char *
peel_node_get_parent_id (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return node->parent_id;
}

/**
 * peel_node_get_parent:
 * @node: a node
 *
 * Returns: (transfer none) (nullable): the parent, or %NULL for a root
 */
PeelNode *
peel_node_get_parent (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return node->parent;
}

/**
 * peel_node_get_children:
 * @node: a node
 *
 * Returns: (transfer none): the children, oldest first, kept in sync with items-changed
 */
GListModel *
peel_node_get_children (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);

  if (node->children_pending)
    {
      node->children_pending = FALSE;
      if (node->load_children != NULL)
        node->load_children (node, node->load_data);
    }
  return G_LIST_MODEL (node->children);
}

guint
peel_node_get_depth (PeelNode *node)
{
  guint depth = 0;

  g_return_val_if_fail (PEEL_IS_NODE (node), 0);
  for (PeelNode *n = node->parent; n != NULL; n = n->parent)
    depth++;
  return depth;
}

PeelNodeStatus
peel_node_get_status (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), PEEL_NODE_PENDING);
  return node->status;
}

gint64
peel_node_get_created (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), 0);
  return node->created;
}

const char *
peel_node_get_title (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return node->title;
}

/**
 * peel_node_get_display_title:
 * @node: a node
 *
 * Returns: the name the user gave the node, else its prompt
 */
const char *
peel_node_get_display_title (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return node->title ? node->title : node->prompt;
}

gboolean
peel_node_get_starred (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), FALSE);
  return node->starred;
}

gboolean
peel_node_get_hidden (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), FALSE);
  return node->hidden;
}

/**
 * peel_node_get_issuer:
 *
 * Returns: (nullable): the service that made the turn, whose signatures it holds; %NULL for
 *   a turn saved before Peel recorded it
 */
const char *
peel_node_get_issuer (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);

  return node->issuer;
}

/**
 * peel_node_get_context_rebuilt:
 *
 * Returns: whether the branch before this turn was sent as the user's own images, without
 *   signatures, because it came from another service or model
 */
gboolean
peel_node_get_context_rebuilt (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), FALSE);

  return node->context_rebuilt;
}

/**
 * peel_node_get_imported:
 * @node: a node
 *
 * An imported node holds an image the model did not make in this session (a PNG brought in
 * with its lineage, a recovered blob): its image has no thought signature, so a request
 * should send it in a user turn rather than echo it as a model turn.
 *
 * Returns: whether the node was imported
 */
gboolean
peel_node_get_imported (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), FALSE);
  return node->imported;
}

/**
 * peel_node_get_unsaved:
 * @node: a node
 *
 * Returns: whether the last change to the node could not be written to disk yet
 */
gboolean
peel_node_get_unsaved (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), FALSE);
  return node->unsaved;
}

const char *
peel_node_get_prompt (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return node->prompt;
}

/**
 * peel_node_get_references:
 * @node: a node
 *
 * Returns: (transfer none) (element-type PeelPart): the reference images of the user turn;
 *   their bytes may be %NULL until loaded with peel_node_dup_references()
 */
GPtrArray *
peel_node_get_references (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return node->references;
}

const char *
peel_node_get_aspect_ratio (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return node->aspect_ratio;
}

PeelImageSize
peel_node_get_size (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), PEEL_IMAGE_SIZE_1K);
  return node->size;
}

const char *
peel_node_get_model (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return node->model;
}

/**
 * peel_node_get_batch:
 * @node: a node
 *
 * Returns: (nullable): the batch id shared by the siblings of one Generate with variations
 *   (see docs/variations.md), or %NULL for an ordinary turn
 */
const char *
peel_node_get_batch (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return node->batch;
}

void
peel_node_get_options (PeelNode        *node,
                       PeelTurnOptions *options)
{
  g_return_if_fail (PEEL_IS_NODE (node));
  g_return_if_fail (options != NULL);
  *options = node->options;
}

/**
 * peel_node_get_draft_of:
 * @node: a node
 *
 * Returns: (nullable): the id of the node @node renders larger ("Render Larger"), or %NULL;
 *   that node may have been deleted since
 */
const char *
peel_node_get_draft_of (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return node->draft_of;
}

/**
 * peel_node_get_parts:
 * @node: a node
 *
 * Returns: (transfer none) (element-type PeelPart): the model turn, every part in order;
 *   image bytes may be %NULL until loaded with peel_node_dup_part_data()
 */
GPtrArray *
peel_node_get_parts (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return node->parts;
}

void
peel_node_get_usage (PeelNode *node,
                     gint64   *prompt_tokens,
                     gint64   *output_tokens,
                     gint64   *thought_tokens)
{
  g_return_if_fail (PEEL_IS_NODE (node));
  if (prompt_tokens)
    *prompt_tokens = node->prompt_tokens;
  if (output_tokens)
    *output_tokens = node->output_tokens;
  if (thought_tokens)
    *thought_tokens = node->thought_tokens;
}

double
peel_node_get_cost (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), 0.0);
  return node->cost;
}

const char *
peel_node_get_finish_reason (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return node->finish_reason;
}

const char *
peel_node_get_finish_message (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return node->finish_message;
}

/**
 * peel_node_get_context_note:
 *
 * Returns: (nullable): what of the branch the request for this turn left out (earlier turns,
 *   reference images over the model's limit), in words; %NULL when it sent everything
 */
const char *
peel_node_get_context_note (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return node->context_note;
}

/**
 * peel_node_get_sources:
 * @node: a node
 *
 * Returns: (transfer none) (element-type PeelSource): the grounding sources
 */
GPtrArray *
peel_node_get_sources (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return node->sources;
}

const char * const *
peel_node_get_search_queries (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return (const char * const *) node->search_queries;
}

const char *
peel_node_get_error_code (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return node->error_code;
}

const char *
peel_node_get_error_message (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return node->error_message;
}
