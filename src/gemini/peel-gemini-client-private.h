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
  guint         stream_idle_timeout;
  gsize         max_reply_bytes;

  /* The shared backoff (peel-gemini-client-wait.c): no attempt starts before @hold_until
   * (monotonic µs); @waiting holds every Generate waiting for its next attempt. */
  gint64        hold_until;
  GError       *hold_error;
  GList        *waiting;
  /* The request whose signal is being emitted. */
  PeelGeminiRequest *emitting;
};

/* Why the client stopped a request itself. */
typedef enum
{
  STOP_NONE,
  STOP_DEADLINE,   /* the whole request took longer than the client's timeout */
  STOP_IDLE,       /* a stream sent no event (comments do not count) for too long */
} StopReason;

typedef void (*BodyDoneFunc) (GTask  *task,
                              GError *error);

typedef struct
{
  PeelGeminiClient  *client;    /* not owned: the task's source object */
  GTask             *task;      /* not owned: the task whose data this is */
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
  gint64             wait_until;    /* monotonic µs the wait ends, while waiting */
  GList             *wait_link;     /* this in client->waiting, while waiting */

  /* The task's cancellable: cancelled by the caller's, by the deadline or by the idle cut. */
  GCancellable      *cancellable;
  GCancellable      *caller_cancellable;
  GSource           *caller_source;
  GSource           *deadline_source;
  GSource           *idle_source;
  StopReason         stopped;
  guint              timeout;       /* the deadline and the idle cut-off, in seconds, as set */
  guint              idle_timeout;
  guint              n_events;      /* SSE events received in this attempt */
  guint              comments;      /* and comments, in every attempt so far */
} Generate;

/* peel-gemini-client.c */
void     _peel_gemini_client_clear_attempt   (Generate     *gen);
void     _peel_gemini_client_clear_wait      (Generate     *gen);
GError  *_peel_gemini_client_scrub_error     (PeelGeminiClient *self,
                                              GError       *error);
void     _peel_gemini_client_emit_backing_off (Generate    *gen,
                                               guint        attempt,
                                               double       delay,
                                               const GError *error);
void     _peel_gemini_client_fail            (GTask        *task,
                                              GError       *error);
gboolean _peel_gemini_client_is_cancelled    (GTask        *task);
void     _peel_gemini_client_restart_idle    (Generate     *gen);
void     _peel_gemini_client_emit_progress   (GTask        *task);
void     _peel_gemini_client_emit_parts      (GTask        *task,
                                              GPtrArray    *parts);
void     _peel_gemini_client_finish_reply    (GTask        *task);

/* peel-gemini-client-wait.c */
void     _peel_gemini_client_back_off_or_fail (GTask      *task,
                                               GError     *error,
                                               double      server_delay);
gboolean _peel_gemini_client_held      (GTask        *task);

/* peel-gemini-client-attempt.c */
void     _peel_gemini_client_start_attempt   (GTask        *task);
void     _peel_gemini_client_build_thread    (GTask        *worker,
                                              gpointer      source_object,
                                              gpointer      task_data,
                                              GCancellable *cancellable);
void     _peel_gemini_client_build_done_cb   (GObject      *object,
                                              GAsyncResult *result,
                                              gpointer      user_data);

/* peel-gemini-client-messages.c */
GError  *_peel_gemini_client_stop_error      (Generate     *gen);
GError  *_peel_gemini_client_transport_error (Generate     *gen,
                                              const GError *error,
                                              guint         timeout,
                                              gboolean      during_body);
GError  *_peel_gemini_client_too_large_error (gsize         cap);

/* peel-gemini-client-fetch.c */
void     _peel_gemini_client_read_body       (GTask        *task,
                                              gsize         cap,
                                              BodyDoneFunc  done);
void     _peel_gemini_client_fetch_image_url (GTask        *task);
GError  *_peel_gemini_client_image_url_error (int          code,
                                              const char  *url,
                                              const char  *why);

/* peel-gemini-client-stream.c */
gboolean _peel_gemini_client_sse_event_cb    (const char   *data,
                                              gsize         len,
                                              gpointer      user_data,
                                              GError      **error);
void     _peel_gemini_client_read_stream     (GTask        *task);

G_END_DECLS
