/* peel-batch.c
 *
 * Generate with variations: N sibling turns of one parent with the same spec, each a
 * PeelGeneration of its own, at most `concurrency` of them in flight and the rest queued.
 * The siblings share the client, so they share its backoff (peel-gemini-client-wait.c): a rate
 * limit met by one slows them all. See docs/variations.md.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-batch.h"

struct _PeelBatch
{
  GObject           parent_instance;

  PeelSession      *session;
  PeelGeminiClient *client;
  char             *id;
  guint             count;
  guint             concurrency;

  /* One slot per sibling: its generation once it left the queue, else NULL. */
  GPtrArray        *generations;
  gboolean          running;
};

G_DEFINE_FINAL_TYPE (PeelBatch, peel_batch, G_TYPE_OBJECT)

enum {
  ITEM_STARTED,
  ITEM_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  PeelNode     *parent;
  PeelTurnSpec *spec;       /* owned, with the batch's id */
  gboolean      stream;
  guint         next;       /* the first sibling still queued */
  guint         in_flight;
  guint         ended;
  GError       *stop;       /* why the queue stopped: no sibling could be made */
} RunData;

typedef struct
{
  GTask *task;
  guint  index;
} Item;

static void start_next (GTask *task);

static void
unref_generation (gpointer generation)
{
  if (generation != NULL)
    g_object_unref (generation);
}

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->parent);
  g_clear_pointer (&data->spec, peel_turn_spec_free);
  g_clear_error (&data->stop);
  g_free (data);
}

static void
peel_batch_dispose (GObject *object)
{
  PeelBatch *self = PEEL_BATCH (object);

  g_clear_pointer (&self->generations, g_ptr_array_unref);
  g_clear_object (&self->client);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (peel_batch_parent_class)->dispose (object);
}

static void
peel_batch_finalize (GObject *object)
{
  PeelBatch *self = PEEL_BATCH (object);

  g_free (self->id);

  G_OBJECT_CLASS (peel_batch_parent_class)->finalize (object);
}

static void
peel_batch_class_init (PeelBatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = peel_batch_dispose;
  object_class->finalize = peel_batch_finalize;

  /**
   * PeelBatch::item-started:
   * @index: which sibling, from 0
   * @generation: its generation; its pending node exists (peel_generation_get_node())
   *
   * A sibling left the queue: its turn is in the session and its request is on the way.
   */
  signals[ITEM_STARTED] =
    g_signal_new ("item-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, PEEL_TYPE_GENERATION);

  /**
   * PeelBatch::item-finished:
   * @index: which sibling, from 0
   * @node: (nullable): its node, done or failed; %NULL when none was made (the session could
   *   not take it, or the batch was cancelled while it was queued)
   * @error: (nullable): why it failed, %NULL when it succeeded
   *
   * A sibling ended. Every sibling ends exactly once, queued ones included.
   */
  signals[ITEM_FINISHED] =
    g_signal_new ("item-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, PEEL_TYPE_NODE,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
peel_batch_init (PeelBatch *self)
{
}

/**
 * peel_batch_new:
 * @session: where the siblings go
 * @client: the client every sibling's request goes through (their backoff is shared)
 * @count: how many siblings, 1 to %PEEL_BATCH_MAX_COUNT
 * @concurrency: at most this many requests in flight; the rest wait in a queue, never
 *   refused
 *
 * Returns: (transfer full): a batch with a new id, to be run once
 */
PeelBatch *
peel_batch_new (PeelSession      *session,
                PeelGeminiClient *client,
                guint             count,
                guint             concurrency)
{
  PeelBatch *self;

  g_return_val_if_fail (PEEL_IS_SESSION (session), NULL);
  g_return_val_if_fail (PEEL_IS_GEMINI_CLIENT (client), NULL);
  g_return_val_if_fail (count >= 1 && count <= PEEL_BATCH_MAX_COUNT, NULL);

  self = g_object_new (PEEL_TYPE_BATCH, NULL);
  self->session = g_object_ref (session);
  self->client = g_object_ref (client);
  self->count = count;
  self->concurrency = MAX (concurrency, 1);
  self->id = g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());
  self->generations = g_ptr_array_new_full (count, unref_generation);
  return self;
}

/**
 * peel_batch_get_id:
 *
 * Returns: the id each sibling records (peel_node_get_batch())
 */
const char *
peel_batch_get_id (PeelBatch *self)
{
  g_return_val_if_fail (PEEL_IS_BATCH (self), NULL);

  return self->id;
}

guint
peel_batch_get_count (PeelBatch *self)
{
  g_return_val_if_fail (PEEL_IS_BATCH (self), 0);

  return self->count;
}

/**
 * peel_batch_get_generation:
 * @index: which sibling, from 0
 *
 * Returns: (nullable) (transfer none): the generation of sibling @index, or %NULL while it is
 *   still queued (or never left the queue)
 */
PeelGeneration *
peel_batch_get_generation (PeelBatch *self,
                           guint      index)
{
  g_return_val_if_fail (PEEL_IS_BATCH (self), NULL);
  g_return_val_if_fail (index < self->count, NULL);

  if (self->generations == NULL || index >= self->generations->len)
    return NULL;
  return g_ptr_array_index (self->generations, index);
}

/* The batch's answer, once every sibling ended. */
static void
finish (GTask *task)
{
  PeelBatch *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func (g_object_unref);

  self->running = FALSE;
  for (guint i = 0; i < self->generations->len; i++)
    {
      PeelGeneration *generation = g_ptr_array_index (self->generations, i);
      PeelNode *node = generation != NULL ? peel_generation_get_node (generation) : NULL;

      if (node != NULL)
        g_ptr_array_add (nodes, g_object_ref (node));
    }

  if (nodes->len > 0)
    g_task_return_pointer (task, g_steal_pointer (&nodes), (GDestroyNotify) g_ptr_array_unref);
  else if (data->stop != NULL)
    g_task_return_error (task, g_error_copy (data->stop));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The variations were cancelled before any was made."));
}

static void
item_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Item *item = user_data;
  g_autoptr(GTask) task = item->task;
  guint index = item->index;
  PeelBatch *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  PeelGeneration *generation = PEEL_GENERATION (object);
  g_autoptr(PeelNode) done = NULL;
  g_autoptr(GError) error = NULL;
  PeelNode *node;

  g_free (item);
  done = peel_generation_run_finish (generation, result, &error);
  /* A turn that completed just before a Cancel is still done: what arrived is kept and
   * shown as such, whatever the cancelled task says. */
  node = peel_generation_get_node (generation);
  if (node != NULL && peel_node_get_status (node) == PEEL_NODE_DONE)
    g_clear_error (&error);
  else if (error == NULL)
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                 _("This variation ended without an image."));

  /* Nothing was sent and no turn was made: the session cannot take turns, and the siblings
   * still queued would fail the same way. */
  if (node == NULL && error != NULL && data->stop == NULL &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    data->stop = g_error_copy (error);

  data->in_flight--;
  data->ended++;
  g_signal_emit (self, signals[ITEM_FINISHED], 0, index, node, error);

  start_next (task);
}

/* Fills the free places from the queue; ends the queued siblings once the batch is cancelled
 * or stopped, and the batch once every sibling ended. */
static void
start_next (GTask *task)
{
  PeelBatch *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  while (data->next < self->count &&
         (data->stop != NULL || g_cancellable_is_cancelled (cancellable)))
    {
      g_autoptr(GError) error = NULL;
      guint index = data->next++;

      g_ptr_array_add (self->generations, NULL);
      if (data->stop != NULL)
        error = g_error_copy (data->stop);
      else
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                     _("You cancelled this variation before it was sent."));
      data->ended++;
      g_signal_emit (self, signals[ITEM_FINISHED], 0, index, NULL, error);
    }

  while (data->next < self->count && data->in_flight < self->concurrency)
    {
      guint index = data->next++;
      PeelGeneration *generation = peel_generation_new (self->session, self->client);
      Item *item = g_new0 (Item, 1);

      item->task = g_object_ref (task);
      item->index = index;
      g_ptr_array_add (self->generations, generation);
      data->in_flight++;
      peel_generation_run_async (generation, data->parent, data->spec, data->stream,
                                 cancellable, item_done_cb, item);
      if (peel_generation_get_node (generation) != NULL)
        g_signal_emit (self, signals[ITEM_STARTED], 0, index, generation);
    }

  if (data->ended == self->count)
    finish (task);
}

/**
 * peel_batch_run_async:
 * @self: a batch that has not run yet
 * @parent: (nullable): the node every sibling continues, or %NULL for new roots
 * @spec: what each sibling asks for (copied); its batch is the batch's id
 * @stream: whether to stream thoughts and interim images
 * @cancellable: (nullable): cancels every sibling; those that finished are kept
 *
 * Starts the siblings, each a PeelGeneration with a pending child of @parent, at most the
 * batch's concurrency at a time; each sibling that ends frees a place for the next in the
 * queue. A sibling that fails (blocked, rate limited past its retries, cancelled) stays as a
 * failed node with its reason, and the others go on.
 */
void
peel_batch_run_async (PeelBatch           *self,
                      PeelNode            *parent,
                      const PeelTurnSpec  *spec,
                      gboolean             stream,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (PEEL_IS_BATCH (self));
  g_return_if_fail (parent == NULL || PEEL_IS_NODE (parent));
  g_return_if_fail (spec != NULL && spec->model != NULL);
  g_return_if_fail (!self->running && self->generations->len == 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, peel_batch_run_async);
  /* Cancelled or not, the siblings made are the answer. */
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (RunData, 1);
  data->parent = parent != NULL ? g_object_ref (parent) : NULL;
  data->spec = peel_turn_spec_copy (spec);
  g_free ((char *) data->spec->batch);
  data->spec->batch = g_strdup (self->id);
  data->stream = stream;
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  self->running = TRUE;
  start_next (task);
}

/**
 * peel_batch_run_finish:
 *
 * Returns: (transfer container) (element-type PeelNode): every sibling node that was made, in
 *   index order, failed ones included; %NULL with an error only when none was made (the
 *   session cannot take turns, or the batch was cancelled before any was)
 */
GPtrArray *
peel_batch_run_finish (PeelBatch     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (PEEL_IS_BATCH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == peel_batch_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
