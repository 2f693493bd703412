/* peel-memory.c
 *
 * Peel makes and frees big buffers all day: a 4K answer is ~16 MB of base64 and ~10 MB of PNG,
 * a decoded 4K image 60 MB. glibc serves blocks that large with their own mappings, given back
 * when freed, but raises that threshold each time one is freed; after the first few images
 * they come from the heap instead, and the heap stays fragmented. tests/soak measured it: with
 * the threshold left to move, resident memory grew about 58 kB a request while the live heap
 * (valgrind's massif) stayed flat; with it fixed, about 17 kB.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>   /* defines __GLIBC__ */
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "peel-memory.h"

/* glibc's own starting value; fixing it turns the moving threshold off. */
#define MMAP_THRESHOLD (128 * 1024)

/**
 * peel_memory_init:
 *
 * Call once, first thing in main(), in every program that handles images.
 */
void
peel_memory_init (void)
{
#ifdef __GLIBC__
  mallopt (M_MMAP_THRESHOLD, MMAP_THRESHOLD);
#endif
}
