/* peel-gemini-client-messages.c
 *
 * What the client tells a person: why a request was stopped, why a connection failed, and
 * whether an image came at the size asked for.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-gemini-client-private.h"
#include "peel-gemini-error.h"
#include "peel-model-catalog.h"
#include "peel-sse-parser.h"

static char *
format_seconds (guint seconds)
{
  /* Translators: a length of time, used in the messages below */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds", seconds),
                          seconds);
}

/* What the server had done when the client stopped it, in words a person can act on. */
GError *
_peel_gemini_client_stop_error (Generate *gen)
{
  guint comments = gen->comments + (gen->sse != NULL ? peel_sse_parser_get_comments (gen->sse)
                                                     : 0);
  g_autofree char *received = g_format_size (gen->received);
  g_autofree char *limit = format_seconds (gen->timeout);
  g_autofree char *idle = format_seconds (gen->idle_timeout);
  GError *error;
  char *message;

  if (gen->stopped == STOP_IDLE)
    {
      if (comments > 0)
        /* Translators: %s is a host, %u a number of comments, then a time ("2 minutes") */
        message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%s sent only %u keep-alive comment and no part "
                                                "of the answer for %s, so Peel stopped the "
                                                "stream. Try again later.",
                                                "%s sent only %u keep-alive comments and no "
                                                "part of the answer for %s, so Peel stopped the "
                                                "stream. Try again later.",
                                                comments),
                                   gen->host, comments, idle);
      else
        message = g_strdup_printf (_("%s sent nothing for %s in the middle of the answer, so "
                                     "Peel stopped the stream. Try again later."),
                                   gen->host, idle);
    }
  else if (gen->reply != NULL && peel_gemini_reply_get_final_image (gen->reply) == NULL &&
           peel_gemini_reply_get_image_url (gen->reply) != NULL)
    {
      g_autofree char *why = NULL;

      /* Translators: the end of "fetching LINK failed: …"; %s is a time */
      why = g_strdup_printf (_("the image had not arrived whole within %s"), limit);
      return _peel_gemini_client_image_url_error (PEEL_GEMINI_ERROR_TIMEOUT,
                                                  peel_gemini_reply_get_image_url (gen->reply),
                                                  why);
    }
  else if (gen->msg != NULL && gen->input == NULL && gen->status == 0)
    message = g_strdup_printf (_("%s had not finished sending even the status line and headers "
                                 "of its answer after %s, so Peel stopped waiting. The server "
                                 "is stuck or very slow: try again later, or allow more time."),
                               gen->host, limit);
  else if (gen->streaming && gen->n_events == 0 && comments > 0)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%s answered, then sent only %u keep-alive comment "
                                            "and no part of the image within %s, so Peel "
                                            "stopped the request. Try again later.",
                                            "%s answered, then sent only %u keep-alive comments "
                                            "and no part of the image within %s, so Peel "
                                            "stopped the request. Try again later.",
                                            comments),
                               gen->host, comments, limit);
  else if (gen->msg != NULL && gen->status != 0)
    message = g_strdup_printf (_("%s sent only %s of its answer, without the whole image, within "
                                 "%s, so Peel stopped the request. Try again; a smaller size is "
                                 "quicker."), gen->host, received, limit);
  else
    message = g_strdup_printf (_("%s gave no usable answer within %s, so Peel stopped the "
                                 "request. Try again later, or allow more time."),
                               gen->host, limit);

  if (gen->attempt > 1)
    {
      char *tried = g_strdup_printf (_("%s (Tried %u times.)"), message, gen->attempt);

      g_free (message);
      message = tried;
    }

  error = g_error_new_literal (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TIMEOUT, message);
  g_free (message);
  return error;
}

/* Turns a transport error into one a person can act on. @during_body: the 200 had been
 * accepted and the reply was arriving. */
GError *
_peel_gemini_client_transport_error (Generate     *gen,
                                     const GError *error,
                                     guint         timeout,
                                     gboolean      during_body)
{
  const char *host = gen->host;

  if (error->domain == G_TLS_ERROR)
    return g_error_new (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NETWORK,
                        _("The secure connection to %s could not be trusted (%s). Check the "
                          "computer’s date and time, and any proxy or network filter in the way."),
                        host, error->message);

  if (error->domain == G_RESOLVER_ERROR)
    return g_error_new (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NETWORK,
                        _("Could not find %s. Check the internet connection and the "
                          "provider’s address."), host);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TIMEOUT,
                        _("%s did not answer for %u seconds. Try again; a smaller size is "
                          "quicker."), host, timeout);

  if (during_body)
    return g_error_new (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NETWORK,
                        _("The connection dropped while the image was arriving (%s). "
                          "Try again."), error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_error_new (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NETWORK,
                        _("%s refused the connection. Check the provider’s address, and that "
                          "the server is running."), host);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    return g_error_new (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NETWORK,
                        _("%s cannot be reached. Check the internet connection."), host);

  if (error->domain == G_IO_ERROR &&
      (error->code == G_IO_ERROR_PROXY_FAILED || error->code == G_IO_ERROR_PROXY_AUTH_FAILED ||
       error->code == G_IO_ERROR_PROXY_NEED_AUTH || error->code == G_IO_ERROR_PROXY_NOT_ALLOWED))
    return g_error_new (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NETWORK,
                        _("The network proxy failed (%s). Check the proxy settings."),
                        error->message);

  return g_error_new (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NETWORK,
                      _("The connection to %s failed (%s). Check the internet connection and "
                        "try again."), host, error->message);
}

GError *
_peel_gemini_client_too_large_error (gsize cap)
{
  g_autofree char *size = g_format_size (cap);

  return g_error_new (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE,
                      _("The reply is larger than %s, more than any image needs; it was stopped. "
                        "Check the provider’s address."), size);
}

/**
 * peel_gemini_client_describe_size:
 * @model: the model the request went to
 * @aspect_ratio: (nullable): the ratio asked for; %NULL for the default 1:1
 * @size: the size asked for
 * @reply: the reply, with its final image
 * @matches: (out) (optional): whether the image has the documented pixel size
 *
 * Models do not always keep to the size they were asked for; this says whether they did, as
 * "asked 2752×1536 — got 2752×1536" or "asked 2752×1536, got 1376×768".
 *
 * Returns: (transfer full): the sentence
 */
char *
peel_gemini_client_describe_size (const char      *model,
                                  const char      *aspect_ratio,
                                  PeelImageSize    size,
                                  PeelGeminiReply *reply,
                                  gboolean        *matches)
{
  const PeelPart *image;
  int asked_width = 0;
  int asked_height = 0;
  gboolean known;

  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (reply), NULL);

  if (matches != NULL)
    *matches = FALSE;

  image = peel_gemini_reply_get_final_image (reply);
  known = peel_model_pixel_size (peel_model_family_for_id (model),
                                 aspect_ratio != NULL ? aspect_ratio : "1:1", size,
                                 &asked_width, &asked_height);

  if (image == NULL || image->width <= 0 || image->height <= 0)
    {
      if (!known)
        return g_strdup (_("no image size known"));
      /* Translators: the pixel size asked for, e.g. "asked 2752×1536 — image size unknown" */
      return g_strdup_printf (_("asked %d×%d — image size unknown"), asked_width, asked_height);
    }

  if (!known)
    /* Translators: the pixel size of the image received */
    return g_strdup_printf (_("got %d×%d"), image->width, image->height);

  if (image->width == asked_width && image->height == asked_height)
    {
      if (matches != NULL)
        *matches = TRUE;
      /* Translators: the pixel size asked for, then the one received (the same) */
      return g_strdup_printf (_("asked %d×%d — got %d×%d"), asked_width, asked_height,
                              image->width, image->height);
    }

  /* Translators: the pixel size asked for, then the one received (a different one) */
  return g_strdup_printf (_("asked %d×%d, got %d×%d"), asked_width, asked_height,
                          image->width, image->height);
}
