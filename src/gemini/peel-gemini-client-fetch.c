/* peel-gemini-client-fetch.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "peel-data-error.h"
#include "peel-gemini-client-private.h"
#include "peel-gemini-error.h"
#include "peel-gemini-reply-private.h"
#include "peel-image-probe.h"

/* Reading a whole body ---------------------------------------------------------------------- */

static void read_body_more (GTask *task);

static void
read_body_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Generate *gen = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n < 0)
    {
      gen->body_done (task, g_steal_pointer (&error));
      return;
    }

  if (n == 0)
    {
      /* Closing the body at its end hands the connection back for the next request. */
      g_clear_object (&gen->input);
      gen->body_done (task, NULL);
      return;
    }

  gen->len += n;
  gen->received += n;
  if (gen->status == SOUP_STATUS_OK)
    _peel_gemini_client_emit_progress (task);

  read_body_more (task);
}

static void
read_body_more (GTask *task)
{
  Generate *gen = g_task_get_task_data (task);

  if (gen->len > gen->cap)
    {
      gen->body_done (task, _peel_gemini_client_too_large_error (gen->cap));
      return;
    }

  if (gen->len == gen->alloc)
    {
      /* One byte past the cap, so that a body of exactly the cap is not mistaken for more. */
      gen->alloc = MIN (MAX (gen->alloc * 2, 64 * 1024), gen->cap + 1);
      gen->buf = g_realloc (gen->buf, gen->alloc);
    }

  g_input_stream_read_async (gen->input, gen->buf + gen->len,
                             MIN (gen->alloc - gen->len, PLAIN_READ_SIZE),
                             G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                             read_body_cb, g_object_ref (task));
}

/* Reads the whole body of gen->msg into gen->buf, then calls @done. The buffer is sized from
 * Content-Length when there is one, so a 16 MB reply is one allocation and no copies. */
void
_peel_gemini_client_read_body (GTask        *task,
                               gsize         cap,
                               BodyDoneFunc  done)
{
  Generate *gen = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (gen->msg);

  gen->cap = cap;
  gen->body_done = done;
  gen->len = 0;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    gen->expected = soup_message_headers_get_content_length (headers);
  else
    gen->expected = 0;

  if (gen->expected > 0 && (guint64) gen->expected > cap)
    {
      done (task, _peel_gemini_client_too_large_error (cap));
      return;
    }

  /* +1: the read that sees the end needs room to be asked for. */
  gen->alloc = gen->expected > 0 ? (gsize) gen->expected + 1 : 64 * 1024;
  gen->buf = g_malloc (gen->alloc);

  read_body_more (task);
}

/* Image URL fallback ------------------------------------------------------------------------ */

typedef struct
{
  PeelGeminiReply *reply;
  char            *mime_type;
  GBytes          *data;
} AddImage;

static void
add_image_free (AddImage *add)
{
  g_clear_object (&add->reply);
  g_free (add->mime_type);
  g_clear_pointer (&add->data, g_bytes_unref);
  g_free (add);
}

/* The fetched image joins the reply in a thread: its part is probed and its size read there. */
static void
add_image_thread (GTask        *worker,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  AddImage *add = task_data;
  g_autoptr(GError) error = NULL;

  if (!_peel_gemini_reply_add_linked_image (add->reply, add->mime_type, add->data, &error))
    g_task_return_error (worker, g_steal_pointer (&error));
  else
    g_task_return_boolean (worker, TRUE);
}

static void
add_image_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (_peel_gemini_client_is_cancelled (task))
        {
          g_error_free (error);
          return;
        }
      _peel_gemini_client_fail (task, error);
      return;
    }

  _peel_gemini_client_finish_reply (task);
}

GError *
_peel_gemini_client_image_url_error (int         code,
                                     const char *url,
                                     const char *why)
{
  return g_error_new (PEEL_GEMINI_ERROR, code,
                      /* Translators: %s is a web address, then why fetching it failed */
                      _("The reply linked to its image instead of holding it, and fetching %s "
                        "failed: %s. Try again; if this keeps happening, check the provider’s "
                        "address or choose another provider."), url, why);
}

/* Nothing was kept: the image never arrived whole, or was not one. */
static GError *
image_fetch_error (GTask        *task,
                   const GError *error)
{
  PeelGeminiClient *self = g_task_get_source_object (task);
  Generate *gen = g_task_get_task_data (task);
  const char *url = peel_gemini_reply_get_image_url (gen->reply);
  g_autofree char *why = NULL;

  if (g_error_matches (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE))
    {
      g_autofree char *size = g_format_size (gen->cap);

      /* Translators: %s is a size such as 256 MB */
      why = g_strdup_printf (_("it is larger than %s, more than any image needs"), size);
      return _peel_gemini_client_image_url_error (PEEL_GEMINI_ERROR_TOO_LARGE, url, why);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      why = g_strdup_printf (ngettext ("no answer came for %u second",
                                       "no answer came for %u seconds", self->timeout),
                             self->timeout);
      return _peel_gemini_client_image_url_error (PEEL_GEMINI_ERROR_TIMEOUT, url, why);
    }

  return _peel_gemini_client_image_url_error (PEEL_GEMINI_ERROR_NETWORK, url, error->message);
}

/* Not the header's word, which hosts get wrong (application/octet-stream, or image/png on a
 * sign-in page), but the bytes', read as any image from a reply is: a header that claims
 * more pixels than anyone should decode is refused here. */
static GError *
check_fetched_image (GBytes      *bytes,
                     char       **mime_type,
                     const char  *url)
{
  g_autoptr(GError) probe_error = NULL;

  if (peel_image_probe (bytes, NULL, NULL, mime_type, &probe_error))
    return NULL;

  if (g_error_matches (probe_error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_UNSUPPORTED))
    return _peel_gemini_client_image_url_error (PEEL_GEMINI_ERROR_NO_IMAGE, url, _("it is not an image"));

  return g_error_new (PEEL_GEMINI_ERROR, peel_gemini_error_code_from_data (probe_error),
                      /* Translators: %s is a web address, then a sentence on what is wrong */
                      _("The reply linked to its image instead of holding it, and the file at "
                        "%s cannot be used. %s Try again; if this keeps happening, check the "
                        "provider’s address or choose another provider."),
                      url, probe_error->message);
}

static void
image_body_done (GTask  *task,
                 GError *error)
{
  Generate *gen = g_task_get_task_data (task);
  const char *url = peel_gemini_reply_get_image_url (gen->reply);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *mime_type = NULL;
  AddImage *add;
  GTask *worker;
  GError *check_error;

  if (error != NULL)
    {
      if (!_peel_gemini_client_is_cancelled (task))
        _peel_gemini_client_fail (task, image_fetch_error (task, error));
      g_error_free (error);
      return;
    }

  if (gen->expected > 0 && gen->len < (gsize) gen->expected)
    {
      _peel_gemini_client_fail (task,
                                _peel_gemini_client_image_url_error (PEEL_GEMINI_ERROR_NETWORK, url,
                                                 _("the connection dropped before its end")));
      return;
    }

  bytes = g_bytes_new_take (g_steal_pointer (&gen->buf), gen->len);
  gen->len = gen->alloc = 0;
  if ((check_error = check_fetched_image (bytes, &mime_type, url)) != NULL)
    {
      _peel_gemini_client_fail (task, check_error);
      return;
    }

  add = g_new0 (AddImage, 1);
  add->reply = g_object_ref (gen->reply);
  add->mime_type = g_steal_pointer (&mime_type);
  add->data = g_steal_pointer (&bytes);

  worker = g_task_new (g_task_get_source_object (task), g_task_get_cancellable (task),
                       add_image_done_cb, g_object_ref (task));
  g_task_set_task_data (worker, add, (GDestroyNotify) add_image_free);
  g_task_run_in_thread (worker, add_image_thread);
  g_object_unref (worker);
}

static void
image_send_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PeelGeminiClient *self = g_task_get_source_object (task);
  Generate *gen = g_task_get_task_data (task);
  const char *url = peel_gemini_reply_get_image_url (gen->reply);
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;

  gen->input = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (gen->input == NULL)
    {
      if (_peel_gemini_client_is_cancelled (task))
        return;
      _peel_gemini_client_fail (task, image_fetch_error (task, error));
      return;
    }

  /* Such links are often short-lived: a 404 or 403 is most likely one that expired. */
  if (soup_message_get_status (gen->msg) != SOUP_STATUS_OK)
    {
      status = g_strdup_printf ("HTTP %u %s", soup_message_get_status (gen->msg),
                                soup_message_get_reason_phrase (gen->msg));
      _peel_gemini_client_fail (task, _peel_gemini_client_image_url_error (PEEL_GEMINI_ERROR_NO_IMAGE, url, status));
      return;
    }

  gen->status = SOUP_STATUS_OK;
  _peel_gemini_client_read_body (task, self->max_reply_bytes, image_body_done);
}

void
_peel_gemini_client_fetch_image_url (GTask *task)
{
  PeelGeminiClient *self = g_task_get_source_object (task);
  Generate *gen = g_task_get_task_data (task);
  const char *url = peel_gemini_reply_get_image_url (gen->reply);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GInetAddress) address = NULL;
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;
  gboolean loopback;

  if (host == NULL)
    {
      _peel_gemini_client_fail (task, _peel_gemini_client_image_url_error (PEEL_GEMINI_ERROR_NO_IMAGE, url,
                                                       _("it is not a web address")));
      return;
    }

  address = g_inet_address_new_from_string (host);
  loopback = g_ascii_strcasecmp (host, "localhost") == 0 ||
             (address != NULL && g_inet_address_get_is_loopback (address));

  if (g_ascii_strcasecmp (scheme, "https") != 0 &&
      !(g_ascii_strcasecmp (scheme, "http") == 0 && loopback))
    {
      _peel_gemini_client_fail (task,
                                _peel_gemini_client_image_url_error (PEEL_GEMINI_ERROR_INSECURE, url,
                                                 _("only https:// addresses are fetched")));
      return;
    }

  g_clear_object (&gen->msg);
  g_clear_object (&gen->input);
  g_clear_pointer (&gen->buf, g_free);
  gen->received = 0;

  /* No key on this request: the image host is not the provider. No redirects either, so an
   * https:// address cannot be bounced to plain http://. */
  gen->msg = soup_message_new_from_uri ("GET", uri);
  soup_message_add_flags (gen->msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_async (self->session, gen->msg, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), image_send_cb, g_object_ref (task));
}
