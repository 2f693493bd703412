/* peel-gemini-client-private.h
 *
 * What the client's files share: the client itself, one request in flight (Generate), and
 * the steps of a request that one file hands to another.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "peel-gemini-client.h"
#include "peel-sse-parser.h"

G_BEGIN_DECLS

/* An error body is a few hundred bytes; more is not an error page worth reading. */
#define MAX_ERROR_BODY_BYTES     (1024 * 1024)
#define STREAM_READ_SIZE         (64 * 1024)
#define PLAIN_READ_SIZE          (256 * 1024)
/* Events smaller than this are merged on the main thread; a thread hop would cost more. */
#define INLINE_EVENT_BYTES       (32 * 1024)

struct _PeelGeminiClient
{
  GObject       parent_instance;

  PeelProvider *provider;
  char         *api_key;
  SoupSession  *session;

  guint         max_attempts;
  double        backoff_initial;
  double        backoff_max;
  guint         timeout;
  gsize         max_reply_bytes;
};

typedef void (*BodyDoneFunc) (GTask  *task,
                              GError *error);

typedef struct
{
  PeelGeminiRequest *request;
  PeelProvider      *provider;
  GBytes            *body;
  char              *url;
  char              *host;
  gboolean           stream;
  guint              attempt;
  gboolean           streaming;  /* this attempt's reply is an event stream */

  SoupMessage       *msg;
  GInputStream      *input;
  guint              status;
  goffset            expected;
  guint64            received;

  /* A whole body read into one buffer: the plain reply, an error page, an image URL. */
  guint8            *buf;
  gsize              len;
  gsize              alloc;
  gsize              cap;
  BodyDoneFunc       body_done;

  /* The stream: events wait in @events while a worker merges the previous batch. */
  PeelSseParser     *sse;
  GPtrArray         *events;
  gboolean           eof;
  PeelGeminiReply   *reply;

  GSource           *wait_source;
  GSource           *cancel_source;
} Generate;

/* peel-gemini-client.c */
void     _peel_gemini_client_fail            (GTask        *task,
                                              GError       *error);
gboolean _peel_gemini_client_is_cancelled    (GTask        *task);
GError  *_peel_gemini_client_transport_error (Generate     *gen,
                                              const GError *error,
                                              guint         timeout,
                                              gboolean      during_body);
void     _peel_gemini_client_retry_or_fail   (GTask        *task,
                                              GError       *error,
                                              double        server_delay);
void     _peel_gemini_client_emit_progress   (GTask        *task);
void     _peel_gemini_client_emit_parts      (GTask        *task,
                                              GPtrArray    *parts);
GError  *_peel_gemini_client_too_large_error (gsize         cap);
void     _peel_gemini_client_finish_reply    (GTask        *task);

/* peel-gemini-client-fetch.c */
void     _peel_gemini_client_read_body       (GTask        *task,
                                              gsize         cap,
                                              BodyDoneFunc  done);
void     _peel_gemini_client_fetch_image_url (GTask        *task);

/* peel-gemini-client-stream.c */
gboolean _peel_gemini_client_sse_event_cb    (const char   *data,
                                              gsize         len,
                                              gpointer      user_data,
                                              GError      **error);
void     _peel_gemini_client_read_stream     (GTask        *task);

G_END_DECLS
