/* test-image-input.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "peel-gemini-error.h"
#include "peel-image-input.h"

/* Left half red, right half blue: after a rotation the halves say which way it turned. */
static GdkPixbuf *
make_halves (int      width,
             int      height,
             gboolean alpha)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);

  for (int y = 0; y < height; y++)
    {
      for (int x = 0; x < width; x++)
        {
          guchar *p = pixels + y * rowstride + x * n_channels;
          gboolean left = x < width / 2;

          p[0] = left ? 230 : 20;
          p[1] = 20;
          p[2] = left ? 20 : 230;
          if (alpha)
            p[3] = 128;
        }
    }

  return pixbuf;
}

/* Pixels that do not compress, so a PNG is as large as a real photo would make it. */
static GdkPixbuf *
make_noise (int width,
            int height)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  GRand *rand = g_rand_new_with_seed (42);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width * 3; x++)
      pixels[y * rowstride + x] = (guchar) g_rand_int (rand);

  g_rand_free (rand);
  return pixbuf;
}

static GBytes *
save (GdkPixbuf  *pixbuf,
      const char *type)
{
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize len = 0;

  if (strcmp (type, "jpeg") == 0)
    gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, type, &error, "quality", "90", NULL);
  else
    gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, type, &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, len);
}

static GdkPixbuf *
decode_part (const PeelPart *part)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_loader_write_bytes (loader, part->data, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);

  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static PeelPart *
prepare_ok (GBytes     *bytes,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  PeelPart *part = peel_image_input_prepare (bytes, name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (part);
  g_assert_cmpint (part->kind, ==, PEEL_PART_IMAGE);
  g_assert_false (part->thought);
  g_assert_null (part->signature);
  return part;
}

static void
assert_refused (GBytes     *bytes,
                const char *name,
                const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelPart) part = peel_image_input_prepare (bytes, name, &error);

  g_assert_null (part);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT);
  if (strstr (error->message, message) == NULL)
    g_error ("“%s” does not say “%s”", error->message, message);
}

static void
put_be32 (guchar  *p,
          guint32  v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

static guint32
crc32 (const guchar *data,
       gsize         len)
{
  guint32 crc = 0xffffffff;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
    }

  return crc ^ 0xffffffff;
}

/* A PNG of a few dozen bytes whose header claims @width × @height: a decompression bomb. */
static GBytes *
make_png_header_only (guint32 width,
                      guint32 height)
{
  static const guchar signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guchar iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };
  guchar png[8 + 25 + 12];

  memcpy (png, signature, 8);
  put_be32 (png + 8, 13);
  memcpy (png + 12, "IHDR", 4);
  put_be32 (png + 16, width);
  put_be32 (png + 20, height);
  png[24] = 8;   /* bit depth */
  png[25] = 2;   /* RGB */
  png[26] = png[27] = png[28] = 0;
  put_be32 (png + 29, crc32 (png + 12, 17));
  memcpy (png + 33, iend, 12);

  return g_bytes_new (png, sizeof png);
}

/* An APP1 segment holding only IFD0 with the Orientation tag, right after SOI. */
static GBytes *
add_exif_orientation (GBytes *jpeg,
                      guint   orientation)
{
  static const guchar app1_head[] = {
    0xff, 0xe1, 0x00, 0x22,                     /* APP1, length 34 */
    'E', 'x', 'i', 'f', 0, 0,
    'M', 'M', 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,   /* big-endian TIFF, IFD0 at 8 */
    0x00, 0x01,                                 /* one entry */
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, /* Orientation, SHORT, count 1 */
  };
  gsize len;
  const guchar *data = g_bytes_get_data (jpeg, &len);
  GByteArray *out = g_byte_array_new ();
  guchar value[8] = { 0x00, (guchar) orientation, 0, 0, 0, 0, 0, 0 };   /* value, next IFD 0 */

  g_assert_cmpuint (data[0], ==, 0xff);
  g_assert_cmpuint (data[1], ==, 0xd8);
  g_byte_array_append (out, data, 2);
  g_byte_array_append (out, app1_head, sizeof app1_head);
  g_byte_array_append (out, value, sizeof value);
  g_byte_array_append (out, data + 2, len - 2);

  return g_byte_array_free_to_bytes (out);
}

static void
test_png_kept (void)
{
  g_autoptr(GdkPixbuf) pixbuf = make_halves (300, 200, TRUE);
  g_autoptr(GBytes) png = save (pixbuf, "png");
  g_autoptr(PeelPart) part = prepare_ok (png, "logo.png");

  g_assert_cmpstr (part->mime_type, ==, "image/png");
  g_assert_true (g_bytes_equal (part->data, png));
  g_assert_cmpint (part->width, ==, 300);
  g_assert_cmpint (part->height, ==, 200);
}

static void
test_jpeg_kept (void)
{
  g_autoptr(GdkPixbuf) pixbuf = make_halves (300, 200, FALSE);
  g_autoptr(GBytes) jpeg = save (pixbuf, "jpeg");
  g_autoptr(GBytes) upright = add_exif_orientation (jpeg, 1);
  g_autoptr(PeelPart) part = prepare_ok (jpeg, "photo.jpg");
  g_autoptr(PeelPart) upright_part = prepare_ok (upright, "upright.jpg");

  g_assert_cmpstr (part->mime_type, ==, "image/jpeg");
  g_assert_true (g_bytes_equal (part->data, jpeg));
  g_assert_cmpint (part->width, ==, 300);
  g_assert_cmpint (part->height, ==, 200);

  /* Orientation 1 is upright: nothing to turn, so the bytes go as they are. */
  g_assert_true (g_bytes_equal (upright_part->data, upright));
}

static void
test_jpeg_exif_rotated (void)
{
  g_autoptr(GdkPixbuf) pixbuf = make_halves (300, 200, FALSE);
  g_autoptr(GBytes) jpeg = save (pixbuf, "jpeg");
  g_autoptr(GBytes) rotated = add_exif_orientation (jpeg, 6);
  g_autoptr(PeelPart) part = prepare_ok (rotated, "phone.jpg");
  g_autoptr(GdkPixbuf) result = NULL;
  const guchar *pixels;
  int rowstride;
  int n_channels;
  const guchar *top;
  const guchar *bottom;

  g_assert_cmpstr (part->mime_type, ==, "image/jpeg");
  g_assert_false (g_bytes_equal (part->data, rotated));
  g_assert_cmpint (part->width, ==, 200);
  g_assert_cmpint (part->height, ==, 300);

  /* Orientation 6 means "turn 90° clockwise to view": the left (red) half ends on top. */
  result = decode_part (part);
  g_assert_cmpint (gdk_pixbuf_get_width (result), ==, 200);
  g_assert_cmpint (gdk_pixbuf_get_height (result), ==, 300);
  g_assert_null (gdk_pixbuf_get_option (result, "orientation"));
  pixels = gdk_pixbuf_get_pixels (result);
  rowstride = gdk_pixbuf_get_rowstride (result);
  n_channels = gdk_pixbuf_get_n_channels (result);
  top = pixels + 40 * rowstride + 100 * n_channels;
  bottom = pixels + 260 * rowstride + 100 * n_channels;
  g_assert_cmpint (top[0], >, 180);
  g_assert_cmpint (top[2], <, 70);
  g_assert_cmpint (bottom[0], <, 70);
  g_assert_cmpint (bottom[2], >, 180);
}

static void
test_webp_converted (void)
{
  g_autoptr(GdkPixbuf) opaque = make_halves (320, 240, FALSE);
  g_autoptr(GdkPixbuf) translucent = make_halves (64, 48, TRUE);
  g_autoptr(GBytes) webp = save (opaque, "webp");
  g_autoptr(GBytes) webp_alpha = save (translucent, "webp");
  g_autoptr(PeelPart) part = prepare_ok (webp, "shot.webp");
  g_autoptr(PeelPart) alpha_part = prepare_ok (webp_alpha, "cutout.webp");
  g_autoptr(GdkPixbuf) result = decode_part (part);
  g_autoptr(GdkPixbuf) alpha_result = decode_part (alpha_part);

  g_assert_cmpstr (part->mime_type, ==, "image/jpeg");
  g_assert_cmpint (part->width, ==, 320);
  g_assert_cmpint (part->height, ==, 240);
  g_assert_cmpint (gdk_pixbuf_get_width (result), ==, 320);

  g_assert_cmpstr (alpha_part->mime_type, ==, "image/png");
  g_assert_true (gdk_pixbuf_get_has_alpha (alpha_result));
  g_assert_cmpint (alpha_part->width, ==, 64);
  g_assert_cmpint (alpha_part->height, ==, 48);
}

static void
test_gif_converted (void)
{
  /* A 1×1 GIF: the service refuses image/gif, so it must go out as something else. */
  static const guchar gif[] = {
    'G', 'I', 'F', '8', '9', 'a', 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00,
    0xff, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
    0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
  };
  g_autoptr(GBytes) bytes = g_bytes_new_static (gif, sizeof gif);
  g_autoptr(PeelPart) part = prepare_ok (bytes, "dot.gif");
  g_autoptr(GdkPixbuf) result = decode_part (part);

  g_assert_true (g_str_equal (part->mime_type, "image/png") ||
                 g_str_equal (part->mime_type, "image/jpeg"));
  g_assert_cmpint (part->width, ==, 1);
  g_assert_cmpint (part->height, ==, 1);
  g_assert_cmpint (gdk_pixbuf_get_width (result), ==, 1);
}

static void
test_large_downscaled (void)
{
  g_autoptr(GdkPixbuf) big = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 6000, 4000);
  g_autoptr(GdkPixbuf) wide = make_halves (5000, 100, TRUE);
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(PeelPart) part = NULL;
  g_autoptr(PeelPart) wide_part = NULL;
  g_autoptr(GdkPixbuf) result = NULL;

  gdk_pixbuf_fill (big, 0x336699ff);
  jpeg = save (big, "jpeg");
  part = prepare_ok (jpeg, "camera.jpg");
  g_assert_cmpstr (part->mime_type, ==, "image/jpeg");
  g_assert_cmpint (part->width, ==, 4096);
  g_assert_cmpint (part->height, ==, 2731);
  result = decode_part (part);
  g_assert_cmpint (gdk_pixbuf_get_width (result), ==, 4096);
  g_assert_cmpint (gdk_pixbuf_get_height (result), ==, 2731);

  /* A small file can still be too wide; with alpha it stays PNG. */
  png = save (wide, "png");
  wide_part = prepare_ok (png, "strip.png");
  g_assert_cmpstr (wide_part->mime_type, ==, "image/png");
  g_assert_cmpint (wide_part->width, ==, 4096);
  g_assert_cmpint (wide_part->height, ==, 82);
}

/* A PNG over 7 MB is re-encoded even though its size in pixels would do. */
static void
test_heavy_png_reencoded (void)
{
  g_autoptr(GdkPixbuf) noise = make_noise (1600, 1600);
  g_autoptr(GBytes) png = save (noise, "png");
  g_autoptr(PeelPart) part = NULL;

  g_assert_cmpuint (g_bytes_get_size (png), >, PEEL_IMAGE_INPUT_MAX_SENT_BYTES);
  part = prepare_ok (png, "noise.png");
  g_assert_cmpstr (part->mime_type, ==, "image/jpeg");
  g_assert_cmpint (part->width, ==, 1600);
  g_assert_cmpint (part->height, ==, 1600);
}

static void
test_not_an_image (void)
{
  g_autoptr(GBytes) text = g_bytes_new_static ("Shopping list\n- lemons\n- ink\n", 29);
  g_autoptr(GBytes) heic = g_bytes_new_static ("\0\0\0\x18" "ftypheic\0\0\0\0mif1heic", 24);

  assert_refused (text, "notes.txt",
                  "“notes.txt” is not an image Peel can read. Use PNG, JPEG, WebP or GIF.");
  assert_refused (heic, "IMG_0001.HEIC", "“IMG_0001.HEIC” is a HEIC image");
}

static void
test_empty_refused (void)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);

  assert_refused (empty, "empty.png", "“empty.png” is empty.");
}

static void
test_truncated_refused (void)
{
  g_autoptr(GdkPixbuf) noise = make_noise (256, 256);
  g_autoptr(GBytes) png = save (noise, "png");
  g_autoptr(GBytes) jpeg = save (noise, "jpeg");
  g_autoptr(GBytes) cut_png = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) / 2);
  g_autoptr(GBytes) cut_jpeg = g_bytes_new_from_bytes (jpeg, 0, g_bytes_get_size (jpeg) - 500);

  assert_refused (cut_png, "cut.png", "“cut.png” is damaged or incomplete.");
  assert_refused (cut_jpeg, "cut.jpg", "“cut.jpg” is damaged or incomplete.");
}

static void
test_bomb_refused (void)
{
  g_autoptr(GBytes) bomb = make_png_header_only (100000, 100000);
  g_autoptr(GBytes) just_over = make_png_header_only (12000, 9000);
  g_autoptr(GBytes) wide = make_png_header_only (20001, 100);

  g_assert_cmpuint (g_bytes_get_size (bomb), <, 64);
  assert_refused (bomb, "bomb.png", "“bomb.png”");
  assert_refused (bomb, "bomb.png", "100000 × 100000");

  /* Under the probe's own ceiling, over Peel's: 108 megapixels. */
  assert_refused (just_over, "big.png", "“big.png” is 12000 × 9000 pixels, more than Peel opens");
  assert_refused (wide, "wide.png", "“wide.png”");
}

static void
test_too_many_bytes (void)
{
  gsize len = PEEL_IMAGE_INPUT_MAX_FILE_BYTES + 1;
  g_autoptr(GBytes) huge = g_bytes_new_take (g_malloc0 (len), len);

  assert_refused (huge, "poster.tif", "“poster.tif” is 50.0\u00a0MB, more than the 50 MB");
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static PeelPart *
load_file (GFile   *file,
           GError **error)
{
  GAsyncResult *result = NULL;
  PeelPart *part;

  peel_image_input_load_file_async (file, NULL, load_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  part = peel_image_input_load_file_finish (result, error);
  g_object_unref (result);
  return part;
}

static void
test_load_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("peel-image-input-XXXXXX", &error);
  g_autofree char *png_path = g_build_filename (dir, "sketch.png", NULL);
  g_autofree char *huge_path = g_build_filename (dir, "huge.png", NULL);
  g_autofree char *missing_path = g_build_filename (dir, "missing.png", NULL);
  g_autoptr(GFile) png_file = g_file_new_for_path (png_path);
  g_autoptr(GFile) huge_file = g_file_new_for_path (huge_path);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing_path);
  g_autoptr(GdkPixbuf) pixbuf = make_halves (40, 30, FALSE);
  g_autoptr(GBytes) png = save (pixbuf, "png");
  g_autoptr(PeelPart) part = NULL;
  g_autoptr(PeelPart) huge_part = NULL;
  g_autoptr(PeelPart) missing_part = NULL;
  int fd;

  g_assert_no_error (error);
  g_file_set_contents (png_path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error);
  g_assert_no_error (error);

  part = load_file (png_file, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (part->data, png));
  g_assert_cmpint (part->width, ==, 40);
  g_assert_cmpint (part->height, ==, 30);

  /* A sparse 60 MB file: refused from its size, by its name. */
  fd = g_open (huge_path, O_CREAT | O_WRONLY, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 60 * 1000 * 1000), ==, 0);
  close (fd);
  huge_part = load_file (huge_file, &error);
  g_assert_null (huge_part);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, "“huge.png” is 60.0\u00a0MB"));
  g_clear_error (&error);

  missing_part = load_file (missing_file, &error);
  g_assert_null (missing_part);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  g_unlink (png_path);
  g_unlink (huge_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Peel/ImageInput/png-kept", test_png_kept);
  g_test_add_func ("/Peel/ImageInput/jpeg-kept", test_jpeg_kept);
  g_test_add_func ("/Peel/ImageInput/jpeg-exif-rotated", test_jpeg_exif_rotated);
  g_test_add_func ("/Peel/ImageInput/webp-converted", test_webp_converted);
  g_test_add_func ("/Peel/ImageInput/gif-converted", test_gif_converted);
  g_test_add_func ("/Peel/ImageInput/large-downscaled", test_large_downscaled);
  g_test_add_func ("/Peel/ImageInput/heavy-png-reencoded", test_heavy_png_reencoded);
  g_test_add_func ("/Peel/ImageInput/not-an-image", test_not_an_image);
  g_test_add_func ("/Peel/ImageInput/empty", test_empty_refused);
  g_test_add_func ("/Peel/ImageInput/truncated", test_truncated_refused);
  g_test_add_func ("/Peel/ImageInput/bomb", test_bomb_refused);
  g_test_add_func ("/Peel/ImageInput/too-many-bytes", test_too_many_bytes);
  g_test_add_func ("/Peel/ImageInput/load-file", test_load_file);

  return g_test_run ();
}
