/* peel-demo-server.c
 *
 * A Gemini-compatible HTTP server on 127.0.0.1 that draws its images locally: Peel's
 * offline demo, the CLI's --demo and the ground truth of the client's tests. This file is
 * the HTTP side: routes, keys and faults. peel-demo-server-job.c paces what the worker makes
 * (one reply, or SSE events with the latency between them) onto the wire without blocking
 * the main loop.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-demo-server-private.h"

G_DEFINE_FINAL_TYPE (PeelDemoServer, peel_demo_server, G_TYPE_OBJECT)

enum {
  REQUEST_RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
generate_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  peel_demo_generate (task_data);
  g_task_return_boolean (task, TRUE);
}

static void
reply_error (PeelDemoJob *job,
             guint        status,
             GBytes      *body)
{
  peel_demo_job_push (job, PEEL_DEMO_ITEM_ERROR, status, body);
}

static gboolean
check_key (PeelDemoServer    *self,
           PeelDemoJob       *job,
           SoupMessageHeaders *headers)
{
  const char *key = soup_message_headers_get_one (headers, "x-goog-api-key");
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");

  if (key == NULL && authorization != NULL)
    {
      if (g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
        {
          reply_error (job, 401, peel_demo_error_unauthenticated ());
          return FALSE;
        }
      key = authorization + 7;
    }

  if (key == NULL || *key == '\0')
    {
      reply_error (job, 403, peel_demo_error_unregistered ());
      return FALSE;
    }

  if (self->api_key != NULL && strcmp (key, self->api_key) != 0)
    {
      reply_error (job, 400, peel_demo_error_key_invalid ());
      return FALSE;
    }

  return TRUE;
}

static PeelDemoFault
take_fault (PeelDemoServer *self)
{
  if (!g_queue_is_empty (&self->faults))
    return GPOINTER_TO_UINT (g_queue_pop_head (&self->faults));

  /* A soak picks among the faults a client meets and survives on its own; a stall or a
   * 600 MiB body would only measure the client's timeout. */
  if (self->rand != NULL && g_rand_double (self->rand) < self->fault_rate)
    {
      static const PeelDemoFault soak[] = {
        PEEL_DEMO_FAULT_RATE_LIMIT, PEEL_DEMO_FAULT_SERVER_ERROR, PEEL_DEMO_FAULT_UNAVAILABLE,
        PEEL_DEMO_FAULT_RESET, PEEL_DEMO_FAULT_TRUNCATED_STREAM, PEEL_DEMO_FAULT_MALFORMED_JSON,
        PEEL_DEMO_FAULT_BLOCKED_PROMPT, PEEL_DEMO_FAULT_IMAGE_SAFETY, PEEL_DEMO_FAULT_DATA_URI,
      };

      return soak[g_rand_int_range (self->rand, 0, G_N_ELEMENTS (soak))];
    }

  return PEEL_DEMO_FAULT_NONE;
}

static void
record_header_cb (const char *name,
                  const char *value,
                  gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

static void
record_request (PeelDemoServer    *self,
                SoupServerMessage *msg,
                const char        *path,
                GBytes            *body)
{
  SoupMessageHeaders *copy = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);

  soup_message_headers_foreach (soup_server_message_get_request_headers (msg),
                                record_header_cb, copy);
  g_clear_pointer (&self->last_headers, soup_message_headers_unref);
  self->last_headers = copy;
  g_clear_pointer (&self->last_body, g_bytes_unref);
  self->last_body = body != NULL ? g_bytes_ref (body) : NULL;
  g_free (self->last_path);
  self->last_path = g_strdup (path);
  self->request_count++;
}

/* Refuses a body far past the limit before reading it, so a runaway client cannot fill
 * memory; one a little past the limit is read and refused with Google's message. */
static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  PeelDemoServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);
  g_autoptr(GBytes) error = NULL;

  if (length <= (goffset) self->max_request_bytes * 2)
    return;

  record_request (self, msg, path, NULL);
  error = peel_demo_error_printf (400, "INVALID_ARGUMENT",
                                  "Request payload size exceeds the limit: %" G_GSIZE_FORMAT
                                  " bytes.", self->max_request_bytes);
  soup_server_message_set_status (msg, 400, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
  soup_server_message_set_response (msg, JSON_TYPE, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (error, NULL), g_bytes_get_size (error));
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  PeelDemoServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(PeelDemoJob) job = NULL;
  g_autofree char *model = NULL;
  const char *rest, *colon, *method;
  gboolean stream;
  PeelDemoFault fault;
  guint status = 0;
  GBytes *error;

  record_request (self, msg, path, body);
  job = peel_demo_job_ref (peel_demo_job_new (self, msg));
  g_signal_emit (self, signals[REQUEST_RECEIVED], 0, path);

  if ((strcmp (path, "/v1beta/models") == 0 || g_str_has_prefix (path, "/v1beta/models/")) &&
      strchr (path, ':') == NULL)
    {
      if (strcmp (soup_server_message_get_method (msg), "GET") != 0)
        {
          reply_error (job, 405, peel_demo_error_printf (405, "UNIMPLEMENTED",
                                                         "Method %s is not allowed; use GET.",
                                                         soup_server_message_get_method (msg)));
          return;
        }
      if (check_key (self, job, headers))
        {
          GBytes *answer = peel_demo_models_answer (self->models, path, query, &status);

          peel_demo_job_push (job, status == 200 ? PEEL_DEMO_ITEM_REPLY : PEEL_DEMO_ITEM_ERROR,
                              status, answer);
        }
      return;
    }

  if (!g_str_has_prefix (path, "/v1beta/models/") ||
      (colon = strrchr (path, ':')) == NULL)
    {
      reply_error (job, 404, peel_demo_error_printf (404, "NOT_FOUND",
                                                     "The requested URL %s was not found on "
                                                     "this server.", path));
      return;
    }

  rest = path + strlen ("/v1beta/models/");
  method = colon + 1;
  model = g_strndup (rest, colon - rest);
  if (strcmp (method, "generateContent") == 0)
    stream = FALSE;
  else if (strcmp (method, "streamGenerateContent") == 0)
    stream = TRUE;
  else
    {
      reply_error (job, 404, peel_demo_error_printf (404, "NOT_FOUND", "Method not found."));
      return;
    }

  if (strcmp (soup_server_message_get_method (msg), "POST") != 0)
    {
      reply_error (job, 405, peel_demo_error_printf (405, "UNIMPLEMENTED",
                                                     "Method %s is not allowed; use POST.",
                                                     soup_server_message_get_method (msg)));
      return;
    }

  if (query != NULL && g_hash_table_contains (query, "key"))
    {
      reply_error (job, 400, peel_demo_error_printf (400, "INVALID_ARGUMENT",
                                                     "Peel's demo server only accepts the key "
                                                     "in a header."));
      return;
    }

  if (!check_key (self, job, headers))
    return;

  if ((error = peel_demo_models_refuse (self->models, model, &status)) != NULL)
    {
      reply_error (job, status, error);
      return;
    }

  if (stream && (query == NULL || g_strcmp0 (g_hash_table_lookup (query, "alt"), "sse") != 0))
    {
      reply_error (job, 400, peel_demo_error_printf (400, "INVALID_ARGUMENT",
                                                     "Peel's demo server streams only with "
                                                     "?alt=sse."));
      return;
    }

  if (g_bytes_get_size (body) > self->max_request_bytes)
    {
      reply_error (job, 400, peel_demo_error_printf (400, "INVALID_ARGUMENT",
                                                     "Request payload size exceeds the limit: "
                                                     "%" G_GSIZE_FORMAT " bytes.",
                                                     self->max_request_bytes));
      return;
    }

  fault = take_fault (self);
  if ((error = peel_demo_error_for_fault (fault, self->retry_delay, &status)) != NULL)
    {
      reply_error (job, status, error);
      return;
    }

  switch (fault)
    {
    case PEEL_DEMO_FAULT_RESET:
      peel_demo_job_push (job, PEEL_DEMO_ITEM_RESET, 0, NULL);
      return;
    case PEEL_DEMO_FAULT_STALL:
      peel_demo_job_push (job, PEEL_DEMO_ITEM_STALL, 0, NULL);
      return;
    case PEEL_DEMO_FAULT_HUGE_BODY:
      peel_demo_job_push (job, PEEL_DEMO_ITEM_HUGE_BODY, 0, NULL);
      return;
    case PEEL_DEMO_FAULT_MALFORMED_JSON:
      peel_demo_job_push (job, PEEL_DEMO_ITEM_MALFORMED, 0, NULL);
      return;
    case PEEL_DEMO_FAULT_TRICKLE:
      peel_demo_job_push (job, PEEL_DEMO_ITEM_TRICKLE, 0, NULL);
      return;
    case PEEL_DEMO_FAULT_KEEP_ALIVE:
      peel_demo_job_push (job, PEEL_DEMO_ITEM_KEEP_ALIVE, 0, NULL);
      return;
    case PEEL_DEMO_FAULT_NONE:
    case PEEL_DEMO_FAULT_RATE_LIMIT:
    case PEEL_DEMO_FAULT_SERVER_ERROR:
    case PEEL_DEMO_FAULT_UNAVAILABLE:
    case PEEL_DEMO_FAULT_TRUNCATED_STREAM:
    case PEEL_DEMO_FAULT_BLOCKED_PROMPT:
    case PEEL_DEMO_FAULT_IMAGE_SAFETY:
    case PEEL_DEMO_FAULT_DATA_URI:
    case PEEL_DEMO_FAULT_IMAGE_URL:
    case PEEL_DEMO_FAULT_IMAGE_URL_MISSING:
    case PEEL_DEMO_FAULT_IMAGE_URL_NOT_IMAGE:
    case PEEL_DEMO_FAULT_IMAGE_URL_BOMB:
    case PEEL_DEMO_FAULT_IMAGE_URL_HUGE:
    case PEEL_DEMO_FAULT_IMAGE_URL_STALL:
    case PEEL_DEMO_N_FAULTS:
    default:
      break;
    }

  if (peel_demo_fault_is_image_url (fault))
    {
      job->file_token = peel_demo_link_token_new ();
      job->file_url = g_strdup_printf ("%s/files/%s.png", self->base_url, job->file_token);
    }

  job->body = g_bytes_ref (body);
  job->model = g_steal_pointer (&model);
  job->stream = stream;
  job->fault = fault;
  job->variants = peel_demo_variants_ref (self->variants);

  {
    g_autoptr(GTask) task = g_task_new (self, job->cancellable, NULL, NULL);

    g_task_set_source_tag (task, handler_cb);
    g_task_set_task_data (task, peel_demo_job_ref (job), (GDestroyNotify) peel_demo_job_unref);
    g_task_run_in_thread (task, generate_thread);
  }
}

/* Image links, for the image-url faults: no key asked, as a file host would not. */
static void
files_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  PeelDemoServer *self = user_data;

  record_request (self, msg, path, NULL);
  g_signal_emit (self, signals[REQUEST_RECEIVED], 0, path);
  peel_demo_links_serve (self->links, self, msg, path);
}

static void
peel_demo_server_dispose (GObject *object)
{
  PeelDemoServer *self = PEEL_DEMO_SERVER (object);

  peel_demo_server_stop (self);

  G_OBJECT_CLASS (peel_demo_server_parent_class)->dispose (object);
}

static void
peel_demo_server_finalize (GObject *object)
{
  PeelDemoServer *self = PEEL_DEMO_SERVER (object);

  g_free (self->base_url);
  g_free (self->api_key);
  g_queue_clear (&self->faults);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->last_body, g_bytes_unref);
  g_clear_pointer (&self->last_headers, soup_message_headers_unref);
  g_free (self->last_path);
  g_clear_pointer (&self->jobs, g_ptr_array_unref);
  g_clear_pointer (&self->huge_chunk, g_bytes_unref);
  g_clear_pointer (&self->links, peel_demo_links_free);
  g_clear_pointer (&self->models, peel_demo_models_free);
  g_clear_pointer (&self->variants, peel_demo_variants_unref);

  G_OBJECT_CLASS (peel_demo_server_parent_class)->finalize (object);
}

static void
peel_demo_server_class_init (PeelDemoServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = peel_demo_server_dispose;
  object_class->finalize = peel_demo_server_finalize;

  /**
   * PeelDemoServer::request-received:
   * @path: the path of the request
   *
   * Emitted on the server's main context when a whole request has arrived, before it is
   * answered.
   */
  signals[REQUEST_RECEIVED] =
    g_signal_new ("request-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
peel_demo_server_init (PeelDemoServer *self)
{
  guint8 *chunk = g_malloc (HUGE_CHUNK_BYTES);

  memset (chunk, 'A', HUGE_CHUNK_BYTES);
  self->huge_chunk = g_bytes_new_take (chunk, HUGE_CHUNK_BYTES);
  self->max_request_bytes = PEEL_DEMO_SERVER_DEFAULT_MAX_REQUEST_BYTES;
  self->retry_delay = 1.0;
  self->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_demo_job_unref);
  self->links = peel_demo_links_new ();
  self->models = peel_demo_models_new ();
  self->variants = peel_demo_variants_new ();
  g_queue_init (&self->faults);
}

PeelDemoServer *
peel_demo_server_new (void)
{
  return g_object_new (PEEL_TYPE_DEMO_SERVER, NULL);
}

/**
 * peel_demo_server_new_started:
 * @user_data: unused
 * @base_url: (out) (transfer full): where the server answers
 * @error: return location for the reason it could not listen
 *
 * A demo server listening on a free port of 127.0.0.1, in the shape the engine's connection
 * takes for the offline demo (PeelDemoStartFunc): `peel` and its tests hand this in.
 *
 * Returns: (transfer full) (nullable): the running #PeelDemoServer
 */
GObject *
peel_demo_server_new_started (gpointer   user_data,
                              char     **base_url,
                              GError   **error)
{
  g_autoptr(PeelDemoServer) self = peel_demo_server_new ();

  if (!peel_demo_server_start (self, 0, error))
    return NULL;

  *base_url = g_strdup (self->base_url);
  return G_OBJECT (g_steal_pointer (&self));
}

/**
 * peel_demo_server_start:
 * @port: the port to listen on, or 0 for any free one
 *
 * Listens on 127.0.0.1 only. Requests are served on the thread-default main context of
 * the caller; painting and encoding happen in worker threads.
 */
gboolean
peel_demo_server_start (PeelDemoServer  *self,
                        guint            port,
                        GError         **error)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;

  g_return_val_if_fail (PEEL_IS_DEMO_SERVER (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  server = soup_server_new ("server-header", "peel-demo ", NULL);
  soup_server_add_early_handler (server, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (server, NULL, handler_cb, self, NULL);
  soup_server_add_handler (server, "/files", files_handler_cb, self, NULL);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, port);
  if (!soup_server_listen (server, address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (server);
  g_free (self->base_url);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  self->server = g_steal_pointer (&server);

  return TRUE;
}

/**
 * peel_demo_server_stop:
 *
 * Closes the listening socket and every connection, stalled ones included. Work in
 * progress is cancelled. Safe to call more than once.
 */
void
peel_demo_server_stop (PeelDemoServer *self)
{
  g_return_if_fail (PEEL_IS_DEMO_SERVER (self));

  while (self->jobs->len > 0)
    peel_demo_job_finish (g_ptr_array_index (self->jobs, self->jobs->len - 1));

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
}

/**
 * peel_demo_server_set_models:
 * @ids: (nullable) (array zero-terminated=1): the model ids to serve, in ListModels order;
 *   %NULL for the catalogue's served models
 *
 * Any other id is refused with Google's 404, shut-down ids included.
 */
void
peel_demo_server_set_models (PeelDemoServer     *self,
                             const char * const *ids)
{
  g_return_if_fail (PEEL_IS_DEMO_SERVER (self));

  peel_demo_models_set_ids (self->models, ids);
}

/**
 * peel_demo_server_set_models_page_size:
 *
 * The most models one ListModels page holds, whatever the client asks (2 by default, so
 * that clients must follow nextPageToken).
 */
void
peel_demo_server_set_models_page_size (PeelDemoServer *self,
                                       guint           page_size)
{
  g_return_if_fail (PEEL_IS_DEMO_SERVER (self));

  peel_demo_models_set_page_size (self->models, page_size);
}

/**
 * peel_demo_server_set_proxy_models:
 * @keep_shut_down: still answer for shut-down ids, as a proxy that keeps old ids as aliases
 * @list: answer ListModels and GetModel; a proxy may not
 */
void
peel_demo_server_set_proxy_models (PeelDemoServer *self,
                                   gboolean        keep_shut_down,
                                   gboolean        list)
{
  g_return_if_fail (PEEL_IS_DEMO_SERVER (self));

  peel_demo_models_set_keep_shut_down (self->models, keep_shut_down);
  peel_demo_models_set_list (self->models, list);
}

/**
 * peel_demo_server_get_base_url:
 *
 * Returns: (nullable): "http://127.0.0.1:PORT" once started
 */
const char *
peel_demo_server_get_base_url (PeelDemoServer *self)
{
  g_return_val_if_fail (PEEL_IS_DEMO_SERVER (self), NULL);

  return self->base_url;
}

/**
 * peel_demo_server_set_api_key:
 * @key: (nullable): the only key accepted, or %NULL to accept any non-empty key
 */
void
peel_demo_server_set_api_key (PeelDemoServer *self,
                              const char     *key)
{
  g_return_if_fail (PEEL_IS_DEMO_SERVER (self));

  g_free (self->api_key);
  self->api_key = g_strdup (key);
}

void
peel_demo_server_set_max_request_bytes (PeelDemoServer *self,
                                        gsize           max_bytes)
{
  g_return_if_fail (PEEL_IS_DEMO_SERVER (self));

  self->max_request_bytes = max_bytes;
}

/**
 * peel_demo_server_set_latency:
 * @ms: delay before an answer, and between the events of a stream
 */
void
peel_demo_server_set_latency (PeelDemoServer *self,
                              guint           ms)
{
  g_return_if_fail (PEEL_IS_DEMO_SERVER (self));

  self->latency_ms = ms;
}

/**
 * peel_demo_server_set_retry_delay:
 * @seconds: the `retryDelay` a rate-limit fault asks for
 */
void
peel_demo_server_set_retry_delay (PeelDemoServer *self,
                                  double          seconds)
{
  g_return_if_fail (PEEL_IS_DEMO_SERVER (self));
  g_return_if_fail (seconds >= 0);

  self->retry_delay = seconds;
}

/**
 * peel_demo_server_push_fault:
 *
 * Queues @fault for a coming request: each request to a generate method takes the next
 * queued fault once its key was accepted.
 */
void
peel_demo_server_push_fault (PeelDemoServer *self,
                             PeelDemoFault   fault)
{
  g_return_if_fail (PEEL_IS_DEMO_SERVER (self));
  g_return_if_fail (fault < PEEL_DEMO_N_FAULTS);

  g_queue_push_tail (&self->faults, GUINT_TO_POINTER (fault));
}

/**
 * peel_demo_server_set_random_faults:
 * @rate: the probability, 0 to 1, that a request without a queued fault fails
 * @seed: seed of the generator, so a soak can be replayed
 *
 * Each failing request gets a fault picked at random among those a client is expected to
 * survive by itself (all but stall and huge-body).
 */
void
peel_demo_server_set_random_faults (PeelDemoServer *self,
                                    double          rate,
                                    guint32         seed)
{
  g_return_if_fail (PEEL_IS_DEMO_SERVER (self));

  g_clear_pointer (&self->rand, g_rand_free);
  self->fault_rate = CLAMP (rate, 0.0, 1.0);
  if (self->fault_rate > 0)
    self->rand = g_rand_new_with_seed (seed);
}

guint
peel_demo_server_get_request_count (PeelDemoServer *self)
{
  g_return_val_if_fail (PEEL_IS_DEMO_SERVER (self), 0);

  return self->request_count;
}

/**
 * peel_demo_server_get_in_flight:
 *
 * Returns: how many requests the server is answering now: received, and not yet answered
 *   whole or dropped (inside a ::request-received handler, the new one included)
 */
guint
peel_demo_server_get_in_flight (PeelDemoServer *self)
{
  g_return_val_if_fail (PEEL_IS_DEMO_SERVER (self), 0);

  return self->jobs->len;
}

/**
 * peel_demo_server_dup_last_request_body:
 *
 * Returns: (transfer full) (nullable): the body of the last request, as received
 */
GBytes *
peel_demo_server_dup_last_request_body (PeelDemoServer *self)
{
  g_return_val_if_fail (PEEL_IS_DEMO_SERVER (self), NULL);

  return self->last_body != NULL ? g_bytes_ref (self->last_body) : NULL;
}

/**
 * peel_demo_server_dup_last_request_headers:
 *
 * Returns: (transfer full) (nullable): the headers of the last request
 */
SoupMessageHeaders *
peel_demo_server_dup_last_request_headers (PeelDemoServer *self)
{
  g_return_val_if_fail (PEEL_IS_DEMO_SERVER (self), NULL);

  return self->last_headers != NULL ? soup_message_headers_ref (self->last_headers) : NULL;
}

/**
 * peel_demo_server_dup_last_request_path:
 *
 * Returns: (transfer full) (nullable): the path of the last request, without the query
 */
char *
peel_demo_server_dup_last_request_path (PeelDemoServer *self)
{
  g_return_val_if_fail (PEEL_IS_DEMO_SERVER (self), NULL);

  return g_strdup (self->last_path);
}

/**
 * peel_demo_server_dup_last_file_body:
 *
 * Returns: (transfer full) (nullable): the body of the last image link served, as sent (for
 *   image-url-stall, the whole of what it began to send; for image-url-huge, %NULL)
 */
GBytes *
peel_demo_server_dup_last_file_body (PeelDemoServer *self)
{
  g_return_val_if_fail (PEEL_IS_DEMO_SERVER (self), NULL);

  return peel_demo_links_dup_last_served (self->links);
}
