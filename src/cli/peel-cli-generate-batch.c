/* peel-cli-generate-batch.c
 *
 * `peel-cli generate --variations N`: a batch of N sibling turns (PeelBatch), each printed as
 * it ends, the way a single turn is. See docs/variations.md.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "peel-cli.h"
#include "peel-cli-generate-private.h"
#include "peel-gemini-error.h"

#define DEFAULT_PARALLEL 4

#define usage_error(option, message) peel_cli_usage_error ("generate", option, "%s", message)

/**
 * _peel_cli_generate_check_variations:
 *
 * Checks --variations and --parallel, before anything is opened or sent.
 *
 * Returns: %PEEL_CLI_EXIT_OK, or %PEEL_CLI_EXIT_USAGE having said why
 */
int
_peel_cli_generate_check_variations (Generate *gen)
{
  if (gen->variations == PEEL_CLI_NOT_GIVEN)
    {
      gen->variations = 0;
      if (gen->parallel != PEEL_CLI_NOT_GIVEN)
        return usage_error ("--parallel", _("only works with --variations."));
      return PEEL_CLI_EXIT_OK;
    }

  if (gen->variations < 1 || gen->variations > PEEL_BATCH_MAX_COUNT)
    return usage_error ("--variations",
                        _("give a number from 1 to 8: each variation is a request of its own, "
                          "and one Generate makes at most 8."));
  if (gen->parallel == PEEL_CLI_NOT_GIVEN)
    gen->parallel = DEFAULT_PARALLEL;
  if (gen->parallel < 1 || gen->parallel > PEEL_BATCH_MAX_COUNT)
    return usage_error ("--parallel",
                        _("give a number from 1 to 8: how many variations are sent at once."));
  if (gen->session_arg == NULL)
    return usage_error ("--variations",
                        _("the variations are sibling turns of a session: add --session NAME "
                          "(a new name starts a new session)."));
  if (gen->region_arg != NULL || gen->mask_path != NULL || gen->marks_path != NULL)
    return usage_error ("--variations",
                        _("variations are whole new images of the same turn; they cannot be "
                          "combined with --region, --mask or --marks."));
  return PEEL_CLI_EXIT_OK;
}

/* --output fox.png makes fox-1.png, fox-2.png, …: one file per variation. */
static char *
numbered_output (const char *output,
                 guint       index)
{
  const char *dot = strrchr (output, '.');
  const char *slash = strrchr (output, G_DIR_SEPARATOR);

  if (dot == NULL || (slash != NULL && dot < slash) || dot == output ||
      (slash != NULL && dot == slash + 1))
    return g_strdup_printf ("%s-%u", output, index + 1);
  return g_strdup_printf ("%.*s-%u%s", (int) (dot - output), output, index + 1, dot);
}

static void
note_failure (Generate     *gen,
              const GError *error)
{
  gen->batch_failed++;
  if (gen->batch_error == NULL)
    {
      gen->batch_error = g_error_copy (error);
      gen->batch_status = _peel_cli_generate_exit_status (error);
    }
}

static void
item_finished_cb (PeelBatch    *batch,
                  guint         index,
                  PeelNode     *node,
                  const GError *error,
                  Generate     *gen)
{
  g_autofree char *whole = NULL;
  g_autoptr(GError) output_error = NULL;

  if (node == NULL)
    {
      /* Never sent: queued when the batch was cancelled, or the session took no turn. */
      note_failure (gen, error);
      return;
    }

  if (error != NULL)
    {
      _peel_cli_generate_report_failed (gen, node);
      note_failure (gen, error);
      return;
    }

  if (gen->output != NULL)
    {
      whole = gen->output;
      gen->output = numbered_output (whole, index);
    }
  if (!_peel_cli_generate_output_node (gen, node, &output_error) && output_error != NULL)
    note_failure (gen, output_error);
  if (whole != NULL)
    {
      g_free (gen->output);
      gen->output = g_steal_pointer (&whole);
    }
}

static void
batch_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Generate *gen = user_data;
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GError) error = NULL;
  guint count = peel_batch_get_count (gen->batch);

  nodes = peel_batch_run_finish (PEEL_BATCH (object), result, &error);
  if (gen->error == NULL)
    {
      if (gen->interrupted)
        {
          gen->error = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                    /* Translators: variations done, then asked for */
                                    _("Interrupted; %u of %u variations were done. Every "
                                      "turn made is kept in the session."),
                                    count - gen->batch_failed, count);
          gen->error_status = PEEL_CLI_EXIT_INTERRUPTED;
        }
      else if (nodes == NULL)
        {
          gen->error = g_steal_pointer (&error);
          gen->error_status = _peel_cli_generate_exit_status (gen->error);
        }
      else if (gen->batch_failed > 0)
        {
          gen->error = g_error_new (gen->batch_error->domain, gen->batch_error->code,
                                    /* Translators: variations that failed, then asked for,
                                     * then the first one's reason */
                                    _("%u of %u variations failed; the first because: %s"),
                                    gen->batch_failed, count, gen->batch_error->message);
          gen->error_status = gen->batch_status;
        }
    }
  g_main_loop_quit (gen->loop);
}

/**
 * _peel_cli_generate_start_batch:
 * @spec: the turn each variation asks for
 *
 * Runs --variations siblings of the parent, at most --parallel at a time, printing each one as
 * it ends; the loop quits when all have.
 */
void
_peel_cli_generate_start_batch (Generate     *gen,
                                PeelTurnSpec *spec)
{
  gen->batch = peel_batch_new (gen->session, gen->client, (guint) gen->variations,
                               (guint) gen->parallel);
  g_signal_connect (gen->batch, "item-finished", G_CALLBACK (item_finished_cb), gen);
  peel_batch_run_async (gen->batch, gen->parent, spec, gen->stream, gen->cancellable,
                        batch_done_cb, gen);
}
