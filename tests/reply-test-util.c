/* reply-test-util.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "reply-test-util.h"

char *
load_fixture (const char *name,
              gsize      *len)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "replies", name, NULL);
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, len, NULL));
  return contents;
}

GBytes *
make_image (const char *type,
            int         width,
            int         height,
            gboolean    noise)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint32 state = 2463534242u;
  char *buffer = NULL;
  gsize size = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width * 3; x++)
      {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        pixels[y * stride + x] = noise ? (guint8) state : (guint8) (x + y);
      }

  if (strcmp (type, "png") == 0)
    g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error,
                                              "compression", "0", NULL));
  else
    g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error, NULL));
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, size);
}

/* What a person sees: the image decodes, at its size. */
void
assert_decodes (const PeelPart *part,
                int             width,
                int             height)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  g_assert_nonnull (part);
  g_assert_cmpint (part->kind, ==, PEEL_PART_IMAGE);
  g_assert_cmpint (part->width, ==, width);
  g_assert_cmpint (part->height, ==, height);
  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, part->data, &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  g_assert_no_error (error);
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, height);
}

const PeelPart *
part_at (PeelGeminiReply *reply,
         guint            index)
{
  GPtrArray *parts = peel_gemini_reply_get_parts (reply);

  g_assert_cmpuint (index, <, parts->len);
  return g_ptr_array_index (parts, index);
}

void
assert_text_part (const PeelPart *part,
                  const char     *text,
                  gboolean        thought,
                  const char     *signature)
{
  g_assert_cmpint (part->kind, ==, PEEL_PART_TEXT);
  g_assert_cmpstr (part->text, ==, text);
  g_assert_cmpint (part->thought, ==, thought);
  g_assert_cmpstr (part->signature, ==, signature);
}

char *
image_reply_json (GBytes     *image,
                  const char *mime_type,
                  int         wrap)
{
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (image, NULL),
                                             g_bytes_get_size (image));
  GString *json = g_string_new ("{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{");
  gsize len = strlen (base64);

  g_string_append_printf (json, "\"mimeType\":\"%s\",\"data\":\"", mime_type);
  for (gsize i = 0; i < len; i++)
    {
      /* Some proxies wrap base64 and escape its slashes. */
      if (wrap > 0 && i > 0 && i % wrap == 0)
        g_string_append (json, "\\r\\n");
      if (wrap > 0 && base64[i] == '/')
        g_string_append (json, "\\/");
      else
        g_string_append_c (json, base64[i]);
    }
  g_string_append (json, "\"},\"thoughtSignature\":\"" SIG_IMAGE "\"}]},\"finishReason\":\"STOP\"}]}");

  return g_string_free (json, FALSE);
}

/* Base64 as a proxy may put it in a data URI: with or without its padding, on one line
 * (@wrap 0) or in lines of @wrap characters ended by @eol. */
char *
data_uri_payload (GBytes     *image,
                  gboolean    padded,
                  int         wrap,
                  const char *eol)
{
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (image, NULL),
                                             g_bytes_get_size (image));
  GString *out = g_string_new (NULL);
  gsize len = strlen (base64);

  if (!padded)
    while (len > 0 && base64[len - 1] == '=')
      len--;

  for (gsize i = 0; i < len; i++)
    {
      if (wrap > 0 && i > 0 && i % wrap == 0)
        g_string_append (out, eol);
      g_string_append_c (out, base64[i]);
    }

  return g_string_free (out, FALSE);
}

/* A reply (or one streamed chunk of one) made of one text part. */
char *
text_reply_json (const char *text,
                 const char *signature)
{
  GString *json = g_string_new ("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"");

  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (json, "\\\"");
          break;
        case '\\':
          g_string_append (json, "\\\\");
          break;
        case '\n':
          g_string_append (json, "\\n");
          break;
        case '\r':
          g_string_append (json, "\\r");
          break;
        default:
          g_string_append_c (json, *p);
        }
    }
  g_string_append (json, "\"");
  if (signature != NULL)
    g_string_append_printf (json, ",\"thoughtSignature\":\"%s\"", signature);
  g_string_append (json, "}]}}]}");

  return g_string_free (json, FALSE);
}

/* The reply shows exactly these parts: each text to the byte, each image to the byte. */
void
assert_shown (PeelGeminiReply *reply,
              const Shown     *shown,
              guint            n_shown)
{
  GPtrArray *parts = peel_gemini_reply_get_parts (reply);

  for (guint i = 0; i < MIN (parts->len, n_shown); i++)
    {
      const PeelPart *part = g_ptr_array_index (parts, i);

      if (shown[i].text != NULL)
        {
          g_assert_cmpint (part->kind, ==, PEEL_PART_TEXT);
          g_assert_cmpstr (part->text, ==, shown[i].text);
        }
      else
        {
          g_assert_cmpint (part->kind, ==, PEEL_PART_IMAGE);
          g_assert_cmpstr (part->mime_type, ==, "image/png");
          g_assert_cmpmem (g_bytes_get_data (part->data, NULL), g_bytes_get_size (part->data),
                           g_bytes_get_data (shown[i].image, NULL),
                           g_bytes_get_size (shown[i].image));
        }
    }
  g_assert_cmpuint (parts->len, ==, n_shown);
}

const DataUriCase data_uri_cases[] = {
  { "markdown-unpadded-blank-line", "Here: ", TRUE, FALSE, 0, NULL, "\n\nand more text" },
  { "bare-unpadded-blank-line", "Here: ", FALSE, FALSE, 0, NULL, "\n\nNext words" },
  { "bare-unpadded-line-break", "Here: ", FALSE, FALSE, 0, NULL, "\nNext words" },
  { "bare-unpadded-space", "Here: ", FALSE, FALSE, 0, NULL, " and more" },
  { "bare-unpadded-crlf-blank-line", "Here: ", FALSE, FALSE, 0, NULL, "\r\n\r\nNext words" },
  { "markdown-padded-blank-line", "Here: ", TRUE, TRUE, 0, NULL, "\n\nand more text" },
  { "bare-padded-blank-line", "Here: ", FALSE, TRUE, 0, NULL, "\n\nNext words" },
  { "bare-padded-line-break", "Here: ", FALSE, TRUE, 0, NULL, "\nNext words" },
  { "wrapped-markdown-padded", "Look:\n", TRUE, TRUE, 76, "\n", " Done." },
  { "wrapped-markdown-unpadded", "Look:\n", TRUE, FALSE, 76, "\n", "\n\nDone." },
  { "wrapped-bare-padded-line-break", "Look:\n", FALSE, TRUE, 76, "\n", "\nDone." },
  { "wrapped-bare-unpadded-blank-line", "Look:\n", FALSE, FALSE, 76, "\n", "\n\nDone." },
  { "wrapped-bare-unpadded-line-break", "Look:\n", FALSE, FALSE, 76, "\n", "\nDone." },
  { "wrapped-bare-unpadded-words-lines", "Look:\n", FALSE, FALSE, 76, "\n", "\nand more\n" },
  { "wrapped-crlf-padded-blank-line", "Look:\n", FALSE, TRUE, 76, "\r\n", "\r\n\r\nDone." },
  { "wrapped-crlf-unpadded-line-break", "Look:\n", FALSE, FALSE, 76, "\r\n", "\r\nDone." },
  { "wrapped-64-unpadded-blank-line", "Look:\n", FALSE, FALSE, 64, "\n", "\n\nNext words" },
  { "wrapped-bare-unpadded-at-end", "Look:\n", FALSE, FALSE, 76, "\n", "" },
};
const guint n_data_uri_cases = G_N_ELEMENTS (data_uri_cases);

/* The 1×1 PNG of the report: 70 bytes, so its base64 is 94 characters and "==". */
#define TINY_PNG "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

GBytes *
data_uri_case_image (const DataUriCase *c)
{
  guchar *data;
  gsize len;

  if (c->wrap > 0)
    return make_image ("png", 24, 24, TRUE);

  data = g_base64_decode (TINY_PNG, &len);
  return g_bytes_new_take (data, len);
}

/* The whole text, and where the payload ends in it. */
char *
data_uri_case_text (const DataUriCase *c,
                    GBytes            *image,
                    gsize             *payload_end)
{
  g_autofree char *payload = data_uri_payload (image, c->padded, c->wrap, c->eol);
  GString *text = g_string_new (c->before);

  g_string_append (text, c->markdown ? "![image](data:image/png;base64," : "data:image/png;base64,");
  g_string_append (text, payload);
  if (payload_end != NULL)
    *payload_end = text->len;
  if (c->markdown)
    g_string_append_c (text, ')');
  g_string_append (text, c->after);

  return g_string_free (text, FALSE);
}

/* What the reply must show: the words before, the image, the words after. */
guint
data_uri_case_shown (const DataUriCase *c,
                     GBytes            *image,
                     Shown             *shown)
{
  guint n = 0;

  shown[n++] = (Shown) { c->before, NULL };
  shown[n++] = (Shown) { NULL, image };
  if (c->after[0] != '\0')
    shown[n++] = (Shown) { c->after, NULL };

  return n;
}
