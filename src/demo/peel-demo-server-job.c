/* peel-demo-server-job.c
 *
 * One request in flight (a job): pacing what the worker makes (one reply, or SSE events with
 * the latency between them) onto the wire without blocking the main loop.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-demo-server-private.h"

static const char huge_prefix[] =
  "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"inlineData\":"
  "{\"mimeType\":\"image/png\",\"data\":\"";
static const char huge_suffix[] = "\"}}]},\"finishReason\":\"STOP\",\"index\":0}]}";

static void job_pump (PeelDemoJob *job);

static void
item_free (gpointer data)
{
  PeelDemoItem *item = data;

  g_clear_pointer (&item->bytes, g_bytes_unref);
  g_free (item);
}

PeelDemoJob *
peel_demo_job_ref (PeelDemoJob *job)
{
  g_atomic_ref_count_inc (&job->ref_count);
  return job;
}

void
peel_demo_job_unref (PeelDemoJob *job)
{
  if (!g_atomic_ref_count_dec (&job->ref_count))
    return;

  g_assert (job->timeout == NULL);
  g_queue_clear_full (&job->items, item_free);
  g_mutex_clear (&job->lock);
  g_clear_pointer (&job->body, g_bytes_unref);
  g_clear_pointer (&job->model, g_free);
  g_clear_pointer (&job->file_token, g_free);
  g_clear_pointer (&job->file_url, g_free);
  g_clear_pointer (&job->variants, peel_demo_variants_unref);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->stolen);
  g_clear_object (&job->msg);
  g_main_context_unref (job->context);
  g_free (job);
}

/* The job's answer is complete, or nobody is listening any more. */
static void
job_finish (PeelDemoJob *job)
{
  PeelDemoServer *self = job->server;

  if (self == NULL)
    return;

  job->done = TRUE;
  g_cancellable_cancel (job->cancellable);
  if (job->timeout != NULL)
    {
      g_source_destroy (job->timeout);
      g_clear_pointer (&job->timeout, g_source_unref);
    }
  g_clear_signal_handler (&job->finished_id, job->msg);
  g_clear_signal_handler (&job->disconnected_id, job->msg);
  g_clear_signal_handler (&job->wrote_chunk_id, job->msg);
  if (job->stolen != NULL)
    g_io_stream_close (job->stolen, NULL, NULL);
  job->server = NULL;
  /* Last: this may drop the last reference to the job. */
  g_ptr_array_remove_fast (self->jobs, job);
}

/* For the faults in peel-demo-faults.c that end a job themselves. */
void
peel_demo_job_finish (PeelDemoJob *job)
{
  job_finish (job);
}

static void
job_message_gone_cb (SoupServerMessage *msg,
                     PeelDemoJob       *job)
{
  job_finish (job);
}

/**
 * peel_demo_job_new:
 *
 * Pauses @msg until the job answers it. The server holds the job until it is finished.
 *
 * Returns: (transfer none): the job
 */
PeelDemoJob *
peel_demo_job_new (PeelDemoServer    *self,
                   SoupServerMessage *msg)
{
  PeelDemoJob *job = g_new0 (PeelDemoJob, 1);

  g_atomic_ref_count_init (&job->ref_count);
  job->context = g_main_context_ref_thread_default ();
  job->cancellable = g_cancellable_new ();
  g_mutex_init (&job->lock);
  g_queue_init (&job->items);
  job->server = self;
  job->msg = g_object_ref (msg);
  job->latency_ms = self->latency_ms;
  job->next_send = g_get_monotonic_time () + (gint64) self->latency_ms * 1000;

  soup_server_message_pause (msg);
  job->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (job_message_gone_cb), job);
  job->disconnected_id = g_signal_connect (msg, "disconnected",
                                           G_CALLBACK (job_message_gone_cb), job);
  g_ptr_array_add (self->jobs, job);

  return job;
}

static gboolean
job_pump_cb (gpointer data)
{
  job_pump (data);
  return G_SOURCE_REMOVE;
}

/**
 * peel_demo_job_push:
 * @bytes: (transfer full) (nullable): what to send
 *
 * Queues one thing for the main thread to send. Callable from any thread.
 */
void
peel_demo_job_push (PeelDemoJob      *job,
                    PeelDemoItemKind  kind,
                    guint             status,
                    GBytes           *bytes)
{
  PeelDemoItem *item = g_new0 (PeelDemoItem, 1);

  item->kind = kind;
  item->status = status;
  item->bytes = bytes;

  g_mutex_lock (&job->lock);
  g_queue_push_tail (&job->items, item);
  g_mutex_unlock (&job->lock);

  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, job_pump_cb,
                              peel_demo_job_ref (job), (GDestroyNotify) peel_demo_job_unref);
}

static void
reset_written_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GIOStream) stream = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

/* The status line, the headers and the start of a body promised longer, then the socket
 * closes: what a dropped connection looks like to a client. */
static void
send_reset (PeelDemoJob *job)
{
  static const char partial[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: " JSON_TYPE "\r\n"
    "Content-Length: 65536\r\n"
    "\r\n"
    "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Here is";
  GIOStream *stream = soup_server_message_steal_connection (job->msg);

  if (stream == NULL)
    return;

  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), partial,
                                   strlen (partial), G_PRIORITY_DEFAULT, NULL,
                                   reset_written_cb, stream);
}

static void
huge_wrote_chunk_cb (SoupServerMessage *msg,
                     PeelDemoJob       *job)
{
  PeelDemoServer *self = job->server;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  goffset middle = PEEL_DEMO_SERVER_HUGE_BODY_BYTES - job->huge_prefix_len -
                   strlen (job->huge_suffix);
  goffset left = middle - job->huge_offset;

  if (job->done && job->huge_offset > middle)
    return;

  if (left >= HUGE_CHUNK_BYTES)
    {
      soup_message_body_append_bytes (body, self->huge_chunk);
      job->huge_offset += HUGE_CHUNK_BYTES;
    }
  else if (left > 0)
    {
      g_autoptr(GBytes) last = g_bytes_new_from_bytes (self->huge_chunk, 0, left);

      soup_message_body_append_bytes (body, last);
      job->huge_offset += left;
    }
  else if (job->huge_offset == middle && job->huge_suffix[0] != '\0')
    {
      soup_message_body_append (body, SOUP_MEMORY_STATIC, job->huge_suffix,
                                strlen (job->huge_suffix));
      job->huge_offset++;
    }
  else
    {
      soup_message_body_complete (body);
      return;
    }

  soup_server_message_unpause (msg);
}

/**
 * peel_demo_job_send_huge:
 * @prefix: (array length=prefix_len): static bytes to start with
 * @suffix: a static string to end with, maybe empty
 *
 * Answers with 600 MiB of a plausible body, fed one shared 1 MiB chunk at a time as the socket
 * drains, so the server never holds more than a chunk or two of it.
 */
void
peel_demo_job_send_huge (PeelDemoJob  *job,
                         const char   *content_type,
                         const guint8 *prefix,
                         gsize         prefix_len,
                         const char   *suffix)
{
  SoupServerMessage *msg = job->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  job->huge_prefix_len = prefix_len;
  job->huge_suffix = suffix;
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_replace (headers, "Content-Type", content_type);
  soup_message_headers_set_content_length (headers, PEEL_DEMO_SERVER_HUGE_BODY_BYTES);
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_append (body, SOUP_MEMORY_STATIC, prefix, prefix_len);
  job->wrote_chunk_id = g_signal_connect (msg, "wrote-chunk",
                                          G_CALLBACK (huge_wrote_chunk_cb), job);
  soup_server_message_unpause (msg);
}

static void
send_item (PeelDemoJob  *job,
           PeelDemoItem *item)
{
  SoupServerMessage *msg = job->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  switch (item->kind)
    {
    case PEEL_DEMO_ITEM_ERROR:
    case PEEL_DEMO_ITEM_REPLY:
      soup_server_message_set_status (msg, item->status, NULL);
      soup_message_headers_replace (headers, "Content-Type", JSON_TYPE);
      soup_message_body_append_bytes (body, item->bytes);
      soup_server_message_unpause (msg);
      job_finish (job);
      break;

    case PEEL_DEMO_ITEM_EVENT:
      if (!job->started)
        {
          soup_server_message_set_status (msg, 200, NULL);
          soup_message_headers_replace (headers, "Content-Type", "text/event-stream");
          soup_message_headers_replace (headers, "Cache-Control", "no-cache");
          /* Google ends a stream by closing the connection; there is no sentinel. */
          soup_message_headers_replace (headers, "Connection", "close");
          soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
          soup_message_body_set_accumulate (body, FALSE);
          job->started = TRUE;
        }
      soup_message_body_append_bytes (body, item->bytes);
      soup_server_message_unpause (msg);
      break;

    case PEEL_DEMO_ITEM_END:
      if (!job->started)
        {
          soup_server_message_set_status (msg, 200, NULL);
          soup_message_headers_replace (headers, "Content-Type", "text/event-stream");
          soup_message_headers_replace (headers, "Connection", "close");
          soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
        }
      soup_message_body_complete (body);
      soup_server_message_unpause (msg);
      job_finish (job);
      break;

    case PEEL_DEMO_ITEM_RESET:
      send_reset (job);
      job_finish (job);
      break;

    case PEEL_DEMO_ITEM_STALL:
      /* Headers go out, then the body never comes: the job waits for the client to give
       * up, or for stop(), which closes the connection. */
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_replace (headers, "Content-Type", JSON_TYPE);
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_server_message_unpause (msg);
      break;

    case PEEL_DEMO_ITEM_HUGE_BODY:
      peel_demo_job_send_huge (job, JSON_TYPE, (const guint8 *) huge_prefix,
                               strlen (huge_prefix), huge_suffix);
      break;

    case PEEL_DEMO_ITEM_FILE:
      peel_demo_links_add (job->server->links, job->file_token, job->fault, item->bytes);
      break;

    case PEEL_DEMO_ITEM_TRICKLE:
      peel_demo_job_send_trickle (job);
      break;

    case PEEL_DEMO_ITEM_KEEP_ALIVE:
      peel_demo_job_send_keep_alive (job);
      break;

    case PEEL_DEMO_ITEM_MALFORMED:
      {
        static const char cut[] =
          "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Here is "
          "your picture\",\"thoughtSignature\":\"Peel";

        soup_server_message_set_status (msg, 200, NULL);
        soup_server_message_set_response (msg, JSON_TYPE, SOUP_MEMORY_STATIC, cut, strlen (cut));
        soup_server_message_unpause (msg);
        job_finish (job);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
job_timeout_cb (gpointer data)
{
  PeelDemoJob *job = data;

  g_clear_pointer (&job->timeout, g_source_unref);
  job_pump (job);

  return G_SOURCE_REMOVE;
}

/* Sends what the worker has made so far, no sooner than the latency allows. */
static void
job_pump (PeelDemoJob *job)
{
  g_autoptr(PeelDemoJob) hold = peel_demo_job_ref (job);

  while (!job->done && job->timeout == NULL)
    {
      PeelDemoItem *item;
      gint64 now = g_get_monotonic_time ();

      g_mutex_lock (&job->lock);
      item = g_queue_peek_head (&job->items);
      if (item != NULL && now >= job->next_send)
        g_queue_pop_head (&job->items);
      g_mutex_unlock (&job->lock);

      if (item == NULL)
        return;

      if (now < job->next_send)
        {
          job->timeout = g_timeout_source_new ((job->next_send - now + 999) / 1000);
          g_source_set_callback (job->timeout, job_timeout_cb, peel_demo_job_ref (job),
                                 (GDestroyNotify) peel_demo_job_unref);
          g_source_attach (job->timeout, job->context);
          return;
        }

      send_item (job, item);
      /* A file is not sent: the reply that links to it follows without a pause. */
      if (item->kind != PEEL_DEMO_ITEM_FILE)
        job->next_send = now + (gint64) job->latency_ms * 1000;
      item_free (item);
    }
}
