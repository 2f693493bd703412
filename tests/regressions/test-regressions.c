/* test-regressions.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Feeds every input a fuzzer ever crashed on (tests/regressions/TARGET/) and every seed
 * (tests/fuzz/corpus/TARGET/) to the same entry point the fuzz target calls, compiled from the
 * same file: no crash, no critical, and a failure always comes with an error in words. */

#include <glib/gstdio.h>

#include "../fuzz/fuzz-common.h"

int peel_fuzz_error (const guint8 *data, size_t size);
int peel_fuzz_image_input (const guint8 *data, size_t size);
int peel_fuzz_png_meta (const guint8 *data, size_t size);
int peel_fuzz_png_text (const guint8 *data, size_t size);
int peel_fuzz_reply (const guint8 *data, size_t size);
int peel_fuzz_sse (const guint8 *data, size_t size);
int peel_fuzz_store (const guint8 *data, size_t size);
int peel_fuzz_stream (const guint8 *data, size_t size);

typedef struct
{
  const char *name;
  int       (*func) (const guint8 *data, size_t size);
} Target;

static const Target targets[] = {
  { "error", peel_fuzz_error },
  { "image-input", peel_fuzz_image_input },
  { "png-meta", peel_fuzz_png_meta },
  { "png-text", peel_fuzz_png_text },
  { "reply", peel_fuzz_reply },
  { "sse", peel_fuzz_sse },
  { "store", peel_fuzz_store },
  { "stream", peel_fuzz_stream },
};

typedef struct
{
  const Target *target;
  char         *path;
} Case;

static void
case_free (gpointer data)
{
  Case *c = data;

  g_free (c->path);
  g_free (c);
}

static void
test_input (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;
  guint8 *exact;

  g_assert_true (g_file_get_contents (c->path, &contents, &len, &error));
  g_assert_no_error (error);
  /* A buffer of exactly the input's size, as libFuzzer gives, with no NUL after it. */
  exact = g_malloc (MAX (len, 1));
  memcpy (exact, contents, len);
  c->target->func (exact, len);
  g_free (exact);
  g_free (contents);
}

static guint
add_cases (const char *top,
           const char *kind,
           GPtrArray  *cases)
{
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autofree char *dir_path = g_build_filename (top, targets[i].name, NULL);
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
      for (guint j = 0; j < names->len; j++)
        {
          const char *file = g_ptr_array_index (names, j);
          Case *c = g_new0 (Case, 1);
          g_autofree char *test_path = NULL;

          /* Test paths allow no dots. */
          test_path = g_strdelimit (g_strdup_printf ("/Peel/Regressions/%s/%s/%s", kind,
                                                     targets[i].name, file), ".", '-');
          c->target = &targets[i];
          c->path = g_build_filename (dir_path, file, NULL);
          g_ptr_array_add (cases, c);
          g_test_add_data_func (test_path, c, test_input);
          n++;
        }
    }
  return n;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (case_free);
  g_autofree char *tmp = g_dir_make_tmp ("peel-regressions-XXXXXX", NULL);
  int status;

  g_test_init (&argc, &argv, NULL);
  /* After g_test_init: criticals abort, the warnings damaged input earns are dropped. */
  peel_fuzz_init ();
  g_setenv ("TMPDIR", tmp, TRUE);

  add_cases (REGRESSIONS_DIR, "crashes", cases);
  add_cases (FUZZ_CORPUS_DIR, "seeds", cases);

  status = g_test_run ();
  remove_tree (tmp);
  return status;
}
