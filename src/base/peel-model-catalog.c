/* peel-model-catalog.c
 *
 * The model catalogue: which Gemini image models exist, what each family accepts and returns,
 * and what it costs. The only place in Peel that names a model (a test checks); pickers,
 * validation, costs, export metadata and the demo server are all made from it. The service's
 * own list (ListModels) decides what is offered; an image model not in the catalogue gets the
 * safe settings of PEEL_MODEL_FAMILY_OTHER.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "peel-model-catalog.h"

typedef struct
{
  const char *name;
  int         shape_w;
  int         shape_h;
  gboolean    extreme;             /* only Gemini 3.1 Flash Image takes it */
  int         px[PEEL_N_IMAGE_SIZES][2];
  int         px_2_5[2];           /* Gemini 2.5 Flash Image, single size */
} RatioInfo;

/* Ordered as a designer scans them: square, then portrait to landscape, then the extremes. */
static const RatioInfo ratios[PEEL_N_ASPECT_RATIOS] = {
  { "1:1",  1,  1,  FALSE, { {  512,  512 }, { 1024, 1024 }, { 2048, 2048 }, {  4096,  4096 } }, { 1024, 1024 } },
  { "2:3",  2,  3,  FALSE, { {  424,  632 }, {  848, 1264 }, { 1696, 2528 }, {  3392,  5056 } }, {  832, 1248 } },
  { "3:2",  3,  2,  FALSE, { {  632,  424 }, { 1264,  848 }, { 2528, 1696 }, {  5056,  3392 } }, { 1248,  832 } },
  { "3:4",  3,  4,  FALSE, { {  448,  600 }, {  896, 1200 }, { 1792, 2400 }, {  3584,  4800 } }, {  864, 1184 } },
  { "4:3",  4,  3,  FALSE, { {  600,  448 }, { 1200,  896 }, { 2400, 1792 }, {  4800,  3584 } }, { 1184,  864 } },
  { "4:5",  4,  5,  FALSE, { {  464,  576 }, {  928, 1152 }, { 1856, 2304 }, {  3712,  4608 } }, {  896, 1152 } },
  { "5:4",  5,  4,  FALSE, { {  576,  464 }, { 1152,  928 }, { 2304, 1856 }, {  4608,  3712 } }, { 1152,  896 } },
  { "9:16", 9,  16, FALSE, { {  384,  688 }, {  768, 1376 }, { 1536, 2752 }, {  3072,  5504 } }, {  768, 1344 } },
  { "16:9", 16, 9,  FALSE, { {  688,  384 }, { 1376,  768 }, { 2752, 1536 }, {  5504,  3072 } }, { 1344,  768 } },
  { "21:9", 21, 9,  FALSE, { {  792,  168 }, { 1584,  672 }, { 3168, 1344 }, {  6336,  2688 } }, { 1536,  672 } },
  { "1:4",  1,  4,  TRUE,  { {  256, 1024 }, {  512, 2048 }, { 1024, 4096 }, {  2048,  8192 } }, { 0, 0 } },
  { "4:1",  4,  1,  TRUE,  { { 1024,  256 }, { 2048,  512 }, { 4096, 1024 }, {  8192,  2048 } }, { 0, 0 } },
  { "1:8",  1,  8,  TRUE,  { {  192, 1536 }, {  384, 3072 }, {  768, 6144 }, {  1536, 12288 } }, { 0, 0 } },
  { "8:1",  8,  1,  TRUE,  { { 1536,  192 }, { 3072,  384 }, { 6144,  768 }, { 12288,  1536 } }, { 0, 0 } },
};

static const char *size_names[PEEL_N_IMAGE_SIZES] = { "512", "1K", "2K", "4K" };

typedef struct
{
  const char *display_name;
  guint       sizes;               /* bit per PeelImageSize */
  gboolean    extreme_ratios;
  gboolean    sends_image_size;
  gboolean    thinking_level;
  gboolean    search;
  gboolean    image_search;
  guint       max_images;
  double      input_per_million;   /* US dollars */
  double      output_per_million;
  double      price[PEEL_N_IMAGE_SIZES];
  double      batch_price[PEEL_N_IMAGE_SIZES];
} FamilyInfo;

#define SIZE_BIT(s) (1u << (s))

static const FamilyInfo families[] = {
  [PEEL_MODEL_FAMILY_FLASH_3_1] = {
    "Nano Banana 2",
    SIZE_BIT (PEEL_IMAGE_SIZE_512) | SIZE_BIT (PEEL_IMAGE_SIZE_1K) |
    SIZE_BIT (PEEL_IMAGE_SIZE_2K) | SIZE_BIT (PEEL_IMAGE_SIZE_4K),
    TRUE, TRUE, TRUE, TRUE, TRUE, 14, 0.25, 60.0, { 0.045, 0.067, 0.101, 0.151 },
    { 0.022, 0.034, 0.050, 0.076 },
  },
  [PEEL_MODEL_FAMILY_FLASH_LITE_3_1] = {
    "Nano Banana 2 Lite",
    SIZE_BIT (PEEL_IMAGE_SIZE_1K),
    TRUE, TRUE, TRUE, FALSE, FALSE, 14, 0.25, 30.0, { -1, 0.034, -1, -1 },
    { -1, 0.017, -1, -1 },
  },
  [PEEL_MODEL_FAMILY_PRO_3] = {
    "Nano Banana Pro",
    SIZE_BIT (PEEL_IMAGE_SIZE_1K) | SIZE_BIT (PEEL_IMAGE_SIZE_2K) | SIZE_BIT (PEEL_IMAGE_SIZE_4K),
    FALSE, TRUE, FALSE, TRUE, FALSE, 14, 2.0, 120.0, { -1, 0.134, 0.134, 0.24 },
    { -1, 0.067, 0.067, 0.12 },
  },
  [PEEL_MODEL_FAMILY_FLASH_2_5] = {
    "Nano Banana",
    SIZE_BIT (PEEL_IMAGE_SIZE_1K),
    FALSE, FALSE, FALSE, FALSE, FALSE, 3, 0.30, 30.0, { -1, 0.039, -1, -1 },
    { -1, 0.0195, -1, -1 },
  },
  /* What every Gemini image model so far has taken: the ten common ratios at 1K, no thinking
   * level, no Search, few references. Prices unknown: no figure rather than a wrong one. */
  [PEEL_MODEL_FAMILY_OTHER] = {
    NULL,
    SIZE_BIT (PEEL_IMAGE_SIZE_1K),
    FALSE, TRUE, FALSE, FALSE, FALSE, 3, -1, -1, { -1, -1, -1, -1 },
    { -1, -1, -1, -1 },
  },
};

/* Newest first within each family; the first entry is the default. Dates from Google's
 * deprecations page. */
static const PeelModelInfo catalogue[] = {
  { PEEL_DEFAULT_MODEL, "Nano Banana 2", PEEL_MODEL_FAMILY_FLASH_3_1, 0, 0, 0, NULL },
  { "gemini-3-pro-image", "Nano Banana Pro", PEEL_MODEL_FAMILY_PRO_3, 0, 0, 0, NULL },
  { "gemini-3.1-flash-lite-image", "Nano Banana 2 Lite", PEEL_MODEL_FAMILY_FLASH_LITE_3_1,
    0, 0, 0, NULL },
  { "gemini-3.1-flash-image-preview", "Nano Banana 2 preview", PEEL_MODEL_FAMILY_FLASH_3_1,
    2026, 6, 25, PEEL_DEFAULT_MODEL },
  { "gemini-3-pro-image-preview", "Nano Banana Pro preview", PEEL_MODEL_FAMILY_PRO_3,
    2026, 6, 25, "gemini-3-pro-image" },
  { "gemini-2.5-flash-image", "Nano Banana", PEEL_MODEL_FAMILY_FLASH_2_5,
    2026, 10, 2, PEEL_DEFAULT_MODEL },
  { "gemini-2.5-flash-image-preview", "Nano Banana preview", PEEL_MODEL_FAMILY_FLASH_2_5,
    2026, 1, 15, PEEL_DEFAULT_MODEL },
};

const char *
peel_aspect_ratio_get_name (guint index)
{
  g_return_val_if_fail (index < PEEL_N_ASPECT_RATIOS, NULL);

  return ratios[index].name;
}

/**
 * peel_aspect_ratio_find:
 * @name: a ratio as the API writes it, such as "16:9"
 *
 * Returns: the index of @name among the 14 ratios, or -1 when it is not one of them
 */
int
peel_aspect_ratio_find (const char *name)
{
  if (name == NULL)
    return -1;

  for (guint i = 0; i < G_N_ELEMENTS (ratios); i++)
    if (strcmp (ratios[i].name, name) == 0)
      return (int) i;

  return -1;
}

gboolean
peel_aspect_ratio_get_shape (const char *name,
                             int        *width,
                             int        *height)
{
  int i = peel_aspect_ratio_find (name);

  if (i < 0)
    return FALSE;

  *width = ratios[i].shape_w;
  *height = ratios[i].shape_h;
  return TRUE;
}

const char *
peel_image_size_to_string (PeelImageSize size)
{
  g_return_val_if_fail (size < PEEL_N_IMAGE_SIZES, NULL);

  return size_names[size];
}

/* Exact strings only: the API rejects "1k" and silently ignores "0.5K". */
gboolean
peel_image_size_from_string (const char    *str,
                             PeelImageSize *size)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < PEEL_N_IMAGE_SIZES; i++)
    {
      if (strcmp (size_names[i], str) == 0)
        {
          *size = (PeelImageSize) i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
peel_thinking_level_to_string (PeelThinkingLevel level)
{
  switch (level)
    {
    case PEEL_THINKING_MINIMAL:
      return "minimal";
    case PEEL_THINKING_HIGH:
      return "high";
    case PEEL_THINKING_DEFAULT:
    default:
      return NULL;
    }
}

gboolean
peel_thinking_level_from_string (const char        *str,
                                 PeelThinkingLevel *level)
{
  if (str == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (str, "minimal") == 0)
    *level = PEEL_THINKING_MINIMAL;
  else if (g_ascii_strcasecmp (str, "high") == 0)
    *level = PEEL_THINKING_HIGH;
  else
    return FALSE;

  return TRUE;
}

static const char *
strip_prefix (const char *model_id)
{
  if (model_id != NULL && g_str_has_prefix (model_id, "models/"))
    return model_id + strlen ("models/");
  return model_id;
}

/**
 * peel_model_family_for_id:
 * @model_id: a model id, with or without a "models/" prefix
 *
 * A catalogue id gives its family; another id of a known family's stem (a dated version such
 * as "gemini-3-pro-image-001") gives that family; anything else is
 * %PEEL_MODEL_FAMILY_OTHER, whose settings every image model takes.
 */
PeelModelFamily
peel_model_family_for_id (const char *model_id)
{
  const PeelModelInfo *info;

  model_id = strip_prefix (model_id);
  if (model_id == NULL)
    return PEEL_MODEL_FAMILY_OTHER;

  if ((info = peel_model_lookup (model_id)) != NULL)
    return info->family;

  if (g_str_has_prefix (model_id, "gemini-2.5-flash-image"))
    return PEEL_MODEL_FAMILY_FLASH_2_5;
  if (g_str_has_prefix (model_id, "gemini-3-pro-image"))
    return PEEL_MODEL_FAMILY_PRO_3;
  if (g_str_has_prefix (model_id, "gemini-3.1-flash-lite-image"))
    return PEEL_MODEL_FAMILY_FLASH_LITE_3_1;
  if (g_str_has_prefix (model_id, "gemini-3.1-flash-image"))
    return PEEL_MODEL_FAMILY_FLASH_3_1;

  return PEEL_MODEL_FAMILY_OTHER;
}

const char *
peel_model_family_get_display_name (PeelModelFamily family)
{
  if (families[family].display_name == NULL)
    return _("This model");
  return families[family].display_name;
}

gboolean
peel_model_supports_ratio (PeelModelFamily  family,
                           const char      *ratio)
{
  int i = peel_aspect_ratio_find (ratio);

  if (i < 0)
    return FALSE;

  return !ratios[i].extreme || families[family].extreme_ratios;
}

gboolean
peel_model_supports_size (PeelModelFamily family,
                          PeelImageSize   size)
{
  if (size >= PEEL_N_IMAGE_SIZES)
    return FALSE;

  return (families[family].sizes & SIZE_BIT (size)) != 0;
}

/* Gemini 2.5 Flash Image has one size and takes no imageSize field. */
gboolean
peel_model_sends_image_size (PeelModelFamily family)
{
  return families[family].sends_image_size;
}

PeelImageSize
peel_model_default_size (PeelModelFamily family)
{
  return PEEL_IMAGE_SIZE_1K;
}

gboolean
peel_model_supports_thinking_level (PeelModelFamily family)
{
  return families[family].thinking_level;
}

gboolean
peel_model_supports_search (PeelModelFamily family)
{
  return families[family].search;
}

gboolean
peel_model_supports_image_search (PeelModelFamily family)
{
  return families[family].image_search;
}

guint
peel_model_max_input_images (PeelModelFamily family)
{
  return families[family].max_images;
}

/**
 * peel_model_pixel_size:
 *
 * The pixel size the model documents for @ratio at @size. Returns %FALSE when
 * the model does not take that combination.
 */
gboolean
peel_model_pixel_size (PeelModelFamily  family,
                       const char      *ratio,
                       PeelImageSize    size,
                       int             *width,
                       int             *height)
{
  int i = peel_aspect_ratio_find (ratio);

  if (i < 0 ||
      !peel_model_supports_ratio (family, ratio) ||
      !peel_model_supports_size (family, size))
    return FALSE;

  if (family == PEEL_MODEL_FAMILY_FLASH_2_5)
    {
      *width = ratios[i].px_2_5[0];
      *height = ratios[i].px_2_5[1];
    }
  else
    {
      *width = ratios[i].px[size][0];
      *height = ratios[i].px[size][1];
    }

  return TRUE;
}

/**
 * peel_model_price_per_image:
 *
 * Returns: the published price in US dollars of one image at @size, or a
 *   negative number when it is not known
 */
double
peel_model_price_per_image (PeelModelFamily family,
                            PeelImageSize   size)
{
  if (!peel_model_supports_size (family, size))
    return -1;

  return families[family].price[size];
}

/**
 * peel_model_batch_price_per_image:
 *
 * Returns: the Batch API's price in US dollars of one image at @size, or a negative number
 */
double
peel_model_batch_price_per_image (PeelModelFamily family,
                                  PeelImageSize   size)
{
  if (!peel_model_supports_size (family, size))
    return -1;

  return families[family].batch_price[size];
}

/* Thought tokens are billed as output whether or not the thoughts were shown. */
double
peel_model_cost (PeelModelFamily family,
                 gint64          prompt_tokens,
                 gint64          output_tokens,
                 gint64          thought_tokens)
{
  const FamilyInfo *info = &families[family];

  if (info->output_per_million < 0)
    return -1;

  return (prompt_tokens * info->input_per_million +
          (output_tokens + thought_tokens) * info->output_per_million) / 1e6;
}

guint
peel_model_catalogue_get_n (void)
{
  return G_N_ELEMENTS (catalogue);
}

/**
 * peel_model_catalogue_get:
 *
 * Returns: (nullable): the catalogue's entry @index, the default first; %NULL past the end
 */
const PeelModelInfo *
peel_model_catalogue_get (guint index)
{
  if (index >= G_N_ELEMENTS (catalogue))
    return NULL;
  return &catalogue[index];
}

/**
 * peel_model_lookup:
 * @model_id: (nullable): a model id, with or without a "models/" prefix
 *
 * Returns: (nullable): the catalogue's entry for exactly this id
 */
const PeelModelInfo *
peel_model_lookup (const char *model_id)
{
  model_id = strip_prefix (model_id);
  if (model_id == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (catalogue); i++)
    if (strcmp (catalogue[i].id, model_id) == 0)
      return &catalogue[i];

  return NULL;
}

/**
 * peel_model_id_is_image:
 *
 * Whether a service's model makes images. ListModels has no field that says so: an id in the
 * catalogue, or a Gemini id with "-image" in it, is taken as one.
 */
gboolean
peel_model_id_is_image (const char *model_id)
{
  model_id = strip_prefix (model_id);
  if (model_id == NULL || *model_id == '\0')
    return FALSE;

  return peel_model_lookup (model_id) != NULL ||
         (g_str_has_prefix (model_id, "gemini-") && strstr (model_id, "-image") != NULL);
}

gboolean
peel_model_is_shut_down (const char *model_id)
{
  const PeelModelInfo *info = peel_model_lookup (model_id);

  return info != NULL && info->shut_down_year != 0;
}

/**
 * peel_model_get_replacement:
 *
 * Returns: (nullable): the served model that takes over from a shut-down @model_id
 */
const char *
peel_model_get_replacement (const char *model_id)
{
  const PeelModelInfo *info = peel_model_lookup (model_id);

  /* A chain of replacements ends at a served model; the catalogue has no loops, but a bound
   * keeps a mistake from hanging. */
  for (guint i = 0; info != NULL && info->shut_down_year != 0 && i < 8; i++)
    {
      const PeelModelInfo *next = peel_model_lookup (info->replacement);

      if (next == NULL)
        return NULL;
      if (next->shut_down_year == 0)
        return next->id;
      info = next;
    }

  return NULL;
}

/**
 * peel_model_dup_display_name:
 *
 * Returns: (transfer full): "Nano Banana 2" for a catalogue id, or the id itself with a note
 *   for one Peel does not know yet
 */
char *
peel_model_dup_display_name (const char *model_id)
{
  const PeelModelInfo *info = peel_model_lookup (model_id);

  if (info != NULL)
    return g_strdup (info->display_name);

  /* Translators: a model id the service offers but Peel does not know yet */
  return g_strdup_printf (_("%s (not yet known to Peel)"), strip_prefix (model_id));
}

/**
 * peel_model_dup_shut_down_message:
 *
 * Returns: (transfer full) (nullable): "Nano Banana 2 preview was shut down on 25 June 2026.
 *   Use Nano Banana 2." for a shut-down @model_id, %NULL for any other
 */
char *
peel_model_dup_shut_down_message (const char *model_id)
{
  const PeelModelInfo *info = peel_model_lookup (model_id);
  const PeelModelInfo *next;
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *when = NULL;

  if (info == NULL || info->shut_down_year == 0)
    return NULL;

  date = g_date_time_new_utc (info->shut_down_year, info->shut_down_month,
                              info->shut_down_day, 12, 0, 0);
  /* Translators: a date as in “25 June 2026”; see g_date_time_format() */
  when = g_date_time_format (date, _("%-d %B %Y"));
  next = peel_model_lookup (peel_model_get_replacement (model_id));
  if (next == NULL)
    /* Translators: a model's name, then a date */
    return g_strdup_printf (_("%s was shut down on %s."), info->display_name, when);

  /* Translators: a model's name, a date, then the name of the model to use instead */
  return g_strdup_printf (_("%s was shut down on %s. Use %s."), info->display_name, when,
                          next->display_name);
}

/**
 * peel_model_dup_moved_message:
 *
 * Returns: (transfer full) (nullable): what to tell a user whose saved @model_id was shut down
 *   and is now replaced: "Nano Banana 2 preview was shut down on 25 June 2026: Peel now uses
 *   Nano Banana 2."; %NULL when @model_id has no replacement
 */
char *
peel_model_dup_moved_message (const char *model_id)
{
  const PeelModelInfo *info = peel_model_lookup (model_id);
  const PeelModelInfo *next = peel_model_lookup (peel_model_get_replacement (model_id));
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *when = NULL;

  if (info == NULL || next == NULL)
    return NULL;

  date = g_date_time_new_utc (info->shut_down_year, info->shut_down_month,
                              info->shut_down_day, 12, 0, 0);
  when = g_date_time_format (date, _("%-d %B %Y"));
  /* Translators: the shut-down model's name, the date, then the name of its replacement */
  return g_strdup_printf (_("%s was shut down on %s: Peel now uses %s."), info->display_name,
                          when, next->display_name);
}

/**
 * peel_model_dup_offered_ids:
 *
 * Returns: (transfer container) (element-type utf8): the catalogue's served models, the
 *   default first: what the pickers offer when the service's own list cannot be had
 */
GPtrArray *
peel_model_dup_offered_ids (void)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (catalogue); i++)
    if (catalogue[i].shut_down_year == 0)
      g_ptr_array_add (ids, g_strdup (catalogue[i].id));

  return ids;
}

/**
 * peel_model_filter_offered:
 * @service_ids: (element-type utf8): every model id a service lists (ListModels)
 *
 * The image models among them, in the service's order, without shut-down ids (a proxy may
 * keep them as aliases, but no picker offers them) and without repeats.
 *
 * Returns: (transfer container) (element-type utf8): what the pickers offer; may be empty
 */
GPtrArray *
peel_model_filter_offered (GPtrArray *service_ids)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; service_ids != NULL && i < service_ids->len; i++)
    {
      const char *id = strip_prefix (g_ptr_array_index (service_ids, i));

      if (!peel_model_id_is_image (id) || peel_model_is_shut_down (id) ||
          g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL))
        continue;
      g_ptr_array_add (ids, g_strdup (id));
    }

  return ids;
}
