/* store-test-util.c
 *
 * Turns with real PNG images, for the tests of sessions on disk.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "store-test-util.h"

GBytes *
store_test_png (int     width,
                int     height,
                guint32 color)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  char *buffer = NULL;
  gsize len = 0;

  gdk_pixbuf_fill (pixbuf, color);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", NULL, NULL));
  return g_bytes_new_take (buffer, len);
}

static gboolean
complete (PeelSession  *session,
          PeelNode     *node,
          guint32       color,
          GError      **error)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GBytes) image = store_test_png (64, 36, color);
  PeelTurnResult result = { 18, 1126, 0, 0.067, "STOP", NULL, NULL, NULL };

  g_ptr_array_add (parts, peel_part_new_text ("Here it is.", FALSE));
  g_ptr_array_add (parts, peel_part_new_image ("image/png", image, FALSE));
  return peel_session_complete_turn (session, node, parts, &result, error);
}

void
store_test_complete (PeelSession *session,
                     PeelNode    *node,
                     guint32      color)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (complete (session, node, color, &error));
  g_assert_no_error (error);
}

PeelNode *
store_test_generate_unchecked (PeelSession  *session,
                               PeelNode     *parent,
                               const char   *prompt,
                               guint32       color,
                               GError      **error)
{
  PeelNode *node = peel_session_begin_turn (session, parent,
                                            &(PeelTurnSpec) { .prompt = prompt,
                                                              .aspect_ratio = "16:9",
                                                              .size = PEEL_IMAGE_SIZE_1K },
                                            error);

  if (node != NULL)
    complete (session, node, color, error);
  return node;
}

PeelNode *
store_test_generate (PeelSession *session,
                     PeelNode    *parent,
                     const char  *prompt,
                     guint32      color)
{
  g_autoptr(GError) error = NULL;
  PeelNode *node = store_test_generate_unchecked (session, parent, prompt, color, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}
