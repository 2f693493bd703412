/* peel-model-catalog.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Nano Banana 2. The catalogue (peel-model-catalog.c) is the only other place that names a model. */
#define PEEL_DEFAULT_MODEL "gemini-3.1-flash-image"
#define PEEL_N_ASPECT_RATIOS 14
#define PEEL_MAX_INPUT_IMAGES 14

typedef enum
{
  PEEL_MODEL_FAMILY_FLASH_3_1,       /* Nano Banana 2 */
  PEEL_MODEL_FAMILY_FLASH_LITE_3_1,  /* Nano Banana 2 Lite */
  PEEL_MODEL_FAMILY_PRO_3,           /* Nano Banana Pro */
  PEEL_MODEL_FAMILY_FLASH_2_5,       /* Nano Banana */
  PEEL_MODEL_FAMILY_OTHER,           /* an image model Peel does not know yet: safe settings */
} PeelModelFamily;

typedef enum
{
  PEEL_IMAGE_SIZE_512,
  PEEL_IMAGE_SIZE_1K,
  PEEL_IMAGE_SIZE_2K,
  PEEL_IMAGE_SIZE_4K,
  PEEL_N_IMAGE_SIZES,
} PeelImageSize;

typedef enum
{
  PEEL_THINKING_DEFAULT,
  PEEL_THINKING_MINIMAL,
  PEEL_THINKING_HIGH,
} PeelThinkingLevel;

/* One model of the catalogue. A shut-down model keeps its entry, so that old sessions still
 * read, and names its replacement. */
typedef struct
{
  const char      *id;
  const char      *display_name;
  PeelModelFamily  family;
  guint16          shut_down_year;   /* 0 while the model is served */
  guint8           shut_down_month;
  guint8           shut_down_day;
  const char      *replacement;      /* an id, or NULL */
} PeelModelInfo;

const char        *peel_aspect_ratio_get_name         (guint               index);
int                peel_aspect_ratio_find             (const char         *name);
gboolean           peel_aspect_ratio_get_shape        (const char         *name,
                                                       int                *width,
                                                       int                *height);

const char        *peel_image_size_to_string          (PeelImageSize       size);
gboolean           peel_image_size_from_string        (const char         *str,
                                                       PeelImageSize      *size);

const char        *peel_thinking_level_to_string      (PeelThinkingLevel   level);
gboolean           peel_thinking_level_from_string    (const char         *str,
                                                       PeelThinkingLevel  *level);

PeelModelFamily    peel_model_family_for_id           (const char         *model_id);
const char        *peel_model_family_get_display_name (PeelModelFamily     family);
gboolean           peel_model_supports_ratio          (PeelModelFamily     family,
                                                       const char         *ratio);
gboolean           peel_model_supports_size           (PeelModelFamily     family,
                                                       PeelImageSize       size);
gboolean           peel_model_sends_image_size        (PeelModelFamily     family);
PeelImageSize      peel_model_default_size            (PeelModelFamily     family);
gboolean           peel_model_supports_thinking_level (PeelModelFamily     family);
gboolean           peel_model_supports_search         (PeelModelFamily     family);
gboolean           peel_model_supports_image_search   (PeelModelFamily     family);
guint              peel_model_max_input_images        (PeelModelFamily     family);
gboolean           peel_model_pixel_size              (PeelModelFamily     family,
                                                       const char         *ratio,
                                                       PeelImageSize       size,
                                                       int                *width,
                                                       int                *height);
double             peel_model_price_per_image         (PeelModelFamily     family,
                                                       PeelImageSize       size);
double             peel_model_batch_price_per_image   (PeelModelFamily     family,
                                                       PeelImageSize       size);
double             peel_model_cost                    (PeelModelFamily     family,
                                                       gint64              prompt_tokens,
                                                       gint64              output_tokens,
                                                       gint64              thought_tokens);

guint                peel_model_catalogue_get_n       (void);
const PeelModelInfo *peel_model_catalogue_get         (guint               index);
const PeelModelInfo *peel_model_lookup                (const char         *model_id);
gboolean             peel_model_id_is_image           (const char         *model_id);
gboolean             peel_model_is_shut_down          (const char         *model_id);
const char          *peel_model_get_replacement       (const char         *model_id);
char                *peel_model_dup_display_name      (const char         *model_id);
char                *peel_model_dup_shut_down_message (const char         *model_id);
char                *peel_model_dup_moved_message     (const char         *model_id);
GPtrArray           *peel_model_dup_offered_ids       (void);
GPtrArray           *peel_model_filter_offered        (GPtrArray          *service_ids);

G_END_DECLS
