/* test-export.c
 *
 * PNG export with lineage: the pixels are untouched, the chunks are valid, the metadata
 * reads back, restores a branch, and never carries the API key.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define _GNU_SOURCE
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "peel-export.h"
#include "peel-png-meta.h"
#include "peel-session.h"

static GBytes *
encode (GdkPixbuf  *pixbuf,
        const char *format)
{
  char *buffer = NULL;
  gsize len = 0;

  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, format, NULL, NULL));
  return g_bytes_new_take (buffer, len);
}

static GdkPixbuf *
gradient (int width,
          int height)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;

        p[0] = x * 255 / width;
        p[1] = y * 255 / height;
        p[2] = (x * y) & 0xff;
      }
  return pixbuf;
}

static GdkPixbuf *
decode (GBytes     *bytes,
        const char *mime_type)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_mime_type (mime_type, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, bytes, &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  g_assert_no_error (error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static void
assert_same_pixels (GdkPixbuf *a,
                    GdkPixbuf *b)
{
  int w = gdk_pixbuf_get_width (a);
  int h = gdk_pixbuf_get_height (a);
  int n = gdk_pixbuf_get_n_channels (a);

  g_assert_cmpint (w, ==, gdk_pixbuf_get_width (b));
  g_assert_cmpint (h, ==, gdk_pixbuf_get_height (b));
  g_assert_cmpint (n, ==, gdk_pixbuf_get_n_channels (b));
  for (int y = 0; y < h; y++)
    g_assert_cmpmem (gdk_pixbuf_read_pixels (a) + y * gdk_pixbuf_get_rowstride (a), w * n,
                     gdk_pixbuf_read_pixels (b) + y * gdk_pixbuf_get_rowstride (b), w * n);
}

static PeelNode *
answer (PeelSession *session,
        PeelNode    *parent,
        const char  *prompt,
        const char  *ratio,
        const char  *mime_type,
        GBytes      *image)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GError) error = NULL;
  PeelPart *part;
  PeelNode *node;

  node = peel_session_begin_turn (session, parent,
                                  &(PeelTurnSpec) { .prompt = prompt, .aspect_ratio = ratio,
                                                    .size = PEEL_IMAGE_SIZE_2K },
                                  &error);
  part = peel_part_new_image (mime_type, image, FALSE);
  peel_part_set_signature (part, "c2lnbmF0dXJl");
  g_ptr_array_add (parts, part);
  g_assert_true (peel_session_complete_turn (session, node, parts, NULL, &error));
  g_assert_no_error (error);
  return node;
}

/* Every chunk well-formed with a correct CRC, IHDR first, IEND last. */
static void
assert_valid_png (GBytes *png)
{
  gsize size;
  const guint8 *d = g_bytes_get_data (png, &size);
  gsize off = 8;
  gboolean first = TRUE;

  g_assert_true (peel_png_check (png, NULL));
  while (off < size)
    {
      guint32 len;
      guint32 crc;

      /* Chunks sit at any offset: copy the big-endian words out instead of loading them
       * through a misaligned guint32 pointer. */
      g_assert_cmpuint (off + 12, <=, size);
      memcpy (&len, d + off, sizeof len);
      len = GUINT32_FROM_BE (len);
      g_assert_cmpuint (off + 12 + len, <=, size);
      memcpy (&crc, d + off + 8 + len, sizeof crc);
      crc = GUINT32_FROM_BE (crc);

      g_assert_cmpuint (peel_png_crc32 (d + off + 4, len + 4), ==, crc);
      if (first)
        g_assert_cmpmem (d + off + 4, 4, "IHDR", 4);
      first = FALSE;
      off += 12 + len;
      if (memcmp (d + off - len - 8, "IEND", 4) == 0)
        break;
    }
  g_assert_cmpuint (off, ==, size);
}

static void
test_metadata_round_trip (void)
{
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  g_autoptr(GdkPixbuf) pixbuf = gradient (64, 36);
  g_autoptr(GBytes) original = encode (pixbuf, "png");
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) stripped = NULL;
  g_autoptr(GHashTable) meta = NULL;
  g_autoptr(GHashTable) none = NULL;
  g_autoptr(GdkPixbuf) back = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *software = g_strdup_printf ("Peel %s", PACKAGE_VERSION);
  JsonArray *lineage;
  PeelNode *root, *node;

  root = answer (session, NULL, "a lighthouse at dusk", "16:9", "image/png", original);
  node = answer (session, root, "make the sky stormy, café ☕", "16:9", "image/png", original);

  exported = peel_export_node_png (node, PEEL_EXPORT_DEFAULT, &error);
  g_assert_no_error (error);
  assert_valid_png (exported);
  back = decode (exported, "image/png");
  assert_same_pixels (pixbuf, back);

  /* Taking the chunks out gives the answer back byte for byte: nothing was re-encoded. */
  stripped = peel_png_set_text (exported, NULL, TRUE, &error);
  g_assert_true (g_bytes_equal (stripped, original));
  plain = peel_export_node_png (node, PEEL_EXPORT_NO_METADATA, &error);
  g_assert_true (g_bytes_equal (plain, original));
  none = peel_export_read_metadata (plain, &error);
  g_assert_cmpuint (g_hash_table_size (none), ==, 0);

  meta = peel_export_read_metadata (exported, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (meta, "prompt"), ==, "make the sky stormy, café ☕");
  g_assert_cmpstr (g_hash_table_lookup (meta, "Title"), ==, "make the sky stormy, café ☕");
  g_assert_cmpstr (g_hash_table_lookup (meta, "peel:model"), ==, PEEL_DEFAULT_MODEL);
  g_assert_cmpstr (g_hash_table_lookup (meta, "peel:aspect-ratio"), ==, "16:9");
  g_assert_cmpstr (g_hash_table_lookup (meta, "peel:size"), ==, "2K");
  g_assert_cmpstr (g_hash_table_lookup (meta, "peel:version"), ==, PEEL_EXPORT_METADATA_VERSION);
  g_assert_cmpstr (g_hash_table_lookup (meta, "Software"), ==, software);
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (meta, "parameters"),
                                   "make the sky stormy, café ☕\nModel: "));
  g_assert_nonnull (strstr (g_hash_table_lookup (meta, "parameters"), "Size: 64x36"));

  g_assert_true (json_parser_load_from_data (parser, g_hash_table_lookup (meta, "peel:lineage"),
                                             -1, &error));
  lineage = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (lineage), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (lineage, 0),
                                                  "prompt"), ==, "a lighthouse at dusk");
}

static void
test_ascii_parameters_are_text (void)
{
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  g_autoptr(GdkPixbuf) pixbuf = gradient (8, 8);
  g_autoptr(GBytes) original = encode (pixbuf, "png");
  g_autoptr(GBytes) exported = NULL;
  PeelNode *node = answer (session, NULL, "plain words", "1:1", "image/png", original);
  gsize size;
  const char *data;

  exported = peel_export_node_png (node, PEEL_EXPORT_DEFAULT, NULL);
  data = g_bytes_get_data (exported, &size);
  /* AUTOMATIC1111 readers look for a tEXt chunk named parameters. */
  g_assert_nonnull (memmem (data, size, "tEXtparameters\0plain words\nModel:", 33));
}

static void
test_import_as_branch (void)
{
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  g_autoptr(PeelSession) other = peel_session_new (NULL);
  g_autoptr(GdkPixbuf) pixbuf = gradient (40, 30);
  g_autoptr(GBytes) original = encode (pixbuf, "png");
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GPtrArray) branch = NULL;
  g_autoptr(GError) error = NULL;
  PeelNode *a, *b, *c, *last;

  a = answer (session, NULL, "one", "4:3", "image/png", original);
  b = answer (session, a, "two", "4:3", "image/png", original);
  c = answer (session, b, "three", "1:1", "image/png", original);
  exported = peel_export_node_png (c, PEEL_EXPORT_DEFAULT, &error);

  last = peel_session_import_png (other, exported, NULL, &error);
  g_assert_no_error (error);
  branch = peel_session_dup_branch (last);
  g_assert_cmpuint (branch->len, ==, 3);
  g_assert_cmpstr (peel_node_get_prompt (g_ptr_array_index (branch, 0)), ==, "one");
  g_assert_cmpstr (peel_node_get_prompt (g_ptr_array_index (branch, 1)), ==, "two");
  g_assert_cmpstr (peel_node_get_prompt (last), ==, "three");
  g_assert_cmpstr (peel_node_get_aspect_ratio (last), ==, "1:1");
  g_assert_cmpint (peel_node_get_size (last), ==, PEEL_IMAGE_SIZE_2K);
  g_assert_true (peel_node_get_imported (last));
  g_assert_false (peel_node_get_has_image (g_ptr_array_index (branch, 0)));
  image = peel_node_dup_final_image_bytes (last, &error);
  g_assert_true (g_bytes_equal (image, exported));
  g_assert_cmpint (peel_node_get_final_width (last), ==, 40);
}

/* Restoring into the session the image came from finds the turns that are there instead of
 * adding them again as image-less copies; only what is missing is added. */
static void
test_import_recognises_present_turns (void)
{
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  g_autoptr(GdkPixbuf) pixbuf = gradient (40, 30);
  g_autoptr(GBytes) original = encode (pixbuf, "png");
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(GBytes) from_other = NULL;
  g_autoptr(PeelSession) other = peel_session_new (NULL);
  g_autoptr(GError) error = NULL;
  PeelNode *a, *b, *c, *last, *x;
  guint added = 99;

  a = answer (session, NULL, "one", "4:3", "image/png", original);
  b = answer (session, a, "two", "4:3", "image/png", original);
  c = answer (session, b, "three", "1:1", "image/png", original);
  exported = peel_export_node_png (c, PEEL_EXPORT_DEFAULT, &error);
  g_assert_no_error (error);

  last = peel_session_import_png (session, exported, &added, &error);
  g_assert_no_error (error);
  g_assert_true (last == c);
  g_assert_cmpuint (added, ==, 0);
  g_assert_cmpuint (peel_session_get_n_nodes (session), ==, 3);

  /* A session that only shares the first two turns: the third hangs under the second. */
  x = answer (other, NULL, "elsewhere", "1:1", "image/png", original);
  from_other = peel_export_node_png (x, PEEL_EXPORT_DEFAULT, &error);
  g_assert_no_error (error);
  last = peel_session_import_png (session, from_other, &added, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, 1);
  g_assert_null (peel_node_get_parent (last));
  g_assert_cmpuint (peel_session_get_n_nodes (session), ==, 4);

  /* Another session holds none of them: all three are added. */
  last = peel_session_import_png (other, exported, &added, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, 3);
  g_assert_true (peel_node_get_has_image (last));
}

static void
test_file_name_from_prompt (void)
{
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  g_autoptr(GdkPixbuf) pixbuf = gradient (8, 8);
  g_autoptr(GBytes) original = encode (pixbuf, "png");
  PeelNode *node = answer (session, NULL, "A Lighthouse, at dusk — café!", "1:1", "image/png",
                           original);
  g_autofree char *name = peel_export_file_name (node, NULL);
  g_autofree char *sheet = peel_export_file_name (node, "-sheet");

  /* Named as branch export names its files, not "peel-e8367b0f.png". */
  g_assert_cmpstr (name, ==, "a-lighthouse-at-dusk-cafe.png");
  g_assert_cmpstr (sheet, ==, "a-lighthouse-at-dusk-cafe-sheet.png");
}

static void
test_jpeg_answer_same_pixels (void)
{
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  g_autoptr(GdkPixbuf) pixbuf = gradient (96, 54);
  g_autoptr(GBytes) jpeg = encode (pixbuf, "jpeg");
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(GdkPixbuf) from_jpeg = NULL;
  g_autoptr(GdkPixbuf) from_png = NULL;
  g_autoptr(GError) error = NULL;
  PeelNode *node = answer (session, NULL, "a jpeg answer", "16:9", "image/jpeg", jpeg);

  g_assert_cmpint (peel_node_get_final_width (node), ==, 96);
  exported = peel_export_node_png (node, PEEL_EXPORT_DEFAULT, &error);
  g_assert_no_error (error);
  assert_valid_png (exported);
  from_jpeg = decode (jpeg, "image/jpeg");
  from_png = decode (exported, "image/png");
  assert_same_pixels (from_jpeg, from_png);
}

static void
test_no_api_key (void)
{
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  g_autoptr(GdkPixbuf) pixbuf = gradient (16, 16);
  g_autoptr(GBytes) original = encode (pixbuf, "png");
  g_autoptr(GBytes) exported = NULL;
  const char *key = "AIzaSyTEST-do-not-leak-0123456789";
  PeelNode *node;
  gsize size;
  const char *data;

  g_setenv ("GEMINI_API_KEY", key, TRUE);
  node = answer (session, NULL, "secret-free", "1:1", "image/png", original);
  exported = peel_export_node_png (node, PEEL_EXPORT_DEFAULT, NULL);
  data = g_bytes_get_data (exported, &size);
  g_assert_null (memmem (data, size, key, strlen (key)));
  g_assert_null (memmem (data, size, "AIza", 4));
  g_unsetenv ("GEMINI_API_KEY");
}

static void
test_not_png (void)
{
  g_autoptr(GBytes) junk = g_bytes_new_static ("GIF89a....", 10);
  g_autoptr(GBytes) truncated = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gradient (16, 16);
  g_autoptr(GBytes) png = encode (pixbuf, "png");
  g_autoptr(GError) error = NULL;

  g_assert_null (peel_export_read_metadata (junk, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  truncated = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) - 20);
  g_assert_null (peel_png_set_text (truncated, NULL, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_branch_and_sheet (void)
{
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  g_autoptr(GdkPixbuf) pixbuf = gradient (300, 200);
  g_autoptr(GBytes) original = encode (pixbuf, "png");
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_tmp_dir (), "branch", NULL);
  g_autofree char *sheet = g_build_filename (g_get_tmp_dir (), "sheet.png", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len;
  int width, height;
  PeelNode *a, *b, *c;

  a = answer (session, NULL, "A lighthouse!", "3:2", "image/png", original);
  b = answer (session, a, "stormy sky", "3:2", "image/png", original);
  c = answer (session, b, "add a boat", "3:2", "image/png", original);
  files = peel_export_branch (c, dir, PEEL_EXPORT_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 3);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (files, 0), "/01-a-lighthouse.png"));
  g_assert_true (g_str_has_suffix (g_ptr_array_index (files, 2), "/03-add-a-boat.png"));
  g_assert_true (g_file_test (g_ptr_array_index (files, 1), G_FILE_TEST_EXISTS));

  g_assert_true (peel_export_contact_sheet (c, sheet, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (sheet, &contents, &len, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  g_assert_true (peel_image_bytes_get_size (bytes, "image/png", &width, &height));
  g_assert_cmpint (width, ==, 3 * (256 + 16) + 16);
  g_assert_cmpint (height, ==, 256 + 52 + 2 * 16);
}

typedef struct
{
  gboolean  done;
  gboolean  written;
  GError   *error;
} Export;

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Export *export = user_data;

  export->written = peel_export_finish (result, &export->error);
  export->done = TRUE;
}

/* What the window writes off the main loop: the node's PNG, or the reason it could not. */
static void
test_export_async (void)
{
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  g_autoptr(GdkPixbuf) pixbuf = gradient (300, 200);
  g_autoptr(GBytes) original = encode (pixbuf, "png");
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "async.png", NULL);
  PeelNode *node = answer (session, NULL, "a lighthouse", "3:2", "image/png", original);
  Export written = { 0 };
  Export refused = { 0 };

  peel_export_async (PEEL_EXPORT_KIND_NODE, node, path, PEEL_EXPORT_DEFAULT, NULL,
                     export_done_cb, &written);
  while (!written.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (written.error);
  g_assert_true (written.written);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  /* A folder where the file should be is refused, with the export's own words. */
  peel_export_async (PEEL_EXPORT_KIND_NODE, node, g_get_tmp_dir (), PEEL_EXPORT_DEFAULT, NULL,
                     export_done_cb, &refused);
  while (!refused.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (refused.written);
  g_assert_nonnull (refused.error);
  g_clear_error (&refused.error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Peel/Export/metadata-round-trip", test_metadata_round_trip);
  g_test_add_func ("/Peel/Export/ascii-parameters-are-text", test_ascii_parameters_are_text);
  g_test_add_func ("/Peel/Export/import-as-branch", test_import_as_branch);
  g_test_add_func ("/Peel/Export/file-name-from-prompt", test_file_name_from_prompt);
  g_test_add_func ("/Peel/Export/import-recognises-present-turns",
                   test_import_recognises_present_turns);
  g_test_add_func ("/Peel/Export/jpeg-answer-same-pixels", test_jpeg_answer_same_pixels);
  g_test_add_func ("/Peel/Export/no-api-key", test_no_api_key);
  g_test_add_func ("/Peel/Export/not-png", test_not_png);
  g_test_add_func ("/Peel/Export/branch-and-sheet", test_branch_and_sheet);
  g_test_add_func ("/Peel/Export/async", test_export_async);

  return g_test_run ();
}
