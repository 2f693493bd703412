/* peel-marks.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PEEL_MARKS_ERROR (peel_marks_error_quark ())

typedef enum
{
  PEEL_MARKS_ERROR_INVALID,
  PEEL_MARKS_ERROR_TOO_LARGE,
} PeelMarksError;

/* What one document of marks may hold. */
#define PEEL_MARKS_MAX_MARKS     500
#define PEEL_MARKS_MAX_POINTS    4096
#define PEEL_MARKS_MAX_TEXT      280
#define PEEL_MARKS_MAX_BYTES     ((gsize) 4 * 1024 * 1024)

typedef enum
{
  PEEL_MARK_ARROW,
  PEEL_MARK_RECTANGLE,
  PEEL_MARK_ELLIPSE,
  PEEL_MARK_STROKE,
  PEEL_MARK_TEXT,
} PeelMarkKind;

typedef struct
{
  double x;
  double y;
} PeelMarkPoint;

/**
 * PeelMark:
 * @kind: what is drawn
 * @color: one of the palette's colours, `#rrggbb`
 * @width: the line's width, or the text's height, in pixels of the image
 * @points: (element-type PeelMarkPoint): an arrow's tail and head, a rectangle's or an
 *   ellipse's two corners, a stroke's points, a text's top-left corner
 * @text: a text note's words, else %NULL
 *
 * One mark drawn on an image as an instruction, in the image's pixels.
 */
typedef struct
{
  PeelMarkKind  kind;
  char         *color;
  double        width;
  GArray       *points;
  char         *text;
} PeelMark;

GQuark      peel_marks_error_quark   (void);

const char *peel_mark_kind_to_string (PeelMarkKind   kind);
PeelMark   *peel_mark_new            (PeelMarkKind   kind,
                                      const char    *color,
                                      double         width);
void        peel_mark_add_point      (PeelMark      *mark,
                                      double         x,
                                      double         y);
PeelMark   *peel_mark_copy           (const PeelMark *mark);
void        peel_mark_free           (PeelMark      *mark);
gboolean    peel_mark_get_bounds     (const PeelMark *mark,
                                      double        *x1,
                                      double        *y1,
                                      double        *x2,
                                      double        *y2);

const char *const *peel_marks_palette (void);

GPtrArray  *peel_marks_new           (void);
GPtrArray  *peel_marks_from_json     (const char    *json,
                                      gssize         length,
                                      GError       **error);
GPtrArray  *peel_marks_from_node     (JsonNode      *node,
                                      GError       **error);
JsonNode   *peel_marks_to_node       (GPtrArray     *marks);
char       *peel_marks_to_json       (GPtrArray     *marks);
char       *peel_marks_describe      (GPtrArray     *marks);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PeelMark, peel_mark_free)

G_END_DECLS
