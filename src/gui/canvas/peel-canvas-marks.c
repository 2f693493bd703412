/* peel-canvas-marks.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "peel-canvas-tools-private.h"
#include "peel-marks-render.h"

/* Marks float over the image as vector data, drawn by peel_marks_draw() exactly as the copy
 * sent to the model is, so what the designer sees is what the model gets. */

#define MAX_UNDO        100
#define GRAB_DISTANCE   8.0   /* widget pixels around a mark that still pick it */
#define MIN_DRAG        3.0   /* widget pixels a new arrow, rectangle or ellipse must span */

static GPtrArray *
peel_canvas_marks_copy (GPtrArray *marks)
{
  GPtrArray *copy = peel_marks_new ();

  for (guint i = 0; i < marks->len; i++)
    g_ptr_array_add (copy, peel_mark_copy (g_ptr_array_index (marks, i)));
  return copy;
}

PeelCanvasMarks *
_peel_canvas_marks_new (void)
{
  PeelCanvasMarks *marks = g_new0 (PeelCanvasMarks, 1);

  marks->marks = peel_marks_new ();
  marks->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  marks->kind = PEEL_MARK_ARROW;
  marks->color = g_strdup (peel_marks_palette ()[0]);
  marks->selected = -1;
  return marks;
}

void
_peel_canvas_marks_free (PeelCanvasMarks *marks)
{
  g_clear_pointer (&marks->marks, g_ptr_array_unref);
  g_clear_pointer (&marks->undo, g_ptr_array_unref);
  g_clear_pointer (&marks->drawing, peel_mark_free);
  g_free (marks->color);
  g_free (marks->note_text);
  g_free (marks);
}

static void
peel_canvas_marks_push_undo (PeelCanvas *self)
{
  PeelCanvasMarks *marks = self->marks;

  if (marks->undo->len == MAX_UNDO)
    g_ptr_array_remove_index (marks->undo, 0);
  g_ptr_array_add (marks->undo, peel_canvas_marks_copy (marks->marks));
}

static void
peel_canvas_marks_changed (PeelCanvas *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit_by_name (self, "marks-changed");
}

/**
 * peel_canvas_get_marks:
 *
 * Returns: (transfer none) (element-type PeelMark): the marks shown, never %NULL
 */
GPtrArray *
peel_canvas_get_marks (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), NULL);

  return self->marks->marks;
}

/**
 * peel_canvas_set_marks:
 * @marks: (nullable) (element-type PeelMark): marks to show (copied), or %NULL for none
 *
 * Shows the marks of another node: forgets the undo steps and the mark picked, without emitting
 * ::marks-changed.
 */
void
peel_canvas_set_marks (PeelCanvas *self,
                       GPtrArray  *marks)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));

  g_clear_pointer (&self->marks->marks, g_ptr_array_unref);
  self->marks->marks = marks != NULL ? peel_canvas_marks_copy (marks) : peel_marks_new ();
  g_ptr_array_set_size (self->marks->undo, 0);
  g_clear_pointer (&self->marks->drawing, peel_mark_free);
  self->marks->selected = -1;
  self->marks->moving = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
peel_canvas_set_mark_kind (PeelCanvas   *self,
                           PeelMarkKind  kind)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));

  self->marks->kind = kind;
}

PeelMarkKind
peel_canvas_get_mark_kind (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), PEEL_MARK_ARROW);

  return self->marks->kind;
}

/* Also recolours the mark picked, as a designer expects of a colour clicked with it picked. */
void
peel_canvas_set_mark_color (PeelCanvas *self,
                            const char *color)
{
  PeelCanvasMarks *marks;

  g_return_if_fail (PEEL_IS_CANVAS (self));
  g_return_if_fail (color != NULL && g_strv_contains (peel_marks_palette (), color));

  marks = self->marks;
  g_free (marks->color);
  marks->color = g_strdup (color);
  if (marks->selected >= 0)
    {
      PeelMark *mark = g_ptr_array_index (marks->marks, marks->selected);

      if (!g_str_equal (mark->color, color))
        {
          peel_canvas_marks_push_undo (self);
          g_free (mark->color);
          mark->color = g_strdup (color);
          peel_canvas_marks_changed (self);
        }
    }
}

const char *
peel_canvas_get_mark_color (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), NULL);

  return self->marks->color;
}

void
peel_canvas_set_note_text (PeelCanvas *self,
                           const char *text)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));

  g_free (self->marks->note_text);
  self->marks->note_text = g_strdup (text);
}

/* Lines as thick as a few pixels of a 1K image, so marks read the same at every size. */
static double
peel_canvas_marks_width (PeelCanvas *self)
{
  int side = MIN (_peel_canvas_image_width (&self->image),
                  _peel_canvas_image_height (&self->image));

  return CLAMP (round (side / 200.0), 3, 64);
}

/**
 * peel_canvas_add_mark:
 * @mark: (transfer full): a mark in pixels of the image
 *
 * Adds a mark as the user would, with a step to undo.
 */
void
peel_canvas_add_mark (PeelCanvas *self,
                      PeelMark   *mark)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));
  g_return_if_fail (mark != NULL);

  peel_canvas_marks_push_undo (self);
  g_ptr_array_add (self->marks->marks, mark);
  self->marks->selected = self->marks->marks->len - 1;
  peel_canvas_marks_changed (self);
}

int
peel_canvas_get_selected_mark (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), -1);

  return self->marks->selected;
}

static void
peel_canvas_mark_extent (const PeelMark *mark,
                         double         *x1,
                         double         *y1,
                         double         *x2,
                         double         *y2)
{
  if (!peel_mark_get_bounds (mark, x1, y1, x2, y2))
    return;
  if (mark->kind == PEEL_MARK_TEXT && mark->text != NULL)
    {
      /* A note's bounds are its corner; its words run about half their height per letter. */
      *x2 += g_utf8_strlen (mark->text, -1) * mark->width * 2.2;
      *y2 += mark->width * 4;
    }
  *x1 -= mark->width / 2;
  *y1 -= mark->width / 2;
  *x2 += mark->width / 2;
  *y2 += mark->width / 2;
}

/**
 * peel_canvas_select_mark_at:
 *
 * Picks the topmost mark whose extent holds (@u, @v), in pixels of the image.
 *
 * Returns: whether one was picked
 */
gboolean
peel_canvas_select_mark_at (PeelCanvas *self,
                            double      u,
                            double      v)
{
  PeelCanvasMarks *marks;
  double slack;

  g_return_val_if_fail (PEEL_IS_CANVAS (self), FALSE);

  marks = self->marks;
  slack = GRAB_DISTANCE / MAX (self->view.scale, 0.001);
  marks->selected = -1;
  for (guint i = marks->marks->len; i > 0; i--)
    {
      double x1 = 0, y1 = 0, x2 = 0, y2 = 0;

      peel_canvas_mark_extent (g_ptr_array_index (marks->marks, i - 1), &x1, &y1, &x2, &y2);
      if (u >= x1 - slack && u <= x2 + slack && v >= y1 - slack && v <= y2 + slack)
        {
          marks->selected = i - 1;
          break;
        }
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return marks->selected >= 0;
}

static void
peel_canvas_mark_translate (PeelMark *mark,
                            double    du,
                            double    dv)
{
  for (guint i = 0; i < mark->points->len; i++)
    {
      PeelMarkPoint *p = &g_array_index (mark->points, PeelMarkPoint, i);

      p->x += du;
      p->y += dv;
    }
}

void
peel_canvas_move_selected_mark (PeelCanvas *self,
                                double      du,
                                double      dv)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));

  if (self->marks->selected < 0)
    return;
  peel_canvas_marks_push_undo (self);
  peel_canvas_mark_translate (g_ptr_array_index (self->marks->marks, self->marks->selected),
                              du, dv);
  peel_canvas_marks_changed (self);
}

gboolean
peel_canvas_delete_selected_mark (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), FALSE);

  if (self->marks->selected < 0)
    return FALSE;
  peel_canvas_marks_push_undo (self);
  g_ptr_array_remove_index (self->marks->marks, self->marks->selected);
  self->marks->selected = -1;
  peel_canvas_marks_changed (self);
  return TRUE;
}

gboolean
peel_canvas_can_undo_marks (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), FALSE);

  return self->marks->undo->len > 0;
}

gboolean
peel_canvas_undo_marks (PeelCanvas *self)
{
  PeelCanvasMarks *marks;

  g_return_val_if_fail (PEEL_IS_CANVAS (self), FALSE);

  marks = self->marks;
  if (marks->undo->len == 0)
    return FALSE;
  g_clear_pointer (&marks->marks, g_ptr_array_unref);
  marks->marks = g_ptr_array_steal_index (marks->undo, marks->undo->len - 1);
  marks->selected = -1;
  peel_canvas_marks_changed (self);
  return TRUE;
}

void
_peel_canvas_marks_drag_begin (PeelCanvas *self,
                               double      u,
                               double      v)
{
  PeelCanvasMarks *marks = self->marks;

  marks->last_u = u;
  marks->last_v = v;
  marks->moved = FALSE;
  if (peel_canvas_select_mark_at (self, u, v))
    {
      marks->moving = TRUE;
      return;
    }

  if (marks->kind == PEEL_MARK_TEXT)
    {
      g_autofree char *text = g_strstrip (g_strdup (marks->note_text ? marks->note_text : ""));
      PeelMark *mark;

      if (*text == '\0')
        return;
      mark = peel_mark_new (PEEL_MARK_TEXT, marks->color, peel_canvas_marks_width (self));
      mark->text = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1),
                                                   PEEL_MARKS_MAX_TEXT));
      peel_mark_add_point (mark, u, v);
      peel_canvas_add_mark (self, mark);
      return;
    }

  marks->drawing = peel_mark_new (marks->kind, marks->color, peel_canvas_marks_width (self));
  peel_mark_add_point (marks->drawing, u, v);
  if (marks->kind != PEEL_MARK_STROKE)
    peel_mark_add_point (marks->drawing, u, v);
}

void
_peel_canvas_marks_drag_update (PeelCanvas *self,
                                double      u,
                                double      v)
{
  PeelCanvasMarks *marks = self->marks;
  PeelMark *drawing = marks->drawing;

  if (marks->moving)
    {
      if (!marks->moved)
        peel_canvas_marks_push_undo (self);
      marks->moved = TRUE;
      peel_canvas_mark_translate (g_ptr_array_index (marks->marks, marks->selected),
                                  u - marks->last_u, v - marks->last_v);
    }
  else if (drawing != NULL && drawing->kind == PEEL_MARK_STROKE)
    {
      if (drawing->points->len < PEEL_MARKS_MAX_POINTS)
        peel_mark_add_point (drawing, u, v);
    }
  else if (drawing != NULL)
    g_array_index (drawing->points, PeelMarkPoint, 1) = (PeelMarkPoint) { u, v };
  marks->last_u = u;
  marks->last_v = v;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_peel_canvas_marks_drag_end (PeelCanvas *self)
{
  PeelCanvasMarks *marks = self->marks;
  g_autoptr(PeelMark) drawing = g_steal_pointer (&marks->drawing);

  if (marks->moving)
    {
      marks->moving = FALSE;
      if (marks->moved)
        peel_canvas_marks_changed (self);
      return;
    }
  if (drawing != NULL && marks->marks->len < PEEL_MARKS_MAX_MARKS)
    {
      double x1, y1, x2, y2;

      peel_mark_get_bounds (drawing, &x1, &y1, &x2, &y2);
      if (drawing->kind == PEEL_MARK_STROKE
          || hypot (x2 - x1, y2 - y1) * self->view.scale >= MIN_DRAG)
        peel_canvas_add_mark (self, g_steal_pointer (&drawing));
    }
}

void
_peel_canvas_marks_snapshot (PeelCanvas  *self,
                             GtkSnapshot *snapshot,
                             int          width,
                             int          height)
{
  PeelCanvasMarks *marks = self->marks;
  double scale = self->view.scale;
  cairo_t *cr;

  if (marks->marks->len == 0 && marks->drawing == NULL)
    return;

  /* Only as large as the marks: a node over the whole canvas would be drawn again, and the
   * image under it, on every frame of a drag. */
  {
    double bx1 = G_MAXDOUBLE, by1 = G_MAXDOUBLE, bx2 = -G_MAXDOUBLE, by2 = -G_MAXDOUBLE;

    for (guint i = 0; i <= marks->marks->len; i++)
      {
        const PeelMark *mark = i < marks->marks->len ? g_ptr_array_index (marks->marks, i)
                                                     : marks->drawing;
        double x1 = 0, y1 = 0, x2 = 0, y2 = 0;

        if (mark == NULL || !peel_mark_get_bounds (mark, &x1, &y1, &x2, &y2))
          continue;
        peel_canvas_mark_extent (mark, &x1, &y1, &x2, &y2);
        /* Room for the halo, the arrow's head and the picked mark's frame. */
        bx1 = MIN (bx1, self->view.x + (x1 - mark->width * 3) * scale - 8);
        by1 = MIN (by1, self->view.y + (y1 - mark->width * 3) * scale - 8);
        bx2 = MAX (bx2, self->view.x + (x2 + mark->width * 3) * scale + 8);
        by2 = MAX (by2, self->view.y + (y2 + mark->width * 3) * scale + 8);
      }
    bx1 = floor (MAX (bx1, 0));
    by1 = floor (MAX (by1, 0));
    bx2 = ceil (MIN (bx2, width));
    by2 = ceil (MIN (by2, height));
    if (bx2 <= bx1 || by2 <= by1)
      return;
    cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (bx1, by1, bx2 - bx1,
                                                                   by2 - by1));
  }
  cairo_save (cr);
  cairo_translate (cr, self->view.x, self->view.y);
  cairo_scale (cr, scale, scale);
  peel_marks_draw (cr, marks->marks);
  if (marks->drawing != NULL)
    {
      g_autoptr(GPtrArray) one = g_ptr_array_new ();

      g_ptr_array_add (one, marks->drawing);
      peel_marks_draw (cr, one);
    }
  cairo_restore (cr);

  if (marks->selected >= 0 && self->tool == PEEL_CANVAS_TOOL_MARKS)
    {
      double x1 = 0, y1 = 0, x2 = 0, y2 = 0;

      peel_canvas_mark_extent (g_ptr_array_index (marks->marks, marks->selected),
                               &x1, &y1, &x2, &y2);
      cairo_rectangle (cr, round (self->view.x + x1 * scale) - 3.5,
                       round (self->view.y + y1 * scale) - 3.5,
                       round ((x2 - x1) * scale) + 7, round ((y2 - y1) * scale) + 7);
      cairo_set_line_width (cr, 1);
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_stroke_preserve (cr);
      cairo_set_dash (cr, (double[]) { 4, 4 }, 2, 0);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
}
