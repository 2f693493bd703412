/* test-panel-text.c
 *
 * The text of the history rows, the details panel and the sessions list, without a display.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-panel-text.h"

#define MINUTE ((gint64) 60 * G_USEC_PER_SEC)
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)
#define NOW ((gint64) 1790000000 * G_USEC_PER_SEC)

static void
test_size_text (void)
{
  g_autofree char *same = NULL;
  g_autofree char *differ = NULL;
  g_autofree char *asked_only = NULL;
  g_autofree char *none = NULL;
  gboolean mismatch = TRUE;

  same = peel_panels_size_text (2752, 1536, 2752, 1536, &mismatch);
  g_assert_cmpstr (same, ==, "Asked 2752 × 1536 — got 2752 × 1536");
  g_assert_false (mismatch);

  differ = peel_panels_size_text (2752, 1536, 1376, 768, &mismatch);
  g_assert_cmpstr (differ, ==, "Asked 2752 × 1536 — got 1376 × 768");
  g_assert_true (mismatch);

  asked_only = peel_panels_size_text (1024, 1024, 0, 0, &mismatch);
  g_assert_cmpstr (asked_only, ==, "Asked 1024 × 1024");
  g_assert_false (mismatch);

  none = peel_panels_size_text (0, 0, 0, 0, NULL);
  g_assert_null (none);
}

static void
test_history_caption (void)
{
  g_autofree char *done = peel_panels_history_caption (PEEL_NODE_DONE, 2752, 1536, NULL, NULL);
  g_autofree char *pending = peel_panels_history_caption (PEEL_NODE_PENDING, 0, 0, NULL, NULL);
  g_autofree char *failed = peel_panels_history_caption (PEEL_NODE_FAILED, 0, 0, "rate-limited",
                                                         "Too many requests (429)");
  g_autofree char *failed_silent = peel_panels_history_caption (PEEL_NODE_FAILED, 0, 0, NULL, "");
  g_autofree char *no_image = peel_panels_history_caption (PEEL_NODE_DONE, 0, 0, NULL, NULL);
  g_autofree char *cancelled = peel_panels_history_caption (PEEL_NODE_FAILED, 0, 0, "cancelled",
                                                            "You cancelled this generation.");

  g_assert_cmpstr (done, ==, "2752×1536");
  g_assert_cmpstr (pending, ==, "Generating…");
  g_assert_cmpstr (failed, ==, "⚠ failed: Too many requests (429)");
  g_assert_cmpstr (failed_silent, ==, "⚠ failed");
  g_assert_cmpstr (no_image, ==, "No image");
  /* Stopping a turn is not a failure. */
  g_assert_cmpstr (cancelled, ==, "Cancelled");
}

static void
test_relative_time (void)
{
  struct { gint64 ago; const char *text; } cases[] = {
    { 10 * G_USEC_PER_SEC, "Changed just now" },
    { 1 * MINUTE, "Changed 1 minute ago" },
    { 5 * MINUTE + 30 * G_USEC_PER_SEC, "Changed 5 minutes ago" },
    { 1 * HOUR, "Changed 1 hour ago" },
    { 23 * HOUR, "Changed 23 hours ago" },
    { 30 * HOUR, "Changed yesterday" },
    { 4 * DAY, "Changed 4 days ago" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = peel_panels_relative_time (NOW - cases[i].ago, NOW);

      g_assert_cmpstr (text, ==, cases[i].text);
    }

  {
    g_autofree char *old = peel_panels_relative_time (NOW - 90 * DAY, NOW);
    g_autofree char *never = peel_panels_relative_time (0, NOW);

    g_assert_true (g_str_has_prefix (old, "Changed on 20"));
    g_assert_cmpstr (never, ==, "Never changed");
  }
}

static void
test_session_caption (void)
{
  g_autofree char *many = peel_panels_session_caption (NOW - 5 * MINUTE, NOW, 12);
  g_autofree char *one = peel_panels_session_caption (NOW, NOW, 1);

  g_assert_cmpstr (many, ==, "Changed 5 minutes ago · 12 turns");
  g_assert_cmpstr (one, ==, "Changed just now · 1 turn");
}

static void
test_costs (void)
{
  const double costs[] = { 0.067, -1, 0.101, 0.0 };
  const double unknown[] = { -1, -1 };
  g_autofree char *both = NULL;
  g_autofree char *node_unknown = NULL;
  g_autofree char *tiny = NULL;

  g_assert_cmpfloat_with_epsilon (peel_panels_sum_costs (costs, G_N_ELEMENTS (costs)),
                                  0.168, 1e-9);
  g_assert_cmpfloat (peel_panels_sum_costs (unknown, G_N_ELEMENTS (unknown)), ==, -1);
  g_assert_cmpfloat (peel_panels_sum_costs (NULL, 0), ==, -1);

  both = peel_panels_cost_text (0.067, 0.168);
  g_assert_cmpstr (both, ==, "$0.067 · session $0.168");
  node_unknown = peel_panels_cost_text (-1, 0.168);
  g_assert_cmpstr (node_unknown, ==, "cost unknown · session $0.168");
  tiny = peel_panels_cost_text (0.0004, -1);
  g_assert_cmpstr (tiny, ==, "< $0.001");
  g_assert_null (peel_panels_cost_text (-1, -1));
}

static void
test_usage (void)
{
  g_autofree char *with_thoughts = peel_panels_usage_text (18, 1126, 310);
  g_autofree char *without = peel_panels_usage_text (18, 1126, 0);

  g_assert_cmpstr (with_thoughts, ==, "18 prompt · 1126 output · 310 thinking tokens");
  g_assert_cmpstr (without, ==, "18 prompt · 1126 output tokens");
  g_assert_null (peel_panels_usage_text (0, 0, 0));
}

static PeelDetailsInput
base_input (void)
{
  PeelDetailsInput input = { 0, };

  input.status = PEEL_NODE_DONE;
  input.model = "gemini-3.1-flash-image-preview";
  input.aspect_ratio = "16:9";
  input.size = PEEL_IMAGE_SIZE_2K;
  input.got_width = 2752;
  input.got_height = 1536;
  input.prompt_tokens = 18;
  input.output_tokens = 1126;
  input.thought_tokens = 310;
  input.cost = 0.101;
  input.session_cost = 0.168;
  input.created = NOW - 12 * G_USEC_PER_SEC;
  input.now = NOW;
  return input;
}

static void
test_details_done (void)
{
  PeelDetailsInput input = base_input ();
  g_autoptr(PeelDetailsState) state = peel_details_state_new (&input);
  g_autoptr(PeelDetailsState) small = NULL;

  g_assert_null (state->status_text);
  g_assert_null (state->error_text);
  g_assert_false (state->show_retry);
  g_assert_cmpstr (state->size_text, ==, "Asked 2752 × 1536 — got 2752 × 1536");
  g_assert_false (state->size_mismatch);
  g_assert_cmpstr (state->settings_text, ==, "Nano Banana 2 · 16:9 · 2K");
  g_assert_cmpstr (state->usage_text, ==, "18 prompt · 1126 output · 310 thinking tokens");
  g_assert_cmpstr (state->cost_text, ==, "$0.101 · session $0.168");

  /* The service sent a smaller image than asked for. */
  input.got_width = 1376;
  input.got_height = 768;
  small = peel_details_state_new (&input);
  g_assert_true (small->size_mismatch);
  g_assert_cmpstr (small->size_text, ==, "Asked 2752 × 1536 — got 1376 × 768");

  /* What the request left out is said with the turn, after the model's own message. */
  {
    g_autoptr(PeelDetailsState) noted = NULL;
    g_autoptr(PeelDetailsState) both = NULL;

    input.context_note = "2 of your earlier images were left out.";
    noted = peel_details_state_new (&input);
    g_assert_cmpstr (noted->status_text, ==, "2 of your earlier images were left out.");
    input.finish_message = "Here it is.";
    both = peel_details_state_new (&input);
    g_assert_cmpstr (both->status_text, ==, "Here it is.\n2 of your earlier images were left out.");
  }

  /* A branch that went as the user's own images says so, and why. */
  {
    g_autoptr(PeelDetailsState) rebuilt = NULL;

    input.context_rebuilt = TRUE;
    rebuilt = peel_details_state_new (&input);
    g_assert_cmpstr (rebuilt->status_text, ==,
                     "Here it is.\n2 of your earlier images were left out.\n"
                     "Context rebuilt: the earlier turns were made by another service or a "
                     "retired model, so their images were sent as your own, without the "
                     "model’s signatures.");
  }
}

static void
test_details_failed (void)
{
  PeelDetailsInput input = base_input ();
  g_autoptr(PeelDetailsState) state = NULL;
  g_autoptr(PeelDetailsState) silent = NULL;

  input.status = PEEL_NODE_FAILED;
  input.error_message = "The service is busy. Try again in a minute.";
  input.got_width = input.got_height = 0;
  input.prompt_tokens = input.output_tokens = input.thought_tokens = 0;
  input.cost = 0;
  state = peel_details_state_new (&input);
  g_assert_cmpstr (state->error_text, ==, "The service is busy. Try again in a minute.");
  g_assert_true (state->show_retry);
  g_assert_cmpstr (state->size_text, ==, "Asked 2752 × 1536");
  g_assert_null (state->usage_text);

  input.error_message = NULL;
  silent = peel_details_state_new (&input);
  g_assert_nonnull (silent->error_text);
  g_assert_true (silent->show_retry);
}

static void
test_session_name_from_prompt (void)
{
  struct { const char *prompt; const char *name; } cases[] = {
    { "a lighthouse at dusk", "A lighthouse at dusk" },
    { "  a   lighthouse\tat dusk  ", "A lighthouse at dusk" },
    { "a lighthouse at dusk, with a stormy sky and a small red boat near the rocks",
      "A lighthouse at dusk, with a stormy sky…" },
    { "make it pop\nand add more contrast", "Make it pop" },
    { "écluse au crépuscule", "Écluse au crépuscule" },
    { "Supercalifragilisticexpialidociousandthensomemorewordsjoined",
      "Supercalifragilisticexpialidociousandthe…" },
    { "   ", NULL },
    { "", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = peel_panels_session_name_from_prompt (cases[i].prompt);

      g_assert_cmpstr (name, ==, cases[i].name);
    }
}

static void
test_picker_note (void)
{
  g_autofree char *same = peel_panels_picker_note ("21:9", PEEL_IMAGE_SIZE_2K, "21:9",
                                                   PEEL_IMAGE_SIZE_2K);
  g_autofree char *match = peel_panels_picker_note ("21:9", PEEL_IMAGE_SIZE_2K, NULL,
                                                    PEEL_IMAGE_SIZE_2K);
  g_autofree char *shape = peel_panels_picker_note ("21:9", PEEL_IMAGE_SIZE_2K, "16:9",
                                                    PEEL_IMAGE_SIZE_2K);
  g_autofree char *size = peel_panels_picker_note ("21:9", PEEL_IMAGE_SIZE_2K, "21:9",
                                                   PEEL_IMAGE_SIZE_512);
  g_autofree char *both = peel_panels_picker_note ("21:9", PEEL_IMAGE_SIZE_2K, "16:9",
                                                   PEEL_IMAGE_SIZE_512);

  g_assert_null (same);
  g_assert_null (match);
  g_assert_cmpstr (shape, ==, "New shape: 16:9 (the image is 21:9)");
  g_assert_cmpstr (size, ==, "New size: 512 (the image is 2K)");
  g_assert_cmpstr (both, ==, "New shape and size: 16:9 · 512 (the image is 21:9 · 2K)");

  g_assert_cmpstr (peel_panels_ratio_for_pixels (3168, 1344), ==, "21:9");
  g_assert_cmpstr (peel_panels_ratio_for_pixels (688, 384), ==, "16:9");
  g_assert_cmpstr (peel_panels_ratio_for_pixels (512, 512), ==, "1:1");
  g_assert_null (peel_panels_ratio_for_pixels (1000, 113));
  g_assert_null (peel_panels_ratio_for_pixels (0, 0));
}

static void
test_details_cancelled_and_prohibited (void)
{
  PeelDetailsInput input = base_input ();
  g_autoptr(PeelDetailsState) cancelled = NULL;
  g_autoptr(PeelDetailsState) prohibited = NULL;

  input.status = PEEL_NODE_FAILED;
  input.error_code = "cancelled";
  input.error_message = "You cancelled this generation.";
  cancelled = peel_details_state_new (&input);
  g_assert_null (cancelled->error_text);
  g_assert_cmpstr (cancelled->status_text, ==, "Cancelled. Press Retry to send it again.");
  g_assert_true (cancelled->show_retry);

  /* Google refuses prohibited content every time: Retry cannot help. */
  input.error_code = "prohibited";
  input.error_message = "Google blocked the prompt (PROHIBITED_CONTENT). Rephrase the prompt.";
  prohibited = peel_details_state_new (&input);
  g_assert_cmpstr (prohibited->error_text, ==, input.error_message);
  g_assert_false (prohibited->show_retry);
  g_assert_false (peel_panels_can_retry ("prohibited"));
  g_assert_true (peel_panels_can_retry ("blocked"));
  g_assert_true (peel_panels_can_retry (NULL));
}

static void
test_details_pending (void)
{
  PeelDetailsInput input = base_input ();
  g_autoptr(PeelDetailsState) state = NULL;
  g_autoptr(PeelDetailsState) later = NULL;

  input.status = PEEL_NODE_PENDING;
  input.got_width = input.got_height = 0;
  input.prompt_tokens = input.output_tokens = input.thought_tokens = 0;
  state = peel_details_state_new (&input);
  g_assert_cmpstr (state->status_text, ==, "Generating… 12 s");
  g_assert_false (state->show_retry);
  g_assert_null (state->error_text);
  /* A turn still running has no cost of its own yet; the session's is shown. */
  g_assert_cmpstr (state->cost_text, ==, "cost unknown · session $0.168");

  input.now = input.created + 65 * G_USEC_PER_SEC;
  later = peel_details_state_new (&input);
  g_assert_cmpstr (later->status_text, ==, "Generating… 1 min 5 s");
}

/* A long message is cut at a sentence or a word, never in the middle of one; what fits stays. */
static void
test_toast_title (void)
{
  const char *huge = "“huge.png” cannot be opened. The image says it is 20000 × 20000 pixels, "
                     "more than Peel opens safely (at most 16384 pixels a side and 200 million "
                     "pixels in all).";
  g_autofree char *sentence = peel_panels_toast_title (huge, 60);
  g_autofree char *words = NULL;
  g_autofree char *colon = NULL;

  g_assert_null (peel_panels_toast_title ("Image copied", 60));
  g_assert_cmpstr (sentence, ==, "“huge.png” cannot be opened.");

  words = peel_panels_toast_title ("The service answered with something that cannot be read "
                                   "as an image reply at all", 40);
  g_assert_cmpstr (words, ==, "The service answered with something…");
  g_assert_cmpuint (g_utf8_strlen (words, -1), <=, 40);

  colon = peel_panels_toast_title ("This image cannot be shown: the file ends before its "
                                   "last chunk, maybe it is still being copied", 60);
  g_assert_cmpstr (colon, ==, "This image cannot be shown");
}

/* Render Larger's lines: a final names its draft, a draft each final; a long title is cut and
 * controls never reach the label. */
static void
test_render_text (void)
{
  const char *titles[] = { "a fox", "a fox\u202e in snow, with a very long prompt indeed", NULL };
  const char *sizes[] = { "2K", "4K", NULL };
  g_autofree char *final = peel_panels_render_text ("a fox", "512", NULL, NULL);
  g_autofree char *gone = peel_panels_render_text ("", NULL, NULL, NULL);
  g_autofree char *draft = peel_panels_render_text (NULL, NULL, titles, sizes);
  g_autofree char *none = peel_panels_render_text (NULL, NULL, NULL, NULL);

  g_assert_cmpstr (final, ==, "Rendered larger from “a fox” (512)");
  g_assert_cmpstr (gone, ==, "Rendered larger from a turn since deleted");
  g_assert_true (g_str_has_prefix (draft, "Draft of “a fox” (2K)\nDraft of “a fox"));
  g_assert_true (g_str_has_suffix (draft, "” (4K)"));
  g_assert_null (strstr (draft, "\u202e"));
  g_assert_cmpuint (g_utf8_strlen (strchr (draft, '\n') + 1, -1), <=, 60);
  g_assert_null (none);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Peel/PanelsLogic/size-text", test_size_text);
  g_test_add_func ("/Peel/PanelsLogic/history-caption", test_history_caption);
  g_test_add_func ("/Peel/PanelsLogic/session-name-from-prompt", test_session_name_from_prompt);
  g_test_add_func ("/Peel/PanelsLogic/picker-note", test_picker_note);
  g_test_add_func ("/Peel/PanelsLogic/details-cancelled-prohibited",
                   test_details_cancelled_and_prohibited);
  g_test_add_func ("/Peel/PanelsLogic/relative-time", test_relative_time);
  g_test_add_func ("/Peel/PanelsLogic/session-caption", test_session_caption);
  g_test_add_func ("/Peel/PanelsLogic/costs", test_costs);
  g_test_add_func ("/Peel/PanelsLogic/usage", test_usage);
  g_test_add_func ("/Peel/PanelsLogic/details-done", test_details_done);
  g_test_add_func ("/Peel/PanelsLogic/details-failed", test_details_failed);
  g_test_add_func ("/Peel/PanelsLogic/details-pending", test_details_pending);
  g_test_add_func ("/Peel/PanelsLogic/toast-title", test_toast_title);
  g_test_add_func ("/Peel/PanelsLogic/render-text", test_render_text);

  return g_test_run ();
}
