/* peel-image-input.c
 *
 * Turning an image a user dropped, pasted or chose into a part that can be sent: checked from
 * its header before anything large is allocated, decoded once to prove it is whole, turned
 * upright, and re-encoded only when the service would not take it as it is.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>

#include "peel-data-error.h"
#include "peel-gemini-error.h"
#include "peel-image-input.h"
#include "peel-image-probe.h"

#define JPEG_QUALITY "92"

static const char *
name_or_default (const char *display_name)
{
  return display_name != NULL ? display_name : _("The image");
}

static void
set_not_an_image (GError     **error,
                  const char  *name)
{
  /* Translators: %s is a file name */
  g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
               _("“%s” is not an image Peel can read. Use PNG, JPEG, WebP or GIF."),
               name);
}

static void
set_damaged (GError     **error,
             const char  *name)
{
  /* Translators: %s is a file name */
  g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
               _("“%s” is damaged or incomplete. Save it again, or pick another image."),
               name);
}

static gboolean
check_file_size (guint64      size,
                 const char  *name,
                 GError     **error)
{
  if (size == 0)
    {
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
                   _("“%s” is empty. Pick another image."), name);
      return FALSE;
    }

  if (size > PEEL_IMAGE_INPUT_MAX_FILE_BYTES)
    {
      g_autofree char *formatted = g_format_size (size);

      /* Translators: the first %s is a file name, the second a size such as 62.1 MB */
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
                   _("“%s” is %s, more than the 50 MB Peel takes for one image. Export a "
                     "smaller version of it."),
                   name, formatted);
      return FALSE;
    }

  return TRUE;
}

/* HEIC and HEIF are ISO media files: a "ftyp" box whose brand says what they hold. */
static gboolean
looks_like_heif (GBytes *bytes)
{
  static const char *brands[] = { "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1" };
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (len < 12 || memcmp (data + 4, "ftyp", 4) != 0)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (brands); i++)
    if (memcmp (data + 8, brands[i], 4) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
probe (GBytes      *bytes,
       const char  *name,
       int         *width,
       int         *height,
       char       **mime_type,
       GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!peel_image_probe (bytes, width, height, mime_type, &local_error))
    {
      if (g_error_matches (local_error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_TOO_LARGE))
        {
          /* Translators: the first %s is a file name, the second says why it is refused */
          g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
                       _("“%s” cannot be opened. %s"), name, local_error->message);
        }
      else if (looks_like_heif (bytes))
        {
          g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
                       _("“%s” is a HEIC image, and this system has no HEIC reader. Install "
                         "HEIF support for GdkPixbuf, or convert the image to JPEG."),
                       name);
        }
      else if (g_error_matches (local_error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_UNSUPPORTED))
        {
          set_not_an_image (error, name);
        }
      else
        {
          set_damaged (error, name);
        }
      return FALSE;
    }

  /* Peel's own limits are stricter than the probe's in megapixels: a 100-megapixel image is
   * 400 MB decoded, and nothing the service takes needs more. */
  if (*width > PEEL_IMAGE_INPUT_MAX_SIDE || *height > PEEL_IMAGE_INPUT_MAX_SIDE ||
      (guint64) *width * (guint64) *height > PEEL_IMAGE_INPUT_MAX_PIXELS)
    {
      /* Translators: %s is a file name, the numbers its width and height in pixels */
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
                   _("“%s” is %d × %d pixels, more than Peel opens (100 megapixels and 20000 "
                     "pixels a side). Export a smaller version of it."),
                   name, *width, *height);
      return FALSE;
    }

  return TRUE;
}

static GdkPixbuf *
decode (GBytes      *bytes,
        const char  *name,
        GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  gsize len;
  const guchar *data = g_bytes_get_data (bytes, &len);
  GdkPixbuf *pixbuf;

  if (!gdk_pixbuf_loader_write (loader, data, len, NULL))
    {
      gdk_pixbuf_loader_close (loader, NULL);
      set_damaged (error, name);
      return NULL;
    }

  if (!gdk_pixbuf_loader_close (loader, NULL) ||
      (pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
    {
      set_damaged (error, name);
      return NULL;
    }

  return g_object_ref (pixbuf);
}

static gboolean
needs_rotation (GdkPixbuf *pixbuf)
{
  const char *orientation = gdk_pixbuf_get_option (pixbuf, "orientation");

  return orientation != NULL && strcmp (orientation, "1") != 0;
}

static PeelPart *
reencode (GdkPixbuf   *pixbuf,
          const char  *name,
          GError     **error)
{
  g_autoptr(GdkPixbuf) upright = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *buffer = NULL;
  g_autoptr(GBytes) encoded = NULL;
  GdkPixbuf *final;
  gboolean has_alpha;
  gsize len = 0;
  int width = gdk_pixbuf_get_width (upright);
  int height = gdk_pixbuf_get_height (upright);
  int long_side = MAX (width, height);
  PeelPart *part;

  if (long_side > PEEL_IMAGE_INPUT_MAX_SENT_SIDE)
    {
      double scale = (double) PEEL_IMAGE_INPUT_MAX_SENT_SIDE / long_side;
      int new_width = MAX (1, (int) (width * scale + 0.5));
      int new_height = MAX (1, (int) (height * scale + 0.5));

      if (width == long_side)
        new_width = PEEL_IMAGE_INPUT_MAX_SENT_SIDE;
      else
        new_height = PEEL_IMAGE_INPUT_MAX_SENT_SIDE;

      scaled = gdk_pixbuf_scale_simple (upright, new_width, new_height, GDK_INTERP_BILINEAR);
      if (scaled == NULL)
        {
          g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
                       _("There is not enough memory to scale down “%s”."), name);
          return NULL;
        }
    }

  final = scaled != NULL ? scaled : upright;
  has_alpha = gdk_pixbuf_get_has_alpha (final);

  /* Alpha needs PNG; anything else is a photograph or close to one, and JPEG at this
   * quality is a fifth of the bytes with no difference the model can see. */
  if (has_alpha)
    gdk_pixbuf_save_to_buffer (final, &buffer, &len, "png", &local_error, NULL);
  else
    gdk_pixbuf_save_to_buffer (final, &buffer, &len, "jpeg", &local_error,
                               "quality", JPEG_QUALITY, NULL);

  if (local_error != NULL)
    {
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
                   _("“%s” could not be converted for sending: %s"), name, local_error->message);
      return NULL;
    }

  encoded = g_bytes_new_take (g_steal_pointer (&buffer), len);
  part = peel_part_new_image (has_alpha ? "image/png" : "image/jpeg", encoded, FALSE);
  part->width = gdk_pixbuf_get_width (final);
  part->height = gdk_pixbuf_get_height (final);
  return part;
}

/**
 * peel_image_input_prepare:
 * @bytes: the file's contents
 * @display_name: (nullable): the file's name as the user knows it, for messages
 * @error: return location for a %PEEL_GEMINI_ERROR_BAD_INPUT error
 *
 * Checks an image a user gave and makes it ready to send. An upright PNG or JPEG of at most
 * 7 MB and 4096 pixels on its long side is kept byte for byte; anything else (WebP, HEIC,
 * GIF, a photo with an EXIF rotation, one too big) is decoded, turned upright, scaled down
 * to 4096 pixels on its long side, and encoded as PNG when it has alpha, else as JPEG.
 * This decodes the image: call it from a worker thread.
 *
 * Returns: (transfer full): an image part with its width and height set, or %NULL
 */
PeelPart *
peel_image_input_prepare (GBytes      *bytes,
                          const char  *display_name,
                          GError     **error)
{
  const char *name = name_or_default (display_name);
  g_autofree char *mime_type = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  gsize len;
  int width = 0;
  int height = 0;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = g_bytes_get_size (bytes);
  if (!check_file_size (len, name, error))
    return NULL;

  if (!probe (bytes, name, &width, &height, &mime_type, error))
    return NULL;

  pixbuf = decode (bytes, name, error);
  if (pixbuf == NULL)
    return NULL;

  if ((g_strcmp0 (mime_type, "image/png") == 0 || g_strcmp0 (mime_type, "image/jpeg") == 0) &&
      !needs_rotation (pixbuf) &&
      len <= PEEL_IMAGE_INPUT_MAX_SENT_BYTES &&
      MAX (width, height) <= PEEL_IMAGE_INPUT_MAX_SENT_SIDE)
    {
      PeelPart *part = peel_part_new_image (mime_type, bytes, FALSE);

      part->width = width;
      part->height = height;
      return part;
    }

  return reencode (pixbuf, name, error);
}

typedef struct
{
  GFile  *file;
  char   *name;
  GBytes *original;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_object_unref (data->file);
  g_free (data->name);
  g_clear_pointer (&data->original, g_bytes_unref);
  g_free (data);
}

static void
load_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  LoadData *data = task_data;
  GFile *file = data->file;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *name;
  gsize len = 0;
  PeelPart *part;

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  name = g_file_info_get_display_name (info);
  data->name = g_strdup (name);

  /* Before reading: a 2 GB file must not be read into memory only to be refused. */
  if (!check_file_size (g_file_info_get_size (info), name, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!g_file_load_contents (file, cancellable, &contents, &len, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  data->original = g_bytes_ref (bytes);
  part = peel_image_input_prepare (bytes, name, &error);
  if (part == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, part, (GDestroyNotify) peel_part_free);
}

/**
 * peel_image_input_load_file_async:
 * @file: an image file the user chose, dropped or pasted
 *
 * Reads @file and prepares it with peel_image_input_prepare() in a worker thread. A file
 * over 50 MB is refused before it is read.
 */
void
peel_image_input_load_file_async (GFile               *file,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (LoadData, 1);
  data->file = g_object_ref (file);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, peel_image_input_load_file_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_file_thread);
}

/**
 * peel_image_input_load_file_finish:
 *
 * Returns: (transfer full): the prepared image part, or %NULL with an error
 */
PeelPart *
peel_image_input_load_file_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, peel_image_input_load_file_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * peel_image_input_load_file_finish_full:
 * @display_name: (out) (optional) (transfer full): the file's name as the user knows it
 * @original: (out) (optional) (transfer full): the file's bytes as read, before they were
 *   prepared (a Peel PNG's text chunks are only there)
 *
 * As peel_image_input_load_file_finish(), with the name and the bytes read; both are set, when
 * the file could be read, even if the image was refused.
 *
 * Returns: (transfer full): the prepared image part, or %NULL with an error
 */
PeelPart *
peel_image_input_load_file_finish_full (GAsyncResult  *result,
                                        char         **display_name,
                                        GBytes       **original,
                                        GError       **error)
{
  LoadData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, peel_image_input_load_file_async),
                        NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (display_name != NULL)
    *display_name = g_strdup (data->name);
  if (original != NULL)
    *original = data->original ? g_bytes_ref (data->original) : NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}
