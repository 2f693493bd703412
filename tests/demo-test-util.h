/* demo-test-util.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "peel-demo-server.h"

G_BEGIN_DECLS

#define FLASH "gemini-3.1-flash-image"
#define PRO "gemini-3-pro-image"
#define NANO "gemini-2.5-flash-image"

typedef struct
{
  PeelDemoServer *server;
  SoupSession    *session;
} Fixture;

typedef struct
{
  guint               status;
  GBytes             *body;
  SoupMessageHeaders *headers;
  GError             *error;
  JsonNode           *json;
} Reply;

typedef struct
{
  GPtrArray *events;    /* JsonNode */
  GString   *raw;
} Stream;

typedef struct
{
  GInputStream *input;
  GError       *error;
  gboolean      done;
  GArray       *times;     /* gint64, when each event ended */
  GString      *data;
} Reader;

void         reply_free        (Reply       *reply);
void         stream_free       (Stream      *stream);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Stream, stream_free)

void         fixture_setup     (Fixture       *f,
                                gconstpointer  data);
void         fixture_teardown  (Fixture       *f,
                                gconstpointer  data);
SoupMessage *make_message      (Fixture    *f,
                                const char *model,
                                const char *method,
                                const char *body,
                                const char *key_header,
                                const char *key);
Reply       *post_full         (Fixture    *f,
                                const char *model,
                                const char *method,
                                const char *body,
                                const char *key_header,
                                const char *key);
Reply       *post              (Fixture    *f,
                                const char *model,
                                const char *body);
Reply       *post_stream       (Fixture    *f,
                                const char *model,
                                const char *body);
char        *simple_body       (const char *prompt,
                                const char *ratio,
                                const char *size,
                                gboolean    thoughts);
JsonObject  *root_object       (Reply *reply);
JsonArray   *reply_parts       (JsonObject *root);
void         assert_error      (Reply      *reply,
                                guint       code,
                                const char *status,
                                const char *message);
GdkPixbuf   *decode_b64        (const char *b64);
const char  *final_image_b64   (JsonArray *parts);
void         assert_final_size (Reply *reply,
                                int    width,
                                int    height);
Stream      *parse_stream      (GBytes *body);

G_END_DECLS
