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
