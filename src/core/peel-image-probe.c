/* peel-image-probe.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>

#include "peel-gemini-error.h"
#include "peel-image-probe.h"

/* How far from the end the end-of-image marker may sit: some writers pad files or append
 * trailers after it, but a cut-short download never has the marker at all. */
#define TAIL_WINDOW 4096

typedef enum
{
  PROBE_UNKNOWN,     /* not this format: try the next one */
  PROBE_OK,
  PROBE_DAMAGED,     /* this format, but the header cannot be read */
  PROBE_TRUNCATED,   /* this format, but the data stops before the header ends */
} ProbeResult;

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint
read_be16 (const guint8 *p)
{
  return ((guint) p[0] << 8) | p[1];
}

static guint
read_le16 (const guint8 *p)
{
  return p[0] | ((guint) p[1] << 8);
}

static guint32
read_le24 (const guint8 *p)
{
  return p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16);
}

static guint32
read_le32 (const guint8 *p)
{
  return read_le24 (p) | ((guint32) p[3] << 24);
}

static ProbeResult
probe_png (const guint8 *data,
           gsize         len,
           guint64      *width,
           guint64      *height,
           gboolean     *complete)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guint8 iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };
  gsize tail_start;

  if (len < sizeof signature || memcmp (data, signature, sizeof signature) != 0)
    return PROBE_UNKNOWN;
  if (len < 8 + 8 + 13)
    return PROBE_TRUNCATED;
  if (read_be32 (data + 8) != 13 || memcmp (data + 12, "IHDR", 4) != 0)
    return PROBE_DAMAGED;

  *width = read_be32 (data + 16);
  *height = read_be32 (data + 20);

  *complete = FALSE;
  tail_start = len > TAIL_WINDOW ? len - TAIL_WINDOW : 33;
  for (gsize i = len - sizeof iend + 1; i-- > tail_start;)
    {
      if (memcmp (data + i, iend, sizeof iend) == 0)
        {
          *complete = TRUE;
          break;
        }
    }

  return PROBE_OK;
}

static gboolean
is_jpeg_sof (guint8 marker)
{
  return marker >= 0xc0 && marker <= 0xcf &&
         marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
}

static ProbeResult
probe_jpeg (const guint8 *data,
            gsize         len,
            guint64      *width,
            guint64      *height,
            gboolean     *complete)
{
  gsize pos = 2;
  gsize tail_start;

  if (len < 3 || data[0] != 0xff || data[1] != 0xd8 || data[2] != 0xff)
    return PROBE_UNKNOWN;

  for (;;)
    {
      guint8 marker;
      guint seglen;

      if (pos >= len)
        return PROBE_TRUNCATED;
      if (data[pos] != 0xff)
        return PROBE_DAMAGED;
      while (pos < len && data[pos] == 0xff)
        pos++;
      if (pos >= len)
        return PROBE_TRUNCATED;
      marker = data[pos++];

      if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        continue;
      if (marker == 0xd9 || marker == 0xda || marker == 0x00)
        return PROBE_DAMAGED;   /* the image data or its end, before any frame header */

      if (pos + 2 > len)
        return PROBE_TRUNCATED;
      seglen = read_be16 (data + pos);
      if (seglen < 2)
        return PROBE_DAMAGED;

      if (is_jpeg_sof (marker))
        {
          if (seglen < 7)
            return PROBE_DAMAGED;
          if (pos + 7 > len)
            return PROBE_TRUNCATED;
          *height = read_be16 (data + pos + 3);
          *width = read_be16 (data + pos + 5);
          pos += seglen;
          break;
        }

      pos += seglen;
    }

  /* Entropy-coded data stuffs every 0xFF with a 0x00, so FF D9 after the frame header can
   * only be the end-of-image marker. */
  *complete = FALSE;
  tail_start = MAX (pos, len > TAIL_WINDOW ? len - TAIL_WINDOW : 0);
  for (gsize i = len - 1; i > tail_start; i--)
    {
      if (data[i] == 0xd9 && data[i - 1] == 0xff)
        {
          *complete = TRUE;
          break;
        }
    }

  return PROBE_OK;
}

static ProbeResult
probe_webp (const guint8 *data,
            gsize         len,
            guint64      *width,
            guint64      *height,
            gboolean     *complete)
{
  const guint8 *chunk;
  guint64 riff_end;

  if (len < 12 || memcmp (data, "RIFF", 4) != 0 || memcmp (data + 8, "WEBP", 4) != 0)
    return PROBE_UNKNOWN;
  if (len < 30)
    return PROBE_TRUNCATED;

  chunk = data + 20;
  if (memcmp (data + 12, "VP8 ", 4) == 0)
    {
      if (chunk[3] != 0x9d || chunk[4] != 0x01 || chunk[5] != 0x2a)
        return PROBE_DAMAGED;
      *width = read_le16 (chunk + 6) & 0x3fff;
      *height = read_le16 (chunk + 8) & 0x3fff;
    }
  else if (memcmp (data + 12, "VP8L", 4) == 0)
    {
      guint32 bits;

      if (chunk[0] != 0x2f)
        return PROBE_DAMAGED;
      bits = read_le32 (chunk + 1);
      *width = (bits & 0x3fff) + 1;
      *height = ((bits >> 14) & 0x3fff) + 1;
    }
  else if (memcmp (data + 12, "VP8X", 4) == 0)
    {
      *width = (guint64) read_le24 (chunk + 4) + 1;
      *height = (guint64) read_le24 (chunk + 7) + 1;
    }
  else
    {
      return PROBE_DAMAGED;
    }

  riff_end = (guint64) read_le32 (data + 4) + 8;
  *complete = riff_end <= len;

  return PROBE_OK;
}

static ProbeResult
probe_gif (const guint8 *data,
           gsize         len,
           guint64      *width,
           guint64      *height,
           gboolean     *complete)
{
  if (len < 6 || (memcmp (data, "GIF87a", 6) != 0 && memcmp (data, "GIF89a", 6) != 0))
    return PROBE_UNKNOWN;
  if (len < 10)
    return PROBE_TRUNCATED;

  *width = read_le16 (data + 6);
  *height = read_le16 (data + 8);
  *complete = data[len - 1] == 0x3b;

  return PROBE_OK;
}

typedef struct
{
  int width;
  int height;
} LoaderSize;

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  LoaderSize *size = user_data;

  size->width = width;
  size->height = height;

  /* A loader that only reads at close decodes right after this: keep that small. */
  gdk_pixbuf_loader_set_size (loader, 1, 1);
}

/* For the formats not parsed here (BMP, TIFF, HEIF, …): let the loader read until it knows
 * the size, then stop feeding it. Completeness is not checked for these. */
static gboolean
probe_with_loader (const guint8  *data,
                   gsize          len,
                   guint64       *width,
                   guint64       *height,
                   char         **mime_type)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  LoaderSize size = { 0, 0 };
  GdkPixbufFormat *format;
  gsize pos = 0;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &size);

  while (pos < len && size.width <= 0)
    {
      gsize n = MIN (len - pos, 64 * 1024);

      if (!gdk_pixbuf_loader_write (loader, data + pos, n, NULL))
        break;
      pos += n;
    }
  gdk_pixbuf_loader_close (loader, NULL);

  if (size.width <= 0 || size.height <= 0)
    return FALSE;

  *width = size.width;
  *height = size.height;

  format = gdk_pixbuf_loader_get_format (loader);
  if (format != NULL)
    {
      g_auto(GStrv) types = gdk_pixbuf_format_get_mime_types (format);

      if (types != NULL && types[0] != NULL)
        *mime_type = g_strdup (types[0]);
    }
  if (*mime_type == NULL)
    *mime_type = g_strdup ("application/octet-stream");

  return TRUE;
}

/**
 * peel_image_probe:
 * @bytes: an encoded image
 * @width: (out) (optional): its width in pixels
 * @height: (out) (optional): its height in pixels
 * @mime_type: (out) (optional) (transfer full): its MIME type, from its content
 * @error: return location for an error
 *
 * Reads an image's size from its header without decoding it, refuses sizes no
 * one should decode (#PEEL_GEMINI_ERROR_TOO_LARGE), and checks cheaply that a
 * PNG, JPEG, WebP or GIF is complete (#PEEL_GEMINI_ERROR_MALFORMED otherwise).
 * Data that is no image gives #PEEL_GEMINI_ERROR_BAD_INPUT.
 *
 * Returns: whether the image can be decoded safely
 */
gboolean
peel_image_probe (GBytes  *bytes,
                  int     *width,
                  int     *height,
                  char   **mime_type,
                  GError **error)
{
  static const struct {
    const char *mime_type;
    ProbeResult (*probe) (const guint8 *, gsize, guint64 *, guint64 *, gboolean *);
  } formats[] = {
    { "image/png", probe_png },
    { "image/jpeg", probe_jpeg },
    { "image/webp", probe_webp },
    { "image/gif", probe_gif },
  };
  g_autofree char *found_type = NULL;
  const guint8 *data;
  gsize len;
  guint64 w = 0;
  guint64 h = 0;
  gboolean complete = TRUE;
  ProbeResult result = PROBE_UNKNOWN;

  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    {
      g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                           _("The image is empty."));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (formats) && result == PROBE_UNKNOWN; i++)
    {
      result = formats[i].probe (data, len, &w, &h, &complete);
      if (result != PROBE_UNKNOWN)
        found_type = g_strdup (formats[i].mime_type);
    }

  switch (result)
    {
    case PROBE_UNKNOWN:
      if (!probe_with_loader (data, len, &w, &h, &found_type))
        {
          g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
                               _("This is not an image Peel can read. Use a PNG, JPEG or WebP "
                                 "image."));
          return FALSE;
        }
      break;

    case PROBE_TRUNCATED:
      g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                           _("The image is incomplete: it stops inside its header. It was "
                             "probably cut short while it was sent or saved."));
      return FALSE;

    case PROBE_DAMAGED:
      g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                           _("The image is damaged: its header cannot be read."));
      return FALSE;

    case PROBE_OK:
    default:
      break;
    }

  if (w == 0 || h == 0)
    {
      g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                           _("The image is damaged: its header gives it no size."));
      return FALSE;
    }

  if (w > PEEL_IMAGE_MAX_SIDE || h > PEEL_IMAGE_MAX_SIDE || w * h > PEEL_IMAGE_MAX_PIXELS)
    {
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE,
                   /* Translators: the first two numbers are the image's width and height */
                   _("The image says it is %" PRIu64 " × %" PRIu64
                     " pixels, more than Peel opens safely (at most %d pixels a side and "
                     "200 megapixels)."),
                   w, h, PEEL_IMAGE_MAX_SIDE);
      return FALSE;
    }

  if (!complete)
    {
      g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                           _("The image is incomplete: its end is missing. It was probably "
                             "cut short while it was sent or saved."));
      return FALSE;
    }

  if (width != NULL)
    *width = (int) w;
  if (height != NULL)
    *height = (int) h;
  if (mime_type != NULL)
    *mime_type = g_steal_pointer (&found_type);

  return TRUE;
}
