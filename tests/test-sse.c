/* test-sse.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-gemini-error.h"
#include "peel-sse-parser.h"

static gboolean
collect_cb (const char  *data,
            gsize        len,
            gpointer     user_data,
            GError     **error)
{
  g_ptr_array_add (user_data, g_strndup (data, len));
  return TRUE;
}

/* Feeds @stream in pieces of the given sizes (cycled), or whole when @sizes is NULL. */
static GPtrArray *
split_events (const char  *stream,
              gsize        len,
              const gsize *sizes,
              guint        n_sizes,
              gboolean     finish)
{
  GPtrArray *events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PeelSseParser) parser = peel_sse_parser_new (0, collect_cb, events);
  g_autoptr(GError) error = NULL;
  gsize pos = 0;
  guint i = 0;

  while (pos < len)
    {
      gsize n = sizes != NULL ? sizes[i++ % n_sizes] : len;

      n = MIN (n, len - pos);

      g_assert_true (peel_sse_parser_feed (parser, stream + pos, n, &error));
      g_assert_no_error (error);
      pos += n;
    }
  if (finish)
    {
      g_assert_true (peel_sse_parser_finish (parser, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (peel_sse_parser_get_total_bytes (parser), ==, len);

  return events;
}

static void
assert_events (GPtrArray          *events,
               const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  g_assert_cmpuint (events->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (g_ptr_array_index (events, i), ==, expected[i]);
}

static void
test_fields (void)
{
  static const char stream[] =
    ": a comment, then fields we ignore\n"
    "event: message\nid: 7\nretry: 1000\n"
    "data: one\n\n"
    "data:two\ndata:  three\ndata\n\n"
    "dataX: not data\nDATA: not data either\n\n"
    "data: {\"x\": \"a: b\"}\n\n";
  static const char *expected[] = { "one", "two\n three\n", "{\"x\": \"a: b\"}", NULL };
  g_autoptr(GPtrArray) events = split_events (stream, strlen (stream), NULL, 0, TRUE);

  assert_events (events, expected);
}

static void
test_line_endings (void)
{
  static const char *streams[] = {
    "data: a\n\ndata: b\ndata: c\n\n",
    "data: a\r\n\r\ndata: b\r\ndata: c\r\n\r\n",
    "data: a\r\rdata: b\rdata: c\r\r",
    "data: a\r\n\ndata: b\rdata: c\n\r\n",
  };
  static const char *expected[] = { "a", "b\nc", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (streams); i++)
    {
      gsize len = strlen (streams[i]);

      /* Every split point, so "\r" and "\n" of one line end also arrive apart. */
      for (gsize cut = 0; cut <= len; cut++)
        {
          gsize sizes[2] = { MAX (cut, 1), len };
          g_autoptr(GPtrArray) events = split_events (streams[i], len, sizes, 2, FALSE);

          assert_events (events, expected);
        }
    }
}

static void
test_finish (void)
{
  static const char *expected[] = { "{\"last\": true}", NULL };
  static const char *nothing[] = { NULL };
  g_autoptr(GPtrArray) a = split_events ("data: {\"last\": true}", 20, NULL, 0, TRUE);
  g_autoptr(GPtrArray) b = split_events ("data: {\"last\": true}\r\n", 22, NULL, 0, TRUE);
  g_autoptr(GPtrArray) c = split_events ("data: {\"last\": true}\r\n", 22, NULL, 0, FALSE);
  g_autoptr(GPtrArray) d = split_events (": only a comment", 16, NULL, 0, TRUE);

  assert_events (a, expected);
  assert_events (b, expected);
  assert_events (c, nothing);
  assert_events (d, nothing);
}

static void
test_byte_order_mark (void)
{
  static const char stream[] = "\xef\xbb\xbf" "data: x\n\n";
  static const char *expected[] = { "x", NULL };
  gsize one = 1;
  g_autoptr(GPtrArray) whole = split_events (stream, strlen (stream), NULL, 0, TRUE);
  g_autoptr(GPtrArray) bytes = split_events (stream, strlen (stream), &one, 1, TRUE);

  assert_events (whole, expected);
  assert_events (bytes, expected);
}

static void
test_fixture_every_split (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "replies", "stream.sse",
                                                 NULL);
  g_autofree char *crlf = NULL;
  g_autoptr(GPtrArray) reference = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260226);
  gsize len;
  gsize one = 1;

  g_assert_true (g_file_get_contents (path, &crlf, &len, NULL));
  reference = split_events (crlf, len, NULL, 0, TRUE);
  g_assert_cmpuint (reference->len, ==, 9);
  for (guint i = 0; i < reference->len; i++)
    g_assert_true (g_str_has_prefix (g_ptr_array_index (reference, i), "{\"candidates\""));

  for (guint framing = 0; framing < 3; framing++)
    {
      g_autofree char *stream = NULL;
      g_auto(GStrv) lines = g_strsplit (crlf, "\r\n", -1);
      g_autoptr(GPtrArray) bytes = NULL;

      stream = g_strjoinv (framing == 0 ? "\r\n" : framing == 1 ? "\n" : "\r", lines);
      len = strlen (stream);

      bytes = split_events (stream, len, &one, 1, TRUE);
      g_assert_cmpuint (bytes->len, ==, reference->len);
      for (guint i = 0; i < reference->len; i++)
        g_assert_cmpstr (g_ptr_array_index (bytes, i), ==, g_ptr_array_index (reference, i));

      for (guint round = 0; round < 50; round++)
        {
          gsize sizes[64];
          g_autoptr(GPtrArray) events = NULL;

          for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
            sizes[k] = g_rand_int_range (rand, 1, round < 25 ? 8 : 700);
          events = split_events (stream, len, sizes, G_N_ELEMENTS (sizes), TRUE);
          g_assert_cmpuint (events->len, ==, reference->len);
          for (guint i = 0; i < reference->len; i++)
            g_assert_cmpstr (g_ptr_array_index (events, i), ==, g_ptr_array_index (reference, i));
        }
    }
}

typedef struct
{
  guint  count;
  gsize  len;
  char   first;
  char   last;
} BigEvent;

static gboolean
big_event_cb (const char  *data,
              gsize        len,
              gpointer     user_data,
              GError     **error)
{
  BigEvent *big = user_data;

  big->count++;
  big->len = len;
  big->first = len > 0 ? data[0] : 0;
  big->last = len > 0 ? data[len - 1] : 0;
  return TRUE;
}

/* A 4K image arrives as one event of 20–30 MB in small reads: no limit on its size, and
 * time that grows with its length, not its square. */
static void
test_large_event (void)
{
  const gsize payload = 30 * 1024 * 1024;
  g_autofree char *stream = g_malloc (payload + 16);
  g_autoptr(PeelSseParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  BigEvent big = { 0, };
  gint64 start;
  double seconds;
  gsize len;

  memcpy (stream, "data: {", 7);
  memset (stream + 7, 'A', payload);
  memcpy (stream + 7 + payload, "}\r\n\r\n", 5);
  len = payload + 12;

  parser = peel_sse_parser_new (64 * 1024 * 1024, big_event_cb, &big);
  start = g_get_monotonic_time ();
  for (gsize pos = 0; pos < len; pos += 16 * 1024)
    g_assert_true (peel_sse_parser_feed (parser, stream + pos, MIN (16 * 1024, len - pos), &error));
  g_assert_true (peel_sse_parser_finish (parser, &error));
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  g_assert_no_error (error);
  g_assert_cmpuint (big.count, ==, 1);
  g_assert_cmpuint (big.len, ==, payload + 2);
  g_assert_cmpint (big.first, ==, '{');
  g_assert_cmpint (big.last, ==, '}');

  g_test_message ("30 MiB event in 16 KiB feeds: %.1f ms", seconds * 1000);
  /* Linear is tens of milliseconds; rescanning the line on every feed takes a minute. The bound
   * is loose so that loaded and sanitized runs pass. */
  g_assert_cmpfloat (seconds, <, 15.0);
}

static void
test_total_limit (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PeelSseParser) parser = peel_sse_parser_new (100, collect_cb, events);
  g_autoptr(GError) error = NULL;
  char chunk[60];

  memset (chunk, 'x', sizeof chunk);
  memcpy (chunk, "data: ", 6);
  g_assert_true (peel_sse_parser_feed (parser, chunk, sizeof chunk, &error));
  g_assert_false (peel_sse_parser_feed (parser, chunk, sizeof chunk, &error));
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "100 bytes"));
  g_clear_error (&error);

  /* It stays stopped. */
  g_assert_false (peel_sse_parser_feed (parser, "\n\n", 2, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (events->len, ==, 0);
}

static gboolean
refuse_second_cb (const char  *data,
                  gsize        len,
                  gpointer     user_data,
                  GError     **error)
{
  guint *count = user_data;

  if (++*count == 2)
    {
      g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_SERVER, "stop here");
      return FALSE;
    }
  return TRUE;
}

static void
test_callback_error (void)
{
  guint count = 0;
  g_autoptr(PeelSseParser) parser = peel_sse_parser_new (0, refuse_second_cb, &count);
  g_autoptr(GError) error = NULL;
  static const char stream[] = "data: 1\n\ndata: 2\n\ndata: 3\n\n";

  g_assert_false (peel_sse_parser_feed (parser, stream, strlen (stream), &error));
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_SERVER);
  g_assert_cmpstr (error->message, ==, "stop here");
  g_assert_cmpuint (count, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Peel/Sse/fields", test_fields);
  g_test_add_func ("/Peel/Sse/line-endings", test_line_endings);
  g_test_add_func ("/Peel/Sse/finish", test_finish);
  g_test_add_func ("/Peel/Sse/byte-order-mark", test_byte_order_mark);
  g_test_add_func ("/Peel/Sse/fixture-every-split", test_fixture_every_split);
  g_test_add_func ("/Peel/Sse/large-event", test_large_event);
  g_test_add_func ("/Peel/Sse/total-limit", test_total_limit);
  g_test_add_func ("/Peel/Sse/callback-error", test_callback_error);

  return g_test_run ();
}
