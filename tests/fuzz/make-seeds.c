/* make-seeds.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Writes the seed files that need Peel itself to make: a session folder's session.json and
 * journal.jsonl, an exported PNG with its lineage, and tiny images in each format a drop may
 * bring. Run by hand when the formats change: make-seeds OUT-DIR. */

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "peel-export.h"
#include "peel-session.h"
#include "peel-store.h"

static GBytes *
tiny_image (const char *type,
            int         width,
            int         height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize len = 0;

  gdk_pixbuf_fill (pixbuf, 0xd0703080);
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, type, &error, NULL))
    g_error ("%s: %s", type, error->message);
  return g_bytes_new_take (buffer, len);
}

static void
save (const char *dir,
      const char *name,
      GBytes     *a,
      GBytes     *b)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  if (a != NULL)
    g_byte_array_append (all, g_bytes_get_data (a, NULL), g_bytes_get_size (a));
  if (b != NULL)
    {
      g_byte_array_append (all, (const guint8 *) "", 1);
      g_byte_array_append (all, g_bytes_get_data (b, NULL), g_bytes_get_size (b));
    }
  if (!g_file_set_contents (path, (const char *) all->data, all->len, &error))
    g_error ("%s", error->message);
}

static GBytes *
read_file (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return g_bytes_new (NULL, 0);
  return g_bytes_new_take (data, len);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmp = g_dir_make_tmp ("peel-seeds-XXXXXX", NULL);
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = tiny_image ("png", 4, 3);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(GBytes) journal = NULL;
  g_autoptr(GBytes) snapshot = NULL;
  g_autofree char *store_dir = NULL;
  g_autofree char *input_dir = NULL;
  g_autofree char *png_dir = NULL;
  const char *out = argc > 1 ? argv[1] : ".";
  const char *queries[] = { "lighthouse", NULL };
  PeelTurnOptions options = { PEEL_THINKING_HIGH, TRUE, TRUE, FALSE };
  PeelTurnResult result = { 12, 1290, 40, 0.04, "STOP", NULL, NULL, queries };
  g_autoptr(PeelPart) image = peel_part_new_image ("image/png", png, FALSE);
  PeelNode *root, *child, *failed;

  store_dir = g_build_filename (out, "store", NULL);
  input_dir = g_build_filename (out, "image-input", NULL);
  png_dir = g_build_filename (out, "png-meta", NULL);
  g_mkdir_with_parents (store_dir, 0755);
  g_mkdir_with_parents (input_dir, 0755);
  g_mkdir_with_parents (png_dir, 0755);

  session = peel_store_create_session (tmp, "Lighthouse study", &error);
  g_assert_no_error (error);
  root = peel_session_add_image (session, NULL, "a lighthouse", "gemini-3.1-flash-image-preview",
                                 "4:3", PEEL_IMAGE_SIZE_512, image, &error);
  g_assert_no_error (error);
  child = peel_session_begin_turn (session, root,
                                   &(PeelTurnSpec) { .prompt = "make the sky stormy",
                                                     .aspect_ratio = "4:3",
                                                     .size = PEEL_IMAGE_SIZE_512,
                                                     .model = "gemini-3.1-flash-image-preview",
                                                     .options = options },
                                   &error);
  g_assert_no_error (error);
  g_ptr_array_add (parts, peel_part_new_text ("thinking about storms", TRUE));
  g_ptr_array_add (parts, peel_part_new_text ("Here is your stormy lighthouse.", FALSE));
  g_ptr_array_add (parts, peel_part_copy (image));
  peel_part_set_signature (g_ptr_array_index (parts, 2), "c2lnbmF0dXJl");
  peel_session_complete_turn (session, child, parts, &result, &error);
  g_assert_no_error (error);
  failed = peel_session_begin_turn (session, root,
                                    &(PeelTurnSpec) { .prompt = "sunny, pastel",
                                                      .aspect_ratio = "16:9",
                                                      .size = PEEL_IMAGE_SIZE_1K,
                                                      .model = "gemini-3.1-flash-image-preview" },
                                    &error);
  g_assert_no_error (error);
  peel_session_fail_turn (session, failed, "RATE_LIMITED", "Too many requests.", &error);
  g_assert_no_error (error);
  peel_session_rename_node (session, child, "Stormy", &error);
  g_assert_no_error (error);
  peel_session_set_starred (session, child, TRUE, &error);
  g_assert_no_error (error);
  peel_session_flush (session, &error);
  g_assert_no_error (error);

  {
    const char *path = peel_store_get_path (peel_session_get_store (session));

    journal = read_file (path, "journal.jsonl");
    save (store_dir, "journal-only", g_bytes_new (NULL, 0), journal);
    peel_store_compact (peel_session_get_store (session), &error);
    g_assert_no_error (error);
    snapshot = read_file (path, "session.json");
    save (store_dir, "snapshot-only", snapshot, NULL);
    peel_session_begin_turn (session, child,
                             &(PeelTurnSpec) { .prompt = "add a boat", .aspect_ratio = "4:3",
                                               .size = PEEL_IMAGE_SIZE_512,
                                               .model = "gemini-3.1-flash-image-preview" },
                             &error);
    g_assert_no_error (error);
    peel_session_set_hidden (session, failed, TRUE, &error);
    g_assert_no_error (error);
    g_clear_pointer (&journal, g_bytes_unref);
    journal = read_file (path, "journal.jsonl");
    save (store_dir, "snapshot-and-journal", snapshot, journal);
  }

  exported = peel_export_node_png (child, PEEL_EXPORT_DEFAULT, &error);
  g_assert_no_error (error);
  save (png_dir, "exported.png", exported, NULL);
  save (png_dir, "plain.png", png, NULL);

  {
    const char *types[] = { "png", "jpeg", "bmp", "ico", "tiff" };

    for (guint i = 0; i < G_N_ELEMENTS (types); i++)
      {
        g_autoptr(GBytes) bytes = tiny_image (types[i], 5, 4);
        g_autofree char *name = g_strdup_printf ("tiny.%s", types[i]);

        save (input_dir, name, bytes, NULL);
      }
  }
  return 0;
}
