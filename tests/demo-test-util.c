/* demo-test-util.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-demo-painter.h"

#include "demo-test-util.h"

void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_error (&reply->error);
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply);
}

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = peel_demo_server_new ();
  /* Nano Banana (shut down) still has its family's rules, tested here as a proxy that keeps
   * its id serves it; the tests of shut-down ids turn this off. */
  peel_demo_server_set_proxy_models (f->server, TRUE, TRUE);
  g_assert_true (peel_demo_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (peel_demo_server_get_base_url (f->server),
                                   "http://127.0.0.1:"));
  f->session = soup_session_new ();
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  peel_demo_server_stop (f->server);
  g_clear_object (&f->session);
  g_clear_object (&f->server);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reply *reply = user_data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &reply->error);
  if (reply->body == NULL)
    reply->body = g_bytes_new (NULL, 0);
}

SoupMessage *
make_message (Fixture    *f,
              const char *model,
              const char *method,
              const char *body,
              const char *key_header,
              const char *key)
{
  g_autofree char *url = g_strdup_printf ("%s/v1beta/models/%s:%s",
                                          peel_demo_server_get_base_url (f->server), model,
                                          method);
  SoupMessage *msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  if (key_header != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), key_header, key);

  return msg;
}

static Reply *
send_message (Fixture     *f,
              SoupMessage *msg)
{
  Reply *reply = g_new0 (Reply, 1);

  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, reply);
  while (reply->body == NULL)
    g_main_context_iteration (NULL, TRUE);

  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (reply->error == NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize len;
      const char *data = g_bytes_get_data (reply->body, &len);

      if (len > 0 && data[0] == '{' && json_parser_load_from_data (parser, data, len, NULL))
        reply->json = json_node_ref (json_parser_get_root (parser));
    }

  return reply;
}

Reply *
post_full (Fixture    *f,
           const char *model,
           const char *method,
           const char *body,
           const char *key_header,
           const char *key)
{
  g_autoptr(SoupMessage) msg = make_message (f, model, method, body, key_header, key);

  return send_message (f, msg);
}

Reply *
post (Fixture    *f,
      const char *model,
      const char *body)
{
  return post_full (f, model, "generateContent", body, "x-goog-api-key", "test-key");
}

Reply *
post_stream (Fixture    *f,
             const char *model,
             const char *body)
{
  return post_full (f, model, "streamGenerateContent?alt=sse", body, "x-goog-api-key",
                    "test-key");
}

char *
simple_body (const char *prompt,
             const char *ratio,
             const char *size,
             gboolean    thoughts)
{
  GString *config = g_string_new (NULL);
  g_autofree char *image_config = NULL;
  g_autofree char *result = NULL;

  if (ratio != NULL || size != NULL)
    {
      g_autofree char *r = ratio ? g_strdup_printf ("\"aspectRatio\": \"%s\"", ratio) : NULL;
      g_autofree char *s = size ? g_strdup_printf ("\"imageSize\": \"%s\"", size) : NULL;

      image_config = g_strdup_printf (", \"imageConfig\": {%s%s%s}", r ? r : "",
                                      r && s ? ", " : "", s ? s : "");
    }
  g_string_append_printf (config, "{\"responseModalities\": [\"TEXT\", \"IMAGE\"]%s%s}",
                          image_config ? image_config : "",
                          thoughts ? ", \"thinkingConfig\": {\"thinkingLevel\": \"High\", "
                                     "\"includeThoughts\": true}" : "");
  result = g_strdup_printf ("{\"contents\": [{\"role\": \"user\", "
                            "\"parts\": [{\"text\": \"%s\"}]}],"
                            " \"generationConfig\": %s}", prompt, config->str);
  g_string_free (config, TRUE);

  return g_steal_pointer (&result);
}

JsonObject *
root_object (Reply *reply)
{
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  return json_node_get_object (reply->json);
}

JsonArray *
reply_parts (JsonObject *root)
{
  JsonArray *candidates = json_object_get_array_member (root, "candidates");
  JsonObject *candidate = json_array_get_object_element (candidates, 0);

  return json_object_get_array_member (json_object_get_object_member (candidate, "content"),
                                       "parts");
}

void
assert_error (Reply      *reply,
              guint       code,
              const char *status,
              const char *message)
{
  JsonObject *error;

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, code);
  g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==,
                   "application/json");
  error = json_object_get_object_member (root_object (reply), "error");
  g_assert_cmpint (json_object_get_int_member (error, "code"), ==, code);
  g_assert_cmpstr (json_object_get_string_member (error, "status"), ==, status);
  if (message != NULL)
    g_assert_cmpstr (json_object_get_string_member (error, "message"), ==, message);
}

GdkPixbuf *
decode_b64 (const char *b64)
{
  gsize len;
  guchar *raw = g_base64_decode (b64, &len);
  g_autoptr(GBytes) bytes = g_bytes_new_take (raw, len);
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = peel_demo_painter_decode (bytes, &error);

  g_assert_no_error (error);
  return pixbuf;
}

/* The final image: the last inlineData part that is not a thought. */
const char *
final_image_b64 (JsonArray *parts)
{
  const char *found = NULL;

  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonObject *part = json_array_get_object_element (parts, i);

      if (json_object_has_member (part, "inlineData") &&
          !json_object_get_boolean_member_with_default (part, "thought", FALSE))
        found = json_object_get_string_member (json_object_get_object_member (part, "inlineData"),
                                               "data");
    }

  return found;
}

void
assert_final_size (Reply *reply,
                   int    width,
                   int    height)
{
  g_autoptr(GdkPixbuf) image = NULL;
  const char *b64;

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);
  b64 = final_image_b64 (reply_parts (root_object (reply)));
  g_assert_nonnull (b64);
  image = decode_b64 (b64);
  g_assert_cmpint (gdk_pixbuf_get_width (image), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (image), ==, height);
}

void
stream_free (Stream *stream)
{
  g_ptr_array_unref (stream->events);
  g_string_free (stream->raw, TRUE);
  g_free (stream);
}

/* Splits a whole SSE body, asserting the framing is exactly `data: JSON\r\n\r\n`. */
Stream *
parse_stream (GBytes *body)
{
  Stream *stream = g_new0 (Stream, 1);
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  const char *p = data, *end = data + len;

  stream->events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  stream->raw = g_string_new_len (data, len);

  while (p < end)
    {
      const char *stop = g_strstr_len (p, end - p, "\r\n\r\n");
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_nonnull (stop);
      g_assert_true (g_str_has_prefix (p, "data: {"));
      g_assert_null (memchr (p, '\n', stop - p));
      g_assert_null (memchr (p, '\r', stop - p));
      g_assert_true (json_parser_load_from_data (parser, p + 6, stop - p - 6, NULL));
      g_ptr_array_add (stream->events, json_node_ref (json_parser_get_root (parser)));
      p = stop + 4;
    }

  return stream;
}
