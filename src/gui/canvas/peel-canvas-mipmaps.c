/* peel-canvas-mipmaps.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sys/mman.h>

#include "peel-canvas-private.h"

/* Images */

int
_peel_canvas_image_width (PeelCanvasImage *image)
{
  return image->texture ? gdk_texture_get_width (image->texture) : 0;
}

int
_peel_canvas_image_height (PeelCanvasImage *image)
{
  return image->texture ? gdk_texture_get_height (image->texture) : 0;
}

static void
drop_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_ptr_array_unref (task_data);
}

/* Freeing a 4K image's pixels gives 60 MB back to the system, which takes tens of
 * milliseconds (window-bench caught it as the longest stall): a thread lets go of them. Only
 * plain memory goes there; textures, which a renderer may have put data on, are let go of
 * here. */
static void
drop_pixels (GPtrArray *pixels)
{
  g_autoptr(GTask) task = NULL;

  if (pixels == NULL)
    return;
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, drop_pixels);
  g_task_set_name (task, "[peel] drop pixels");
  g_task_set_task_data (task, pixels, NULL);
  g_task_run_in_thread (task, drop_thread);
}

void
_peel_canvas_image_clear (PeelCanvasImage *image)
{
  if (image->cancellable)
    g_cancellable_cancel (image->cancellable);
  g_clear_object (&image->cancellable);
  g_clear_pointer (&image->mipmaps, g_ptr_array_unref);
  g_clear_pointer (&image->tiles, g_hash_table_unref);
  g_clear_object (&image->texture);
  g_clear_pointer (&image->source, g_bytes_unref);
  g_clear_pointer (&image->shrunk_node, gsk_render_node_unref);
  g_clear_pointer (&image->shrunk, cairo_surface_destroy);
  /* Before the levels go, so that the last reference to them is dropped in the thread. */
  g_clear_pointer (&image->shrunk_source, g_bytes_unref);
  drop_pixels (g_steal_pointer (&image->pixels));
  image->opaque = FALSE;
}

GdkTexture *
_peel_canvas_image_pick (PeelCanvasImage *image,
                         double           device_scale,
                         int             *level)
{
  int l = 0;

  if (image->mipmaps)
    l = peel_canvas_mipmap_level (device_scale, image->mipmaps->len);

  if (level)
    *level = l;

  return l > 0 ? g_ptr_array_index (image->mipmaps, l - 1) : image->texture;
}

guint8 *
_peel_canvas_download (GdkTexture *texture,
                       gsize      *stride)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  guint8 *pixels;

  *stride = (gsize) width * 4;
  pixels = g_malloc ((gsize) height * *stride);
  gdk_texture_download (texture, pixels, *stride);

  return pixels;
}

GdkTexture *
_peel_canvas_wrap_pixels (guint8 *pixels,
                          int     width,
                          int     height,
                          gsize   stride)
{
  g_autoptr(GBytes) bytes = g_bytes_new_take (pixels, (gsize) height * stride);

  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, stride);
}

typedef struct
{
  gpointer data;
  gsize    size;
} Mapping;

static void
unmap_pixels (gpointer data)
{
  Mapping *mapping = data;

  munmap (mapping->data, mapping->size);
  g_free (mapping);
}

/* Memory for the pixels of a level, @size bytes at *@data to fill in. The first touch of each
 * 4 KB page of fresh memory costs a fault, and for the tens of MB of a 4K image that is where
 * most of the time of "decoding" went in window-bench's virtual machine (filling 67 MB: 0.7 s
 * once, 15 ms again); the kernel's huge pages, asked for here, make the faults 512 times
 * fewer where it has them. */
GBytes *
_peel_canvas_new_pixels (gsize    size,
                         guint8 **data)
{
#ifdef MADV_HUGEPAGE
  if (size >= 4 * 1024 * 1024)
    {
      void *pages = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

      if (pages != MAP_FAILED)
        {
          Mapping *mapping = g_new (Mapping, 1);

          madvise (pages, size, MADV_HUGEPAGE);
          mapping->data = pages;
          mapping->size = size;
          *data = pages;
          return g_bytes_new_with_free_func (pages, size, unmap_pixels, mapping);
        }
    }
#endif
  *data = g_malloc (size);
  return g_bytes_new_take (*data, size);
}

struct _PeelCanvasMipmaps
{
  GdkTexture *texture;  /* the texture they were made from */
  GPtrArray  *levels;   /* GdkTexture of levels 1…n */
  GPtrArray  *pixels;   /* GBytes of levels 0…n */
  gboolean    opaque;
};

typedef PeelCanvasMipmaps Mipmaps;

void
_peel_canvas_mipmaps_free (PeelCanvasMipmaps *mipmaps)
{
  if (mipmaps == NULL)
    return;

  g_clear_object (&mipmaps->texture);
  g_clear_pointer (&mipmaps->levels, g_ptr_array_unref);
  drop_pixels (g_steal_pointer (&mipmaps->pixels));
  g_free (mipmaps);
}

#define mipmaps_free _peel_canvas_mipmaps_free

/* Makes the smaller copies of @texture from its pixels (@level0, in GDK_MEMORY_DEFAULT with
 * @stride) in a worker; @opaque is -1 when not known yet. %NULL once @cancellable is. */
PeelCanvasMipmaps *
_peel_canvas_make_mipmaps_from (GdkTexture   *texture,
                                GBytes       *level0,
                                gsize         stride,
                                int           opaque,
                                GCancellable *cancellable)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  int n = peel_canvas_mipmap_count (width, height);
  g_autoptr(PeelCanvasMipmaps) result = g_new0 (Mipmaps, 1);
  const guint8 *src = g_bytes_get_data (level0, NULL);

  result->texture = g_object_ref (texture);
  result->levels = g_ptr_array_new_with_free_func (g_object_unref);
  result->pixels = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  result->opaque = opaque >= 0 ? opaque : peel_canvas_pixels_opaque (src, width, height, stride);
  g_ptr_array_add (result->pixels, g_bytes_ref (level0));

  for (int l = 1; l <= n; l++)
    {
      int w = MAX (1, width / 2);
      int h = MAX (1, height / 2);
      gsize dst_stride = (gsize) w * 4;
      guint8 *dst;
      GBytes *bytes;

      if (g_cancellable_is_cancelled (cancellable))
        return NULL;

      bytes = _peel_canvas_new_pixels ((gsize) h * dst_stride, &dst);
      peel_canvas_downsample_half (src, width, height, stride, dst, dst_stride);
      g_ptr_array_add (result->pixels, bytes);
      g_ptr_array_add (result->levels,
                       gdk_memory_texture_new (w, h, GDK_MEMORY_DEFAULT, bytes, dst_stride));

      src = dst;
      width = w;
      height = h;
      stride = dst_stride;
    }

  return g_steal_pointer (&result);
}

/* Makes the smaller copies the canvas draws when zoomed out, in a worker: the one that
 * decoded the image makes them at once, so the canvas never has to draw (and, with GL,
 * upload) the full-size texture just to show it fitted. Level 0 is read even when no smaller
 * copy is needed, to know whether it is opaque. %NULL once @cancellable is. */
PeelCanvasMipmaps *
_peel_canvas_make_mipmaps (GdkTexture   *texture,
                           GCancellable *cancellable)
{
  gsize stride = 0;
  guint8 *pixels = _peel_canvas_download (texture, &stride);
  g_autoptr(GBytes) level0 =
    g_bytes_new_take (pixels, (gsize) gdk_texture_get_height (texture) * stride);

  return _peel_canvas_make_mipmaps_from (texture, level0, stride, -1, cancellable);
}

/* Runs in a worker: the texture is immutable and a memory texture downloads without GL. */
static void
mipmaps_worker (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Mipmaps *result = _peel_canvas_make_mipmaps (task_data, cancellable);

  if (result == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
  else
    g_task_return_pointer (task, result, (GDestroyNotify) mipmaps_free);
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

/* The cairo renderer converts a whole texture to a surface on every frame; it gets only the
 * visible part instead, cut without copying from the levels' pixels. GL keeps textures
 * uploaded, so there a large level is drawn as tiles cut from the same pixels, and only the
 * tiles that have been on screen are ever uploaded.
 */
gboolean
_peel_canvas_wants_pixels (PeelCanvas *self)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  GskRenderer *renderer = native ? gtk_native_get_renderer (native) : NULL;

  return renderer == NULL || GSK_IS_CAIRO_RENDERER (renderer);
}

static void
mipmaps_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(PeelCanvas) self = g_weak_ref_get (ref);
  GdkTexture *texture = g_task_get_task_data (G_TASK (result));
  g_autoptr(PeelCanvasMipmaps) mipmaps = g_task_propagate_pointer (G_TASK (result), NULL);

  weak_ref_free (ref);

  if (self == NULL || mipmaps == NULL)
    return;

  for (guint i = 0; i < 2; i++)
    {
      PeelCanvasImage *image = i == 0 ? &self->image : &self->compare;

      if (image->texture != texture || image->mipmaps != NULL)
        continue;

      image->mipmaps = g_ptr_array_ref (mipmaps->levels);
      image->opaque = mipmaps->opaque;
      image->pixels = g_ptr_array_ref (mipmaps->pixels);
      g_clear_object (&image->cancellable);
    }

  _peel_canvas_update_difference (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
_peel_canvas_image_set_prepared (PeelCanvas        *self,
                                 PeelCanvasImage   *image,
                                 GdkTexture        *texture,
                                 PeelCanvasMipmaps *prepared)
{
  g_autoptr(GTask) task = NULL;
  GWeakRef *ref;

  if (image->texture == texture)
    return FALSE;

  _peel_canvas_image_clear (image);
  if (texture == NULL)
    return TRUE;

  image->texture = g_object_ref (texture);

  if (prepared != NULL && prepared->texture == texture)
    {
      image->mipmaps = g_ptr_array_ref (prepared->levels);
      image->opaque = prepared->opaque;
      image->pixels = g_ptr_array_ref (prepared->pixels);
      return TRUE;
    }

  image->cancellable = g_cancellable_new ();

  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  task = g_task_new (NULL, image->cancellable, mipmaps_done_cb, ref);
  g_task_set_source_tag (task, _peel_canvas_image_set_prepared);
  g_task_set_name (task, "[peel] canvas mipmaps");
  g_task_set_task_data (task, g_object_ref (texture), g_object_unref);
  g_task_run_in_thread (task, mipmaps_worker);

  return TRUE;
}

gboolean
_peel_canvas_image_set (PeelCanvas      *self,
                        PeelCanvasImage *image,
                        GdkTexture      *texture)
{
  return _peel_canvas_image_set_prepared (self, image, texture, NULL);
}
