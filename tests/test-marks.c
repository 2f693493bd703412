/* test-marks.c
 *
 * Marks round-trip through their JSON form, hostile documents are refused with a message, and
 * "Send with marks" draws them where they are on a copy of the image, never on the image.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-marks-render.h"

static const char *document =
  "{\"version\":1,\"marks\":["
  "{\"kind\":\"arrow\",\"color\":\"#e01b24\",\"width\":6,\"points\":[[10,10],[90,50]]},"
  "{\"kind\":\"rectangle\",\"color\":\"#3584e4\",\"width\":4,\"points\":[[120,20],[180,70]]},"
  "{\"kind\":\"ellipse\",\"color\":\"#33d17a\",\"width\":4,\"points\":[[20,120],[80,180]]},"
  "{\"kind\":\"stroke\",\"color\":\"#f6d32d\",\"width\":8,\"points\":[[100,100],[120,130],[150,110]]},"
  "{\"kind\":\"text\",\"color\":\"#ffffff\",\"width\":5,\"points\":[[110,150]],"
  "\"text\":\"make this blue\"}]}";

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) marks = peel_marks_from_json (document, -1, &error);
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;
  const PeelMark *text;

  g_assert_no_error (error);
  g_assert_cmpuint (marks->len, ==, 5);
  text = g_ptr_array_index (marks, 4);
  g_assert_cmpint (text->kind, ==, PEEL_MARK_TEXT);
  g_assert_cmpstr (text->text, ==, "make this blue");

  json = peel_marks_to_json (marks);
  again = peel_marks_from_json (json, -1, &error);
  g_assert_no_error (error);
  json_again = peel_marks_to_json (again);
  g_assert_cmpstr (json, ==, json_again);
}

static void
test_hostile (void)
{
  const char *bad[] = {
    "[]",
    "{\"marks\":{}}",
    "{\"version\":2,\"marks\":[]}",
    "{\"marks\":[{\"kind\":\"laser\",\"points\":[[1,1],[2,2]]}]}",
    "{\"marks\":[{\"kind\":\"arrow\",\"color\":\"#123456\",\"points\":[[1,1],[2,2]]}]}",
    "{\"marks\":[{\"kind\":\"arrow\",\"points\":[[1,1]]}]}",
    "{\"marks\":[{\"kind\":\"arrow\",\"points\":[[1,1],[2,1e300]]}]}",
    "{\"marks\":[{\"kind\":\"arrow\",\"points\":[[1,1],[2,\"2\"]]}]}",
    "{\"marks\":[{\"kind\":\"text\",\"points\":[[1,1]],\"text\":\"   \"}]}",
    "{\"marks\":[{\"kind\":\"stroke\",\"width\":100000,\"points\":[[1,1]]}]}",
    "{\"marks\":[1]}",
    "{\"marks\":[{\"kind\":\"arrow\",\"points\":[[1,1],[2,2]]}",
  };
  g_autoptr(GString) many = g_string_new ("{\"marks\":[");
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) long_note = g_string_new ("{\"marks\":[{\"kind\":\"text\",\"points\":[[1,1]],"
                                               "\"text\":\"");
  g_autoptr(GError) error = NULL;
  GPtrArray *marks;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      marks = peel_marks_from_json (bad[i], -1, &error);
      g_assert_null (marks);
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, !=, "");
      g_clear_error (&error);
    }

  for (int i = 0; i < PEEL_MARKS_MAX_MARKS + 1; i++)
    g_string_append_printf (many, "%s{\"kind\":\"stroke\",\"points\":[[1,1]]}", i ? "," : "");
  g_string_append (many, "]}");
  g_assert_null (peel_marks_from_json (many->str, -1, &error));
  g_assert_error (error, PEEL_MARKS_ERROR, PEEL_MARKS_ERROR_TOO_LARGE);
  g_clear_error (&error);

  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  g_assert_null (peel_marks_from_json (deep->str, -1, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  for (int i = 0; i < PEEL_MARKS_MAX_TEXT + 1; i++)
    g_string_append (long_note, "é");
  g_string_append (long_note, "\"}]}");
  g_assert_null (peel_marks_from_json (long_note->str, -1, &error));
  g_assert_error (error, PEEL_MARKS_ERROR, PEEL_MARKS_ERROR_INVALID);
}

static gboolean
same_pixel (GdkPixbuf *a,
            GdkPixbuf *b,
            int        x,
            int        y)
{
  const guint8 *p = gdk_pixbuf_read_pixels (a) + y * gdk_pixbuf_get_rowstride (a) +
                    x * gdk_pixbuf_get_n_channels (a);
  const guint8 *q = gdk_pixbuf_read_pixels (b) + y * gdk_pixbuf_get_rowstride (b) +
                    x * gdk_pixbuf_get_n_channels (b);

  return memcmp (p, q, 3) == 0;
}

static void
test_render (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) marks = peel_marks_from_json (document, -1, &error);
  g_autoptr(GdkPixbuf) image = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 256, 256);
  g_autoptr(GdkPixbuf) before = NULL;
  g_autoptr(GdkPixbuf) marked = NULL;

  gdk_pixbuf_fill (image, 0x808080ff);
  before = gdk_pixbuf_copy (image);
  marked = peel_marks_render (image, marks);
  g_assert_nonnull (marked);

  /* On the arrow's shaft, the rectangle's edge and the stroke: drawn. */
  g_assert_false (same_pixel (image, marked, 50, 30));
  g_assert_false (same_pixel (image, marked, 150, 20));
  g_assert_false (same_pixel (image, marked, 120, 130));
  /* Far from every mark, and the image itself: untouched. */
  g_assert_true (same_pixel (image, marked, 240, 240));
  g_assert_true (same_pixel (image, marked, 150, 45));
  g_assert_cmpmem (gdk_pixbuf_read_pixels (image), 256 * gdk_pixbuf_get_rowstride (image),
                   gdk_pixbuf_read_pixels (before), 256 * gdk_pixbuf_get_rowstride (before));
}

static void
test_describe (void)
{
  g_autoptr(GPtrArray) marks = peel_marks_from_json (document, -1, NULL);
  g_autofree char *text = peel_marks_describe (marks);

  g_assert_nonnull (strstr (text, "must not show"));
  g_assert_nonnull (strstr (text, "Note in white: \"make this blue\""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Peel/Marks/round-trip", test_round_trip);
  g_test_add_func ("/Peel/Marks/hostile", test_hostile);
  g_test_add_func ("/Peel/Marks/render", test_render);
  g_test_add_func ("/Peel/Marks/describe", test_describe);

  return g_test_run ();
}
