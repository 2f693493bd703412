/* peel-gemini-client-wait.c
 *
 * The client's backoff, shared by all its requests: when one is told to wait (a rate limit, a
 * busy server, or the client's own backoff after a dropped connection), no other request of
 * the same client starts an attempt before that moment either. The siblings of a batch share
 * one client, so a 429 slows them all instead of each of them meeting it in turn.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-gemini-client-private.h"
#include "peel-gemini-error.h"

/* A timer may be a little early for what a person can see; not for this. */
#define HOLD_SLACK_US 1000

static double
backoff_delay (PeelGeminiClient *self,
               guint             failed_attempt)
{
  double base = self->backoff_initial * (1u << MIN (failed_attempt - 1, 20u));

  /* Jitter spreads out clients that failed together so they do not come back together. */
  base += g_random_double_range (0, MAX (base * 0.25, 0.001));
  return MIN (base, self->backoff_max);
}

static gboolean
wait_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Generate *gen = g_task_get_task_data (task);

  /* The source's own reference keeps the task alive until this returns. */
  _peel_gemini_client_clear_wait (gen);
  if (!_peel_gemini_client_is_cancelled (task))
    _peel_gemini_client_start_attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Generate *gen = g_task_get_task_data (task);

  _peel_gemini_client_clear_wait (gen);
  _peel_gemini_client_is_cancelled (task);
  return G_SOURCE_REMOVE;
}

/* The requests held by another's wait come back a little apart, not all in the same
 * millisecond: up to a tenth of the wait, at most a second, after it ends. */
static gint64
spread (gint64 wait_us)
{
  double most = MIN (wait_us * 0.1, (double) G_USEC_PER_SEC);

  return most > 1 ? (gint64) g_random_double_range (0, most) : 0;
}

static double
seconds_until (gint64 until,
               gint64 now)
{
  return MAX (until - now, 0) / (double) G_USEC_PER_SEC;
}

/* Starts (or moves) @task's wait so that its next attempt starts at @until. */
static void
arm_wait (GTask  *task,
          gint64  until)
{
  PeelGeminiClient *self = g_task_get_source_object (task);
  Generate *gen = g_task_get_task_data (task);
  gint64 now = g_get_monotonic_time ();
  guint64 ms = (guint64) (MAX (until - now, 0) + 999) / 1000;

  if (gen->wait_source != NULL)
    {
      g_source_destroy (gen->wait_source);
      g_clear_pointer (&gen->wait_source, g_source_unref);
    }
  gen->wait_until = until;
  gen->wait_source = g_timeout_source_new ((guint) MIN (ms, G_MAXUINT));
  g_source_set_callback (gen->wait_source, wait_done_cb, g_object_ref (task), g_object_unref);
  g_source_attach (gen->wait_source, g_main_context_get_thread_default ());

  if (gen->cancel_source == NULL)
    {
      gen->cancel_source = g_cancellable_source_new (g_task_get_cancellable (task));
      g_source_set_callback (gen->cancel_source, G_SOURCE_FUNC (wait_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (gen->cancel_source, g_main_context_get_thread_default ());
    }

  if (gen->wait_link == NULL)
    {
      self->waiting = g_list_prepend (self->waiting, gen);
      gen->wait_link = self->waiting;
    }
}

/* One request was told to wait until @until: every other request that waits for less now
 * waits as long, and is told so (its countdown would be wrong otherwise). */
static void
extend_hold (PeelGeminiClient *self,
             Generate         *from,
             gint64            until,
             const GError     *why)
{
  g_autoptr(GPtrArray) moved = NULL;
  gint64 now = g_get_monotonic_time ();

  if (until <= self->hold_until)
    return;

  self->hold_until = until;
  g_clear_error (&self->hold_error);
  self->hold_error = g_error_copy (why);

  /* Handlers may end requests: move them all first, then tell each. */
  moved = g_ptr_array_new_with_free_func (g_object_unref);
  for (GList *l = self->waiting; l != NULL; l = l->next)
    {
      Generate *gen = l->data;

      if (gen == from || gen->wait_until >= until)
        continue;
      arm_wait (gen->task, until + spread (until - now));
      g_ptr_array_add (moved, g_object_ref (gen->task));
    }
  for (guint i = 0; i < moved->len; i++)
    {
      GTask *task = g_ptr_array_index (moved, i);
      Generate *gen = g_task_get_task_data (task);

      if (gen->wait_link != NULL)
        _peel_gemini_client_emit_backing_off (gen, gen->attempt + 1,
                                              seconds_until (gen->wait_until, now), why);
    }
}

/**
 * _peel_gemini_client_held:
 * @task: a request about to start an attempt
 *
 * Returns: %TRUE when another request's wait is not over: @task then waits until it is (and
 *   ::backing-off says so), and starts its attempt after
 */
gboolean
_peel_gemini_client_held (GTask *task)
{
  PeelGeminiClient *self = g_task_get_source_object (task);
  Generate *gen = g_task_get_task_data (task);
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GError) why = NULL;

  if (self->hold_until - now <= HOLD_SLACK_US)
    return FALSE;

  arm_wait (task, self->hold_until + spread (self->hold_until - now));
  why = self->hold_error != NULL
    ? g_error_copy (self->hold_error)
    : g_error_new_literal (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_RATE_LIMITED,
                           _("Another request was asked to wait."));
  _peel_gemini_client_emit_backing_off (gen, gen->attempt + 1,
                                        seconds_until (gen->wait_until, now), why);
  return TRUE;
}

/* Backs off and sends again what may succeed a second time, or gives up with @error.
 * @server_delay: what the server asked for (RetryInfo or Retry-After), else 0. */
void
_peel_gemini_client_back_off_or_fail (GTask  *task,
                                      GError *error,
                                      double  server_delay)
{
  PeelGeminiClient *self = g_task_get_source_object (task);
  Generate *gen = g_task_get_task_data (task);
  gint64 now, until;
  double delay;

  _peel_gemini_client_clear_attempt (gen);

  if (gen->attempt >= self->max_attempts || server_delay > self->backoff_max ||
      !peel_gemini_error_is_retryable (error))
    {
      if (gen->attempt > 1)
        {
          g_autofree char *message = error->message;

          /* Translators: appended to an error message; %u is at least 2 */
          error->message = g_strdup_printf (_("%s (Tried %u times.)"), message, gen->attempt);
        }
      _peel_gemini_client_fail (task, error);
      return;
    }

  delay = server_delay > 0 ? server_delay : backoff_delay (self, gen->attempt);
  _peel_gemini_client_scrub_error (self, error);

  now = g_get_monotonic_time ();
  until = now + (gint64) (delay * G_USEC_PER_SEC);
  extend_hold (self, gen, until, error);
  until = MAX (until, self->hold_until);

  _peel_gemini_client_emit_backing_off (gen, gen->attempt + 1, seconds_until (until, now),
                                        error);
  g_error_free (error);

  if (_peel_gemini_client_is_cancelled (task))
    return;

  arm_wait (task, until);
}
