/* peel-panel-text.c
 *
 * The text of the history rows, the details panel and the sessions list, computed from plain
 * values so that it can be tested without a display.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "peel-panel-text.h"
#include "peel-text.h"
#include "peel-util.h"

/**
 * peel_panels_size_text:
 * @asked_width: the width the model should make, or 0 if unknown
 * @asked_height: the height the model should make, or 0 if unknown
 * @got_width: the width of the image received, or 0 if none
 * @got_height: the height of the image received, or 0 if none
 * @mismatch: (out) (optional): set when both are known and differ
 *
 * Returns: (transfer full) (nullable): "Asked 2752 × 1536 — got 2752 × 1536", or %NULL when
 *   neither size is known
 */
char *
peel_panels_size_text (int       asked_width,
                       int       asked_height,
                       int       got_width,
                       int       got_height,
                       gboolean *mismatch)
{
  gboolean asked = asked_width > 0 && asked_height > 0;
  gboolean got = got_width > 0 && got_height > 0;

  if (mismatch != NULL)
    *mismatch = asked && got && (asked_width != got_width || asked_height != got_height);

  if (asked && got)
    /* Translators: the image size the model was asked for, then the size it sent */
    return g_strdup_printf (_("Asked %d × %d — got %d × %d"),
                            asked_width, asked_height, got_width, got_height);
  if (got)
    return g_strdup_printf (_("Got %d × %d"), got_width, got_height);
  if (asked)
    return g_strdup_printf (_("Asked %d × %d"), asked_width, asked_height);
  return NULL;
}

/**
 * peel_panels_usage_text:
 *
 * Returns: (transfer full) (nullable): the token counts, or %NULL when nothing was counted
 */
char *
peel_panels_usage_text (gint64 prompt_tokens,
                        gint64 output_tokens,
                        gint64 thought_tokens)
{
  if (prompt_tokens <= 0 && output_tokens <= 0 && thought_tokens <= 0)
    return NULL;
  if (thought_tokens > 0)
    /* Translators: token counts of one turn */
    return g_strdup_printf (_("%" PRId64 " prompt · %" PRId64 " output · "
                              "%" PRId64 " thinking tokens"),
                            MAX (prompt_tokens, 0), MAX (output_tokens, 0), thought_tokens);
  return g_strdup_printf (_("%" PRId64 " prompt · %" PRId64 " output tokens"),
                          MAX (prompt_tokens, 0), MAX (output_tokens, 0));
}

static char *
format_dollars (double cost)
{
  if (cost > 0 && cost < 0.001)
    return g_strdup ("< $0.001");
  return g_strdup_printf ("$%.3f", cost);
}

/**
 * peel_panels_cost_text:
 * @node_cost: the turn's cost in US dollars, negative if unknown
 * @session_cost: the whole session's, negative if unknown
 *
 * Returns: (transfer full) (nullable): "$0.067 · session $0.201"
 */
char *
peel_panels_cost_text (double node_cost,
                       double session_cost)
{
  g_autofree char *node = NULL;
  g_autofree char *session = NULL;

  if (node_cost < 0 && session_cost < 0)
    return NULL;
  node = node_cost >= 0 ? format_dollars (node_cost) : g_strdup (_("cost unknown"));
  if (session_cost < 0)
    return g_steal_pointer (&node);
  session = format_dollars (session_cost);
  /* Translators: the cost of one turn, then of the whole session */
  return g_strdup_printf (_("%s · session %s"), node, session);
}

/**
 * peel_panels_sum_costs:
 * @costs: (array length=n_costs): costs in US dollars, negative where unknown
 * @n_costs: how many
 *
 * Returns: the sum of the known costs, or -1 when none is known
 */
double
peel_panels_sum_costs (const double *costs,
                       guint         n_costs)
{
  double sum = 0;
  gboolean any = FALSE;

  for (guint i = 0; i < n_costs; i++)
    if (costs[i] >= 0)
      {
        sum += costs[i];
        any = TRUE;
      }
  return any ? sum : -1;
}

/**
 * peel_panels_elapsed_text:
 * @started: when the turn began, µs since the epoch
 * @now: µs since the epoch
 *
 * Returns: (transfer full): "Generating… 12 s"
 */
char *
peel_panels_elapsed_text (gint64 started,
                          gint64 now)
{
  gint64 seconds = MAX (now - started, 0) / G_USEC_PER_SEC;

  if (started <= 0)
    return g_strdup (_("Generating…"));
  if (seconds < 60)
    /* Translators: a turn in progress; %d is seconds */
    return g_strdup_printf (_("Generating… %d s"), (int) seconds);
  /* Translators: a turn in progress; minutes and seconds */
  return g_strdup_printf (_("Generating… %d min %d s"),
                          (int) (seconds / 60), (int) (seconds % 60));
}

/**
 * peel_panels_relative_time:
 * @then: µs since the epoch
 * @now: µs since the epoch
 *
 * Returns: (transfer full): "Changed 5 minutes ago"
 */
char *
peel_panels_relative_time (gint64 then,
                           gint64 now)
{
  gint64 seconds = (now - then) / G_USEC_PER_SEC;
  int n;

  if (then <= 0)
    return g_strdup (_("Never changed"));
  if (seconds < 60)
    return g_strdup (_("Changed just now"));
  if (seconds < 3600)
    {
      n = (int) (seconds / 60);
      return g_strdup_printf (ngettext ("Changed %d minute ago", "Changed %d minutes ago", n), n);
    }
  if (seconds < 24 * 3600)
    {
      n = (int) (seconds / 3600);
      return g_strdup_printf (ngettext ("Changed %d hour ago", "Changed %d hours ago", n), n);
    }
  if (seconds < 48 * 3600)
    return g_strdup (_("Changed yesterday"));
  if (seconds < 30 * 24 * 3600)
    {
      n = (int) (seconds / (24 * 3600));
      return g_strdup_printf (ngettext ("Changed %d day ago", "Changed %d days ago", n), n);
    }
  else
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (then / G_USEC_PER_SEC);
      g_autofree char *date = g_date_time_format (dt, "%Y-%m-%d");

      /* Translators: %s is a date */
      return g_strdup_printf (_("Changed on %s"), date);
    }
}

/**
 * peel_panels_session_caption:
 *
 * Returns: (transfer full): "Changed 5 minutes ago · 12 turns"
 */
char *
peel_panels_session_caption (gint64 modified,
                             gint64 now,
                             guint  n_nodes)
{
  g_autofree char *when = peel_panels_relative_time (modified, now);
  g_autofree char *turns = g_strdup_printf (ngettext ("%u turn", "%u turns", n_nodes), n_nodes);

  return g_strdup_printf ("%s · %s", when, turns);
}

#define SESSION_NAME_CHARS 40

/**
 * peel_panels_session_name_from_prompt:
 * @prompt: (nullable): the first prompt of a session
 *
 * Returns: (transfer full) (nullable): a name for the session: the prompt's first line, spaces
 *   collapsed, its first letter a capital, cut at a word near 40 characters with "…"; %NULL
 *   when the prompt has no words
 */
char *
peel_panels_session_name_from_prompt (const char *prompt)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p;
  glong n_chars = 0;
  gsize last_space = 0;
  gboolean cut = FALSE;

  if (prompt == NULL || !g_utf8_validate (prompt, -1, NULL))
    return NULL;

  for (p = prompt; *p != '\0' && *p != '\n' && *p != '\r'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            {
              last_space = out->len;
              g_string_append_c (out, ' ');
              n_chars++;
            }
          continue;
        }
      if (n_chars >= SESSION_NAME_CHARS)
        {
          cut = TRUE;
          break;
        }
      if (out->len == 0)
        c = g_unichar_totitle (c);
      g_string_append_unichar (out, c);
      n_chars++;
    }

  if (cut && last_space > out->len / 2)
    g_string_truncate (out, last_space);
  while (out->len > 0 && strchr (" ,;:.-", out->str[out->len - 1]) != NULL)
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    return NULL;
  if (cut)
    g_string_append (out, "…");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * peel_panels_ratio_for_pixels:
 * @width: an image's width
 * @height: an image's height
 *
 * Returns: (nullable): the one of the 14 ratios an image of @width × @height has (within 2 %),
 *   or %NULL
 */
const char *
peel_panels_ratio_for_pixels (int width,
                              int height)
{
  const char *best = NULL;
  double best_error = 0.02;

  if (width <= 0 || height <= 0)
    return NULL;
  for (guint i = 0; i < PEEL_N_ASPECT_RATIOS; i++)
    {
      const char *name = peel_aspect_ratio_get_name (i);
      int w = 0, h = 0;
      double error;

      if (name == NULL || !peel_aspect_ratio_get_shape (name, &w, &h) || w <= 0 || h <= 0)
        continue;
      error = fabs (((double) width / height) / ((double) w / h) - 1.0);
      if (error < best_error)
        {
          best_error = error;
          best = name;
        }
    }
  return best;
}

/**
 * peel_panels_picker_note:
 * @image_ratio: (nullable): the shown image's ratio, %NULL if unknown
 * @image_size: the shown image's size
 * @ratio: (nullable): the ratio picked, %NULL to match the input
 * @size: the size picked
 *
 * Returns: (transfer full) (nullable): what the next edit changes, "New shape 21:9 (the image
 *   is 16:9)", or %NULL when it keeps the image's shape and size
 */
char *
peel_panels_picker_note (const char    *image_ratio,
                         PeelImageSize  image_size,
                         const char    *ratio,
                         PeelImageSize  size)
{
  gboolean shape = image_ratio != NULL && ratio != NULL && g_strcmp0 (image_ratio, ratio) != 0;
  gboolean bigness = size != image_size;
  const char *size_name = peel_image_size_to_string (size);
  const char *image_size_name = peel_image_size_to_string (image_size);

  if (shape && bigness)
    /* Translators: the ratio and size picked, then the shown image's */
    return g_strdup_printf (_("New shape and size: %s · %s (the image is %s · %s)"),
                            ratio, size_name, image_ratio, image_size_name);
  if (shape)
    /* Translators: the ratio picked, then the shown image's */
    return g_strdup_printf (_("New shape: %s (the image is %s)"), ratio, image_ratio);
  if (bigness)
    /* Translators: the size picked (512, 1K, 2K, 4K), then the shown image's */
    return g_strdup_printf (_("New size: %s (the image is %s)"), size_name, image_size_name);
  return NULL;
}

/**
 * peel_panels_can_retry:
 * @error_code: (nullable): a failed node's code (peel_generation_error_code())
 *
 * Returns: whether sending the same turn again can give another answer: not for a prompt
 *   Google refuses as prohibited content, which it refuses every time
 */
gboolean
peel_panels_can_retry (const char *error_code)
{
  return g_strcmp0 (error_code, "prohibited") != 0;
}

/**
 * peel_panels_history_caption:
 * @status: the node's status
 * @width: the final image's width, 0 if none
 * @height: the final image's height, 0 if none
 * @error_code: (nullable): the failed node's code, "cancelled" for one the user stopped
 * @error_message: (nullable): why a failed node failed
 *
 * Returns: (transfer full): "2752×1536", "Generating…", "Cancelled" or "⚠ failed: reason"
 */
char *
peel_panels_history_caption (PeelNodeStatus  status,
                             int             width,
                             int             height,
                             const char     *error_code,
                             const char     *error_message)
{
  switch (status)
    {
    case PEEL_NODE_PENDING:
      return g_strdup (_("Generating…"));
    case PEEL_NODE_FAILED:
      /* The user stopped it: nothing went wrong. */
      if (g_strcmp0 (error_code, "cancelled") == 0)
        return g_strdup (_("Cancelled"));
      if (error_message != NULL && *error_message != '\0')
        /* Translators: shown under a turn that failed; %s says why */
        return g_strdup_printf (_("⚠ failed: %s"), error_message);
      return g_strdup (_("⚠ failed"));
    case PEEL_NODE_DONE:
    default:
      if (width > 0 && height > 0)
        return g_strdup_printf ("%d×%d", width, height);
      return g_strdup (_("No image"));
    }
}

static void
append_line (char       **text,
             const char  *line)
{
  char *joined = *text != NULL ? g_strconcat (*text, "\n", line, NULL) : g_strdup (line);

  g_free (*text);
  *text = joined;
}

/**
 * peel_details_state_new:
 * @input: a node's values
 *
 * Returns: (transfer full): what the details panel shows for them
 */
PeelDetailsState *
peel_details_state_new (const PeelDetailsInput *input)
{
  PeelDetailsState *state = g_new0 (PeelDetailsState, 1);
  PeelModelFamily family = peel_model_family_for_id (input->model ? input->model
                                                                  : PEEL_DEFAULT_MODEL);
  int asked_width = 0, asked_height = 0;
  const char *model_name = peel_model_family_get_display_name (family);

  if (input->aspect_ratio != NULL &&
      !peel_model_pixel_size (family, input->aspect_ratio, input->size,
                              &asked_width, &asked_height))
    asked_width = asked_height = 0;

  switch (input->status)
    {
    case PEEL_NODE_PENDING:
      state->status_text = peel_panels_elapsed_text (input->created, input->now);
      break;
    case PEEL_NODE_FAILED:
      if (g_strcmp0 (input->error_code, "cancelled") == 0)
        state->status_text = g_strdup (_("Cancelled. Press Retry to send it again."));
      else
        state->error_text = g_strdup (input->error_message && *input->error_message
                                      ? input->error_message
                                      : _("The turn failed for an unknown reason."));
      state->show_retry = peel_panels_can_retry (input->error_code);
      break;
    case PEEL_NODE_DONE:
    default:
      if (input->finish_message != NULL && *input->finish_message != '\0')
        state->status_text = g_strdup (input->finish_message);
      if (input->context_note != NULL && *input->context_note != '\0')
        append_line (&state->status_text, input->context_note);
      if (input->context_rebuilt)
        append_line (&state->status_text,
                     _("Context rebuilt: the earlier turns were made by another service or a "
                       "retired model, so their images were sent as your own, without the "
                       "model’s signatures."));
      break;
    }

  state->size_text = peel_panels_size_text (asked_width, asked_height,
                                            input->status == PEEL_NODE_DONE ? input->got_width : 0,
                                            input->status == PEEL_NODE_DONE ? input->got_height : 0,
                                            &state->size_mismatch);
  state->settings_text = g_strdup_printf ("%s · %s · %s",
                                          input->model ? model_name : _("Unknown model"),
                                          input->aspect_ratio ? input->aspect_ratio : "—",
                                          peel_image_size_to_string (input->size));
  state->usage_text = peel_panels_usage_text (input->prompt_tokens, input->output_tokens,
                                              input->thought_tokens);
  state->cost_text = peel_panels_cost_text (input->status == PEEL_NODE_PENDING ? -1 : input->cost,
                                            input->session_cost);
  return state;
}

void
peel_details_state_free (PeelDetailsState *state)
{
  if (state == NULL)
    return;
  g_free (state->status_text);
  g_free (state->error_text);
  g_free (state->size_text);
  g_free (state->settings_text);
  g_free (state->usage_text);
  g_free (state->cost_text);
  g_free (state);
}

/**
 * peel_panels_toast_title:
 * @message: what a toast has to say
 * @max_chars: the most a toast shows without cutting it off
 *
 * A toast is one line: a longer message is shown by its first sentence, or its first words,
 * and the whole of it goes behind a Details button.
 *
 * Returns: (nullable): %NULL when @message fits as it is, else the title to show instead
 */
char *
peel_panels_toast_title (const char *message,
                         guint       max_chars)
{
  const char *p;
  const char *last_space = NULL;
  guint n = 0;

  g_return_val_if_fail (message != NULL, NULL);

  if (g_utf8_strlen (message, -1) <= max_chars)
    return NULL;

  for (p = message; *p != '\0' && n < max_chars; p = g_utf8_next_char (p), n++)
    {
      if ((*p == '.' || *p == '!' || *p == '?' || *p == ':') && p[1] == ' ' && n > 0)
        return g_strndup (message, p - message + (*p == ':' ? 0 : 1));
      if (*p == ' ')
        last_space = p;
    }

  if (last_space == NULL || last_space == message)
    last_space = p;
  {
    g_autofree char *start = g_strndup (message, last_space - message);

    return g_strconcat (g_strchomp (start), "…", NULL);
  }
}

/**
 * peel_panels_region_text:
 * @info: what a region edit recorded
 *
 * Returns: (transfer full): how the details say that a node is a region edit: "Region edit ·
 *   feather 12 px", with " · answer fitted" when the model's answer had another shape
 */
char *
peel_panels_region_text (const PeelRegionInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  /* Translators: a node that changed only the selected part of its parent's image */
  return g_strdup_printf (info->fitted ? _("Region edit · feather %d px · answer fitted")
                                       : _("Region edit · feather %d px"),
                          info->feather);
}

static char *
quoted_title (const char *title)
{
  g_autofree char *safe = peel_text_strip_for_label (title != NULL ? title : "", -1);

  /* One line in a narrow panel: a long prompt is cut short. */
  if (g_utf8_strlen (safe, -1) > 40)
    return peel_utf8_shorten (safe, 40);
  return g_steal_pointer (&safe);
}

/**
 * peel_panels_render_text:
 * @draft_title: (nullable): the title of the draft a node renders larger, or %NULL when the
 *   node renders none larger
 * @draft_size: (nullable): the draft's size, "512"; %NULL when the draft was deleted
 * @final_titles: (nullable): the titles of the nodes that render this one larger
 * @final_sizes: (nullable): their sizes, parallel to @final_titles
 *
 * Returns: (transfer full) (nullable): how the details link a draft and its finals (Render
 *   Larger): "Rendered larger from “a fox” (512)" on a final, a line "Draft of “a fox” (4K)"
 *   per final on a draft; %NULL when there is neither
 */
char *
peel_panels_render_text (const char         *draft_title,
                         const char         *draft_size,
                         const char * const *final_titles,
                         const char * const *final_sizes)
{
  GString *text = g_string_new (NULL);

  if (draft_title != NULL && draft_size != NULL)
    {
      g_autofree char *title = quoted_title (draft_title);

      /* Translators: a turn made again at a larger size; the draft's title, then its size */
      g_string_append_printf (text, _("Rendered larger from “%s” (%s)"), title, draft_size);
    }
  else if (draft_title != NULL)
    g_string_append (text, _("Rendered larger from a turn since deleted"));

  for (guint i = 0; final_titles != NULL && final_titles[i] != NULL; i++)
    {
      g_autofree char *title = quoted_title (final_titles[i]);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: this turn was made again larger; that turn's title, then its size */
      g_string_append_printf (text, _("Draft of “%s” (%s)"), title,
                              final_sizes != NULL && final_sizes[i] != NULL ? final_sizes[i]
                                                                            : "?");
    }

  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      return NULL;
    }
  return g_string_free (text, FALSE);
}
