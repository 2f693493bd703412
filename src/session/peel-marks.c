/* peel-marks.c
 *
 * Marks: arrows, rectangles, ellipses, freehand strokes and short notes a designer draws over an
 * image as instructions. They are kept per node as vector data, in the image's pixels, and are
 * never part of the node's image. The JSON form is documented in docs/marks.md; a document
 * read from a file or a session is bounded in size, count, points and text.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "peel-json-reader.h"
#include "peel-marks.h"

/* Coordinates further out than this are not drawing on any image Peel opens. */
#define MAX_COORDINATE 65536.0
#define MAX_WIDTH      512.0

G_DEFINE_QUARK (peel-marks-error-quark, peel_marks_error)

static const char *const kind_names[] = {
  [PEEL_MARK_ARROW] = "arrow",
  [PEEL_MARK_RECTANGLE] = "rectangle",
  [PEEL_MARK_ELLIPSE] = "ellipse",
  [PEEL_MARK_STROKE] = "stroke",
  [PEEL_MARK_TEXT] = "text",
};

/* Red, yellow, green, blue, white and black: bright enough to read on most images, and few
 * enough that the model is told one name per colour. */
static const char *const palette[] = {
  "#e01b24", "#f6d32d", "#33d17a", "#3584e4", "#ffffff", "#000000", NULL,
};

static const char *const palette_names[] = {
  N_("red"), N_("yellow"), N_("green"), N_("blue"), N_("white"), N_("black"), NULL,
};

const char *const *
peel_marks_palette (void)
{
  return palette;
}

const char *
peel_mark_kind_to_string (PeelMarkKind kind)
{
  g_return_val_if_fail (kind <= PEEL_MARK_TEXT, NULL);
  return kind_names[kind];
}

static gboolean
kind_from_string (const char   *name,
                  PeelMarkKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (name, kind_names[i]) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

static int
palette_index (const char *color)
{
  for (int i = 0; palette[i] != NULL; i++)
    if (g_ascii_strcasecmp (color, palette[i]) == 0)
      return i;
  return -1;
}

PeelMark *
peel_mark_new (PeelMarkKind  kind,
               const char   *color,
               double        width)
{
  PeelMark *mark = g_new0 (PeelMark, 1);

  mark->kind = kind;
  mark->color = g_strdup (palette_index (color) >= 0 ? color : palette[0]);
  mark->width = CLAMP (width, 1.0, MAX_WIDTH);
  mark->points = g_array_new (FALSE, FALSE, sizeof (PeelMarkPoint));
  return mark;
}

void
peel_mark_add_point (PeelMark *mark,
                     double    x,
                     double    y)
{
  PeelMarkPoint point = { x, y };

  g_array_append_val (mark->points, point);
}

PeelMark *
peel_mark_copy (const PeelMark *mark)
{
  PeelMark *copy = peel_mark_new (mark->kind, mark->color, mark->width);

  g_array_append_vals (copy->points, mark->points->data, mark->points->len);
  copy->text = g_strdup (mark->text);
  return copy;
}

void
peel_mark_free (PeelMark *mark)
{
  if (mark == NULL)
    return;
  g_free (mark->color);
  g_array_unref (mark->points);
  g_free (mark->text);
  g_free (mark);
}

/**
 * peel_mark_get_bounds:
 *
 * The rectangle the mark's points span (a text's is only its corner).
 *
 * Returns: %FALSE when the mark has no points
 */
gboolean
peel_mark_get_bounds (const PeelMark *mark,
                      double         *x1,
                      double         *y1,
                      double         *x2,
                      double         *y2)
{
  if (mark->points->len == 0)
    return FALSE;

  *x1 = *y1 = G_MAXDOUBLE;
  *x2 = *y2 = -G_MAXDOUBLE;
  for (guint i = 0; i < mark->points->len; i++)
    {
      const PeelMarkPoint *p = &g_array_index (mark->points, PeelMarkPoint, i);

      *x1 = MIN (*x1, p->x);
      *y1 = MIN (*y1, p->y);
      *x2 = MAX (*x2, p->x);
      *y2 = MAX (*y2, p->y);
    }
  return TRUE;
}

GPtrArray *
peel_marks_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) peel_mark_free);
}

static gpointer
fail (GError    **error,
      guint       index,
      const char *what)
{
  g_set_error (error, PEEL_MARKS_ERROR, PEEL_MARKS_ERROR_INVALID,
               _("Mark %u cannot be read: %s."), index + 1, what);
  return NULL;
}

static gboolean
read_number (JsonNode *node,
             double   *value)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *value = json_node_get_double (node);
  return isfinite (*value) && fabs (*value) <= MAX_COORDINATE;
}

static PeelMark *
mark_from_object (JsonObject  *object,
                  guint        index,
                  GError     **error)
{
  g_autoptr(PeelMark) mark = NULL;
  const char *kind_name = json_object_get_string_member_with_default (object, "kind", NULL);
  const char *color = json_object_get_string_member_with_default (object, "color", palette[0]);
  JsonNode *width_node = json_object_get_member (object, "width");
  JsonNode *points_node = json_object_get_member (object, "points");
  JsonArray *points;
  PeelMarkKind kind;
  double width = 6.0;
  guint n, needed;

  if (!kind_from_string (kind_name, &kind))
    return fail (error, index, _("its kind is not arrow, rectangle, ellipse, stroke or text"));
  if (palette_index (color) < 0)
    return fail (error, index, _("its colour is not one of the palette’s"));
  if (width_node != NULL && (!read_number (width_node, &width) || width < 1 || width > MAX_WIDTH))
    return fail (error, index, _("its width is not a number from 1 to 512"));
  if (points_node == NULL || !JSON_NODE_HOLDS_ARRAY (points_node))
    return fail (error, index, _("it has no points"));

  points = json_node_get_array (points_node);
  n = json_array_get_length (points);
  needed = kind == PEEL_MARK_TEXT ? 1 : kind == PEEL_MARK_STROKE ? 1 : 2;
  if (n < needed || n > PEEL_MARKS_MAX_POINTS ||
      (kind != PEEL_MARK_STROKE && n != needed))
    return fail (error, index, _("it has the wrong number of points"));

  mark = peel_mark_new (kind, color, width);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *point = json_array_get_element (points, i);
      JsonArray *xy;
      double x, y;

      if (!JSON_NODE_HOLDS_ARRAY (point) ||
          json_array_get_length (xy = json_node_get_array (point)) != 2 ||
          !read_number (json_array_get_element (xy, 0), &x) ||
          !read_number (json_array_get_element (xy, 1), &y))
        return fail (error, index, _("a point is not two numbers within the image’s reach"));
      peel_mark_add_point (mark, x, y);
    }

  if (kind == PEEL_MARK_TEXT)
    {
      const char *text = json_object_get_string_member_with_default (object, "text", NULL);
      g_autofree char *stripped = NULL;

      if (text == NULL || !g_utf8_validate (text, -1, NULL))
        return fail (error, index, _("a note has no text"));
      stripped = g_strstrip (g_strdup (text));
      if (*stripped == '\0')
        return fail (error, index, _("a note has no text"));
      if (g_utf8_strlen (stripped, -1) > PEEL_MARKS_MAX_TEXT)
        return fail (error, index, _("a note is longer than 280 characters"));
      mark->text = g_steal_pointer (&stripped);
    }
  return g_steal_pointer (&mark);
}

/**
 * peel_marks_from_node:
 * @node: a marks document: `{"version": 1, "marks": [...]}`
 * @error: #PEEL_MARKS_ERROR_INVALID with the first mark that cannot be read
 *
 * Returns: (transfer full) (element-type PeelMark): the marks
 */
GPtrArray *
peel_marks_from_node (JsonNode  *node,
                      GError   **error)
{
  g_autoptr(GPtrArray) marks = peel_marks_new ();
  JsonObject *object;
  JsonNode *list;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, PEEL_MARKS_ERROR, PEEL_MARKS_ERROR_INVALID,
                           _("The marks are not a JSON object with a “marks” list."));
      return NULL;
    }
  object = json_node_get_object (node);
  if (json_object_get_int_member_with_default (object, "version", 1) != 1)
    {
      g_set_error_literal (error, PEEL_MARKS_ERROR, PEEL_MARKS_ERROR_INVALID,
                           _("The marks were written by a newer Peel. Update Peel to read "
                             "them."));
      return NULL;
    }
  list = json_object_get_member (object, "marks");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error_literal (error, PEEL_MARKS_ERROR, PEEL_MARKS_ERROR_INVALID,
                           _("The marks are not a JSON object with a “marks” list."));
      return NULL;
    }
  array = json_node_get_array (list);
  if (json_array_get_length (array) > PEEL_MARKS_MAX_MARKS)
    {
      g_set_error (error, PEEL_MARKS_ERROR, PEEL_MARKS_ERROR_TOO_LARGE,
                   _("There are %u marks; Peel sends at most %d."),
                   json_array_get_length (array), PEEL_MARKS_MAX_MARKS);
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      PeelMark *mark;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          return fail (error, i, _("it is not a JSON object"));
        }
      mark = mark_from_object (json_node_get_object (element), i, error);
      if (mark == NULL)
        return NULL;
      g_ptr_array_add (marks, mark);
    }
  return g_steal_pointer (&marks);
}

/**
 * peel_marks_from_json:
 * @json: a marks document
 * @length: its length, or -1 when nul-terminated
 * @error: #PEEL_MARKS_ERROR, or #PEEL_JSON_ERROR when it is not JSON or too large or deep
 *
 * Returns: (transfer full) (element-type PeelMark): the marks
 */
GPtrArray *
peel_marks_from_json (const char *json,
                      gssize      length,
                      GError    **error)
{
  g_autoptr(JsonNode) node = peel_json_reader_parse (json, length, PEEL_MARKS_MAX_BYTES, error);

  if (node == NULL)
    return NULL;
  return peel_marks_from_node (node, error);
}

JsonNode *
peel_marks_to_node (GPtrArray *marks)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "marks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < marks->len; i++)
    {
      const PeelMark *mark = g_ptr_array_index (marks, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, kind_names[mark->kind]);
      json_builder_set_member_name (builder, "color");
      json_builder_add_string_value (builder, mark->color);
      json_builder_set_member_name (builder, "width");
      json_builder_add_double_value (builder, mark->width);
      json_builder_set_member_name (builder, "points");
      json_builder_begin_array (builder);
      for (guint p = 0; p < mark->points->len; p++)
        {
          const PeelMarkPoint *point = &g_array_index (mark->points, PeelMarkPoint, p);

          json_builder_begin_array (builder);
          json_builder_add_double_value (builder, round (point->x * 10) / 10);
          json_builder_add_double_value (builder, round (point->y * 10) / 10);
          json_builder_end_array (builder);
        }
      json_builder_end_array (builder);
      if (mark->text != NULL)
        {
          json_builder_set_member_name (builder, "text");
          json_builder_add_string_value (builder, mark->text);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

char *
peel_marks_to_json (GPtrArray *marks)
{
  g_autoptr(JsonNode) node = peel_marks_to_node (marks);

  return json_to_string (node, FALSE);
}

/**
 * peel_marks_describe:
 * @marks: (element-type PeelMark): marks
 *
 * What the request tells the model about the marks, in English (the model's instructions are
 * not translated): that they are instructions which must not appear in the result, and the
 * words of every note.
 *
 * Returns: (transfer full): the description
 */
char *
peel_marks_describe (GPtrArray *marks)
{
  GString *text = g_string_new ("The second image is the first with marks drawn on it by the "
                                "user: arrows, outlines, strokes and notes. The marks are "
                                "instructions about what to change and where. Apply them to the "
                                "first image. The result must not show any of the marks.");

  for (guint i = 0; i < marks->len; i++)
    {
      const PeelMark *mark = g_ptr_array_index (marks, i);
      int colour = palette_index (mark->color);

      if (mark->kind != PEEL_MARK_TEXT)
        continue;
      g_string_append_printf (text, "\nNote in %s: \"%s\"",
                              palette_names[MAX (colour, 0)], mark->text);
    }
  return g_string_free (text, FALSE);
}
