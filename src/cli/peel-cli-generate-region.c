/* peel-cli-generate-region.c
 *
 * `peel-cli generate`'s --region, --mask, --feather and --marks: a region edit of the parent's
 * image, and marks sent as instructions. Checked before anything is sent; a bad mask or marks
 * file is bad input (exit 2).
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <sys/stat.h>

#include "peel-cli.h"
#include "peel-cli-generate-private.h"

/* A mask of a 4K image is a few megabytes; this is far past any. */
#define MAX_MASK_BYTES ((gsize) 256 * 1024 * 1024)

static int
fail (const char *option,
      const char *message)
{
  g_printerr ("peel-cli generate: %s: %s\n", option, message);
  return PEEL_CLI_EXIT_USAGE;
}

/* Reads @path only when it is a regular file of a sane size: a FIFO would block, a device
 * would never end. */
static GBytes *
read_file (const char  *path,
           gsize        max_size,
           GError     **error)
{
  GStatBuf st;
  char *contents = NULL;
  gsize length = 0;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("“%s” cannot be read: %s"), path, g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("“%s” is not a file."), path);
      return NULL;
    }
  if ((guint64) st.st_size > max_size)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("“%s” is larger than Peel reads for this."), path);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return g_bytes_new_take (contents, length);
}

static gboolean
parse_region (const char     *text,
              PeelRegionRect *rect)
{
  g_auto(GStrv) fields = g_strsplit (text, ",", -1);
  gint64 values[4];

  if (g_strv_length (fields) != 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    if (!g_ascii_string_to_signed (g_strstrip (fields[i]), 10, 0, G_MAXINT, &values[i], NULL))
      return FALSE;
  rect->x = (int) values[0];
  rect->y = (int) values[1];
  rect->width = (int) values[2];
  rect->height = (int) values[3];
  return rect->width > 0 && rect->height > 0;
}

/**
 * _peel_cli_generate_prepare_region:
 * @gen: a run whose session and parent are open
 *
 * Returns: %PEEL_CLI_EXIT_OK, or the exit status after printing why
 */
int
_peel_cli_generate_prepare_region (Generate *gen)
{
  g_autoptr(GError) error = NULL;
  int width, height;

  if (gen->marks_path != NULL)
    {
      g_autoptr(GBytes) json = NULL;

      if (gen->session == NULL || gen->parent == NULL)
        return fail ("--marks", _("marks are drawn on an image: continue a session with "
                                  "--session."));
      json = read_file (gen->marks_path, PEEL_MARKS_MAX_BYTES, &error);
      if (json != NULL)
        gen->marks = peel_marks_from_json (g_bytes_get_data (json, NULL),
                                           (gssize) g_bytes_get_size (json), &error);
      if (gen->marks == NULL)
        return fail ("--marks", error->message);
    }

  if (gen->region_arg == NULL && gen->mask_path == NULL)
    {
      if (gen->feather >= 0)
        return fail ("--feather", _("only works with --region or --mask."));
      return PEEL_CLI_EXIT_OK;
    }
  if (gen->region_arg != NULL && gen->mask_path != NULL)
    return fail ("--region", _("give either --region or --mask, not both."));
  if (gen->session == NULL || gen->parent == NULL ||
      !peel_node_get_has_image (gen->parent))
    return fail (gen->region_arg != NULL ? "--region" : "--mask",
                 _("a region edit changes part of an image: continue a session with an image "
                   "with --session."));
  if (gen->feather > PEEL_REGION_MAX_FEATHER)
    return fail ("--feather", _("the feather is at most 256 pixels."));

  width = peel_node_get_final_width (gen->parent);
  height = peel_node_get_final_height (gen->parent);
  if (gen->region_arg != NULL)
    {
      PeelRegionRect rect;
      PeelRegionRect image = { 0, 0, width, height };

      if (!parse_region (gen->region_arg, &rect))
        return fail ("--region", _("give the region as X,Y,WIDTH,HEIGHT in pixels of the image, "
                                   "e.g. --region 100,80,400,300."));
      if (rect.x >= image.width || rect.y >= image.height)
        {
          g_autofree char *message =
            /* Translators: the image's width and height in pixels */
            g_strdup_printf (_("the region lies outside the image, which is %d × %d."),
                             width, height);

          return fail ("--region", message);
        }
      gen->region_mask = peel_region_mask_new_rect (width, height, &rect);
    }
  else
    {
      g_autoptr(GBytes) png = read_file (gen->mask_path, MAX_MASK_BYTES, &error);

      if (png != NULL)
        gen->region_mask = peel_region_mask_from_png (png, width, height, &error);
      if (gen->region_mask == NULL)
        return fail ("--mask", error->message);
    }
  return PEEL_CLI_EXIT_OK;
}
