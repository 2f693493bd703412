/* peel-export.c
 *
 * A node out as a PNG at full quality, carrying its lineage: a PNG answer is written as
 * received with text chunks added; a JPEG or WebP answer is decoded once and written as PNG
 * from its pixels. The chunks can be read back and turned into a branch again.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "peel-export-private.h"
#include "peel-image-probe.h"
#include "peel-json-reader.h"
#include "peel-png-meta.h"
#include "peel-util.h"

#define SHEET_CELL 256
#define SHEET_TEXT 52
#define SHEET_GAP 16
#define SHEET_COLUMNS 4

/* The model a turn's image is recorded as made by: the demo, for a picture the offline demo
 * drew (it says so in a text chunk), else the model the turn named. */
static const char *
recorded_model (PeelNode *node)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GHashTable) texts = NULL;
  const char *source;

  if (peel_node_get_has_image (node) &&
      (bytes = peel_node_dup_final_image_bytes (node, NULL)) != NULL &&
      peel_png_check (bytes, NULL) &&
      (texts = peel_png_read_text (bytes, NULL)) != NULL &&
      (source = g_hash_table_lookup (texts, PEEL_DEMO_SOURCE_KEYWORD)) != NULL &&
      g_str_has_prefix (source, PEEL_DEMO_SOURCE_TEXT))
    return PEEL_DEMO_MODEL_NAME;
  return peel_node_get_model (node);
}

/**
 * peel_export_lineage_json:
 * @node: a node
 *
 * Returns: (transfer full): a JSON array of the turns from the root to @node, each
 *   `{"id", "prompt", "model", "aspectRatio", "size"}`, and `"region"` for a region edit
 */
char *
peel_export_lineage_json (PeelNode *node)
{
  g_autoptr(GPtrArray) branch = peel_session_dup_branch (node);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < branch->len; i++)
    {
      PeelNode *n = g_ptr_array_index (branch, i);

      json_builder_begin_object (b);
      /* The turn's id, so that restoring into the session it came from finds it again. */
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, peel_node_get_id (n));
      json_builder_set_member_name (b, "prompt");
      json_builder_add_string_value (b, peel_node_get_prompt (n));
      json_builder_set_member_name (b, "model");
      json_builder_add_string_value (b, recorded_model (n));
      if (peel_node_get_aspect_ratio (n) != NULL)
        {
          json_builder_set_member_name (b, "aspectRatio");
          json_builder_add_string_value (b, peel_node_get_aspect_ratio (n));
        }
      json_builder_set_member_name (b, "size");
      json_builder_add_string_value (b, peel_image_size_to_string (peel_node_get_size (n)));
      peel_export_add_region (b, n);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

/**
 * peel_export_parameters:
 * @node: a node
 *
 * Returns: (transfer full): the node as AUTOMATIC1111's `parameters` text: the prompt, then
 *   one line of "Key: value" pairs
 */
char *
peel_export_parameters (PeelNode *node)
{
  const char *ratio = peel_node_get_aspect_ratio (node);

  return g_strdup_printf ("%s\nModel: %s, Size: %dx%d, Aspect ratio: %s, Image size: %s, "
                          "Version: Peel %s",
                          peel_node_get_prompt (node), recorded_model (node),
                          peel_node_get_final_width (node), peel_node_get_final_height (node),
                          ratio ? ratio : "auto",
                          peel_image_size_to_string (peel_node_get_size (node)),
                          PACKAGE_VERSION);
}

static GPtrArray *
metadata_for (PeelNode *node)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_png_text_free);
  const char *ratio = peel_node_get_aspect_ratio (node);
  g_autofree char *software = g_strdup_printf ("Peel %s", PACKAGE_VERSION);
  g_autofree char *lineage = peel_export_lineage_json (node);
  g_autofree char *parameters = peel_export_parameters (node);
  PeelPngText *mask;

  g_ptr_array_add (texts, peel_png_text_new ("Title", peel_node_get_display_title (node), TRUE));
  g_ptr_array_add (texts, peel_png_text_new ("prompt", peel_node_get_prompt (node), TRUE));
  g_ptr_array_add (texts, peel_png_text_new ("peel:model", recorded_model (node), TRUE));
  g_ptr_array_add (texts, peel_png_text_new ("peel:aspect-ratio", ratio ? ratio : "", TRUE));
  g_ptr_array_add (texts, peel_png_text_new ("peel:size",
                                             peel_image_size_to_string (peel_node_get_size (node)),
                                             TRUE));
  g_ptr_array_add (texts, peel_png_text_new ("peel:lineage", lineage, TRUE));
  g_ptr_array_add (texts, peel_png_text_new ("peel:version", PEEL_EXPORT_METADATA_VERSION, TRUE));
  if ((mask = _peel_export_region_mask_text (node)) != NULL)
    g_ptr_array_add (texts, mask);
  g_ptr_array_add (texts, peel_png_text_new ("Software", software, TRUE));
  /* tEXt for the tools that only read that (peel_png_set_text falls back to iTXt). */
  g_ptr_array_add (texts, peel_png_text_new ("parameters", parameters, FALSE));
  return texts;
}

static GBytes *
decode_to_png (GBytes      *bytes,
               const char  *mime_type,
               GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_mime_type (mime_type, NULL);
  char *buffer = NULL;
  gsize len = 0;
  GdkPixbuf *pixbuf;

  if (loader == NULL)
    loader = gdk_pixbuf_loader_new ();
  if (!gdk_pixbuf_loader_write_bytes (loader, bytes, error))
    {
      gdk_pixbuf_loader_close (loader, NULL);
      return NULL;
    }
  if (!gdk_pixbuf_loader_close (loader, error))
    return NULL;
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL || !gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", error, NULL))
    {
      if (pixbuf == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     _("The image could not be decoded."));
      g_free (buffer);
      return NULL;
    }
  return g_bytes_new_take (buffer, len);
}

/**
 * peel_export_node_png:
 * @node: a node with an image
 * @flags: %PEEL_EXPORT_NO_METADATA to write no text chunks (and drop any the image had)
 * @error: return location for an error
 *
 * Returns: (transfer full): the final image as a PNG, with the Peel metadata unless asked not
 */
GBytes *
peel_export_node_png (PeelNode         *node,
                      PeelExportFlags   flags,
                      GError          **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  const PeelPart *part;

  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);

  part = peel_node_get_final_image (node);
  if (part == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Turn %s has no image to export."), peel_node_get_id (node));
      return NULL;
    }
  bytes = peel_node_dup_final_image_bytes (node, error);
  if (bytes == NULL)
    return NULL;

  if (peel_png_check (bytes, NULL))
    png = g_bytes_ref (bytes);
  else if (!(png = decode_to_png (bytes, part->mime_type, error)))
    return NULL;

  if (!(flags & PEEL_EXPORT_NO_METADATA))
    texts = metadata_for (node);
  return peel_png_set_text (png, texts, (flags & PEEL_EXPORT_NO_METADATA) != 0, error);
}

/**
 * peel_export_node_to_file:
 * @node: a node with an image
 * @path: where to write the PNG
 * @flags: export flags
 * @error: return location for an error
 *
 * Returns: %FALSE on error
 */
gboolean
peel_export_node_to_file (PeelNode         *node,
                          const char       *path,
                          PeelExportFlags   flags,
                          GError          **error)
{
  g_autoptr(GBytes) png = peel_export_node_png (node, flags, error);

  if (png == NULL)
    return FALSE;
  return peel_export_write_file (path, png, error);
}

static const char *
describe_file_type (mode_t mode)
{
  if (S_ISFIFO (mode))
    return _("a named pipe (FIFO)");
  if (S_ISCHR (mode) || S_ISBLK (mode))
    return _("a device");
  if (S_ISDIR (mode))
    return _("a folder");
  if (S_ISSOCK (mode))
    return _("a socket");
  return _("not a regular file");
}

static gboolean
set_not_a_file (GError     **error,
                const char  *path,
                mode_t       mode)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
               /* Translators: the second %s is e.g. "a named pipe (FIFO)" or "a device" */
               _("“%s” is %s. Peel writes images only to regular files; give another file "
                 "name."), path, describe_file_type (mode));
  return FALSE;
}

/**
 * peel_export_check_output:
 * @path: where an image is to be written
 * @target: (out) (optional) (transfer full): the file to replace: @path, or the regular file
 *   a symbolic link at @path points to
 * @error: return location for a %G_IO_ERROR_NOT_REGULAR_FILE error
 *
 * Refuses an existing @path that is a FIFO, a device, a folder or a socket, or a symbolic
 * link to one of those or to nothing. A new file and a regular one are fine; a symbolic link
 * to a regular file is written through, so the link stays and its file gets the image.
 *
 * Returns: whether @path may be written
 */
gboolean
peel_export_check_output (const char  *path,
                          char       **target,
                          GError     **error)
{
  GStatBuf link_st, st;

  if (g_lstat (path, &link_st) != 0)
    {
      /* Nothing there (or nothing we may look at): the write says what went wrong. */
      if (target != NULL)
        *target = g_strdup (path);
      return TRUE;
    }
  if (S_ISLNK (link_st.st_mode))
    {
      char *resolved;

      if (g_stat (path, &st) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                       _("“%s” is a symbolic link to a file that does not exist. Give "
                         "another file name, or remove the link."), path);
          return FALSE;
        }
      if (!S_ISREG (st.st_mode))
        return set_not_a_file (error, path, st.st_mode);
      resolved = realpath (path, NULL);
      if (resolved == NULL)
        return set_not_a_file (error, path, 0);
      if (target != NULL)
        *target = g_strdup (resolved);
      free (resolved);
      return TRUE;
    }
  if (!S_ISREG (link_st.st_mode))
    return set_not_a_file (error, path, link_st.st_mode);
  if (target != NULL)
    *target = g_strdup (path);
  return TRUE;
}

/**
 * peel_export_write_file:
 * @path: where to write
 * @bytes: the whole file
 * @error: return location for an error
 *
 * Writes @bytes so that the file either holds all of them or is left as it was (a temporary
 * file beside it, renamed into place), after peel_export_check_output() allowed @path.
 *
 * Returns: %FALSE on error; %G_IO_ERROR_NOT_REGULAR_FILE for a @path that is no file
 */
gboolean
peel_export_write_file (const char  *path,
                        GBytes      *bytes,
                        GError     **error)
{
  g_autofree char *target = NULL;

  if (!peel_export_check_output (path, &target, error))
    return FALSE;
  return g_file_set_contents_full (target, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), G_FILE_SET_CONTENTS_CONSISTENT,
                                   0644, error);
}

/**
 * peel_export_read_metadata:
 * @png: a PNG image
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type utf8 utf8): every text chunk, keyword → UTF-8 text
 *   (`prompt`, `peel:lineage`, `parameters`…)
 */
GHashTable *
peel_export_read_metadata (GBytes  *png,
                           GError **error)
{
  return peel_png_read_text (png, error);
}

/* The turn of @session that a lineage entry names: the same id, under the same parent, with the
 * same prompt, and finished. Ids are short and only unique in their session, so the prompt and
 * the place in the tree must agree too. */
static PeelNode *
find_present (PeelSession *session,
              PeelNode    *parent,
              const char  *id,
              const char  *prompt)
{
  PeelNode *node;

  if (id == NULL)
    return NULL;
  node = peel_session_find_node (session, id);
  if (node == NULL || peel_node_get_parent (node) != parent ||
      g_strcmp0 (peel_node_get_prompt (node), prompt) != 0 ||
      peel_node_get_status (node) != PEEL_NODE_DONE)
    return NULL;
  return node;
}

/**
 * peel_export_read_metadata_full:
 * @png: a PNG image
 * @too_large: (out) (optional) (transfer full) (element-type utf8): the keywords of the text
 *   chunks left out because their text is longer than %PEEL_PNG_TEXT_MAX_BYTES
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type utf8 utf8): as peel_export_read_metadata()
 */
GHashTable *
peel_export_read_metadata_full (GBytes     *png,
                                GPtrArray **too_large,
                                GError    **error)
{
  return peel_png_read_text_full (png, too_large, error);
}

/**
 * peel_session_import_png:
 * @session: a session
 * @png: a PNG, ideally exported by Peel
 * @n_added: (out) (optional): how many turns were added; 0 when the whole lineage was
 *   already in @session
 * @error: return location for an error
 *
 * Restores the lineage of @png as a branch: one imported node per turn of `peel:lineage`,
 * with its prompt, model, ratio and size, and @png itself as the image of the last, so the
 * branch continues from it like any other. Turns already in @session (restoring into the
 * session the image came from) are recognised by their id, place and prompt and not added
 * again: the new turns hang under the last one found. A PNG without Peel metadata becomes a
 * single root (with the `prompt` or `parameters` text if it has one).
 *
 * Returns: (transfer none): the last node of the branch, or %NULL
 */
PeelNode *
peel_session_import_png (PeelSession  *session,
                         GBytes       *png,
                         guint        *n_added,
                         GError      **error)
{
  g_autoptr(GHashTable) meta = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(PeelPart) image = NULL;
  JsonArray *lineage = NULL;
  const char *text;
  PeelNode *parent = NULL;
  gboolean matching = TRUE;
  guint added = 0;
  guint n;
  int width = 0, height = 0;

  g_return_val_if_fail (PEEL_IS_SESSION (session), NULL);

  if (n_added != NULL)
    *n_added = 0;
  meta = peel_export_read_metadata (png, error);
  if (meta == NULL)
    return NULL;
  image = peel_part_new_image ("image/png", png, FALSE);
  if (!peel_image_probe (png, &width, &height, NULL, NULL))
    width = height = 0;

  text = g_hash_table_lookup (meta, "peel:lineage");
  /* Bounded: a lineage nested 100 000 levels deep is no lineage, not a crash. */
  if (text != NULL)
    document = peel_json_reader_parse (text, -1, PEEL_JSON_MAX_TEXT_BYTES, NULL);
  if (document != NULL && JSON_NODE_HOLDS_ARRAY (document))
    lineage = json_node_get_array (document);

  n = lineage ? json_array_get_length (lineage) : 0;
  if (n == 0)
    {
      g_autofree char *prompt = NULL;
      PeelNode *node;

      if ((text = g_hash_table_lookup (meta, "prompt")))
        prompt = g_strdup (text);
      else if ((text = g_hash_table_lookup (meta, "parameters")))
        prompt = g_strndup (text, strcspn (text, "\n"));
      else
        prompt = g_strdup (_("Imported image"));
      node = peel_session_add_image (session, NULL, prompt, NULL, NULL, PEEL_IMAGE_SIZE_1K,
                                     image, error);
      if (node != NULL && n_added != NULL)
        *n_added = 1;
      return node;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (lineage, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      PeelImageSize size = PEEL_IMAGE_SIZE_1K;
      const char *prompt = o ? json_object_get_string_member_with_default (o, "prompt", "") : "";
      const char *model = o ? json_object_get_string_member_with_default (o, "model", NULL) : NULL;
      const char *ratio = o ? json_object_get_string_member_with_default (o, "aspectRatio", NULL)
                            : NULL;
      const char *size_str = o ? json_object_get_string_member_with_default (o, "size", NULL)
                               : NULL;
      const char *id = o ? json_object_get_string_member_with_default (o, "id", NULL) : NULL;
      PeelNode *present = matching ? find_present (session, parent, id, prompt) : NULL;
      gboolean last = i + 1 == n;
      g_autoptr(PeelPart) mask = NULL;
      PeelRegionInfo region;
      gboolean is_region;

      if (present != NULL)
        {
          parent = present;
          continue;
        }
      matching = FALSE;

      if (size_str != NULL)
        peel_image_size_from_string (size_str, &size);
      if (ratio != NULL && peel_aspect_ratio_find (ratio) < 0)
        ratio = NULL;
      /* A region edit comes back as one: its bounds, feather and, for the image itself, the
       * mask, when they fit the image. */
      is_region = o != NULL && _peel_export_read_region (o, last ? width : 0, last ? height : 0,
                                                         &region);
      if (is_region && last)
        mask = _peel_export_read_region_mask (meta, width, height);
      parent = peel_session_add_image_full (session, parent, prompt, model, ratio, size,
                                            last ? image : NULL, is_region ? &region : NULL,
                                            mask, error);
      if (parent == NULL)
        return NULL;
      added++;
    }
  if (n_added != NULL)
    *n_added = added;
  return parent;
}

static char *
slug (const char *prompt)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *ascii = g_str_to_ascii (prompt ? prompt : "", "C");

  for (const char *p = ascii; *p && out->len < 40; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, g_ascii_tolower (*p));
      else if (out->len > 0 && out->str[out->len - 1] != '-')
        g_string_append_c (out, '-');
    }
  while (out->len > 0 && out->str[out->len - 1] == '-')
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    g_string_append (out, "image");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * peel_export_file_name:
 * @node: a node
 * @suffix: (nullable): added before ".png", such as "-sheet"
 *
 * Returns: (transfer full): the name a single export proposes, made from the prompt as branch
 *   export names its files: "a-lighthouse-at-dusk.png"
 */
char *
peel_export_file_name (PeelNode   *node,
                       const char *suffix)
{
  g_autofree char *s = slug (peel_node_get_prompt (node));

  return g_strdup_printf ("%s%s.png", s, suffix ? suffix : "");
}

/**
 * peel_export_branch:
 * @node: the last node of a branch
 * @folder: where to write
 * @flags: export flags
 * @error: return location for an error
 *
 * Writes every image from the root to @node as `01-prompt.png`, `02-….png`…
 *
 * Returns: (transfer full) (element-type filename): the files written, or %NULL
 */
GPtrArray *
peel_export_branch (PeelNode         *node,
                    const char       *folder,
                    PeelExportFlags   flags,
                    GError          **error)
{
  g_autoptr(GPtrArray) branch = peel_session_dup_branch (node);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  guint number = 0;

  if (g_mkdir_with_parents (folder, 0755) < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not create the folder “%s”."), folder);
      return NULL;
    }
  for (guint i = 0; i < branch->len; i++)
    {
      PeelNode *n = g_ptr_array_index (branch, i);
      g_autofree char *name = NULL;
      g_autofree char *s = NULL;
      char *path;

      if (!peel_node_get_has_image (n))
        continue;
      s = slug (peel_node_get_prompt (n));
      name = g_strdup_printf ("%02u-%s.png", ++number, s);
      path = g_build_filename (folder, name, NULL);
      g_ptr_array_add (files, path);
      if (!peel_export_node_to_file (n, path, flags, error))
        return NULL;
    }
  return g_steal_pointer (&files);
}

static cairo_surface_t *
surface_from_pixbuf (GdkPixbuf *pixbuf)
{
  int w = gdk_pixbuf_get_width (pixbuf);
  int h = gdk_pixbuf_get_height (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  int src_stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *src = gdk_pixbuf_read_pixels (pixbuf);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  int dst_stride = cairo_image_surface_get_stride (surface);
  guint8 *dst = cairo_image_surface_get_data (surface);

  cairo_surface_flush (surface);
  for (int y = 0; y < h; y++)
    {
      const guint8 *s = src + y * src_stride;
      guint32 *d = (guint32 *) (gpointer) (dst + y * dst_stride);

      for (int x = 0; x < w; x++, s += channels)
        {
          guint a = channels == 4 ? s[3] : 255;
          guint r = s[0] * a / 255, g = s[1] * a / 255, b = s[2] * a / 255;

          d[x] = (a << 24) | (r << 16) | (g << 8) | b;
        }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

static void
sheet_size_prepared_cb (GdkPixbufLoader *loader,
                        int              width,
                        int              height,
                        gpointer         user_data)
{
  double scale = MIN (1.0, (double) SHEET_CELL / MAX (width, height));

  gdk_pixbuf_loader_set_size (loader, MAX (1, (int) (width * scale)),
                              MAX (1, (int) (height * scale)));
}

static GdkPixbuf *
load_scaled (PeelNode *node)
{
  g_autoptr(GBytes) bytes = peel_node_dup_final_image_bytes (node, NULL);
  g_autoptr(GdkPixbufLoader) loader = NULL;
  const PeelPart *part = peel_node_get_final_image (node);
  GdkPixbuf *pixbuf;

  if (bytes == NULL)
    return NULL;
  loader = gdk_pixbuf_loader_new_with_mime_type (part->mime_type, NULL);
  if (loader == NULL)
    loader = gdk_pixbuf_loader_new ();
  g_signal_connect (loader, "size-prepared", G_CALLBACK (sheet_size_prepared_cb), NULL);
  if (!gdk_pixbuf_loader_write_bytes (loader, bytes, NULL))
    {
      gdk_pixbuf_loader_close (loader, NULL);
      return NULL;
    }
  if (!gdk_pixbuf_loader_close (loader, NULL))
    return NULL;
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  return pixbuf ? g_object_ref (pixbuf) : NULL;
}

static cairo_status_t
append_png_cb (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * peel_export_contact_sheet:
 * @node: the last node of a branch
 * @path: the PNG to write
 * @error: return location for an error
 *
 * Draws the branch root → @node as a grid of 256 px thumbnails, each above its prompt.
 *
 * Returns: %FALSE on error
 */
gboolean
peel_export_contact_sheet (PeelNode    *node,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(GPtrArray) branch = peel_session_dup_branch (node);
  g_autoptr(GByteArray) png = NULL;
  g_autoptr(GBytes) bytes = NULL;
  cairo_surface_t *sheet;
  cairo_t *cr;
  PangoLayout *layout;
  PangoFontDescription *font;
  cairo_status_t status;
  guint columns = MIN (branch->len, SHEET_COLUMNS);
  guint rows = (branch->len + columns - 1) / columns;
  int width = columns * (SHEET_CELL + SHEET_GAP) + SHEET_GAP;
  int height = rows * (SHEET_CELL + SHEET_TEXT + SHEET_GAP) + SHEET_GAP;

  sheet = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (sheet);
  cairo_set_source_rgb (cr, 0.98, 0.98, 0.98);
  cairo_paint (cr);
  layout = pango_cairo_create_layout (cr);
  font = pango_font_description_from_string ("Sans 10");
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, SHEET_CELL * PANGO_SCALE);
  pango_layout_set_height (layout, -3);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);

  for (guint i = 0; i < branch->len; i++)
    {
      PeelNode *n = g_ptr_array_index (branch, i);
      g_autoptr(GdkPixbuf) pixbuf = peel_node_get_has_image (n) ? load_scaled (n) : NULL;
      g_autofree char *label = g_strdup_printf ("%u. %s", i + 1, peel_node_get_display_title (n));
      double x = SHEET_GAP + (i % columns) * (SHEET_CELL + SHEET_GAP);
      double y = SHEET_GAP + (i / columns) * (SHEET_CELL + SHEET_TEXT + SHEET_GAP);

      cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
      cairo_rectangle (cr, x, y, SHEET_CELL, SHEET_CELL);
      cairo_fill (cr);
      if (pixbuf != NULL)
        {
          cairo_surface_t *thumb = surface_from_pixbuf (pixbuf);
          double tx = x + (SHEET_CELL - gdk_pixbuf_get_width (pixbuf)) / 2.0;
          double ty = y + (SHEET_CELL - gdk_pixbuf_get_height (pixbuf)) / 2.0;

          cairo_set_source_surface (cr, thumb, (int) tx, (int) ty);
          cairo_paint (cr);
          cairo_surface_destroy (thumb);
        }
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      cairo_move_to (cr, x, y + SHEET_CELL + 4);
      pango_layout_set_text (layout, label, -1);
      pango_cairo_show_layout (cr, layout);
    }

  pango_font_description_free (font);
  g_object_unref (layout);
  cairo_destroy (cr);
  png = g_byte_array_new ();
  status = cairo_surface_write_to_png_stream (sheet, append_png_cb, png);
  cairo_surface_destroy (sheet);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not write the contact sheet “%s”: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&png));
  return peel_export_write_file (path, bytes, error);
}
