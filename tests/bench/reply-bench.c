/* reply-bench.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>

#include "peel-gemini-reply.h"
#include "peel-sse-parser.h"

/*
 * How long reading one 4K-sized reply takes: a ~16 MB generateContent body holding a
 * ~12 MB PNG, parsed whole and streamed as one SSE event, beside what json-glib and
 * g_base64_decode() alone cost on the same data. Not a test: run it by hand.
 *
 *   reply-bench [side-in-pixels] [rounds]
 */

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return values[n / 2];
}

static GBytes *
make_png (int side)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, side, side);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint32 state = 88172645u;
  char *buffer = NULL;
  gsize size = 0;

  /* Noise, stored without compression: a PNG as large as a 4K one. */
  for (int y = 0; y < side; y++)
    for (int x = 0; x < side * 3; x++)
      {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        pixels[y * stride + x] = state;
      }

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", NULL, "compression", "0", NULL))
    g_error ("Could not make the PNG");

  return g_bytes_new_take (buffer, size);
}

static gboolean
event_cb (const char  *data,
          gsize        len,
          gpointer     user_data,
          GError     **error)
{
  return peel_gemini_reply_add_chunk (user_data, data, len, error);
}

int
main (int   argc,
      char *argv[])
{
  int side = argc > 1 ? atoi (argv[1]) : 2000;
  guint rounds = argc > 2 ? (guint) atoi (argv[2]) : 9;
  g_autoptr(GBytes) png = make_png (side);
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  g_autofree char *json = NULL;
  g_autofree char *stream = NULL;
  g_autofree double *parse = g_new (double, rounds);
  g_autofree double *sse = g_new (double, rounds);
  g_autofree double *glib_json = g_new (double, rounds);
  g_autofree double *glib_base64 = g_new (double, rounds);
  gsize json_len;
  gsize stream_len;

  json = g_strdup_printf ("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":["
                          "{\"text\":\"Here it is.\",\"thoughtSignature\":\"EqYCCqMCAdHtim9x\"},"
                          "{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"%s\"},"
                          "\"thoughtSignature\":\"Ct4BAdHtim8KkZ\"}]},\"finishReason\":\"STOP\","
                          "\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":18,"
                          "\"candidatesTokenCount\":2000,\"totalTokenCount\":2018},"
                          "\"modelVersion\":\"gemini-3.1-flash-image-preview\"}", base64);
  json_len = strlen (json);
  stream = g_strdup_printf ("data: %s\r\n\r\n", json);
  stream_len = strlen (stream);

  for (guint r = 0; r < rounds; r++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PeelGeminiReply) reply = NULL;
      g_autoptr(PeelGeminiReply) streamed = peel_gemini_reply_new ();
      g_autoptr(PeelSseParser) parser = peel_sse_parser_new (0, event_cb, streamed);
      g_autoptr(JsonParser) json_parser = json_parser_new_immutable ();
      g_autofree guchar *decoded = NULL;
      gsize decoded_len;
      gint64 t;

      t = g_get_monotonic_time ();
      reply = peel_gemini_reply_parse (json, json_len, &error);
      if (reply == NULL || !peel_gemini_reply_check (reply, &error))
        g_error ("%s", error->message);
      parse[r] = (g_get_monotonic_time () - t) / 1000.0;

      t = g_get_monotonic_time ();
      for (gsize pos = 0; pos < stream_len; pos += 16 * 1024)
        if (!peel_sse_parser_feed (parser, stream + pos, MIN (16 * 1024, stream_len - pos),
                                   &error))
          g_error ("%s", error->message);
      if (!peel_sse_parser_finish (parser, &error) || !peel_gemini_reply_check (streamed, &error))
        g_error ("%s", error->message);
      sse[r] = (g_get_monotonic_time () - t) / 1000.0;

      t = g_get_monotonic_time ();
      if (!json_parser_load_from_data (json_parser, json, json_len, &error))
        g_error ("%s", error->message);
      glib_json[r] = (g_get_monotonic_time () - t) / 1000.0;

      t = g_get_monotonic_time ();
      decoded = g_base64_decode (base64, &decoded_len);
      glib_base64[r] = (g_get_monotonic_time () - t) / 1000.0;

      if (!g_bytes_equal (peel_gemini_reply_get_final_image (reply)->data, png) ||
          !g_bytes_equal (peel_gemini_reply_get_final_image (streamed)->data, png))
        g_error ("The decoded image differs from the one sent");
    }

  printf ("reply: %.1f MB JSON, %.1f MB PNG (%d×%d), median of %u rounds\n",
          json_len / 1e6, g_bytes_get_size (png) / 1e6, side, side, rounds);
  printf ("  peel_gemini_reply_parse + check      %7.1f ms\n", median (parse, rounds));
  printf ("  same as one SSE event, 16 KiB feeds  %7.1f ms\n", median (sse, rounds));
  printf ("  json-glib parse alone                %7.1f ms\n", median (glib_json, rounds));
  printf ("  g_base64_decode alone                %7.1f ms\n", median (glib_base64, rounds));

  return 0;
}
