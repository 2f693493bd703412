/* fuzz-png-meta.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A PNG someone drops or opens: its peel:* text chunks read back, its header probed, and its
 * lineage imported into a session. */

#include "fuzz-common.h"
#include "peel-export.h"
#include "peel-image-probe.h"
#include "peel-session.h"

int peel_fuzz_png_meta (const guint8 *data, size_t size);

int
peel_fuzz_png_meta (const guint8 *data,
                    size_t        size)
{
  g_autoptr(GBytes) png = g_bytes_new (data, size);
  g_autoptr(GHashTable) meta = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) probe_error = NULL;
  g_autofree char *mime_type = NULL;
  int width = 0, height = 0;

  if (peel_image_probe (png, &width, &height, &mime_type, &probe_error))
    {
      g_assert_cmpint (width, >, 0);
      g_assert_cmpint (height, >, 0);
      g_assert_cmpint (width, <=, PEEL_IMAGE_MAX_SIDE);
      g_assert_cmpint (height, <=, PEEL_IMAGE_MAX_SIDE);
      g_assert_nonnull (mime_type);
    }
  else
    peel_fuzz_check_error (probe_error);

  meta = peel_export_read_metadata (png, &error);
  if (meta == NULL)
    {
      peel_fuzz_check_error (error);
      return 0;
    }

  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, meta);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        g_assert_nonnull (key);
        g_assert_nonnull (value);
      }
  }

  /* Importing decodes nothing but the metadata's JSON; the image goes in as it came. */
  if (g_hash_table_contains (meta, "peel:lineage"))
    {
      g_autoptr(PeelSession) session = peel_session_new ("fuzz");
      g_autoptr(GError) import_error = NULL;

      if (peel_session_import_png (session, png, NULL, &import_error) == NULL)
        peel_fuzz_check_error (import_error);
    }
  return 0;
}

PEEL_FUZZ_TARGET ("png-meta", peel_fuzz_png_meta)
