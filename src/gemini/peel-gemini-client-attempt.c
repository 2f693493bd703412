/* peel-gemini-client-attempt.c
 *
 * One attempt at a request: building its body, sending it, reading the status and reading a
 * plain (not streamed) reply.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "peel-gemini-client-private.h"
#include "peel-gemini-error.h"
#include "peel-sse-parser.h"

static gboolean
status_may_pass (guint status)
{
  switch (status)
    {
    case 408:
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Plain replies ----------------------------------------------------------------------------- */

typedef struct
{
  guint8 *buf;
  gsize   len;
} Buffer;

static void
buffer_free (Buffer *buffer)
{
  g_free (buffer->buf);
  g_free (buffer);
}

static void
parse_thread (GTask        *worker,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Buffer *buffer = task_data;
  GError *error = NULL;
  PeelGeminiReply *reply;

  reply = peel_gemini_reply_parse ((const char *) buffer->buf, buffer->len, &error);
  if (reply == NULL)
    g_task_return_error (worker, error);
  else
    g_task_return_pointer (worker, reply, g_object_unref);
}

static void
parse_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Generate *gen = g_task_get_task_data (task);
  GError *error = NULL;

  gen->reply = g_task_propagate_pointer (G_TASK (result), &error);
  if (gen->reply == NULL)
    {
      if (_peel_gemini_client_is_cancelled (task))
        {
          g_clear_error (&error);
          return;
        }
      _peel_gemini_client_fail (task, error);
      return;
    }

  _peel_gemini_client_emit_parts (task, peel_gemini_reply_get_parts (gen->reply));
  _peel_gemini_client_finish_reply (task);
}

static void
plain_body_done (GTask  *task,
                 GError *error)
{
  PeelGeminiClient *self = g_task_get_source_object (task);
  Generate *gen = g_task_get_task_data (task);
  Buffer *buffer;
  GTask *worker;

  if (error != NULL)
    {
      if (_peel_gemini_client_is_cancelled (task))
        {
          g_error_free (error);
          return;
        }
      if (error->domain == PEEL_GEMINI_ERROR)
        _peel_gemini_client_fail (task, error);
      else
        {
          /* The reply never arrived whole, so nothing was accepted: worth another go. */
          _peel_gemini_client_back_off_or_fail (task,
                                                _peel_gemini_client_transport_error (gen, error,
                                                                                     self->timeout,
                                                                                     TRUE),
                                                0);
          g_error_free (error);
        }
      return;
    }

  if (gen->expected > 0 && gen->len < (gsize) gen->expected)
    {
      _peel_gemini_client_back_off_or_fail (task,
                                            g_error_new_literal (PEEL_GEMINI_ERROR,
                                                                 PEEL_GEMINI_ERROR_NETWORK,
                                                                 _("The connection dropped while "
                                                                   "the image was arriving. Try "
                                                                   "again.")),
                                            0);
      return;
    }

  /* Parsing a 16 MB reply takes a few hundred milliseconds of JSON and base64: not on the
   * main thread. */
  buffer = g_new0 (Buffer, 1);
  buffer->buf = g_steal_pointer (&gen->buf);
  buffer->len = gen->len;
  gen->len = gen->alloc = 0;

  worker = g_task_new (self, g_task_get_cancellable (task), parse_done_cb, g_object_ref (task));
  g_task_set_task_data (worker, buffer, (GDestroyNotify) buffer_free);
  g_task_run_in_thread (worker, parse_thread);
  g_object_unref (worker);
}

/* One attempt ------------------------------------------------------------------------------- */

static void
error_body_done (GTask  *task,
                 GError *error)
{
  Generate *gen = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (gen->msg);
  GError *http_error = NULL;
  double delay = 0;

  if (_peel_gemini_client_is_cancelled (task))
    {
      g_clear_error (&error);
      return;
    }

  /* A status with a body cut short or too long still says what happened; the status is
   * what counts. */
  g_clear_error (&error);

  peel_gemini_error_set_from_http_for_model (&http_error, gen->status, (const char *) gen->buf,
                                             gen->len,
                                             soup_message_headers_get_one (headers, "Retry-After"),
                                             peel_gemini_request_get_model (gen->request),
                                             &delay);
  if (http_error == NULL)
    http_error = g_error_new (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_SERVER,
                              _("%s answered with HTTP %u."), gen->host, gen->status);

  if (!status_may_pass (gen->status))
    {
      _peel_gemini_client_fail (task, http_error);
      return;
    }

  _peel_gemini_client_back_off_or_fail (task, http_error, delay);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PeelGeminiClient *self = g_task_get_source_object (task);
  Generate *gen = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  const char *content_type;

  gen->input = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (gen->input == NULL)
    {
      if (_peel_gemini_client_is_cancelled (task))
        return;
      /* A certificate that does not verify will not verify a second later. */
      if (error->domain == G_TLS_ERROR)
        {
          _peel_gemini_client_fail (task, _peel_gemini_client_transport_error (gen, error,
                                                                               self->timeout,
                                                                               FALSE));
          return;
        }
      /* Nothing was accepted yet: a refused, reset or dropped connection may be retried. */
      _peel_gemini_client_back_off_or_fail (task,
                                            _peel_gemini_client_transport_error (gen, error,
                                                                                 self->timeout,
                                                                                 FALSE),
                                            0);
      return;
    }

  gen->status = soup_message_get_status (gen->msg);
  if (soup_message_headers_get_encoding (soup_message_get_response_headers (gen->msg)) ==
      SOUP_ENCODING_CONTENT_LENGTH)
    gen->expected = soup_message_headers_get_content_length (
      soup_message_get_response_headers (gen->msg));

  if (gen->status != SOUP_STATUS_OK)
    {
      _peel_gemini_client_read_body (task, MAX_ERROR_BODY_BYTES, error_body_done);
      return;
    }

  /* From here on the request was answered, and billed: a reply that arrives whole but blocked,
   * malformed or short is not retried. Only a connection that drops on the way is. */
  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (gen->msg),
                                                        NULL);
  if (gen->stream && g_strcmp0 (content_type, "text/event-stream") == 0)
    {
      gen->streaming = TRUE;
      gen->reply = peel_gemini_reply_new ();
      gen->events = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      gen->sse = peel_sse_parser_new (self->max_reply_bytes, _peel_gemini_client_sse_event_cb, gen);
      _peel_gemini_client_restart_idle (gen);
      _peel_gemini_client_read_stream (task);
      return;
    }

  /* Some proxies ignore alt=sse and answer with one JSON object: read it as a plain reply. */
  _peel_gemini_client_read_body (task, self->max_reply_bytes, plain_body_done);
}

void
_peel_gemini_client_start_attempt (GTask *task)
{
  PeelGeminiClient *self = g_task_get_source_object (task);
  Generate *gen = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  /* Another request of this client was told to wait: this one waits as long. */
  if (_peel_gemini_client_held (task))
    return;

  _peel_gemini_client_clear_attempt (gen);
  gen->attempt++;

  gen->msg = soup_message_new ("POST", gen->url);
  /* A redirect would carry the key's header to wherever it points. */
  soup_message_add_flags (gen->msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_set_request_body_from_bytes (gen->msg, "application/json", gen->body);

  headers = soup_message_get_request_headers (gen->msg);
  soup_message_headers_replace (headers, "Accept",
                                gen->stream ? "text/event-stream" : "application/json");
  if (self->api_key != NULL && *self->api_key != '\0')
    {
      if (peel_provider_get_auth_style (gen->provider) == PEEL_AUTH_STYLE_BEARER)
        {
          g_autofree char *value = g_strconcat ("Bearer ", self->api_key, NULL);

          soup_message_headers_replace (headers, "Authorization", value);
          memset (value, 0, strlen (value));
        }
      else
        soup_message_headers_replace (headers, "x-goog-api-key", self->api_key);
    }

  soup_session_send_async (self->session, gen->msg, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), send_cb, g_object_ref (task));
}

/* The body -------------------------------------------------------------------------------- */

void
_peel_gemini_client_build_thread (GTask        *worker,
                                  gpointer      source_object,
                                  gpointer      task_data,
                                  GCancellable *cancellable)
{
  Generate *gen = task_data;
  GError *error = NULL;
  GBytes *body;

  body = peel_gemini_request_build (gen->request,
                                    peel_provider_get_max_request_bytes (gen->provider),
                                    &error);
  if (body == NULL)
    g_task_return_error (worker, error);
  else
    g_task_return_pointer (worker, body, (GDestroyNotify) g_bytes_unref);
}

void
_peel_gemini_client_build_done_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Generate *gen = g_task_get_task_data (task);
  GError *error = NULL;

  gen->body = g_task_propagate_pointer (G_TASK (result), &error);
  if (gen->body == NULL)
    {
      if (_peel_gemini_client_is_cancelled (task))
        {
          g_clear_error (&error);
          return;
        }
      _peel_gemini_client_fail (task, error);
      return;
    }

  _peel_gemini_client_start_attempt (task);
}
