/* peel-gemini-client-stream.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "peel-gemini-client-private.h"
#include "peel-gemini-error.h"

/* Streamed replies -------------------------------------------------------------------------- */

gboolean
_peel_gemini_client_sse_event_cb (const char  *data,
                                  gsize        len,
                                  gpointer     user_data,
                                  GError     **error)
{
  Generate *gen = user_data;

  /* An event is progress; a comment (": keep-alive") is not, and does not restart the clock. */
  gen->n_events++;
  _peel_gemini_client_restart_idle (gen);
  g_ptr_array_add (gen->events, g_bytes_new (data, len));
  return TRUE;
}

typedef struct
{
  PeelGeminiReply *reply;
  GPtrArray       *events;  /* GBytes */
  GPtrArray       *parts;   /* PeelPart: what they added */
} Merge;

static void
merge_free (Merge *merge)
{
  g_clear_object (&merge->reply);
  g_clear_pointer (&merge->events, g_ptr_array_unref);
  g_clear_pointer (&merge->parts, g_ptr_array_unref);
  g_free (merge);
}

/* Adds each event to the reply and collects what it added: new parts, and for a text part the
 * reply grew in place (adjacent deltas are merged), a part holding just the new text. */
static gboolean
merge_events (Merge   *merge,
              GError **error)
{
  merge->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);

  for (guint i = 0; i < merge->events->len; i++)
    {
      GBytes *event = g_ptr_array_index (merge->events, i);
      GPtrArray *parts = peel_gemini_reply_get_parts (merge->reply);
      guint n_before = parts->len;
      const PeelPart *last = n_before > 0 ? g_ptr_array_index (parts, n_before - 1) : NULL;
      gsize text_before = last != NULL && last->text != NULL ? strlen (last->text) : 0;

      if (!peel_gemini_reply_add_chunk (merge->reply, g_bytes_get_data (event, NULL),
                                        g_bytes_get_size (event), error))
        return FALSE;

      parts = peel_gemini_reply_get_parts (merge->reply);
      if (last != NULL && n_before <= parts->len)
        {
          last = g_ptr_array_index (parts, n_before - 1);
          if (last->kind == PEEL_PART_TEXT && last->text != NULL &&
              strlen (last->text) > text_before)
            {
              PeelPart *delta = peel_part_new_text (last->text + text_before, last->thought);

              g_ptr_array_add (merge->parts, delta);
            }
        }

      for (guint j = n_before; j < parts->len; j++)
        g_ptr_array_add (merge->parts, peel_part_copy (g_ptr_array_index (parts, j)));
    }

  return TRUE;
}

static void
merge_thread (GTask        *worker,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (!merge_events (task_data, &error))
    g_task_return_error (worker, error);
  else
    g_task_return_boolean (worker, TRUE);
}

static void
stream_continue (GTask *task)
{
  Generate *gen = g_task_get_task_data (task);

  if (gen->eof)
    _peel_gemini_client_finish_reply (task);
  else
    _peel_gemini_client_read_stream (task);
}

static void
merge_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Merge *merge = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (_peel_gemini_client_is_cancelled (task))
        {
          g_clear_error (&error);
          return;
        }
      _peel_gemini_client_fail (task, error);
      return;
    }

  _peel_gemini_client_emit_parts (task, merge->parts);
  if (_peel_gemini_client_is_cancelled (task))
    return;
  stream_continue (task);
}

/* Merges the events read so far, then goes on reading. Reading pauses meanwhile: the events
 * must be merged in order, and the kernel's buffer holds what arrives in the meantime. */
static void
merge_pending (GTask *task)
{
  Generate *gen = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  Merge *merge;
  gsize total = 0;
  GTask *worker;

  if (gen->events->len == 0)
    {
      stream_continue (task);
      return;
    }

  merge = g_new0 (Merge, 1);
  merge->reply = g_object_ref (gen->reply);
  merge->events = g_steal_pointer (&gen->events);
  gen->events = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < merge->events->len; i++)
    total += g_bytes_get_size (g_ptr_array_index (merge->events, i));

  if (total < INLINE_EVENT_BYTES)
    {
      if (!merge_events (merge, &error))
        {
          merge_free (merge);
          _peel_gemini_client_fail (task, g_steal_pointer (&error));
          return;
        }
      _peel_gemini_client_emit_parts (task, merge->parts);
      merge_free (merge);
      if (!_peel_gemini_client_is_cancelled (task))
        stream_continue (task);
      return;
    }

  worker = g_task_new (g_task_get_source_object (task), g_task_get_cancellable (task),
                       merge_done_cb, g_object_ref (task));
  g_task_set_task_data (worker, merge, (GDestroyNotify) merge_free);
  g_task_run_in_thread (worker, merge_thread);
  g_object_unref (worker);
}

static void
stream_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PeelGeminiClient *self = g_task_get_source_object (task);
  Generate *gen = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      if (_peel_gemini_client_is_cancelled (task))
        return;
      /* A dropped connection is retried; a stream that ended cleanly but early is not (see
       * _peel_gemini_client_finish_reply): the server meant it, and it was billed. */
      _peel_gemini_client_back_off_or_fail (task,
                                            _peel_gemini_client_transport_error (gen, error,
                                                                                 self->timeout,
                                                                                 TRUE),
                                            0);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      gen->eof = TRUE;
      g_clear_object (&gen->input);
      if (!peel_sse_parser_finish (gen->sse, &error))
        {
          _peel_gemini_client_fail (task, g_steal_pointer (&error));
          return;
        }
      merge_pending (task);
      return;
    }

  gen->received += g_bytes_get_size (bytes);
  _peel_gemini_client_emit_progress (task);

  if (gen->received > self->max_reply_bytes)
    {
      _peel_gemini_client_fail (task, _peel_gemini_client_too_large_error (self->max_reply_bytes));
      return;
    }

  if (!peel_sse_parser_feed (gen->sse, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                             &error))
    {
      _peel_gemini_client_fail (task, g_steal_pointer (&error));
      return;
    }

  merge_pending (task);
}

void
_peel_gemini_client_read_stream (GTask *task)
{
  Generate *gen = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (gen->input, STREAM_READ_SIZE, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), stream_read_cb,
                                   g_object_ref (task));
}
