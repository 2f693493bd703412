/* test-turn-settings.c
 *
 * The next turn's settings without a display: corrected to what the model makes, kept in
 * GSettings under the keys users already have, and read whole by the window.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-turn-settings.h"

static const char * const keys[] = {
  "model", "aspect-ratio", "image-size", "thinking-level", "show-thoughts",
  "search-grounding", "image-search",
};

static void
reset_keys (GSettings *settings)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
}

static gboolean
action_enabled (PeelTurnSettings *turn,
                const char       *name)
{
  return g_action_group_get_action_enabled (peel_turn_settings_get_actions (turn), name);
}

/* A ratio or size the model does not make moves to the nearest it does, whichever comes
 * first: a new model, or a ratio set under it. */
static void
test_corrected (void)
{
  g_autoptr(PeelTurnSettings) turn = peel_turn_settings_new ();

  g_assert_cmpstr (peel_turn_settings_get_model (turn), ==, PEEL_DEFAULT_MODEL);
  g_assert_cmpstr (peel_turn_settings_get_aspect_ratio (turn), ==, "1:1");
  g_assert_cmpint (peel_turn_settings_get_image_size (turn), ==, PEEL_IMAGE_SIZE_1K);

  peel_turn_settings_set_aspect_ratio (turn, "1:8");
  peel_turn_settings_set_image_size (turn, PEEL_IMAGE_SIZE_512);
  peel_turn_settings_set_model (turn, "gemini-3-pro-image");
  g_assert_cmpstr (peel_turn_settings_get_aspect_ratio (turn), ==, "9:16");
  g_assert_cmpint (peel_turn_settings_get_image_size (turn), ==, PEEL_IMAGE_SIZE_1K);

  peel_turn_settings_set_aspect_ratio (turn, "8:1");
  g_assert_cmpstr (peel_turn_settings_get_aspect_ratio (turn), ==, "21:9");

  peel_turn_settings_set_model (turn, "gemini-3.1-flash-lite-image");
  peel_turn_settings_set_image_size (turn, PEEL_IMAGE_SIZE_4K);
  g_assert_cmpint (peel_turn_settings_get_image_size (turn), ==, PEEL_IMAGE_SIZE_1K);

  /* A blank model, as a hand-edited setting may hold, is the default one. */
  peel_turn_settings_set_model (turn, "");
  g_assert_cmpstr (peel_turn_settings_get_model (turn), ==, PEEL_DEFAULT_MODEL);

  /* "Match input" needs an image to match. */
  peel_turn_settings_set_aspect_ratio (turn, NULL);
  g_assert_cmpstr (peel_turn_settings_get_aspect_ratio (turn), ==, "1:1");
  peel_turn_settings_set_editing (turn, TRUE);
  peel_turn_settings_set_aspect_ratio (turn, NULL);
  g_assert_null (peel_turn_settings_get_aspect_ratio (turn));
  peel_turn_settings_set_editing (turn, FALSE);
  g_assert_cmpstr (peel_turn_settings_get_aspect_ratio (turn), ==, "1:1");
}

/* The options menu's actions: what the model does not take is off, the state is the value. */
static void
test_actions (void)
{
  g_autoptr(PeelTurnSettings) turn = peel_turn_settings_new ();
  GActionGroup *actions = peel_turn_settings_get_actions (turn);
  g_autoptr(GVariant) level = NULL;

  g_assert_true (action_enabled (turn, "thinking-level"));
  g_assert_true (action_enabled (turn, "image-search"));
  g_action_group_change_action_state (actions, "thinking-level", g_variant_new_string ("high"));
  g_assert_cmpint (peel_turn_settings_get_thinking_level (turn), ==, PEEL_THINKING_HIGH);
  g_action_group_activate_action (actions, "search", NULL);
  g_assert_true (peel_turn_settings_get_search (turn));

  g_action_group_activate_action (actions, "model", g_variant_new_string ("gemini-3-pro-image"));
  g_assert_cmpstr (peel_turn_settings_get_model (turn), ==, "gemini-3-pro-image");
  g_assert_false (action_enabled (turn, "thinking-level"));
  g_assert_false (action_enabled (turn, "image-search"));
  g_assert_true (action_enabled (turn, "search"));
  g_assert_true (action_enabled (turn, "show-thoughts"));

  peel_turn_settings_set_thinking_level (turn, PEEL_THINKING_MINIMAL);
  level = g_action_group_get_action_state (actions, "thinking-level");
  g_assert_cmpstr (g_variant_get_string (level, NULL), ==, "minimal");
}

/* Every change is saved at once under the keys users have, and a change of a key (from
 * Preferences, or the next start) is taken, corrected for the model. */
static void
test_saved (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(PeelTurnSettings) turn = peel_turn_settings_new ();
  g_autoptr(PeelTurnSettings) next = peel_turn_settings_new ();
  g_autofree char *ratio = NULL;
  g_autofree char *size = NULL;
  g_autofree char *level = NULL;
  g_autoptr(PeelTurnSpec) spec = NULL;

  reset_keys (settings);
  g_settings_set_boolean (settings, "show-thoughts", FALSE);
  peel_turn_settings_bind (turn, settings);
  g_assert_false (peel_turn_settings_get_show_thoughts (turn));

  peel_turn_settings_set_model (turn, "gemini-3-pro-image");
  peel_turn_settings_set_aspect_ratio (turn, "21:9");
  peel_turn_settings_set_image_size (turn, PEEL_IMAGE_SIZE_4K);
  peel_turn_settings_set_thinking_level (turn, PEEL_THINKING_HIGH);
  peel_turn_settings_set_search (turn, TRUE);
  peel_turn_settings_set_image_search (turn, TRUE);

  ratio = g_settings_get_string (settings, "aspect-ratio");
  size = g_settings_get_string (settings, "image-size");
  level = g_settings_get_string (settings, "thinking-level");
  g_assert_cmpstr (ratio, ==, "21:9");
  g_assert_cmpstr (size, ==, "4K");
  g_assert_cmpstr (level, ==, "high");
  g_assert_true (g_settings_get_boolean (settings, "search-grounding"));
  g_assert_true (g_settings_get_boolean (settings, "image-search"));

  /* "Match input" is not saved: the next start may have no image to match. */
  peel_turn_settings_set_editing (turn, TRUE);
  peel_turn_settings_set_aspect_ratio (turn, NULL);
  g_clear_pointer (&ratio, g_free);
  ratio = g_settings_get_string (settings, "aspect-ratio");
  g_assert_cmpstr (ratio, ==, "21:9");

  /* The next start. */
  peel_turn_settings_bind (next, settings);
  g_assert_cmpstr (peel_turn_settings_get_model (next), ==, "gemini-3-pro-image");
  g_assert_cmpstr (peel_turn_settings_get_aspect_ratio (next), ==, "21:9");
  g_assert_cmpint (peel_turn_settings_get_image_size (next), ==, PEEL_IMAGE_SIZE_4K);
  spec = peel_turn_settings_dup_spec (next, "a harbour at night", NULL);
  g_assert_cmpstr (spec->prompt, ==, "a harbour at night");
  g_assert_null (spec->references);
  g_assert_cmpstr (spec->model, ==, "gemini-3-pro-image");
  g_assert_cmpstr (spec->aspect_ratio, ==, "21:9");
  g_assert_cmpint (spec->size, ==, PEEL_IMAGE_SIZE_4K);
  g_assert_cmpint (spec->options.thinking_level, ==, PEEL_THINKING_HIGH);
  g_assert_false (spec->options.include_thoughts);
  g_assert_true (spec->options.search);
  g_assert_true (spec->options.image_search);

  /* Preferences picks another model: the settings follow, corrected. */
  g_settings_set_string (settings, "model", "gemini-3.1-flash-lite-image");
  g_assert_cmpstr (peel_turn_settings_get_model (next), ==, "gemini-3.1-flash-lite-image");
  g_assert_cmpint (peel_turn_settings_get_image_size (next), ==, PEEL_IMAGE_SIZE_1K);
  g_clear_pointer (&size, g_free);
  size = g_settings_get_string (settings, "image-size");
  g_assert_cmpstr (size, ==, "1K");

  reset_keys (settings);
}

/* The count Generate makes: one of 1, 2, 3, 4, 6, 8 (another becomes the next larger), set
 * from the menu's action as from code, and not saved. */
static void
test_variations (void)
{
  g_autoptr(PeelTurnSettings) turn = peel_turn_settings_new ();
  GActionGroup *actions = peel_turn_settings_get_actions (turn);
  g_autoptr(GVariant) state = NULL;

  g_assert_cmpuint (peel_turn_settings_get_variations (turn), ==, 1);
  peel_turn_settings_set_variations (turn, 5);
  g_assert_cmpuint (peel_turn_settings_get_variations (turn), ==, 6);
  peel_turn_settings_set_variations (turn, 0);
  g_assert_cmpuint (peel_turn_settings_get_variations (turn), ==, 1);
  peel_turn_settings_set_variations (turn, 99);
  g_assert_cmpuint (peel_turn_settings_get_variations (turn), ==, 8);

  g_action_group_change_action_state (actions, "variations", g_variant_new_uint32 (4));
  g_assert_cmpuint (peel_turn_settings_get_variations (turn), ==, 4);
  state = g_action_group_get_action_state (actions, "variations");
  g_assert_cmpuint (g_variant_get_uint32 (state), ==, 4);
  g_assert_true (action_enabled (turn, "variations"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Peel/TurnSettings/corrected", test_corrected);
  g_test_add_func ("/Peel/TurnSettings/actions", test_actions);
  g_test_add_func ("/Peel/TurnSettings/saved", test_saved);
  g_test_add_func ("/Peel/TurnSettings/variations", test_variations);

  return g_test_run ();
}
