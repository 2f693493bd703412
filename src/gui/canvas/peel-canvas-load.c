/* peel-canvas-load.c
 *
 * Encoded images in, shown images out: the canvas decodes an image and makes its smaller
 * copies in one worker, off the main loop, and decodes each image once. A final image whose
 * bytes are those of the preview shown (or still being decoded) is not decoded again.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-canvas-private.h"
#include "peel-image-probe.h"
#include "peel-node.h"

typedef enum
{
  DECODED,      /* a texture, and its smaller copies unless a newer load stopped them */
  SAME_AS_SHOWN,
  SAME_AS_DECODING,
  FAILED,
} Outcome;

/* One decode in flight, and the loads waiting for it: the one that asked for it, and any
 * newer one that found the same bytes. */
typedef struct
{
  PeelCanvasLayer     layer;
  GBytes             *bytes;          /* set once, by the worker when it reads them */
  PeelCanvasReadFunc  read;
  gpointer            read_data;
  GDestroyNotify      read_destroy;
  GCancellable       *cancellable;    /* stops the smaller copies, never the decoding */
  GPtrArray          *waiters;        /* GTask of the loads, oldest first (main thread) */
  gboolean            no_shortcut;    /* decode even when the bytes are known */

  /* Given to the worker, read only there. */
  GBytes             *shown;
  GPtrArray          *others;         /* older Decode in flight */

  /* What the worker found. */
  Outcome             outcome;
  gpointer            same;           /* the Decode of SAME_AS_DECODING */
  GdkTexture         *texture;
  PeelCanvasMipmaps  *mipmaps;
  GError             *error;
  PeelCanvasLoadTimes times;
} Decode;

static void decode_unref (Decode *decode);

static void
decode_clear (Decode *decode)
{
  g_clear_pointer (&decode->bytes, g_bytes_unref);
  if (decode->read_destroy != NULL)
    decode->read_destroy (decode->read_data);
  decode->read_destroy = NULL;
  g_clear_object (&decode->cancellable);
  g_clear_pointer (&decode->waiters, g_ptr_array_unref);
  g_clear_pointer (&decode->shown, g_bytes_unref);
  g_clear_pointer (&decode->others, g_ptr_array_unref);
  g_clear_pointer (&decode->same, decode_unref);
  g_clear_object (&decode->texture);
  g_clear_pointer (&decode->mipmaps, _peel_canvas_mipmaps_free);
  g_clear_error (&decode->error);
}

static Decode *
decode_ref (Decode *decode)
{
  return g_atomic_rc_box_acquire (decode);
}

static void
decode_unref (Decode *decode)
{
  g_atomic_rc_box_release_full (decode, (GDestroyNotify) decode_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Decode, decode_unref)

/* A load's serial: the newest one of its layer is shown, an older one is not. */
static guint
task_serial (GTask *task)
{
  return GPOINTER_TO_UINT (g_task_get_task_data (task));
}

static gboolean
same_bytes (GBytes *a,
            GBytes *b)
{
  return a != NULL && b != NULL && (a == b || g_bytes_equal (a, b));
}

/* The limits every image Peel reads has: no image whose header claims more pixels than Peel
 * opens safely is decoded at all. Returns %FALSE with @error set for one. */
static gboolean
check_size (GBytes  *bytes,
            GError **error)
{
  int width = 0;
  int height = 0;

  if (peel_image_bytes_get_size (bytes, NULL, &width, &height) &&
      (width > PEEL_IMAGE_MAX_SIDE || height > PEEL_IMAGE_MAX_SIDE ||
       (guint64) width * (guint64) height > PEEL_IMAGE_MAX_PIXELS))
    {
      /* The probe says why, in the words it uses wherever an image is read. */
      if (!peel_image_probe (bytes, NULL, NULL, NULL, error))
        return FALSE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: the numbers are an image's width and height */
                   _("The image says it is %d × %d pixels, more than Peel opens safely."),
                   width, height);
      return FALSE;
    }

  return TRUE;
}

/* Decodes with GdkPixbuf straight into the pixels the canvas draws from (GDK_MEMORY_DEFAULT:
 * premultiplied B G R A), so that the full-size level needs no second conversion: GTK's own
 * download of a decoded texture converts each pixel through a slow general path, and cost as
 * much as decoding (window-bench). %NULL for what GdkPixbuf does not read as 8-bit RGB(A). */
static GdkTexture *
decode_pixels (GBytes  *bytes,
               GBytes **level0,
               gsize   *level0_stride,
               int     *opaque)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  GdkPixbuf *pixbuf;
  const guint8 *src;
  guint8 *dst;
  int width, height, channels, rowstride;
  gsize stride;
  gboolean all_opaque = TRUE;

  if (!gdk_pixbuf_loader_write_bytes (loader, bytes, NULL) ||
      !gdk_pixbuf_loader_close (loader, NULL) ||
      (pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
    {
      gdk_pixbuf_loader_close (loader, NULL);
      return NULL;
    }

  channels = gdk_pixbuf_get_n_channels (pixbuf);
  if (gdk_pixbuf_get_colorspace (pixbuf) != GDK_COLORSPACE_RGB ||
      gdk_pixbuf_get_bits_per_sample (pixbuf) != 8 || (channels != 3 && channels != 4) ||
      (channels == 4) != !!gdk_pixbuf_get_has_alpha (pixbuf))
    return NULL;

  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  src = gdk_pixbuf_read_pixels (pixbuf);
  stride = (gsize) width * 4;
  *level0 = _peel_canvas_new_pixels ((gsize) height * stride, &dst);

  for (int y = 0; y < height; y++)
    {
      const guint8 *s = src + (gsize) y * rowstride;
      guint8 *d = dst + (gsize) y * stride;

      if (channels == 3)
        for (int x = 0; x < width; x++, s += 3, d += 4)
          {
            d[0] = s[2];
            d[1] = s[1];
            d[2] = s[0];
            d[3] = 255;
          }
      else
        for (int x = 0; x < width; x++, s += 4, d += 4)
          {
            guint a = s[3];

            d[0] = (s[2] * a + 127) / 255;
            d[1] = (s[1] * a + 127) / 255;
            d[2] = (s[0] * a + 127) / 255;
            d[3] = a;
            all_opaque &= a == 255;
          }
    }

  *level0_stride = stride;
  *opaque = all_opaque;
  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, *level0, stride);
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Decode *decode = task_data;
  GBytes *bytes = g_atomic_pointer_get (&decode->bytes);
  g_autoptr(GBytes) level0 = NULL;
  gsize stride = 0;
  int opaque = -1;

  if (bytes == NULL)
    {
      bytes = decode->read (decode->read_data, decode->cancellable, &decode->error);
      if (bytes == NULL)
        {
          decode->outcome = FAILED;
          g_task_return_boolean (task, TRUE);
          return;
        }
      g_atomic_pointer_set (&decode->bytes, bytes);
    }

  if (!decode->no_shortcut && same_bytes (bytes, decode->shown))
    {
      decode->outcome = SAME_AS_SHOWN;
      g_task_return_boolean (task, TRUE);
      return;
    }

  for (guint i = 0; !decode->no_shortcut && i < decode->others->len; i++)
    {
      Decode *other = g_ptr_array_index (decode->others, i);

      if (same_bytes (bytes, g_atomic_pointer_get (&other->bytes)))
        {
          decode->outcome = SAME_AS_DECODING;
          decode->same = decode_ref (other);
          g_task_return_boolean (task, TRUE);
          return;
        }
    }

  /* Another image is wanted now: the older ones need no smaller copies. */
  for (guint i = 0; i < decode->others->len; i++)
    g_cancellable_cancel (((Decode *) g_ptr_array_index (decode->others, i))->cancellable);

  if (!check_size (bytes, &decode->error))
    {
      decode->times.decoded = g_get_monotonic_time ();
      decode->outcome = FAILED;
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Only what the probe finds whole, in its words when it does not: GdkPixbuf makes a
   * picture of a cut-off PNG, and GTK 4.8's own loader leaks the pixels it had read so far. */
  if (peel_image_probe (bytes, NULL, NULL, NULL, &decode->error))
    {
      decode->texture = decode_pixels (bytes, &level0, &stride, &opaque);
      /* What GdkPixbuf does not read as 8-bit RGB(A) (16-bit PNGs), as GTK reads it. */
      if (decode->texture == NULL)
        decode->texture = gdk_texture_new_from_bytes (bytes, &decode->error);
    }
  decode->times.decoded = g_get_monotonic_time ();
  if (decode->texture == NULL)
    {
      decode->outcome = FAILED;
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (level0 != NULL)
    decode->mipmaps = _peel_canvas_make_mipmaps_from (decode->texture, level0, stride, opaque,
                                                      decode->cancellable);
  else
    decode->mipmaps = _peel_canvas_make_mipmaps (decode->texture, decode->cancellable);
  decode->times.shrunk = g_get_monotonic_time ();
  decode->outcome = DECODED;
  g_task_return_boolean (task, TRUE);
}

static void start_decode (PeelCanvas *self,
                          Decode     *decode);


/* Whether @task is the load to show: the newest of its layer, and still wanted. */
static gboolean
is_current (PeelCanvas      *self,
            GTask           *task,
            PeelCanvasLayer  layer)
{
  return task_serial (task) == self->loads[layer].serial &&
         !g_cancellable_is_cancelled (g_task_get_cancellable (task));
}

static void
return_cancelled (GTask *task)
{
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("A newer image was asked for."));
}

/* Ends every load waiting on @decode: the current one with @error (or success), the others
 * as cancelled. Returns whether one was current. */
static gboolean
finish_waiters (PeelCanvas   *self,
                Decode       *decode,
                const GError *error)
{
  gboolean current = FALSE;

  for (guint i = 0; i < decode->waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (decode->waiters, i);

      if (!is_current (self, task, decode->layer))
        return_cancelled (task);
      else if (error != NULL)
        {
          current = TRUE;
          g_task_return_error (task, g_error_copy (error));
        }
      else
        {
          current = TRUE;
          g_task_return_boolean (task, TRUE);
        }
    }
  g_ptr_array_set_size (decode->waiters, 0);
  return current;
}

static gboolean
has_current_waiter (PeelCanvas *self,
                    Decode     *decode)
{
  for (guint i = 0; i < decode->waiters->len; i++)
    if (is_current (self, g_ptr_array_index (decode->waiters, i), decode->layer))
      return TRUE;
  return FALSE;
}

static void
show_decoded (PeelCanvas *self,
              Decode     *decode,
              Decode     *timed)
{
  _peel_canvas_set_prepared (self, decode->layer, decode->texture, decode->mipmaps,
                             decode->bytes);
  if (decode->layer == PEEL_CANVAS_IMAGE)
    {
      self->load_times = timed->times;
      self->load_times.set = g_get_monotonic_time ();
    }
}

static void
decode_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PeelCanvas) self = PEEL_CANVAS (user_data);
  /* The task's reference, let go of here: what a decode holds (a node, textures) is freed on
   * the main thread, never in the worker that may drop the task last. */
  g_autoptr(Decode) decode = g_task_get_task_data (G_TASK (result));
  PeelCanvasLoads *loads = &self->loads[decode->layer];
  PeelCanvasImage *image = decode->layer == PEEL_CANVAS_IMAGE ? &self->image : &self->compare;
  Decode *same = decode->same;

  if (loads->decoding == NULL)
    {
      /* The canvas went away meanwhile. */
      finish_waiters (self, decode, NULL);
      return;
    }
  g_ptr_array_remove (loads->decoding, decode);
  /* The worker is done with them; kept, they would hold older images in memory. */
  g_clear_pointer (&decode->others, g_ptr_array_unref);

  switch (decode->outcome)
    {
    case FAILED:
      finish_waiters (self, decode, decode->error);
      return;

    case SAME_AS_SHOWN:
      if (!has_current_waiter (self, decode) || image->source == decode->shown)
        {
          if (has_current_waiter (self, decode) && decode->layer == PEEL_CANVAS_IMAGE)
            self->load_times.reused = g_get_monotonic_time ();
          finish_waiters (self, decode, NULL);
          return;
        }
      break;

    case SAME_AS_DECODING:
      if (!has_current_waiter (self, decode))
        {
          finish_waiters (self, decode, NULL);
          return;
        }
      if (g_ptr_array_find (loads->decoding, same, NULL))
        {
          /* The one decoding these bytes ends the wait. */
          same->times.reused = g_get_monotonic_time ();
          g_ptr_array_extend_and_steal (same->waiters, g_steal_pointer (&decode->waiters));
          decode->waiters = g_ptr_array_new_with_free_func (g_object_unref);
          return;
        }
      if (loads->spare == same)
        {
          same->times.reused = g_get_monotonic_time ();
          show_decoded (self, same, same);
          g_clear_pointer (&loads->spare, decode_unref);
          finish_waiters (self, decode, NULL);
          return;
        }
      if (image->source != NULL && image->source == same->bytes)
        {
          finish_waiters (self, decode, NULL);
          return;
        }
      break;

    case DECODED:
    default:
      if (has_current_waiter (self, decode))
        {
          g_clear_pointer (&loads->spare, decode_unref);
          show_decoded (self, decode, decode);
        }
      else
        {
          /* A newer load may still find these bytes: kept until the next load begins. */
          g_clear_pointer (&loads->spare, decode_unref);
          loads->spare = decode_ref (decode);
        }
      finish_waiters (self, decode, NULL);
      return;
    }

  /* What it was to be the same as is gone: decode after all. */
  decode->no_shortcut = TRUE;
  start_decode (self, decode);
}

static void
start_decode (PeelCanvas *self,
              Decode     *decode)
{
  PeelCanvasLoads *loads = &self->loads[decode->layer];
  PeelCanvasImage *image = decode->layer == PEEL_CANVAS_IMAGE ? &self->image : &self->compare;
  g_autoptr(GTask) task = g_task_new (NULL, NULL, decode_done_cb, g_object_ref (self));

  g_clear_pointer (&decode->shown, g_bytes_unref);
  g_clear_pointer (&decode->others, g_ptr_array_unref);
  g_clear_pointer (&decode->same, decode_unref);
  decode->shown = image->source ? g_bytes_ref (image->source) : NULL;
  decode->others = g_ptr_array_new_with_free_func ((GDestroyNotify) decode_unref);
  for (guint i = 0; i < loads->decoding->len; i++)
    g_ptr_array_add (decode->others, decode_ref (g_ptr_array_index (loads->decoding, i)));
  g_ptr_array_add (loads->decoding, decode_ref (decode));

  g_task_set_source_tag (task, start_decode);
  g_task_set_name (task, "[peel] canvas decode");
  g_task_set_task_data (task, decode_ref (decode), NULL);
  g_task_run_in_thread (task, decode_thread);
}

static void
load (PeelCanvas          *self,
      PeelCanvasLayer      layer,
      GBytes              *bytes,
      PeelCanvasReadFunc   read,
      gpointer             read_data,
      GDestroyNotify       read_destroy,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data)
{
  PeelCanvasLoads *loads = &self->loads[layer];
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(Decode) decode = g_atomic_rc_box_new0 (Decode);

  g_task_set_source_tag (task, peel_canvas_load_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (++loads->serial), NULL);
  g_clear_pointer (&loads->spare, decode_unref);
  if (loads->decoding == NULL)
    {
      /* The canvas is going away: nothing is shown any more. */
      if (read_destroy != NULL)
        read_destroy (read_data);
      return_cancelled (task);
      return;
    }

  decode->layer = layer;
  decode->bytes = bytes ? g_bytes_ref (bytes) : NULL;
  decode->read = read;
  decode->read_data = read_data;
  decode->read_destroy = read_destroy;
  decode->cancellable = g_cancellable_new ();
  decode->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  decode->times.started = g_get_monotonic_time ();
  g_ptr_array_add (decode->waiters, g_object_ref (task));
  start_decode (self, decode);
}

/**
 * peel_canvas_load_bytes_async:
 * @layer: which image: the one shown or the one compared with it
 * @bytes: an encoded image (PNG, JPEG, WebP, …)
 *
 * Decodes @bytes and makes the smaller copies in a worker, then shows the image on @layer
 * as peel_canvas_set_texture() does. Bytes equal to those shown, or to those of a load still
 * decoding, are not decoded again. A newer load (or set texture) on the same layer wins: this
 * one then ends with %G_IO_ERROR_CANCELLED and shows nothing.
 */
void
peel_canvas_load_bytes_async (PeelCanvas          *self,
                              PeelCanvasLayer      layer,
                              GBytes              *bytes,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));
  g_return_if_fail (layer <= PEEL_CANVAS_COMPARE_IMAGE);
  g_return_if_fail (bytes != NULL);

  load (self, layer, bytes, NULL, NULL, NULL, cancellable, callback, user_data);
}

/**
 * peel_canvas_load_async:
 * @read: reads the encoded image, in the worker (from a session on disk, say)
 * @read_data: (closure read): for @read
 * @read_destroy: (destroy read_data): frees @read_data
 *
 * Like peel_canvas_load_bytes_async(), with the bytes read in the worker first.
 */
void
peel_canvas_load_async (PeelCanvas          *self,
                        PeelCanvasLayer      layer,
                        PeelCanvasReadFunc   read,
                        gpointer             read_data,
                        GDestroyNotify       read_destroy,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));
  g_return_if_fail (layer <= PEEL_CANVAS_COMPARE_IMAGE);
  g_return_if_fail (read != NULL);

  load (self, layer, NULL, read, read_data, read_destroy, cancellable, callback, user_data);
}

/**
 * peel_canvas_load_finish:
 *
 * Returns: whether the image is shown; %FALSE with the reason (it cannot be read or
 *   decoded), or %G_IO_ERROR_CANCELLED when another image was asked for first
 */
gboolean
peel_canvas_load_finish (PeelCanvas    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, peel_canvas_load_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* A texture set directly: the loads under way are older than it. */
void
_peel_canvas_loads_supersede (PeelCanvas      *self,
                              PeelCanvasLayer  layer)
{
  self->loads[layer].serial++;
  g_clear_pointer (&self->loads[layer].spare, decode_unref);
}

void
_peel_canvas_loads_init (PeelCanvas *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->loads); i++)
    self->loads[i].decoding = g_ptr_array_new_with_free_func ((GDestroyNotify) decode_unref);
}

/* The decodes in flight end on their own, and then show nothing. */
void
_peel_canvas_loads_clear (PeelCanvas *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->loads); i++)
    {
      PeelCanvasLoads *loads = &self->loads[i];

      loads->serial++;
      if (loads->decoding != NULL)
        for (guint j = 0; j < loads->decoding->len; j++)
          g_cancellable_cancel (((Decode *) g_ptr_array_index (loads->decoding, j))->cancellable);
      g_clear_pointer (&loads->decoding, g_ptr_array_unref);
      g_clear_pointer (&loads->spare, decode_unref);
    }
}
