/* peel-demo-painter.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/**
 * PeelDemoPaintSpec:
 * @prompt: the text of the turn; its hash picks colours and shapes
 * @width: pixel width of the picture
 * @height: pixel height of the picture
 * @ratio: (nullable): the aspect ratio to print, such as "16:9"
 * @size_label: (nullable): the size to print, such as "1K"
 * @base: (nullable): the image being edited, drawn under the new prompt
 * @inputs: (nullable) (element-type GdkPixbuf): reference images, shown as polaroids
 * @draft: 0 for a final picture, 1 or 2 for an interim composition draft
 * @region: @base is a part cut out of a larger image (a region edit): it is repainted with
 *   the change and a caption, without the card and labels a whole picture gets
 * @variant: 0 for the first picture of @prompt, then another composition for each number
 *
 * What the demo painter draws. Everything is read only; the painter may run in
 * any thread.
 */
typedef struct
{
  const char *prompt;
  int         width;
  int         height;
  const char *ratio;
  const char *size_label;
  GdkPixbuf  *base;
  GPtrArray  *inputs;
  guint       draft;
  gboolean    region;
  guint       variant;
} PeelDemoPaintSpec;

GBytes    *peel_demo_painter_paint  (const PeelDemoPaintSpec  *spec,
                                     GError                  **error);
GdkPixbuf *peel_demo_painter_decode (GBytes                   *bytes,
                                     GError                  **error);

G_END_DECLS
