/* peel-canvas-compare.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "peel-canvas-private.h"

#define DIFFERENCE_BACKDROP_OPACITY 0.3
#define PILL_MARGIN 12
#define HANDLE_RADIUS 14

/* Drawing */

static graphene_rect_t
image_bounds (PeelCanvas *self,
              double      origin_x)
{
  int sf = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  return GRAPHENE_RECT_INIT (origin_x + round (self->view.x * sf) / sf,
                             round (self->view.y * sf) / sf,
                             _peel_canvas_image_width (&self->image) * self->view.scale,
                             _peel_canvas_image_height (&self->image) * self->view.scale);
}

/* Pills sit in the corner of the visible part of the image, not over the empty margin. */
static double
pill_left (const graphene_rect_t *bounds,
           double                 viewport_x)
{
  return MAX (viewport_x, bounds->origin.x) + PILL_MARGIN;
}

static double
pill_top (const graphene_rect_t *bounds)
{
  return MAX (0, bounds->origin.y) + PILL_MARGIN;
}

/* B is drawn in A's frame, whole and in its own shape: fitted and centred in it, so a tall
 * image beside a wide one is letterboxed rather than stretched. */
static graphene_rect_t
compare_bounds (PeelCanvas            *self,
                const graphene_rect_t *frame)
{
  PeelCanvasRect in = { frame->origin.x, frame->origin.y, frame->size.width, frame->size.height };
  PeelCanvasRect out;

  peel_canvas_fit_rect (&in, _peel_canvas_image_width (&self->compare),
                        _peel_canvas_image_height (&self->compare), &out);
  return GRAPHENE_RECT_INIT (out.x, out.y, out.width, out.height);
}

static double
compare_device_scale (PeelCanvas            *self,
                      const graphene_rect_t *bounds)
{
  int sf = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  return bounds->size.width / MAX (1, _peel_canvas_image_width (&self->compare)) * sf;
}

static const char *
label_a (PeelCanvas *self)
{
  /* Translators: the first of two compared images */
  return self->label_a ? self->label_a : C_("compare", "A");
}

static const char *
label_b (PeelCanvas *self)
{
  /* Translators: the second of two compared images */
  return self->label_b ? self->label_b : C_("compare", "B");
}

static void
append_handle (PeelCanvas  *self,
               GtkSnapshot *snapshot,
               double       x,
               int          height)
{
  GdkRGBA line = { 1, 1, 1, 0.9 };
  GdkRGBA knob = { 1, 1, 1, 1 };
  GdkRGBA grip = { 0, 0, 0, 0.55 };
  GdkRGBA shadow = { 0, 0, 0, 0.35 };
  GskRoundedRect circle;
  double cy = height / 2.0;

  gtk_snapshot_append_color (snapshot, &shadow, &GRAPHENE_RECT_INIT (x - 2, 0, 4, height));
  gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (x - 1, 0, 2, height));

  gsk_rounded_rect_init_from_rect (&circle,
                                   &GRAPHENE_RECT_INIT (x - HANDLE_RADIUS, cy - HANDLE_RADIUS,
                                                        2 * HANDLE_RADIUS, 2 * HANDLE_RADIUS),
                                   HANDLE_RADIUS);
  gtk_snapshot_append_outset_shadow (snapshot, &circle, &shadow, 0, 1, 0, 4);
  gtk_snapshot_push_rounded_clip (snapshot, &circle);
  gtk_snapshot_append_color (snapshot, &knob, &circle.bounds);
  gtk_snapshot_pop (snapshot);

  /* Two grip bars say "this moves sideways". */
  gtk_snapshot_append_color (snapshot, &grip, &GRAPHENE_RECT_INIT (x - 4, cy - 6, 2, 12));
  gtk_snapshot_append_color (snapshot, &grip, &GRAPHENE_RECT_INIT (x + 2, cy - 6, 2, 12));
}

static void
snapshot_split (PeelCanvas  *self,
                GtkSnapshot *snapshot,
                int          width,
                int          height)
{
  int sf = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  graphene_rect_t bounds = image_bounds (self, 0);
  graphene_rect_t b_bounds = compare_bounds (self, &bounds);
  double divider = round (self->split_position * width);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, divider, height));
  _peel_canvas_append_image (self, snapshot, &self->image, &bounds, self->view.scale * sf);
  gtk_snapshot_pop (snapshot);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (divider, 0, width - divider, height));
  _peel_canvas_append_image (self, snapshot, &self->compare, &b_bounds,
                             compare_device_scale (self, &b_bounds));
  gtk_snapshot_pop (snapshot);

  append_handle (self, snapshot, divider, height);

  if (divider > 2 * PILL_MARGIN)
    _peel_canvas_append_pill (self, snapshot, label_a (self), pill_left (&bounds, 0),
                              pill_top (&bounds), FALSE);
  if (width - divider > 2 * PILL_MARGIN)
    _peel_canvas_append_pill (self, snapshot, label_b (self),
                              MIN (width, bounds.origin.x + bounds.size.width) - PILL_MARGIN,
                              pill_top (&bounds), TRUE);
}

static void
snapshot_side_by_side (PeelCanvas  *self,
                       GtkSnapshot *snapshot,
                       int          width,
                       int          height)
{
  int sf = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double vw, vh;
  graphene_rect_t bounds, frame;

  _peel_canvas_viewport_size (self, &vw, &vh);

  bounds = image_bounds (self, 0);
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, vw, height));
  _peel_canvas_append_image (self, snapshot, &self->image, &bounds, self->view.scale * sf);
  _peel_canvas_append_pill (self, snapshot, label_a (self), pill_left (&bounds, 0),
                            pill_top (&bounds), FALSE);
  gtk_snapshot_pop (snapshot);

  frame = image_bounds (self, vw + SIDE_BY_SIDE_GAP);
  bounds = compare_bounds (self, &frame);
  gtk_snapshot_push_clip (snapshot,
                          &GRAPHENE_RECT_INIT (vw + SIDE_BY_SIDE_GAP, 0, vw, height));
  _peel_canvas_append_image (self, snapshot, &self->compare, &bounds,
                             compare_device_scale (self, &bounds));
  _peel_canvas_append_pill (self, snapshot, label_b (self),
                            pill_left (&bounds, vw + SIDE_BY_SIDE_GAP), pill_top (&bounds), FALSE);
  gtk_snapshot_pop (snapshot);
}

static void
snapshot_difference (PeelCanvas  *self,
                     GtkSnapshot *snapshot,
                     int          width,
                     int          height)
{
  int sf = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  graphene_rect_t bounds = image_bounds (self, 0);
  g_autofree char *label = NULL;

  gtk_snapshot_push_opacity (snapshot, DIFFERENCE_BACKDROP_OPACITY);
  _peel_canvas_append_image (self, snapshot, &self->image, &bounds, self->view.scale * sf);
  gtk_snapshot_pop (snapshot);

  if (self->difference)
    gtk_snapshot_append_texture (snapshot, self->difference, &bounds);

  /* Translators: the pill over the difference of two images, e.g. "A − B" */
  label = g_strdup_printf (_("%s − %s"), label_a (self), label_b (self));
  _peel_canvas_append_pill (self, snapshot, label, pill_left (&bounds, 0), pill_top (&bounds),
                            FALSE);
}

void
_peel_canvas_compare_snapshot (PeelCanvas  *self,
                               GtkSnapshot *snapshot,
                               int          width,
                               int          height)
{
  switch (self->compare_mode)
    {
    case PEEL_CANVAS_COMPARE_SPLIT:
      snapshot_split (self, snapshot, width, height);
      break;
    case PEEL_CANVAS_COMPARE_SIDE_BY_SIDE:
      snapshot_side_by_side (self, snapshot, width, height);
      break;
    case PEEL_CANVAS_COMPARE_DIFFERENCE:
      snapshot_difference (self, snapshot, width, height);
      break;
    case PEEL_CANVAS_COMPARE_NONE:
    default:
      break;
    }
}

/* The difference, made in a worker at the size the first image is drawn at. */

typedef struct
{
  GdkTexture *a;
  GdkTexture *b;
  int         width;
  int         height;
} DifferenceJob;

static void
difference_job_free (DifferenceJob *job)
{
  g_clear_object (&job->a);
  g_clear_object (&job->b);
  g_free (job);
}

static guint8 *
download_at_size (GdkTexture *texture,
                  int         width,
                  int         height)
{
  gsize stride;
  g_autofree guint8 *pixels = _peel_canvas_download (texture, &stride);
  guint8 *scaled;

  if (gdk_texture_get_width (texture) == width && gdk_texture_get_height (texture) == height)
    return g_steal_pointer (&pixels);

  scaled = g_malloc ((gsize) width * height * 4);
  peel_canvas_resample (pixels, gdk_texture_get_width (texture), gdk_texture_get_height (texture),
                        stride, scaled, width, height, (gsize) width * 4);

  return scaled;
}

/* B in A's pixel grid: fitted and centred as it is drawn, transparent around it. */
static guint8 *
download_fitted (GdkTexture *texture,
                 int         width,
                 int         height)
{
  PeelCanvasRect frame = { 0, 0, width, height };
  PeelCanvasRect fitted;
  g_autofree guint8 *inner = NULL;
  guint8 *out;
  int fw, fh, fx, fy;

  peel_canvas_fit_rect (&frame, gdk_texture_get_width (texture),
                        gdk_texture_get_height (texture), &fitted);
  fw = CLAMP ((int) round (fitted.width), 1, width);
  fh = CLAMP ((int) round (fitted.height), 1, height);
  if (fw == width && fh == height)
    return download_at_size (texture, width, height);

  fx = (width - fw) / 2;
  fy = (height - fh) / 2;
  inner = download_at_size (texture, fw, fh);
  out = g_malloc0 ((gsize) width * height * 4);
  for (int y = 0; y < fh; y++)
    memcpy (out + ((gsize) (fy + y) * width + fx) * 4, inner + (gsize) y * fw * 4, (gsize) fw * 4);
  return out;
}

static void
difference_worker (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  DifferenceJob *job = task_data;
  gsize stride = (gsize) job->width * 4;
  g_autofree guint8 *a = NULL;
  g_autofree guint8 *b = NULL;
  guint8 *out;

  a = download_at_size (job->a, job->width, job->height);
  if (g_task_return_error_if_cancelled (task))
    return;
  b = download_fitted (job->b, job->width, job->height);
  if (g_task_return_error_if_cancelled (task))
    return;

  out = g_malloc ((gsize) job->height * stride);
  peel_canvas_difference (a, stride, b, stride, job->width, job->height, out, stride);

  g_task_return_pointer (task, _peel_canvas_wrap_pixels (out, job->width, job->height, stride),
                         g_object_unref);
}

static void
difference_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(PeelCanvas) self = g_weak_ref_get (ref);
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), NULL);

  g_weak_ref_clear (ref);
  g_free (ref);

  if (self == NULL || texture == NULL
      || g_task_get_cancellable (G_TASK (result)) != self->difference_cancellable)
    return;

  g_set_object (&self->difference, texture);
  self->difference_level = self->difference_wanted;
  g_clear_object (&self->difference_cancellable);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The finest ready source that is still at least the wanted size. */
static GdkTexture *
pick_source (PeelCanvasImage *image,
             int              width,
             int              height)
{
  GdkTexture *best = image->texture;

  for (guint i = 0; image->mipmaps && i < image->mipmaps->len; i++)
    {
      GdkTexture *level = g_ptr_array_index (image->mipmaps, i);

      if (gdk_texture_get_width (level) < width || gdk_texture_get_height (level) < height)
        break;
      best = level;
    }

  return best;
}

void
_peel_canvas_clear_difference (PeelCanvas *self)
{
  if (self->difference_cancellable)
    g_cancellable_cancel (self->difference_cancellable);
  g_clear_object (&self->difference_cancellable);
  g_clear_object (&self->difference);
  self->difference_level = -1;
  self->difference_wanted = -1;
}

/* Starts computing the difference at the mipmap level the first image is drawn at, unless it
 * exists or is being made already. The old one stays on screen (stretched) meanwhile.
 */
void
_peel_canvas_update_difference (PeelCanvas *self)
{
  g_autoptr(GTask) task = NULL;
  DifferenceJob *job;
  GWeakRef *ref;
  int sf, width, height, level;

  if (self->compare_mode != PEEL_CANVAS_COMPARE_DIFFERENCE || self->image.texture == NULL
      || self->compare.texture == NULL)
    return;

  sf = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  width = _peel_canvas_image_width (&self->image);
  height = _peel_canvas_image_height (&self->image);
  level = peel_canvas_mipmap_level (self->view.scale * sf,
                                    peel_canvas_mipmap_count (width, height));

  if (self->difference && self->difference_level == level)
    return;
  if (self->difference_cancellable && self->difference_wanted == level)
    return;

  if (self->difference_cancellable)
    g_cancellable_cancel (self->difference_cancellable);
  g_clear_object (&self->difference_cancellable);
  self->difference_cancellable = g_cancellable_new ();
  self->difference_wanted = level;

  job = g_new0 (DifferenceJob, 1);
  job->width = MAX (1, width >> level);
  job->height = MAX (1, height >> level);
  job->a = g_object_ref (pick_source (&self->image, job->width, job->height));
  job->b = g_object_ref (pick_source (&self->compare, job->width, job->height));

  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  task = g_task_new (NULL, self->difference_cancellable, difference_done_cb, ref);
  g_task_set_source_tag (task, _peel_canvas_update_difference);
  g_task_set_name (task, "[peel] canvas difference");
  g_task_set_task_data (task, job, (GDestroyNotify) difference_job_free);
  g_task_run_in_thread (task, difference_worker);
}

GdkTexture *
_peel_canvas_get_difference (PeelCanvas *self)
{
  return self->difference;
}
