/* peel-demo-server-private.h
 *
 * What the demo server's files share: the server itself, one request in flight (a job), the
 * queue of what it answers, and Google's error bodies.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "peel-demo-server.h"
#include "peel-model-catalog.h"

G_BEGIN_DECLS

#define HUGE_CHUNK_BYTES (1024 * 1024)
#define JSON_TYPE "application/json; charset=UTF-8"

typedef enum
{
  PEEL_DEMO_ITEM_ERROR,      /* status and a JSON error body: the whole answer */
  PEEL_DEMO_ITEM_REPLY,      /* 200 and a JSON body: the whole answer */
  PEEL_DEMO_ITEM_EVENT,      /* one framed SSE event */
  PEEL_DEMO_ITEM_END,        /* the SSE stream is complete */
  PEEL_DEMO_ITEM_RESET,      /* the faults below are carried out by the main thread */
  PEEL_DEMO_ITEM_STALL,
  PEEL_DEMO_ITEM_HUGE_BODY,
  PEEL_DEMO_ITEM_MALFORMED,
  PEEL_DEMO_ITEM_FILE,       /* what the job's image link serves: kept, not sent */
  PEEL_DEMO_ITEM_TRICKLE,    /* the slow faults, paced by the job's timeout source */
  PEEL_DEMO_ITEM_KEEP_ALIVE,
} PeelDemoItemKind;

typedef struct
{
  PeelDemoItemKind  kind;
  guint             status;
  GBytes           *bytes;
} PeelDemoItem;

typedef struct _PeelDemoJob PeelDemoJob;

/* How many times the server painted each prompt, so that the same prompt sent again (the
 * variations of one Generate, a Retry) gives another picture, as a model would, while the
 * first answer to a prompt stays the same from run to run. Shared by the server and the
 * workers of its jobs. */
typedef struct _PeelDemoVariants PeelDemoVariants;

PeelDemoVariants *peel_demo_variants_new   (void);
PeelDemoVariants *peel_demo_variants_ref   (PeelDemoVariants *variants);
void              peel_demo_variants_unref (PeelDemoVariants *variants);
guint             peel_demo_variants_next  (PeelDemoVariants *variants,
                                            const char       *prompt);

struct _PeelDemoJob
{
  gatomicrefcount    ref_count;
  GMainContext      *context;
  GCancellable      *cancellable;

  /* Set before the worker starts, then read only. */
  GBytes            *body;
  char              *model;
  gboolean           stream;
  PeelDemoFault      fault;
  char              *file_token;   /* an image-url fault's link: /files/TOKEN.png */
  char              *file_url;
  PeelDemoVariants  *variants;

  /* Filled by the worker, emptied by the main thread. */
  GMutex             lock;
  GQueue             items;

  /* Main thread only. The server, while the job is one of its jobs, else NULL. */
  PeelDemoServer    *server;
  SoupServerMessage *msg;
  gulong             finished_id;
  gulong             disconnected_id;
  gulong             wrote_chunk_id;
  goffset            huge_offset;
  gsize              huge_prefix_len;
  const char        *huge_suffix;
  GSource           *timeout;
  GIOStream         *stolen;       /* trickle: the connection, taken from libsoup */
  gsize              trickle_offset;
  gint64             next_send;
  guint              latency_ms;
  gboolean           done;
  gboolean           started;
};

typedef struct _PeelDemoLinks PeelDemoLinks;
typedef struct _PeelDemoModels PeelDemoModels;

struct _PeelDemoServer
{
  GObject             parent_instance;

  SoupServer         *server;
  char               *base_url;
  char               *api_key;
  gsize               max_request_bytes;
  guint               latency_ms;
  double              retry_delay;

  GQueue              faults;
  double              fault_rate;
  GRand              *rand;

  guint               request_count;
  GBytes             *last_body;
  SoupMessageHeaders *last_headers;
  char               *last_path;

  GPtrArray          *jobs;
  GBytes             *huge_chunk;
  PeelDemoLinks      *links;
  PeelDemoModels     *models;
  PeelDemoVariants   *variants;
};

typedef struct _PeelDemoRequest PeelDemoRequest;

/* One request as read by the worker, and what it asks for. */
struct _PeelDemoRequest
{
  PeelDemoJob     *job;
  JsonParser      *parser;
  const char      *model;
  PeelModelFamily  family;
  gboolean         signs;

  guint            fail_code;
  GBytes          *fail_body;

  const char      *ratio;
  PeelImageSize    size;
  gboolean         want_text;
  gboolean         want_image;
  gboolean         include_thoughts;
  gboolean         thinking_high;
  gboolean         search;
  gboolean         image_search;

  GString         *prompt;
  GPtrArray       *inputs;       /* GdkPixbuf, the last user turn's images */
  guint            user_images;  /* images in every user turn: what the limit counts */
  GBytes          *previous;     /* the last image the model made, to edit */
  gint64           prompt_tokens;
  guint8           hash[32];
  guint            variant;      /* 0 the first time this prompt is painted, then 1, 2, … */
  char            *response_id;
};

gboolean     peel_demo_request_read     (PeelDemoRequest  *request);
void         peel_demo_request_clear    (PeelDemoRequest  *request);

PeelDemoJob *peel_demo_job_ref          (PeelDemoJob      *job);
void         peel_demo_job_unref        (PeelDemoJob      *job);
void         peel_demo_job_push         (PeelDemoJob      *job,
                                         PeelDemoItemKind  kind,
                                         guint             status,
                                         GBytes           *bytes);

PeelDemoJob *peel_demo_job_new          (PeelDemoServer   *server,
                                         SoupServerMessage *msg);
void         peel_demo_job_send_huge    (PeelDemoJob      *job,
                                         const char       *content_type,
                                         const guint8     *prefix,
                                         gsize             prefix_len,
                                         const char       *suffix);

void         peel_demo_job_finish       (PeelDemoJob      *job);
void         peel_demo_job_send_trickle (PeelDemoJob      *job);
void         peel_demo_job_send_keep_alive (PeelDemoJob   *job);

void         peel_demo_generate         (PeelDemoJob      *job);

PeelDemoLinks *peel_demo_links_new      (void);
void         peel_demo_links_free       (PeelDemoLinks    *links);
char        *peel_demo_link_token_new   (void);
GBytes      *peel_demo_link_body        (PeelDemoFault     fault,
                                         GBytes           *png);
void         peel_demo_links_add        (PeelDemoLinks    *links,
                                         const char       *token,
                                         PeelDemoFault     fault,
                                         GBytes           *bytes);
void         peel_demo_links_serve      (PeelDemoLinks    *links,
                                         PeelDemoServer   *server,
                                         SoupServerMessage *msg,
                                         const char       *path);
GBytes      *peel_demo_links_dup_last_served (PeelDemoLinks *links);

PeelDemoModels *peel_demo_models_new     (void);
void         peel_demo_models_free      (PeelDemoModels   *models);
void         peel_demo_models_set_ids   (PeelDemoModels   *models,
                                         const char * const *ids);
void         peel_demo_models_set_page_size (PeelDemoModels *models,
                                         guint             page_size);
void         peel_demo_models_set_keep_shut_down (PeelDemoModels *models,
                                         gboolean          keep);
void         peel_demo_models_set_list  (PeelDemoModels   *models,
                                         gboolean          list);
GBytes      *peel_demo_models_refuse    (PeelDemoModels   *models,
                                         const char       *model,
                                         guint            *status);
GBytes      *peel_demo_models_answer    (PeelDemoModels   *models,
                                         const char       *path,
                                         GHashTable       *query,
                                         guint            *status);
GBytes      *peel_demo_error_body       (guint             code,
                                         const char       *status,
                                         const char       *message,
                                         JsonNode         *details);
GBytes      *peel_demo_error_printf     (guint             code,
                                         const char       *status,
                                         const char       *format,
                                         ...) G_GNUC_PRINTF (3, 4);
GBytes      *peel_demo_error_for_fault  (PeelDemoFault     fault,
                                         double            retry_delay,
                                         guint            *status);
GBytes      *peel_demo_error_key_invalid (void);
GBytes      *peel_demo_error_unregistered (void);
GBytes      *peel_demo_error_unauthenticated (void);

char        *peel_demo_sign             (char              kind,
                                         gconstpointer     data,
                                         gsize             len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PeelDemoJob, peel_demo_job_unref)

G_END_DECLS
