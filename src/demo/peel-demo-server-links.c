/* peel-demo-server-links.c
 *
 * The demo server's image links, for the image-url faults: some proxies answer with a
 * `fileData` part pointing at the image instead of the image, and the client fetches it. A
 * link is `/files/TOKEN.png` on the server itself, served a limited number of times for a
 * limited time, like the signed, short-lived URLs such proxies hand out; the faults make it
 * answer 404, a web page, an image bomb, 600 MiB or nothing.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-demo-server-private.h"

#define FILE_PREFIX "/files/"
#define FILE_SUFFIX ".png"

typedef struct
{
  PeelDemoFault  fault;
  GBytes        *bytes;      /* NULL for image-url-huge, which streams */
  guint          fetches_left;
  gint64         expires_at;
} PeelDemoLink;

struct _PeelDemoLinks
{
  GHashTable *by_token;      /* token → PeelDemoLink */
  GBytes     *last_served;
};

static void
file_free (gpointer data)
{
  PeelDemoLink *file = data;

  g_clear_pointer (&file->bytes, g_bytes_unref);
  g_free (file);
}

PeelDemoLinks *
peel_demo_links_new (void)
{
  PeelDemoLinks *links = g_new0 (PeelDemoLinks, 1);

  links->by_token = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, file_free);
  return links;
}

void
peel_demo_links_free (PeelDemoLinks *links)
{
  g_hash_table_unref (links->by_token);
  g_clear_pointer (&links->last_served, g_bytes_unref);
  g_free (links);
}

char *
peel_demo_link_token_new (void)
{
  GString *token = g_string_sized_new (32);

  for (guint i = 0; i < 16; i++)
    g_string_append_printf (token, "%02x", g_random_int_range (0, 256));

  return g_string_free (token, FALSE);
}

static guint32
crc32 (const guint8 *data,
       gsize         len)
{
  guint32 crc = 0xffffffff;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (guint bit = 0; bit < 8; bit++)
        crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
    }

  return ~crc;
}

static void
write_be32 (guint8  *p,
            guint32  value)
{
  p[0] = value >> 24;
  p[1] = value >> 16;
  p[2] = value >> 8;
  p[3] = value;
}

/* The painted PNG with a header that claims 10 gigapixels, its checksum made right: a decoder
 * that believes it asks for 40 GB. */
static GBytes *
bomb (GBytes *png)
{
  gsize len;
  guint8 *data = g_bytes_unref_to_data (g_bytes_ref (png), &len);

  g_assert (len > 33 && memcmp (data + 12, "IHDR", 4) == 0);
  write_be32 (data + 16, PEEL_DEMO_SERVER_BOMB_SIDE);
  write_be32 (data + 20, PEEL_DEMO_SERVER_BOMB_SIDE);
  write_be32 (data + 29, crc32 (data + 12, 4 + 13));

  return g_bytes_new_take (data, len);
}

/**
 * peel_demo_link_body:
 * @png: the image the model made
 *
 * Runs in the worker.
 *
 * Returns: (transfer full) (nullable): what an image-url @fault's link serves
 */
GBytes *
peel_demo_link_body (PeelDemoFault  fault,
                     GBytes        *png)
{
  /* What a file host's sign-in page or a captive portal sends, with a wrong type. */
  static const char page[] =
    "<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n"
    "<body><p>Sign in to see this file.</p></body></html>\n";

  switch (fault)
    {
    case PEEL_DEMO_FAULT_IMAGE_URL:
    case PEEL_DEMO_FAULT_IMAGE_URL_STALL:
      return g_bytes_ref (png);
    case PEEL_DEMO_FAULT_IMAGE_URL_NOT_IMAGE:
      return g_bytes_new_static (page, strlen (page));
    case PEEL_DEMO_FAULT_IMAGE_URL_BOMB:
      return bomb (png);
    case PEEL_DEMO_FAULT_IMAGE_URL_HUGE:
    case PEEL_DEMO_FAULT_IMAGE_URL_MISSING:
    case PEEL_DEMO_FAULT_NONE:
    case PEEL_DEMO_FAULT_RATE_LIMIT:
    case PEEL_DEMO_FAULT_SERVER_ERROR:
    case PEEL_DEMO_FAULT_UNAVAILABLE:
    case PEEL_DEMO_FAULT_RESET:
    case PEEL_DEMO_FAULT_TRUNCATED_STREAM:
    case PEEL_DEMO_FAULT_STALL:
    case PEEL_DEMO_FAULT_MALFORMED_JSON:
    case PEEL_DEMO_FAULT_BLOCKED_PROMPT:
    case PEEL_DEMO_FAULT_IMAGE_SAFETY:
    case PEEL_DEMO_FAULT_DATA_URI:
    case PEEL_DEMO_FAULT_HUGE_BODY:
    case PEEL_DEMO_FAULT_TRICKLE:
    case PEEL_DEMO_FAULT_KEEP_ALIVE:
    case PEEL_DEMO_N_FAULTS:
    default:
      return NULL;
    }
}

static gboolean
expired_cb (gpointer key,
            gpointer value,
            gpointer user_data)
{
  PeelDemoLink *file = value;

  return file->expires_at <= *(gint64 *) user_data;
}

static void
prune (PeelDemoLinks *links)
{
  gint64 now = g_get_monotonic_time ();

  g_hash_table_foreach_remove (links->by_token, expired_cb, &now);
}

/**
 * peel_demo_links_add:
 * @bytes: (nullable): what the link serves
 *
 * Makes /files/@token.png answer with @fault's file, from now on, for a while.
 */
void
peel_demo_links_add (PeelDemoLinks *links,
                     const char    *token,
                     PeelDemoFault  fault,
                     GBytes        *bytes)
{
  PeelDemoLink *file = g_new0 (PeelDemoLink, 1);

  prune (links);
  file->fault = fault;
  file->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  file->fetches_left = PEEL_DEMO_SERVER_FILE_FETCHES;
  file->expires_at = g_get_monotonic_time () + PEEL_DEMO_SERVER_FILE_SECONDS * G_USEC_PER_SEC;
  g_hash_table_replace (links->by_token, g_strdup (token), file);
}

static void
answer_text (SoupServerMessage *msg,
             guint              status,
             const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=UTF-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

/* Headers and the first half of the image, then nothing: the job waits for the client to give
 * up, or for stop(), which closes the connection. */
static void
send_stall (PeelDemoServer    *server,
            SoupServerMessage *msg,
            GBytes            *bytes)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autoptr(GBytes) half = g_bytes_new_from_bytes (bytes, 0, g_bytes_get_size (bytes) / 2);

  peel_demo_job_new (server, msg);
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_replace (headers, "Content-Type", "image/png");
  soup_message_headers_set_content_length (headers, g_bytes_get_size (bytes));
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_append_bytes (body, half);
  soup_server_message_unpause (msg);
}

/**
 * peel_demo_links_serve:
 * @path: the request's path, /files/TOKEN.png
 *
 * Answers a request for an image link: the file, once and while it lasts, else 404.
 */
void
peel_demo_links_serve (PeelDemoLinks     *links,
                       PeelDemoServer    *server,
                       SoupServerMessage *msg,
                       const char        *path)
{
  /* The start of a PNG that says it is 4096×4096; the 600 MiB after it are filler. */
  static const guint8 huge_png[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
    0, 0, 0x10, 0, 0, 0, 0x10, 0, 8, 6, 0, 0, 0,
  };
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *token = NULL;
  PeelDemoLink *file;
  PeelDemoFault fault;
  g_autoptr(GBytes) bytes = NULL;

  if (strcmp (method, "GET") != 0)
    {
      soup_message_headers_replace (headers, "Allow", "GET");
      answer_text (msg, 405, "Only GET fetches a file.\n");
      return;
    }

  prune (links);
  if (g_str_has_prefix (path, FILE_PREFIX) && g_str_has_suffix (path, FILE_SUFFIX))
    token = g_strndup (path + strlen (FILE_PREFIX),
                       strlen (path) - strlen (FILE_PREFIX) - strlen (FILE_SUFFIX));
  file = token != NULL ? g_hash_table_lookup (links->by_token, token) : NULL;
  if (file == NULL)
    {
      answer_text (msg, 404, "This link has expired, or never existed.\n");
      return;
    }

  fault = file->fault;
  bytes = file->bytes != NULL ? g_bytes_ref (file->bytes) : NULL;
  if (--file->fetches_left == 0)
    g_hash_table_remove (links->by_token, token);

  g_clear_pointer (&links->last_served, g_bytes_unref);
  links->last_served = bytes != NULL ? g_bytes_ref (bytes) : NULL;

  soup_message_headers_replace (headers, "Cache-Control", "private, no-store");
  if (fault == PEEL_DEMO_FAULT_IMAGE_URL_HUGE)
    {
      peel_demo_job_send_huge (peel_demo_job_new (server, msg), "image/png", huge_png,
                               sizeof huge_png, "");
      return;
    }

  if (fault == PEEL_DEMO_FAULT_IMAGE_URL_STALL)
    {
      send_stall (server, msg, bytes);
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  soup_message_headers_set_content_length (headers, g_bytes_get_size (bytes));
}

/**
 * peel_demo_links_dup_last_served:
 *
 * Returns: (transfer full) (nullable): the body of the last link served (for a stalled one,
 *   the whole of what it began to send)
 */
GBytes *
peel_demo_links_dup_last_served (PeelDemoLinks *links)
{
  return links->last_served != NULL ? g_bytes_ref (links->last_served) : NULL;
}
