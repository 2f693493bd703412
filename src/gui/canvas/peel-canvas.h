/* peel-canvas.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  PEEL_CANVAS_COMPARE_NONE,
  PEEL_CANVAS_COMPARE_SPLIT,
  PEEL_CANVAS_COMPARE_SIDE_BY_SIDE,
  PEEL_CANVAS_COMPARE_DIFFERENCE,
} PeelCanvasCompareMode;

#define PEEL_TYPE_CANVAS_COMPARE_MODE (peel_canvas_compare_mode_get_type ())
GType peel_canvas_compare_mode_get_type (void);

#define PEEL_TYPE_CANVAS (peel_canvas_get_type ())

G_DECLARE_FINAL_TYPE (PeelCanvas, peel_canvas, PEEL, CANVAS, GtkWidget)

/* The canvas's two images: the one shown, and the one compare mode shows beside it. */
typedef enum
{
  PEEL_CANVAS_IMAGE,
  PEEL_CANVAS_COMPARE_IMAGE,
} PeelCanvasLayer;

/**
 * PeelCanvasReadFunc:
 *
 * Reads an encoded image in a worker thread, for peel_canvas_load_async().
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL with @error set
 */
typedef GBytes *(*PeelCanvasReadFunc) (gpointer       data,
                                       GCancellable  *cancellable,
                                       GError       **error);

GtkWidget             *peel_canvas_new                   (void);
GdkTexture            *peel_canvas_get_texture           (PeelCanvas            *self);
void                   peel_canvas_set_texture           (PeelCanvas            *self,
                                                          GdkTexture            *texture);
void                   peel_canvas_load_bytes_async      (PeelCanvas            *self,
                                                          PeelCanvasLayer        layer,
                                                          GBytes                *bytes,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
void                   peel_canvas_load_async            (PeelCanvas            *self,
                                                          PeelCanvasLayer        layer,
                                                          PeelCanvasReadFunc     read,
                                                          gpointer               read_data,
                                                          GDestroyNotify         read_destroy,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
gboolean               peel_canvas_load_finish           (PeelCanvas            *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);
double                 peel_canvas_get_zoom              (PeelCanvas            *self);
void                   peel_canvas_set_zoom              (PeelCanvas            *self,
                                                          double                 zoom);
double                 peel_canvas_get_scale             (PeelCanvas            *self);
gboolean               peel_canvas_get_fit               (PeelCanvas            *self);
void                   peel_canvas_set_fit               (PeelCanvas            *self,
                                                          gboolean               fit);
const char            *peel_canvas_get_zoom_label        (PeelCanvas            *self);
GdkTexture            *peel_canvas_get_compare_texture   (PeelCanvas            *self);
void                   peel_canvas_set_compare_texture   (PeelCanvas            *self,
                                                          GdkTexture            *texture);
PeelCanvasCompareMode  peel_canvas_get_compare_mode      (PeelCanvas            *self);
void                   peel_canvas_set_compare_mode      (PeelCanvas            *self,
                                                          PeelCanvasCompareMode  mode);
void                   peel_canvas_set_compare_labels    (PeelCanvas            *self,
                                                          const char            *label_a,
                                                          const char            *label_b);
double                 peel_canvas_get_split_position    (PeelCanvas            *self);
void                   peel_canvas_set_split_position    (PeelCanvas            *self,
                                                          double                 position);
gboolean               peel_canvas_get_dimmed            (PeelCanvas            *self);
void                   peel_canvas_set_dimmed            (PeelCanvas            *self,
                                                          gboolean               dimmed);
const char            *peel_canvas_get_description       (PeelCanvas            *self);
void                   peel_canvas_set_description       (PeelCanvas            *self,
                                                          const char            *description);

G_END_DECLS
