/* test-export-hostile.c
 *
 * PNGs and output paths an attacker (or bad luck) hands Peel (issue 11): a lineage nested
 * 100 000 levels deep, text chunks that inflate to hundreds of MB, outputs that are FIFOs,
 * devices or symbolic links.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "peel-export.h"
#include "peel-png-meta.h"
#include "peel-session.h"

static GBytes *
small_png (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 8, 8);
  char *buffer = NULL;
  gsize len = 0;

  gdk_pixbuf_fill (pixbuf, 0x336699ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", NULL, NULL));
  return g_bytes_new_take (buffer, len);
}

/* @png with one chunk of @type (its CRC right) inserted after IHDR. */
static GBytes *
with_chunk (GBytes       *png,
            const char   *type,
            const guint8 *data,
            gsize         len)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) body = g_byte_array_new ();
  gsize size;
  const guint8 *p = g_bytes_get_data (png, &size);
  guint32 be;

  g_byte_array_append (out, p, 8 + 25);
  g_byte_array_append (body, (const guint8 *) type, 4);
  g_byte_array_append (body, data, len);
  be = GUINT32_TO_BE ((guint32) len);
  g_byte_array_append (out, (const guint8 *) &be, 4);
  g_byte_array_append (out, body->data, body->len);
  be = GUINT32_TO_BE (peel_png_crc32 (body->data, body->len));
  g_byte_array_append (out, (const guint8 *) &be, 4);
  g_byte_array_append (out, p + 8 + 25, size - 8 - 25);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* A zlib stream of @n zero bytes: about n / 1000 bytes of input. */
static GBytes *
deflated_zeros (gsize n)
{
  g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 9);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree guint8 *zeros = g_malloc0 (1024 * 1024);
  guint8 buffer[64 * 1024];
  gsize fed = 0;

  for (;;)
    {
      gsize chunk = MIN (n - fed, (gsize) 1024 * 1024);
      gsize bytes_read = 0, bytes_written = 0;
      GConverterResult result;

      result = g_converter_convert (G_CONVERTER (z), zeros, chunk, buffer, sizeof buffer,
                                    fed + chunk == n ? G_CONVERTER_INPUT_AT_END
                                                     : G_CONVERTER_NO_FLAGS,
                                    &bytes_read, &bytes_written, NULL);
      g_assert_cmpint (result, !=, G_CONVERTER_ERROR);
      fed += bytes_read;
      g_byte_array_append (out, buffer, bytes_written);
      if (result == G_CONVERTER_FINISHED)
        break;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static glong
peak_rss_mb (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return usage.ru_maxrss / 1024;
}

/* Issue 11, item 5: a zTXt (or compressed iTXt) that inflates to 256 MB took all of it (and
 * 2 GB took 4 GB); now inflating stops at 4 MB and the chunk is reported as too large. */
static void
test_inflate_bomb (void)
{
  g_autoptr(GBytes) png = small_png ();
  g_autoptr(GBytes) zeros = deflated_zeros ((gsize) 256 * 1024 * 1024);
  g_autoptr(GByteArray) ztxt = g_byte_array_new ();
  g_autoptr(GByteArray) itxt = g_byte_array_new ();
  g_autoptr(GBytes) bombs = NULL;
  g_autoptr(GBytes) one = NULL;
  g_autoptr(GHashTable) meta = NULL;
  g_autoptr(GPtrArray) too_large = NULL;
  g_autoptr(GError) error = NULL;
  glong before;

  g_byte_array_append (ztxt, (const guint8 *) "peel:lineage\0\0", 14);
  g_byte_array_append (ztxt, g_bytes_get_data (zeros, NULL), g_bytes_get_size (zeros));
  g_byte_array_append (itxt, (const guint8 *) "Title\0\1\0\0\0", 10);
  g_byte_array_append (itxt, g_bytes_get_data (zeros, NULL), g_bytes_get_size (zeros));
  one = with_chunk (png, "zTXt", ztxt->data, ztxt->len);
  bombs = with_chunk (one, "iTXt", itxt->data, itxt->len);

  before = peak_rss_mb ();
  meta = peel_export_read_metadata_full (bombs, &too_large, &error);
  g_assert_no_error (error);
  g_test_message ("peak RSS %ld MB before, %ld MB after", before, peak_rss_mb ());
  g_assert_cmpint (peak_rss_mb () - before, <, 64);

  g_assert_false (g_hash_table_contains (meta, "peel:lineage"));
  g_assert_false (g_hash_table_contains (meta, "Title"));
  g_assert_cmpuint (too_large->len, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (too_large, "peel:lineage", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (too_large, "Title", g_str_equal, NULL));
}

/* Text up to the cap still reads. */
static void
test_inflate_below_cap (void)
{
  g_autoptr(GBytes) png = small_png ();
  g_autoptr(GBytes) zeros = deflated_zeros (PEEL_PNG_TEXT_MAX_BYTES);
  g_autoptr(GByteArray) itxt = g_byte_array_new ();
  g_autoptr(GBytes) with = NULL;
  g_autoptr(GHashTable) meta = NULL;
  g_autoptr(GPtrArray) too_large = NULL;

  /* Zeros end the text at once: what matters is that it was inflated, not refused. */
  g_byte_array_append (itxt, (const guint8 *) "Title\0\1\0\0\0", 10);
  g_byte_array_append (itxt, g_bytes_get_data (zeros, NULL), g_bytes_get_size (zeros));
  with = with_chunk (png, "iTXt", itxt->data, itxt->len);
  meta = peel_export_read_metadata_full (with, &too_large, NULL);
  g_assert_cmpstr (g_hash_table_lookup (meta, "Title"), ==, "");
  g_assert_cmpuint (too_large->len, ==, 0);
}

/* Issue 11, item 4: importing (or showing) a PNG whose peel:lineage nests 100 000 levels
 * crashed in json-glib. Now the lineage is not read and the image comes in on its own. */
static void
test_deep_lineage (void)
{
  const guint levels = 100000;
  g_autoptr(GBytes) png = small_png ();
  g_autoptr(GByteArray) text = g_byte_array_new ();
  g_autoptr(GBytes) deep = NULL;
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  g_autoptr(GError) error = NULL;
  PeelNode *node;

  g_byte_array_append (text, (const guint8 *) "peel:lineage\0", 13);
  for (guint i = 0; i < levels; i++)
    g_byte_array_append (text, (const guint8 *) "[", 1);
  for (guint i = 0; i < levels; i++)
    g_byte_array_append (text, (const guint8 *) "]", 1);
  deep = with_chunk (png, "tEXt", text->data, text->len);

  node = peel_session_import_png (session, deep, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_cmpuint (peel_session_get_n_nodes (session), ==, 1);
  g_assert_true (peel_node_get_has_image (node));
}

static PeelNode *
node_with_image (PeelSession *session)
{
  g_autoptr(GBytes) png = small_png ();
  g_autoptr(GError) error = NULL;
  PeelNode *node;

  node = peel_session_import_png (session, png, NULL, &error);
  g_assert_no_error (error);
  return node;
}

/* Issue 11, item 9: exporting onto a FIFO (or, as root, /dev/full) replaced it with a PNG. */
static void
test_output_not_a_file (void)
{
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  g_autofree char *dir = g_dir_make_tmp ("peel-export-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo.png", NULL);
  g_autofree char *sub = g_build_filename (dir, "folder.png", NULL);
  g_autofree char *device = g_build_filename (dir, "null.png", NULL);
  g_autoptr(GError) error = NULL;
  PeelNode *node = node_with_image (session);
  GStatBuf st;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_false (peel_export_node_to_file (node, fifo, PEEL_EXPORT_DEFAULT, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_nonnull (strstr (error->message, "named pipe"));
  g_assert_cmpint (g_lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
  g_clear_error (&error);

  /* Never /dev/null itself as root: a Peel without the fix would replace it for everyone. */
  if (geteuid () != 0 || mknod (device, S_IFCHR | 0666, makedev (1, 3)) == 0)
    {
      const char *target = geteuid () == 0 ? device : "/dev/null";

      g_assert_false (peel_export_node_to_file (node, target, PEEL_EXPORT_DEFAULT, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
      g_assert_cmpint (g_lstat (target, &st), ==, 0);
      g_assert_true (S_ISCHR (st.st_mode));
      g_clear_error (&error);
    }

  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  g_assert_false (peel_export_contact_sheet (node, sub, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);

  g_remove (fifo);
  g_remove (device);
  g_rmdir (sub);
  g_rmdir (dir);
}

/* A symbolic link to a regular file is written through (the link stays, its file gets the
 * image); a link to nothing or to a FIFO is refused. */
static void
test_output_symlink (void)
{
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  g_autofree char *dir = g_dir_make_tmp ("peel-export-XXXXXX", NULL);
  g_autofree char *real = g_build_filename (dir, "real.png", NULL);
  g_autofree char *link = g_build_filename (dir, "link.png", NULL);
  g_autofree char *dangling = g_build_filename (dir, "dangling.png", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *to_fifo = g_build_filename (dir, "to-fifo.png", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  PeelNode *node = node_with_image (session);
  gsize len = 0;

  g_assert_true (g_file_set_contents (real, "old", -1, NULL));
  g_assert_cmpint (symlink ("real.png", link), ==, 0);
  g_assert_true (peel_export_node_to_file (node, link, PEEL_EXPORT_DEFAULT, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_get_contents (real, &contents, &len, NULL));
  g_assert_cmpmem (contents, 4, "\x89PNG", 4);

  g_assert_cmpint (symlink ("missing.png", dangling), ==, 0);
  g_assert_false (peel_export_node_to_file (node, dangling, PEEL_EXPORT_DEFAULT, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_true (g_file_test (dangling, G_FILE_TEST_IS_SYMLINK));
  g_clear_error (&error);

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink ("fifo", to_fifo), ==, 0);
  g_assert_false (peel_export_node_to_file (node, to_fifo, PEEL_EXPORT_DEFAULT, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);

  g_remove (real);
  g_remove (link);
  g_remove (dangling);
  g_remove (fifo);
  g_remove (to_fifo);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Peel/ExportHostile/inflate-bomb", test_inflate_bomb);
  g_test_add_func ("/Peel/ExportHostile/inflate-below-cap", test_inflate_below_cap);
  g_test_add_func ("/Peel/ExportHostile/deep-lineage", test_deep_lineage);
  g_test_add_func ("/Peel/ExportHostile/output-not-a-file", test_output_not_a_file);
  g_test_add_func ("/Peel/ExportHostile/output-symlink", test_output_symlink);

  return g_test_run ();
}
