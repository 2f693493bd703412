/* test-json-reader.c
 *
 * The bounded JSON reader (depth and size checked before json-glib sees a byte) and the
 * helpers that make file and server text safe for a terminal or a label.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "peel-json-reader.h"
#include "peel-text.h"

static char *
nested (guint       levels,
        const char *open,
        const char *inside,
        const char *close)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < levels; i++)
    g_string_append (s, open);
  g_string_append (s, inside);
  for (guint i = 0; i < levels; i++)
    g_string_append (s, close);
  return g_string_free (s, FALSE);
}

static void
test_depth (void)
{
  g_autofree char *deepest = nested (PEEL_JSON_MAX_DEPTH, "[", "1", "]");
  g_autofree char *too_deep = nested (PEEL_JSON_MAX_DEPTH + 1, "[", "1", "]");
  g_autofree char *hostile = nested (100000, "{\"a\":[", "", "]}");
  g_autoptr(JsonNode) ok = NULL;
  g_autoptr(GError) error = NULL;

  ok = peel_json_reader_parse (deepest, -1, PEEL_JSON_MAX_TEXT_BYTES, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (ok));

  g_assert_null (peel_json_reader_parse (too_deep, -1, PEEL_JSON_MAX_TEXT_BYTES, &error));
  g_assert_error (error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_TOO_DEEP);
  g_clear_error (&error);

  /* 200 000 levels: refused before any recursion, so no crash. */
  g_assert_null (peel_json_reader_parse (hostile, -1, PEEL_JSON_MAX_TEXT_BYTES, &error));
  g_assert_error (error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_TOO_DEEP);
  g_assert_nonnull (strstr (error->message, "64 levels"));
}

/* Brackets inside strings are text, not nesting; escaped quotes do not end a string. */
static void
test_strings_are_skipped (void)
{
  g_autofree char *brackets = nested (1000, "[", "", "");
  g_autofree char *json = g_strdup_printf ("{\"a\": \"%s\", \"b\": \"\\\"[[[\\\\\", \"c\": [1]}",
                                           brackets);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  root = peel_json_reader_parse (json, -1, PEEL_JSON_MAX_TEXT_BYTES, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "b"), ==,
                   "\"[[[\\");
}

static void
test_size (void)
{
  g_autofree char *xs = nested (2000, "x", "", "");
  g_autofree char *big = g_strdup_printf ("[\"%s\"]", xs);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) fits = NULL;

  g_assert_null (peel_json_reader_parse (big, -1, 1000, &error));
  g_assert_error (error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_TOO_LARGE);
  g_clear_error (&error);
  fits = peel_json_reader_parse (big, -1, 4000, &error);
  g_assert_no_error (error);
}

static void
test_invalid (void)
{
  const char *cases[] = { "", "   ", "[1, 2", "{\"a\": \"b", "not json", "[1]]]]", "\"\\" };
  const PeelJsonError codes[] = {
    PEEL_JSON_ERROR_INVALID, PEEL_JSON_ERROR_INVALID, PEEL_JSON_ERROR_CUT_SHORT,
    PEEL_JSON_ERROR_CUT_SHORT, PEEL_JSON_ERROR_INVALID, PEEL_JSON_ERROR_INVALID,
    PEEL_JSON_ERROR_CUT_SHORT,
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (peel_json_reader_parse (cases[i], -1, 1024, &error));
      g_assert_error (error, PEEL_JSON_ERROR, codes[i]);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

static void
test_long_strings (void)
{
  g_autofree char *long_value = nested (5000, "A", "", "");
  g_autofree char *json = g_strdup_printf ("{\"short\": \"x\", \"long\": \"%s\"}", long_value);
  g_autoptr(GError) error = NULL;

  /* Not lifted, the long string counts against the size. */
  g_assert_false (peel_json_reader_scan (json, strlen (json), 100, 0, NULL, NULL, &error));
  g_assert_error (error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_TOO_LARGE);
}

static void
collect_cb (gsize    start,
            gsize    end,
            gpointer user_data)
{
  gsize pair[2] = { start, end };

  g_array_append_vals (user_data, pair, 2);
}

static void
test_long_strings_lifted (void)
{
  g_autofree char *long_value = nested (5000, "A", "", "");
  g_autofree char *json = g_strdup_printf ("{\"short\": \"x\", \"long\": \"%s\"}", long_value);
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GError) error = NULL;

  g_assert_true (peel_json_reader_scan (json, strlen (json), 100, 1000, collect_cb, seen,
                                        &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpuint (g_array_index (seen, gsize, 1) - g_array_index (seen, gsize, 0), ==, 5000);
  g_assert_cmpint (json[g_array_index (seen, gsize, 1)], ==, '"');
}

static void
test_load_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("peel-json-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "meta.json", NULL);
  g_autofree char *link = g_build_filename (dir, "link.json", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo.json", NULL);
  g_autofree char *deep = nested (100000, "[", "", "]");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (file, "{\"name\": \"Lighthouse\"}", -1, NULL));
  root = peel_json_reader_load_file (file, PEEL_JSON_MAX_META_BYTES, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "name"), ==,
                   "Lighthouse");

  g_assert_null (peel_json_reader_load_file (file, 10, &error));
  g_assert_error (error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_TOO_LARGE);
  g_clear_error (&error);

  g_assert_cmpint (symlink ("meta.json", link), ==, 0);
  g_assert_null (peel_json_reader_load_file (link, PEEL_JSON_MAX_META_BYTES, &error));
  g_assert_error (error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_NOT_A_FILE);
  g_clear_error (&error);

  /* A FIFO would block a plain read forever. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_null (peel_json_reader_load_file (fifo, PEEL_JSON_MAX_META_BYTES, &error));
  g_assert_error (error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_NOT_A_FILE);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (file, deep, -1, NULL));
  g_assert_null (peel_json_reader_load_file (file, PEEL_JSON_MAX_META_BYTES, &error));
  g_assert_error (error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_TOO_DEEP);

  g_remove (file);
  g_remove (link);
  g_remove (fifo);
  g_rmdir (dir);
}

static void
test_escape_for_terminal (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "plain café ☕\n\tend", "plain café ☕\n\tend" },
    { "\033]0;pwned\007", "\\u001b]0;pwned\\u0007" },
    { "\033[2J\r", "\\u001b[2J\\u000d" },
    { "\xe2\x80\xae" "gnp.exe", "\\u202egnp.exe" },
    { "a\xc2\x9b" "2J", "a\\u009b2J" },
    { "\xe2\x81\xa6x\xe2\x81\xa9", "\\u2066x\\u2069" },
    { "bad \xff\xfe utf-8 \xe2\x80", "bad \\xff\\xfe utf-8 \\xe2\\x80" },
    { "del\x7f", "del\\u007f" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = peel_text_escape_for_terminal (cases[i].in, -1);

      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_true (peel_text_is_clean (out, -1));
    }
  {
    g_autofree char *nul = peel_text_escape_for_terminal ("a\0b", 3);

    g_assert_cmpstr (nul, ==, "a\\u0000b");
  }
  g_assert_null (peel_text_escape_for_terminal (NULL, -1));
}

static void
test_strip_for_label (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "plain café ☕\nline", "plain café ☕\nline" },
    { "\033]0;pwned\007 fox", "]0;pwned fox" },
    { "\xe2\x80\xae" "gnp.exe", "gnp.exe" },
    { "bad \xff utf-8", "bad \xef\xbf\xbd utf-8" },
    { "a\xc2\x9b" "b\r\n", "ab\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = peel_text_strip_for_label (cases[i].in, -1);

      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_true (peel_text_is_clean (out, -1));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Peel/JsonReader/depth", test_depth);
  g_test_add_func ("/Peel/JsonReader/strings-are-skipped", test_strings_are_skipped);
  g_test_add_func ("/Peel/JsonReader/size", test_size);
  g_test_add_func ("/Peel/JsonReader/invalid", test_invalid);
  g_test_add_func ("/Peel/JsonReader/long-strings", test_long_strings);
  g_test_add_func ("/Peel/JsonReader/long-strings-lifted", test_long_strings_lifted);
  g_test_add_func ("/Peel/JsonReader/load-file", test_load_file);
  g_test_add_func ("/Peel/Text/escape-for-terminal", test_escape_for_terminal);
  g_test_add_func ("/Peel/Text/strip-for-label", test_strip_for_label);

  return g_test_run ();
}
