/* peel-region.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "peel-model-catalog.h"

G_BEGIN_DECLS

#define PEEL_REGION_ERROR (peel_region_error_quark ())

/**
 * PeelRegionError:
 * @PEEL_REGION_ERROR_EMPTY: the selection covers no pixel
 * @PEEL_REGION_ERROR_MASK: the mask is not an image, or not the size of the image it selects in
 * @PEEL_REGION_ERROR_IMAGE: the image or the answer cannot be used
 */
typedef enum
{
  PEEL_REGION_ERROR_EMPTY,
  PEEL_REGION_ERROR_MASK,
  PEEL_REGION_ERROR_IMAGE,
} PeelRegionError;

/* The largest feather radius, in pixels of the image. */
#define PEEL_REGION_MAX_FEATHER 256

typedef struct
{
  int x;
  int y;
  int width;
  int height;
} PeelRegionRect;

/**
 * PeelRegionMask:
 *
 * Which pixels of an image a region edit may change: one byte per pixel, 0 keeps the parent's
 * pixel, 255 takes the model's, values between blend.
 */
typedef struct
{
  int     width;
  int     height;
  guint8 *data;
} PeelRegionMask;

/**
 * PeelRegionPlan:
 * @bounds: the smallest rectangle holding every selected pixel
 * @crop: the part of the image sent to the model: @bounds with a margin of context, grown to
 *   @aspect_ratio where the image allows
 * @aspect_ratio: the catalogue's ratio closest to @crop's shape, asked of the model
 * @size: the smallest size whose pixels cover @crop, or the model's largest
 * @feather: the feather radius in pixels
 */
typedef struct
{
  PeelRegionRect  bounds;
  PeelRegionRect  crop;
  const char     *aspect_ratio;
  PeelImageSize   size;
  int             feather;
} PeelRegionPlan;

GQuark          peel_region_error_quark   (void);

PeelRegionMask *peel_region_mask_new      (int                    width,
                                           int                    height);
void            peel_region_mask_free     (PeelRegionMask        *mask);
PeelRegionMask *peel_region_mask_copy     (const PeelRegionMask  *mask);
PeelRegionMask *peel_region_mask_new_rect (int                    width,
                                           int                    height,
                                           const PeelRegionRect  *rect);
PeelRegionMask *peel_region_mask_from_pixbuf (GdkPixbuf          *pixbuf,
                                              int                 width,
                                              int                 height,
                                              GError            **error);
PeelRegionMask *peel_region_mask_from_png (GBytes                *bytes,
                                           int                    width,
                                           int                    height,
                                           GError               **error);
GdkPixbuf      *peel_region_decode_image (GBytes               *bytes,
                                           const char           *what,
                                           GError              **error);
GBytes         *peel_region_mask_to_png   (const PeelRegionMask  *mask,
                                           GError               **error);
gboolean        peel_region_mask_bounds   (const PeelRegionMask  *mask,
                                           PeelRegionRect        *bounds);
PeelRegionMask *peel_region_mask_feather  (const PeelRegionMask  *mask,
                                           int                    feather);

gboolean        peel_region_plan          (const PeelRegionMask  *mask,
                                           int                    feather,
                                           PeelModelFamily        family,
                                           PeelRegionPlan        *plan,
                                           GError               **error);
GdkPixbuf      *peel_region_crop          (GdkPixbuf             *image,
                                           const PeelRegionPlan  *plan);
gboolean        peel_region_plan_area     (const PeelRegionPlan  *plan,
                                           int                    width,
                                           int                    height,
                                           PeelRegionRect        *area);
gboolean        peel_region_composite_in_place (GdkPixbuf        *image,
                                                const PeelRegionMask *mask,
                                                const PeelRegionPlan *plan,
                                                GdkPixbuf        *answer,
                                                gboolean         *fitted,
                                                GError          **error);
GdkPixbuf      *peel_region_composite     (GdkPixbuf             *parent,
                                           const PeelRegionMask  *mask,
                                           const PeelRegionPlan  *plan,
                                           GdkPixbuf             *answer,
                                           gboolean              *fitted,
                                           GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PeelRegionMask, peel_region_mask_free)

G_END_DECLS
