/* fuzz-image-input.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Arbitrary bytes dropped on the window as a reference image: probed, then prepared for
 * sending (kept, re-encoded, scaled or refused). */

#include "fuzz-common.h"
#include "peel-image-input.h"
#include "peel-image-probe.h"

int peel_fuzz_image_input (const guint8 *data, size_t size);

int
peel_fuzz_image_input (const guint8 *data,
                       size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(PeelPart) part = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) probe_error = NULL;
  g_autofree char *mime_type = NULL;
  int width = 0, height = 0;

  if (!peel_image_probe (bytes, &width, &height, &mime_type, &probe_error))
    peel_fuzz_check_error (probe_error);

  part = peel_image_input_prepare (bytes, "dropped.png", &error);
  if (part == NULL)
    {
      peel_fuzz_check_error (error);
      return 0;
    }
  g_assert_no_error (error);
  g_assert_true (part->kind == PEEL_PART_IMAGE);
  g_assert_nonnull (part->mime_type);
  g_assert_nonnull (part->data);
  g_assert_cmpuint (g_bytes_get_size (part->data), >, 0);
  g_assert_cmpuint (g_bytes_get_size (part->data), <=, PEEL_IMAGE_INPUT_MAX_SENT_BYTES);
  return 0;
}

PEEL_FUZZ_TARGET ("image-input", peel_fuzz_image_input)
