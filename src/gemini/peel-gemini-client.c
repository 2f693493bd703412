/* peel-gemini-client.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "peel-gemini-client.h"
#include "peel-gemini-client-private.h"
#include "peel-gemini-error.h"
#include "peel-sse-parser.h"

/* Defaults: the retry policy of Google's own SDKs (when retries are on), a deadline for the
 * whole request long enough for a Pro 4K image to be drawn before the first byte, a stream
 * may go two minutes without an event (thinking hard, then drawing), and a reply cap far above
 * the largest image (a 12288×1536 PNG in base64 is some 30 MB). */
#define DEFAULT_MAX_ATTEMPTS     5
#define DEFAULT_BACKOFF_INITIAL  1.0
#define DEFAULT_BACKOFF_MAX      60.0
#define DEFAULT_TIMEOUT_SECONDS  300
#define DEFAULT_STREAM_IDLE_SECONDS 120
/* libsoup's own I/O timeout stays a little behind the deadline, which says more. */
#define IO_TIMEOUT_SLACK_SECONDS 5
#define DEFAULT_MAX_REPLY_BYTES  ((gsize) 256 * 1024 * 1024)

G_DEFINE_FINAL_TYPE (PeelGeminiClient, peel_gemini_client, G_TYPE_OBJECT)

enum {
  PART_RECEIVED,
  BACKING_OFF,
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_idle (Generate *gen)
{
  if (gen->idle_source != NULL)
    {
      g_source_destroy (gen->idle_source);
      g_clear_pointer (&gen->idle_source, g_source_unref);
    }
}

void
_peel_gemini_client_clear_attempt (Generate *gen)
{
  clear_idle (gen);
  if (gen->sse != NULL)
    gen->comments += peel_sse_parser_get_comments (gen->sse);
  gen->n_events = 0;
  g_clear_object (&gen->msg);
  g_clear_object (&gen->input);
  g_clear_pointer (&gen->buf, g_free);
  gen->len = gen->alloc = 0;
  gen->received = 0;
  gen->expected = 0;
  gen->status = 0;
  g_clear_pointer (&gen->sse, peel_sse_parser_free);
  g_clear_pointer (&gen->events, g_ptr_array_unref);
  gen->eof = FALSE;
  gen->streaming = FALSE;
  g_clear_object (&gen->reply);
}

void
_peel_gemini_client_clear_wait (Generate *gen)
{
  if (gen->wait_link != NULL)
    {
      gen->client->waiting = g_list_delete_link (gen->client->waiting, gen->wait_link);
      gen->wait_link = NULL;
    }
  if (gen->wait_source != NULL)
    {
      g_source_destroy (gen->wait_source);
      g_clear_pointer (&gen->wait_source, g_source_unref);
    }
  if (gen->cancel_source != NULL)
    {
      g_source_destroy (gen->cancel_source);
      g_clear_pointer (&gen->cancel_source, g_source_unref);
    }
}

static void
clear_deadline (Generate *gen)
{
  if (gen->deadline_source != NULL)
    {
      g_source_destroy (gen->deadline_source);
      g_clear_pointer (&gen->deadline_source, g_source_unref);
    }
  if (gen->caller_source != NULL)
    {
      g_source_destroy (gen->caller_source);
      g_clear_pointer (&gen->caller_source, g_source_unref);
    }
}

static void
generate_free (Generate *gen)
{
  _peel_gemini_client_clear_attempt (gen);
  _peel_gemini_client_clear_wait (gen);
  clear_deadline (gen);
  g_clear_object (&gen->cancellable);
  g_clear_object (&gen->caller_cancellable);
  g_clear_object (&gen->request);
  g_clear_object (&gen->provider);
  g_clear_pointer (&gen->body, g_bytes_unref);
  g_clear_pointer (&gen->url, g_free);
  g_clear_pointer (&gen->host, g_free);
  g_free (gen);
}

static void
peel_gemini_client_dispose (GObject *object)
{
  PeelGeminiClient *self = PEEL_GEMINI_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (peel_gemini_client_parent_class)->dispose (object);
}

static void
peel_gemini_client_finalize (GObject *object)
{
  PeelGeminiClient *self = PEEL_GEMINI_CLIENT (object);

  g_clear_object (&self->provider);
  g_clear_error (&self->hold_error);
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_clear_pointer (&self->api_key, g_free);

  G_OBJECT_CLASS (peel_gemini_client_parent_class)->finalize (object);
}

static void
peel_gemini_client_class_init (PeelGeminiClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = peel_gemini_client_dispose;
  object_class->finalize = peel_gemini_client_finalize;

  /**
   * PeelGeminiClient::part-received:
   * @part: a thought-text delta, an interim (thought) image, a text delta or the final image
   *
   * Emitted on the main context as each part arrives, in order. A streamed text part comes
   * as deltas; a plain reply gives its parts once it has been read.
   */
  signals[PART_RECEIVED] =
    g_signal_new ("part-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PEEL_TYPE_PART | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * PeelGeminiClient::backing-off:
   * @attempt: the number of the attempt that starts after the wait (2 after the first failure;
   *   1 when a first attempt waits for another request's hold)
   * @delay: seconds until it starts
   * @error: why the previous attempt failed, or why the other request was told to wait
   *
   * The transport's backoff: an attempt failed in a way that may pass (a rate limit, a busy
   * or dropped server), and the client waits before it sends the request again by itself.
   * Not a failed turn's Retry, which is the user's. Parts received before this belong to the
   * failed attempt: the next one sends them again.
   *
   * The wait is shared: every other request of the client waits at least as long before its
   * next attempt, first attempts included. A request whose wait gets longer that way is told
   * again, with the new delay. peel_gemini_client_get_signal_request() says which request
   * waits.
   */
  signals[BACKING_OFF] =
    g_signal_new ("backing-off", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_DOUBLE,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * PeelGeminiClient::progress:
   * @received: bytes of the reply received so far
   * @expected: the reply's size when the server said it, else 0
   */
  signals[PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_UINT64);
}

static void
peel_gemini_client_init (PeelGeminiClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Peel/%s", PACKAGE_VERSION);

  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->backoff_initial = DEFAULT_BACKOFF_INITIAL;
  self->backoff_max = DEFAULT_BACKOFF_MAX;
  self->timeout = DEFAULT_TIMEOUT_SECONDS;
  self->stream_idle_timeout = DEFAULT_STREAM_IDLE_SECONDS;
  self->max_reply_bytes = DEFAULT_MAX_REPLY_BYTES;

  /* No accept-certificate handler: a certificate that does not verify fails the request. */
  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                "timeout",
                                                self->timeout + IO_TIMEOUT_SLACK_SECONDS,
                                                "idle-timeout", 60,
                                                NULL);
}

/**
 * peel_gemini_client_new:
 * @provider: where requests go
 * @api_key: (nullable): the key, sent only in a request header
 */
PeelGeminiClient *
peel_gemini_client_new (PeelProvider *provider,
                        const char   *api_key)
{
  PeelGeminiClient *self;

  g_return_val_if_fail (PEEL_IS_PROVIDER (provider), NULL);

  self = g_object_new (PEEL_TYPE_GEMINI_CLIENT, NULL);
  self->provider = g_object_ref (provider);
  self->api_key = g_strdup (api_key);
  return self;
}

PeelProvider *
peel_gemini_client_get_provider (PeelGeminiClient *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_CLIENT (self), NULL);

  return self->provider;
}

/**
 * peel_gemini_client_get_signal_request:
 *
 * Several requests of one client may be under way at once (the siblings of a batch): inside a
 * handler of #PeelGeminiClient::part-received, ::backing-off or ::progress this says which
 * request the signal is about.
 *
 * Returns: (nullable) (transfer none): the request being signalled, or %NULL outside a handler
 */
PeelGeminiRequest *
peel_gemini_client_get_signal_request (PeelGeminiClient *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_CLIENT (self), NULL);

  return self->emitting;
}

/**
 * peel_gemini_client_set_max_attempts:
 * @max_attempts: attempts in all, the first included; 1 turns retries off
 */
void
peel_gemini_client_set_max_attempts (PeelGeminiClient *self,
                                     guint             max_attempts)
{
  g_return_if_fail (PEEL_IS_GEMINI_CLIENT (self));

  self->max_attempts = MAX (max_attempts, 1);
}

/**
 * peel_gemini_client_set_backoff:
 * @initial_seconds: the wait before the first retry; it doubles each time
 * @max_seconds: the longest wait; a server asking for longer is not retried
 */
void
peel_gemini_client_set_backoff (PeelGeminiClient *self,
                                double            initial_seconds,
                                double            max_seconds)
{
  g_return_if_fail (PEEL_IS_GEMINI_CLIENT (self));
  g_return_if_fail (initial_seconds >= 0 && max_seconds >= initial_seconds);

  self->backoff_initial = initial_seconds;
  self->backoff_max = max_seconds;
}

/**
 * peel_gemini_client_set_timeout:
 * @seconds: the deadline of a whole request, retries, waits and an image link's fetch
 *   included; 0 for none
 *
 * A request still running after @seconds fails with %PEEL_GEMINI_ERROR_TIMEOUT and a message
 * saying how far the server got, however steadily it was sending: a server that trickles a
 * byte a second is stopped too. Applies to requests started after the call.
 */
void
peel_gemini_client_set_timeout (PeelGeminiClient *self,
                                guint             seconds)
{
  g_return_if_fail (PEEL_IS_GEMINI_CLIENT (self));

  self->timeout = seconds;
  g_object_set (self->session, "timeout",
                seconds > 0 ? seconds + IO_TIMEOUT_SLACK_SECONDS : 0, NULL);
}

guint
peel_gemini_client_get_timeout (PeelGeminiClient *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_CLIENT (self), 0);

  return self->timeout;
}

/**
 * peel_gemini_client_set_stream_idle_timeout:
 * @seconds: how long a stream may go without an event; 0 for no limit
 *
 * SSE comments (`: keep-alive`) are not events: a stream of nothing but comments is cut after
 * @seconds with %PEEL_GEMINI_ERROR_TIMEOUT. It is not retried: the request was answered.
 */
void
peel_gemini_client_set_stream_idle_timeout (PeelGeminiClient *self,
                                            guint             seconds)
{
  g_return_if_fail (PEEL_IS_GEMINI_CLIENT (self));

  self->stream_idle_timeout = seconds;
}

void
peel_gemini_client_set_max_reply_bytes (PeelGeminiClient *self,
                                        gsize             max_bytes)
{
  g_return_if_fail (PEEL_IS_GEMINI_CLIENT (self));
  g_return_if_fail (max_bytes > 0);

  self->max_reply_bytes = max_bytes;
}

/* Errors are shown and may be logged by callers: whatever a server echoed, the key must not
 * be in them. */
GError *
_peel_gemini_client_scrub_error (PeelGeminiClient *self,
                                 GError           *error)
{
  g_auto(GStrv) pieces = NULL;
  char *scrubbed;

  if (self->api_key == NULL || *self->api_key == '\0' ||
      strstr (error->message, self->api_key) == NULL)
    return error;

  pieces = g_strsplit (error->message, self->api_key, -1);
  scrubbed = g_strjoinv ("…", pieces);
  g_free (error->message);
  error->message = scrubbed;
  return error;
}

/* The caller may keep the result for long: the connection goes back to the session's pool,
 * and the buffers go, as soon as the task has its answer. */
static void
release_transfer (GTask *task)
{
  Generate *gen = g_task_get_task_data (task);

  _peel_gemini_client_clear_attempt (gen);
  _peel_gemini_client_clear_wait (gen);
  clear_deadline (gen);
}

void
_peel_gemini_client_fail (GTask  *task,
                          GError *error)
{
  PeelGeminiClient *self = g_task_get_source_object (task);

  release_transfer (task);
  g_task_return_error (task, _peel_gemini_client_scrub_error (self, error));
}

/* TRUE when the request was stopped, by the caller or by the client's own limits; the task
 * has then returned, with the cancelled error or with what the limit was. */
gboolean
_peel_gemini_client_is_cancelled (GTask *task)
{
  Generate *gen = g_task_get_task_data (task);

  if (!g_cancellable_is_cancelled (gen->cancellable))
    return FALSE;

  if (gen->stopped != STOP_NONE &&
      !g_cancellable_is_cancelled (gen->caller_cancellable))
    {
      _peel_gemini_client_fail (task, _peel_gemini_client_stop_error (gen));
      return TRUE;
    }

  g_task_return_error_if_cancelled (task);
  release_transfer (task);
  return TRUE;
}

static gboolean
deadline_reached_cb (gpointer user_data)
{
  Generate *gen = user_data;

  if (gen->stopped == STOP_NONE)
    gen->stopped = STOP_DEADLINE;
  g_cancellable_cancel (gen->cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  Generate *gen = user_data;

  g_cancellable_cancel (gen->cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
idle_reached_cb (gpointer user_data)
{
  Generate *gen = user_data;

  if (gen->stopped == STOP_NONE)
    gen->stopped = STOP_IDLE;
  g_cancellable_cancel (gen->cancellable);
  return G_SOURCE_REMOVE;
}

/* A stream's clock starts again at each event. */
void
_peel_gemini_client_restart_idle (Generate *gen)
{
  clear_idle (gen);
  if (gen->idle_timeout == 0 || gen->stopped != STOP_NONE)
    return;

  gen->idle_source = g_timeout_source_new_seconds (gen->idle_timeout);
  g_source_set_callback (gen->idle_source, idle_reached_cb, gen, NULL);
  g_source_attach (gen->idle_source, g_main_context_get_thread_default ());
}

/* @gen's ::backing-off: @delay seconds until @attempt starts. */
void
_peel_gemini_client_emit_backing_off (Generate     *gen,
                                      guint         attempt,
                                      double        delay,
                                      const GError *error)
{
  PeelGeminiClient *self = gen->client;
  PeelGeminiRequest *was = self->emitting;

  self->emitting = gen->request;
  g_signal_emit (self, signals[BACKING_OFF], 0, attempt, delay, error);
  self->emitting = was;
}

void
_peel_gemini_client_emit_progress (GTask *task)
{
  PeelGeminiClient *self = g_task_get_source_object (task);
  Generate *gen = g_task_get_task_data (task);

  PeelGeminiRequest *was = self->emitting;

  self->emitting = gen->request;
  g_signal_emit (self, signals[PROGRESS], 0, gen->received,
                 (guint64) MAX (gen->expected, 0));
  self->emitting = was;
}

void
_peel_gemini_client_emit_parts (GTask     *task,
                                GPtrArray *parts)
{
  PeelGeminiClient *self = g_task_get_source_object (task);
  Generate *gen = g_task_get_task_data (task);
  PeelGeminiRequest *was = self->emitting;

  self->emitting = gen->request;
  for (guint i = 0; parts != NULL && i < parts->len; i++)
    {
      if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        break;
      g_signal_emit (self, signals[PART_RECEIVED], 0, g_ptr_array_index (parts, i));
    }
  self->emitting = was;
}

/* The end of a reply ------------------------------------------------------------------------ */

/* Runs once the whole reply is in gen->reply, plain or streamed. */
void
_peel_gemini_client_finish_reply (GTask *task)
{
  Generate *gen = g_task_get_task_data (task);
  GError *error = NULL;

  if (_peel_gemini_client_is_cancelled (task))
    return;

  if (peel_gemini_reply_get_final_image (gen->reply) == NULL &&
      peel_gemini_reply_get_image_url (gen->reply) != NULL &&
      gen->msg != NULL && g_str_equal (soup_message_get_method (gen->msg), "POST"))
    {
      _peel_gemini_client_fetch_image_url (task);
      return;
    }

  /* A stream that ends with neither a finish reason nor a block reason nor an image was cut
   * short: the server or something in between closed it early. */
  if (gen->streaming &&
      peel_gemini_reply_get_final_image (gen->reply) == NULL &&
      peel_gemini_reply_get_finish_reason (gen->reply) == NULL &&
      peel_gemini_reply_get_block_reason (gen->reply) == NULL)
    {
      _peel_gemini_client_fail (task,
                                g_error_new_literal (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                                                     _("The connection dropped while the image "
                                                       "was arriving: the reply ended before "
                                                       "the image. Try again.")));
      return;
    }

  if (!peel_gemini_reply_check (gen->reply, &error))
    {
      _peel_gemini_client_fail (task, error);
      return;
    }

  g_task_return_pointer (task, g_object_ref (gen->reply), g_object_unref);
  release_transfer (task);
}

/**
 * peel_gemini_client_generate_async:
 * @request: the request; not to be changed until this finishes
 * @stream: whether to use the server-sent-events stream, which shows thoughts and interim
 *   images as they arrive
 *
 * Sends @request, retrying what may succeed a second time, and reads the reply. Emits
 * #PeelGeminiClient::progress, ::part-received and ::backing-off on the caller's main context.
 */
void
peel_gemini_client_generate_async (PeelGeminiClient    *self,
                                   PeelGeminiRequest   *request,
                                   gboolean             stream,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  GError *error = NULL;
  Generate *gen;
  GTask *worker;

  g_return_if_fail (PEEL_IS_GEMINI_CLIENT (self));
  g_return_if_fail (PEEL_IS_GEMINI_REQUEST (request));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  gen = g_new0 (Generate, 1);
  gen->client = self;
  gen->cancellable = g_cancellable_new ();
  gen->timeout = self->timeout;
  gen->idle_timeout = self->stream_idle_timeout;

  /* The task's cancellable is the client's own, so that its limits stop everything under way
   * the way a caller's Cancel does; a limit's error, not "cancelled", is then returned. */
  task = g_task_new (self, gen->cancellable, callback, user_data);
  gen->task = task;
  g_task_set_source_tag (task, peel_gemini_client_generate_async);
  g_task_set_check_cancellable (task, FALSE);

  gen->request = g_object_ref (request);
  gen->provider = g_object_ref (self->provider);
  gen->stream = !!stream;
  gen->url = peel_provider_build_url (self->provider, peel_gemini_request_get_model (request),
                                      stream);
  uri = g_uri_parse (gen->url, G_URI_FLAGS_NONE, NULL);
  gen->host = g_strdup (uri != NULL ? g_uri_get_host (uri) : peel_provider_get_name (self->provider));
  g_task_set_task_data (task, gen, (GDestroyNotify) generate_free);

  /* A source rather than a signal handler: it can be removed from anywhere, even while the
   * caller's cancellable is emitting. */
  if (cancellable != NULL)
    {
      gen->caller_cancellable = g_object_ref (cancellable);
      gen->caller_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (gen->caller_source, G_SOURCE_FUNC (caller_cancelled_cb), gen, NULL);
      g_source_attach (gen->caller_source, g_main_context_get_thread_default ());
    }
  if (gen->timeout > 0)
    {
      gen->deadline_source = g_timeout_source_new ((guint) MIN ((guint64) gen->timeout * 1000,
                                                                G_MAXUINT));
      g_source_set_callback (gen->deadline_source, deadline_reached_cb, gen, NULL);
      g_source_attach (gen->deadline_source, g_main_context_get_thread_default ());
    }

  /* A local server may want no key; anything else does. */
  if ((self->api_key == NULL || *self->api_key == '\0') &&
      !peel_provider_is_loopback (self->provider))
    {
      _peel_gemini_client_fail (task,
                                g_error_new (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INVALID_KEY,
                                             _("There is no API key for %s. Add one in "
                                               "Preferences, or set the GEMINI_API_KEY "
                                               "environment variable."),
                                             peel_provider_get_name (self->provider)));
      return;
    }

  if (!peel_gemini_request_validate (request, &error))
    {
      _peel_gemini_client_fail (task, error);
      return;
    }

  /* Reference images are base64-encoded into the body: megabytes of work, off the main thread. */
  worker = g_task_new (self, gen->cancellable, _peel_gemini_client_build_done_cb,
                       g_steal_pointer (&task));
  g_task_set_task_data (worker, gen, NULL);
  g_task_run_in_thread (worker, _peel_gemini_client_build_thread);
  g_object_unref (worker);
}

/**
 * peel_gemini_client_generate_finish:
 *
 * Returns: (transfer full): the reply, checked: it holds a final image. On failure @error is in
 *   %PEEL_GEMINI_ERROR, or %G_IO_ERROR_CANCELLED when cancelled.
 */
PeelGeminiReply *
peel_gemini_client_generate_finish (PeelGeminiClient  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        peel_gemini_client_generate_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
