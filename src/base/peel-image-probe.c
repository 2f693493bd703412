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

#include "peel-data-error.h"
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

/*
 * BMP: the size is in the header, and so are the fields gdk-pixbuf's loader sizes its
 * buffers from (the header's own length, the palette, the offset of the pixels), which a
 * hostile file sets to gigabytes. All of them are checked here, before any loader runs.
 */
static ProbeResult
probe_bmp (const guint8 *data,
           gsize         len,
           guint64      *width,
           guint64      *height,
           gboolean     *complete)
{
  guint32 offset;
  guint32 header_size;
  guint32 compression = 0;
  guint32 colors = 0;
  gint64 w;
  gint64 h;
  guint bpp;

  if (len < 2 || data[0] != 'B' || data[1] != 'M')
    return PROBE_UNKNOWN;
  if (len < 14 + 12)
    return PROBE_TRUNCATED;

  offset = read_le32 (data + 10);
  header_size = read_le32 (data + 14);
  if (header_size == 12)
    {
      w = read_le16 (data + 18);
      h = read_le16 (data + 20);
      bpp = read_le16 (data + 24);
    }
  else if (header_size == 40 || header_size == 52 || header_size == 56 ||
           header_size == 64 || header_size == 108 || header_size == 124)
    {
      if (len < 14 + 40)
        return PROBE_TRUNCATED;
      w = (gint32) read_le32 (data + 18);
      h = (gint32) read_le32 (data + 22);   /* negative: rows top to bottom */
      bpp = read_le16 (data + 28);
      compression = read_le32 (data + 30);
      colors = read_le32 (data + 46);
      if (h < 0)
        h = -h;
    }
  else
    {
      return PROBE_DAMAGED;
    }

  if (w < 0 || (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32) ||
      compression > 3 || colors > 256 || offset < 14 + header_size || offset > len)
    return PROBE_DAMAGED;

  *width = (guint64) w;
  *height = (guint64) h;

  /* Uncompressed rows are padded to 4 bytes; the pixels must all be there. Run-length
   * encoded ones (1, 2) cannot be checked without decoding. */
  *complete = TRUE;
  if ((compression == 0 || compression == 3) && w <= PEEL_IMAGE_MAX_SIDE &&
      h <= PEEL_IMAGE_MAX_SIDE)
    {
      guint64 stride = ((guint64) w * bpp + 31) / 32 * 4;

      *complete = offset + stride * (guint64) h <= len;
    }

  return PROBE_OK;
}

/* HEIC and HEIF are ISO media files: boxes of a 32-bit big-endian size and a type. */
static gboolean
next_box (const guint8  *data,
          gsize          len,
          gsize         *pos,
          char           type[4],
          gsize         *body,
          guint64       *end)
{
  guint64 size;

  if (*pos + 8 > len)
    return FALSE;

  size = read_be32 (data + *pos);
  memcpy (type, data + *pos + 4, 4);
  *body = *pos + 8;
  if (size == 1)
    {
      if (*pos + 16 > len)
        return FALSE;
      size = ((guint64) read_be32 (data + *pos + 8) << 32) | read_be32 (data + *pos + 12);
      *body = *pos + 16;
    }
  else if (size == 0)
    {
      size = len - *pos;   /* to the end of the file */
    }

  if (size < *body - *pos)
    return FALSE;
  *end = size > G_MAXUINT64 - *pos ? G_MAXUINT64 : *pos + size;
  *pos = *end <= len ? (gsize) *end : len;
  return TRUE;
}

/* The largest `ispe` (image spatial extents) in meta/iprp/ipco: the whole image, whatever
 * its tiles. Only the path that leads to it is walked. */
static gboolean
find_heif_extents (const guint8 *data,
                   gsize         start,
                   gsize         stop,
                   guint         level,
                   guint64      *width,
                   guint64      *height)
{
  static const char *path[] = { "meta", "iprp", "ipco", "ispe" };
  gsize pos = start;
  gboolean found = FALSE;
  char type[4];
  gsize body;
  guint64 end;

  while (pos < stop && next_box (data, stop, &pos, type, &body, &end))
    {
      if (memcmp (type, path[level], 4) != 0)
        continue;

      if (level == 3)
        {
          /* A full box: version and flags, then width and height. */
          if (body + 12 > stop || end > stop)
            return FALSE;
          *width = MAX (*width, read_be32 (data + body + 4));
          *height = MAX (*height, read_be32 (data + body + 8));
          found = TRUE;
        }
      else
        {
          gsize inner = level == 0 ? body + 4 : body;   /* meta is a full box */

          if (end > stop)
            end = stop;
          if (inner < end &&
              find_heif_extents (data, inner, (gsize) end, level + 1, width, height))
            found = TRUE;
        }
    }

  return found;
}

static gboolean
has_heif_loader (void)
{
  g_autoptr(GSList) formats = gdk_pixbuf_get_formats ();
  gboolean found = FALSE;

  for (GSList *l = formats; l != NULL && !found; l = l->next)
    {
      g_auto(GStrv) types = gdk_pixbuf_format_get_mime_types (l->data);

      for (guint i = 0; types != NULL && types[i] != NULL && !found; i++)
        found = g_str_equal (types[i], "image/heif") || g_str_equal (types[i], "image/heic");
    }

  return found;
}

static ProbeResult
probe_heif (const guint8  *data,
            gsize          len,
            guint64       *width,
            guint64       *height,
            gboolean      *complete,
            char         **mime_type)
{
  static const char *brands[] = { "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1" };
  gsize pos = 0;
  char type[4];
  gsize body;
  guint64 end;
  guint brand = G_N_ELEMENTS (brands);

  if (len < 12 || memcmp (data + 4, "ftyp", 4) != 0)
    return PROBE_UNKNOWN;
  for (guint i = 0; i < G_N_ELEMENTS (brands) && brand == G_N_ELEMENTS (brands); i++)
    if (memcmp (data + 8, brands[i], 4) == 0)
      brand = i;
  if (brand == G_N_ELEMENTS (brands))
    return PROBE_UNKNOWN;

  /* Reading one is left to a loader, which this system may not have: then it is no image
   * Peel can read (and peel-image-input.c says why). */
  if (!has_heif_loader ())
    return PROBE_UNKNOWN;

  if (!find_heif_extents (data, 0, len, 0, width, height))
    return PROBE_DAMAGED;

  *complete = TRUE;
  while (pos < len && next_box (data, len, &pos, type, &body, &end))
    if (end > len)
      *complete = FALSE;

  *mime_type = g_strdup (g_str_has_prefix (brands[brand], "he") ? "image/heic" : "image/heif");
  return PROBE_OK;
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
 * one should decode (#PEEL_DATA_ERROR_TOO_LARGE), and checks cheaply that a
 * PNG, JPEG, WebP, GIF, BMP or HEIF is complete (#PEEL_DATA_ERROR_MALFORMED
 * otherwise). No loader runs here. Any other format (TIFF, ICO, …), and HEIF
 * when no loader reads it, gives #PEEL_DATA_ERROR_UNSUPPORTED, as does data
 * that is no image: formats whose header Peel does not read could declare any
 * size to the loader that would decode them.
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
    { "image/bmp", probe_bmp },
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
      g_set_error_literal (error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_MALFORMED,
                           _("The image is empty."));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (formats) && result == PROBE_UNKNOWN; i++)
    {
      result = formats[i].probe (data, len, &w, &h, &complete);
      if (result != PROBE_UNKNOWN)
        found_type = g_strdup (formats[i].mime_type);
    }

  if (result == PROBE_UNKNOWN)
    result = probe_heif (data, len, &w, &h, &complete, &found_type);

  switch (result)
    {
    case PROBE_UNKNOWN:
      g_set_error_literal (error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_UNSUPPORTED,
                           _("This is not an image Peel can read. Use a PNG, JPEG or WebP "
                             "image."));
      return FALSE;

    case PROBE_TRUNCATED:
      g_set_error_literal (error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_MALFORMED,
                           _("The image is incomplete: it stops inside its header. It was "
                             "probably cut short while it was sent or saved."));
      return FALSE;

    case PROBE_DAMAGED:
      g_set_error_literal (error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_MALFORMED,
                           _("The image is damaged: its header cannot be read."));
      return FALSE;

    case PROBE_OK:
    default:
      break;
    }

  if (w == 0 || h == 0)
    {
      g_set_error_literal (error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_MALFORMED,
                           _("The image is damaged: its header gives it no size."));
      return FALSE;
    }

  if (w > PEEL_IMAGE_MAX_SIDE || h > PEEL_IMAGE_MAX_SIDE || w * h > PEEL_IMAGE_MAX_PIXELS)
    {
      g_set_error (error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_TOO_LARGE,
                   /* Translators: the first two numbers are the image's width and height */
                   _("The image says it is %" PRIu64 " × %" PRIu64
                     " pixels, more than Peel opens safely (at most %d pixels a side and "
                     "200 megapixels)."),
                   w, h, PEEL_IMAGE_MAX_SIDE);
      return FALSE;
    }

  if (!complete)
    {
      g_set_error_literal (error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_MALFORMED,
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
