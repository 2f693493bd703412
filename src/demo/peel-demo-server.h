/* peel-demo-server.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "peel-util.h"

G_BEGIN_DECLS

#define PEEL_DEMO_SERVER_ISSUER PEEL_DEMO_ISSUER
#define PEEL_DEMO_SERVER_DEFAULT_MAX_REQUEST_BYTES (20u * 1024 * 1024)
#define PEEL_DEMO_SERVER_HUGE_BODY_BYTES ((goffset) 600 * 1024 * 1024)
/* An image link is served this many times, for this long: like a signed, short-lived URL. */
#define PEEL_DEMO_SERVER_FILE_FETCHES 1
#define PEEL_DEMO_SERVER_FILE_SECONDS 60
/* The size an image bomb's header claims: 10 gigapixels. */
#define PEEL_DEMO_SERVER_BOMB_SIDE 100000
/* The pace of the slow faults: trickle's byte, keep-alive's comment. */
#define PEEL_DEMO_SERVER_TRICKLE_MS 1000
#define PEEL_DEMO_SERVER_KEEP_ALIVE_MS 250

/**
 * PeelDemoFault:
 * @PEEL_DEMO_FAULT_NONE: answer normally
 * @PEEL_DEMO_FAULT_RATE_LIMIT: 429 RESOURCE_EXHAUSTED with QuotaFailure and RetryInfo
 * @PEEL_DEMO_FAULT_SERVER_ERROR: 500 INTERNAL
 * @PEEL_DEMO_FAULT_UNAVAILABLE: 503 UNAVAILABLE, "The model is overloaded…"
 * @PEEL_DEMO_FAULT_RESET: status line, headers and part of the body, then the socket closes
 * @PEEL_DEMO_FAULT_TRUNCATED_STREAM: the reply stops cleanly before the final image
 * @PEEL_DEMO_FAULT_STALL: headers, then nothing until the client gives up
 * @PEEL_DEMO_FAULT_MALFORMED_JSON: a 200 whose JSON body is cut short
 * @PEEL_DEMO_FAULT_BLOCKED_PROMPT: a 200 with `promptFeedback.blockReason` "OTHER", no candidates
 * @PEEL_DEMO_FAULT_IMAGE_SAFETY: a 200 with finishReason IMAGE_SAFETY and no image
 * @PEEL_DEMO_FAULT_DATA_URI: the image comes back as a Markdown data: URI in a text part
 * @PEEL_DEMO_FAULT_HUGE_BODY: a 200 body of 600 MiB, streamed without being held in memory
 * @PEEL_DEMO_FAULT_IMAGE_URL: the image comes back as a `fileData` part whose `fileUri` is
 *   `/files/TOKEN.png` on this server, served as image/png with its Content-Length, once,
 *   within #PEEL_DEMO_SERVER_FILE_SECONDS
 * @PEEL_DEMO_FAULT_IMAGE_URL_MISSING: as image-url, but the link answers 404
 * @PEEL_DEMO_FAULT_IMAGE_URL_NOT_IMAGE: as image-url, but the link serves a web page that
 *   says it is image/png
 * @PEEL_DEMO_FAULT_IMAGE_URL_BOMB: as image-url, but the PNG's header claims
 *   #PEEL_DEMO_SERVER_BOMB_SIDE pixels a side
 * @PEEL_DEMO_FAULT_IMAGE_URL_HUGE: as image-url, but the link serves 600 MiB
 * @PEEL_DEMO_FAULT_IMAGE_URL_STALL: as image-url, but the link sends its headers and half
 *   the image, then nothing until the client gives up
 * @PEEL_DEMO_FAULT_TRICKLE: a whole reply sent one byte a second, from the first byte of the
 *   status line on: hours for an answer that never stops arriving
 * @PEEL_DEMO_FAULT_KEEP_ALIVE: a 200 event stream of `: keep-alive` comments, one every
 *   #PEEL_DEMO_SERVER_KEEP_ALIVE_MS, and never an event
 *
 * How the demo server misbehaves for one request.
 */
typedef enum
{
  PEEL_DEMO_FAULT_NONE,
  PEEL_DEMO_FAULT_RATE_LIMIT,
  PEEL_DEMO_FAULT_SERVER_ERROR,
  PEEL_DEMO_FAULT_UNAVAILABLE,
  PEEL_DEMO_FAULT_RESET,
  PEEL_DEMO_FAULT_TRUNCATED_STREAM,
  PEEL_DEMO_FAULT_STALL,
  PEEL_DEMO_FAULT_MALFORMED_JSON,
  PEEL_DEMO_FAULT_BLOCKED_PROMPT,
  PEEL_DEMO_FAULT_IMAGE_SAFETY,
  PEEL_DEMO_FAULT_DATA_URI,
  PEEL_DEMO_FAULT_HUGE_BODY,
  PEEL_DEMO_FAULT_IMAGE_URL,
  PEEL_DEMO_FAULT_IMAGE_URL_MISSING,
  PEEL_DEMO_FAULT_IMAGE_URL_NOT_IMAGE,
  PEEL_DEMO_FAULT_IMAGE_URL_BOMB,
  PEEL_DEMO_FAULT_IMAGE_URL_HUGE,
  PEEL_DEMO_FAULT_IMAGE_URL_STALL,
  PEEL_DEMO_FAULT_TRICKLE,
  PEEL_DEMO_FAULT_KEEP_ALIVE,
  PEEL_DEMO_N_FAULTS,
} PeelDemoFault;

#define PEEL_TYPE_DEMO_SERVER (peel_demo_server_get_type ())

G_DECLARE_FINAL_TYPE (PeelDemoServer, peel_demo_server, PEEL, DEMO_SERVER, GObject)

PeelDemoServer     *peel_demo_server_new                    (void);
GObject            *peel_demo_server_new_started            (gpointer         user_data,
                                                             char           **base_url,
                                                             GError         **error);
gboolean            peel_demo_server_start                  (PeelDemoServer  *self,
                                                             guint            port,
                                                             GError         **error);
void                peel_demo_server_stop                   (PeelDemoServer  *self);
const char         *peel_demo_server_get_base_url           (PeelDemoServer  *self);
void                peel_demo_server_set_api_key            (PeelDemoServer  *self,
                                                             const char      *key);
void                peel_demo_server_set_max_request_bytes  (PeelDemoServer  *self,
                                                             gsize            max_bytes);
void                peel_demo_server_set_latency            (PeelDemoServer  *self,
                                                             guint            ms);
void                peel_demo_server_set_retry_delay        (PeelDemoServer  *self,
                                                             double           seconds);
void                peel_demo_server_set_models             (PeelDemoServer  *self,
                                                             const char * const *ids);
void                peel_demo_server_set_models_page_size   (PeelDemoServer  *self,
                                                             guint            page_size);
void                peel_demo_server_set_proxy_models       (PeelDemoServer  *self,
                                                             gboolean         keep_shut_down,
                                                             gboolean         list);
void                peel_demo_server_push_fault             (PeelDemoServer  *self,
                                                             PeelDemoFault    fault);
void                peel_demo_server_set_random_faults      (PeelDemoServer  *self,
                                                             double           rate,
                                                             guint32          seed);
guint               peel_demo_server_get_request_count      (PeelDemoServer  *self);
guint               peel_demo_server_get_in_flight          (PeelDemoServer  *self);
GBytes             *peel_demo_server_dup_last_request_body  (PeelDemoServer  *self);
SoupMessageHeaders *peel_demo_server_dup_last_request_headers (PeelDemoServer *self);
char               *peel_demo_server_dup_last_request_path  (PeelDemoServer  *self);
GBytes             *peel_demo_server_dup_last_file_body     (PeelDemoServer  *self);

const char         *peel_demo_fault_to_string               (PeelDemoFault    fault);
gboolean            peel_demo_fault_from_string             (const char      *str,
                                                             PeelDemoFault   *fault);
gboolean            peel_demo_fault_is_image_url            (PeelDemoFault    fault);

G_END_DECLS
