/* peel-generation.c
 *
 * One generation from the user's side: a pending node in the session, the branch's context
 * sent with it, the stream shown while it fills, and the node completed or failed at the end.
 * The GUI and peel-cli share it, so a turn is recorded the same way wherever it was made.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "peel-gemini-error.h"
#include "peel-generation.h"
#include "peel-generation-private.h"
#include "peel-marks.h"
#include "peel-store.h"
#include "peel-util.h"

struct _PeelGeneration
{
  GObject           parent_instance;

  PeelSession      *session;
  PeelGeminiClient *client;
  PeelNode         *node;
  PeelGeminiRequest *request;

  GString          *thoughts;
  GBytes           *preview;
  char             *status;
  char             *context_summary;
  char             *unsaved_path;
  guint64           received_bytes;
  gint64            started;

  /* A region edit: the parent it edits, what is sent and what the node keeps. */
  PeelRegionTurn   *region;
  PeelNode         *region_parent;
  GPtrArray        *region_parts;
  PeelPart         *region_answer;
  PeelPart         *region_mask;
  PeelRegionInfo    region_info;
  const char       *region_ratio;     /* the catalogue's: what the cut-out is sent at */
  PeelImageSize     region_size;
  /* "Send with marks": the marks drawn over the parent's image. */
  GPtrArray        *marks;

  gulong            part_handler;
  gulong            backoff_handler;
  gulong            progress_handler;
};

enum {
  PROP_0,
  PROP_NODE,
  PROP_THOUGHTS,
  PROP_PREVIEW,
  PROP_STATUS,
  PROP_RECEIVED_BYTES,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PeelGeneration, peel_generation, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

typedef struct
{
  GPtrArray *branch;       /* PeelNode, root → parent */
  GPtrArray *references;   /* PeelPart of the new turn */
  char      *prompt;
  gboolean   stream;
  char      *image_note;   /* the user's images left out, set by the worker */
  /* Signatures go back only to the service and model that issued them. */
  char      *issuer;
  char      *model;
  char      *aspect_ratio;
  PeelImageSize   size;
  PeelTurnOptions options;
  gboolean   rebuild;      /* send no turn of the branch as the model's */
  gboolean   rebuilt;      /* some turn went as the user's own image */
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->branch, g_ptr_array_unref);
  g_clear_pointer (&data->references, g_ptr_array_unref);
  g_free (data->prompt);
  g_free (data->image_note);
  g_free (data->issuer);
  g_free (data->model);
  g_free (data->aspect_ratio);
  g_free (data);
}

static GPtrArray *
copy_parts (GPtrArray *parts)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);

  for (guint i = 0; parts != NULL && i < parts->len; i++)
    g_ptr_array_add (copy, peel_part_copy (g_ptr_array_index (parts, i)));

  return copy;
}

static void
append_parts (GPtrArray *dest,
              GPtrArray *src)
{
  for (guint i = 0; i < src->len; i++)
    g_ptr_array_add (dest, peel_part_copy (g_ptr_array_index (src, i)));
}

/* Turns the branch into user/model turns. An imported image is not the model's, so it cannot be
 * a model turn: it rides along with the next user turn instead, as a reference. Failed and
 * pending nodes never reached the model and add nothing. The user's images over the model's
 * limit are left out, oldest first (@note says which). Runs in a worker thread: it reads the
 * images of the branch from disk. */
/* A turn made by another service or model (a demo session continued with a key, a model
 * that was shut down) holds signatures only its issuer accepts: its image goes as the user's
 * own instead, and the earlier images it replaced go with it. */
static gboolean
is_foreign (PeelNode *node,
            RunData  *data)
{
  const char *issuer = peel_node_get_issuer (node);

  return data->rebuild ||
         g_strcmp0 (peel_node_get_model (node), data->model) != 0 ||
         (issuer != NULL && g_strcmp0 (issuer, data->issuer) != 0);
}

static gboolean
add_branch_turns (PeelGeminiRequest  *request,
                  RunData            *data,
                  GPtrArray          *carried,
                  guint               n_new_references,
                  char              **note,
                  GError            **error)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) prompts = g_ptr_array_new ();
  g_autoptr(GArray) turns = g_array_new (FALSE, FALSE, sizeof (guint));
  GPtrArray *branch = data->branch;

  for (guint i = 0; i < branch->len; i++)
    {
      PeelNode *node = g_ptr_array_index (branch, i);
      g_autoptr(GPtrArray) user = NULL;
      g_autoptr(GPtrArray) model = NULL;
      g_autoptr(GPtrArray) references = NULL;
      guint turn = i + 1;

      if (peel_node_get_status (node) != PEEL_NODE_DONE)
        continue;

      /* A region edit's image is the composite, not the model's signed answer: it goes as the
       * user's own, like an imported image. */
      if (peel_node_get_imported (node) || peel_node_get_region (node, NULL) ||
          is_foreign (node, data))
        {
          g_autoptr(GBytes) bytes = NULL;
          const PeelPart *image = peel_node_get_final_image (node);

          if (!peel_node_get_imported (node) && !peel_node_get_region (node, NULL))
            {
              g_ptr_array_set_size (carried, 0);
              data->rebuilt = TRUE;
            }

          /* A restored turn known only by its prompt has nothing to send. */
          if (image == NULL)
            continue;
          bytes = peel_node_dup_final_image_bytes (node, error);
          if (bytes == NULL)
            return FALSE;
          g_ptr_array_add (carried, peel_part_new_image (image->mime_type, bytes, FALSE));
          continue;
        }

      references = peel_node_dup_references (node, error);
      if (references == NULL)
        return FALSE;
      model = peel_node_dup_history_parts_full (node, error);
      if (model == NULL)
        return FALSE;

      user = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
      g_ptr_array_add (user, peel_part_new_text (peel_node_get_prompt (node), FALSE));
      append_parts (user, carried);
      append_parts (user, references);
      g_ptr_array_set_size (carried, 0);

      g_ptr_array_add (users, g_steal_pointer (&user));
      g_ptr_array_add (models, g_steal_pointer (&model));
      g_ptr_array_add (prompts, (gpointer) peel_node_get_prompt (node));
      g_array_append_val (turns, turn);
    }
  g_ptr_array_add (prompts, NULL);

  *note = _peel_generation_budget_images (users, (const guint *) (gpointer) turns->data,
                                          (const char * const *) prompts->pdata,
                                          carried->len + n_new_references,
                                          peel_gemini_request_get_model (request));

  for (guint t = 0; t < users->len; t++)
    {
      peel_gemini_request_add_turn (request, "user", g_ptr_array_index (users, t));
      peel_gemini_request_add_turn (request, "model", g_ptr_array_index (models, t));
    }

  return TRUE;
}

static void
build_history_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  PeelGeneration *self = source_object;
  RunData *data = task_data;
  g_autoptr(GPtrArray) carried = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  GError *error = NULL;

  if (self->region != NULL)
    {
      /* A region edit sends the cut-out alone: the branch's earlier frames are whole images,
       * which the model would answer with. */
      g_autoptr(GBytes) parent = peel_node_dup_final_image_bytes (self->region_parent, &error);
      g_autoptr(PeelPart) crop = NULL;
      g_autofree char *prompt = NULL;

      if (parent == NULL ||
          !peel_region_turn_prepare (self->region, parent,
                                     peel_model_family_for_id (data->model), &error))
        {
          g_task_return_error (task, error);
          return;
        }
      crop = peel_region_turn_dup_crop (self->region);
      prompt = peel_region_turn_dup_prompt (self->region, data->prompt);
      peel_gemini_request_set_prompt (self->request, prompt);
      peel_gemini_request_add_image (self->request, crop);
      for (guint i = 0; i < data->references->len; i++)
        peel_gemini_request_add_image (self->request, g_ptr_array_index (data->references, i));
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!add_branch_turns (self->request, data, carried, data->references->len,
                         &data->image_note, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  peel_gemini_request_set_prompt (self->request, data->prompt);
  for (guint i = 0; i < carried->len; i++)
    peel_gemini_request_add_image (self->request, g_ptr_array_index (carried, i));
  for (guint i = 0; i < data->references->len; i++)
    peel_gemini_request_add_image (self->request, g_ptr_array_index (data->references, i));

  if (self->marks != NULL && data->branch->len > 0)
    {
      /* The clean image is the branch's last; the marked copy follows, with the words that
       * make the marks instructions. */
      PeelNode *parent = g_ptr_array_index (data->branch, data->branch->len - 1);
      g_autoptr(GBytes) clean = peel_node_dup_final_image_bytes (parent, &error);
      g_autoptr(GBytes) marked = NULL;
      g_autoptr(PeelPart) part = NULL;
      g_autofree char *words = NULL;
      g_autofree char *prompt = NULL;

      if (clean == NULL ||
          (marked = _peel_generation_render_marks (clean, self->marks, &error)) == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      part = peel_part_new_image ("image/png", marked, FALSE);
      peel_gemini_request_add_image (self->request, part);
      words = peel_marks_describe (self->marks);
      prompt = g_strconcat (data->prompt, "\n\n", words, NULL);
      peel_gemini_request_set_prompt (self->request, prompt);
    }

  g_task_return_boolean (task, TRUE);
}

static void
set_status (PeelGeneration *self,
            const char     *status)
{
  if (peel_set_str (&self->status, status))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
part_received_cb (PeelGeminiClient *client,
                  PeelPart         *part,
                  PeelGeneration   *self)
{
  /* The siblings of a batch share the client: only this generation's request counts. */
  if (peel_gemini_client_get_signal_request (client) != self->request)
    return;

  if (part->kind == PEEL_PART_TEXT && part->thought && part->text != NULL)
    {
      g_string_append (self->thoughts, part->text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THOUGHTS]);
    }
  else if (part->kind == PEEL_PART_IMAGE && part->data != NULL)
    {
      g_clear_pointer (&self->preview, g_bytes_unref);
      self->preview = g_bytes_ref (part->data);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEW]);
    }
}

static void
backing_off_cb (PeelGeminiClient *client,
                guint             attempt,
                double            delay,
                const GError     *error,
                PeelGeneration   *self)
{
  g_autofree char *status = NULL;

  if (peel_gemini_client_get_signal_request (client) != self->request)
    return;

  /* The next attempt sends everything again: what was shown belongs to the failed one. */
  g_string_truncate (self->thoughts, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THOUGHTS]);

  if (attempt <= 1)
    /* Translators: %.0f is seconds, %s why another request of the same batch or window was
     * told to wait; this one, not sent yet, waits as long */
    status = g_strdup_printf (_("Waiting %.0f s before sending, as another request was told "
                                "to: %s"), delay, error ? error->message : "");
  else
    /* Translators: %u is an attempt number, %.0f seconds, and the last %s the reason */
    status = g_strdup_printf (_("Trying again (attempt %u) in %.0f s: %s"),
                              attempt, delay, error ? error->message : "");
  set_status (self, status);
}

static void
progress_cb (PeelGeminiClient *client,
             guint64           received,
             guint64           expected,
             PeelGeneration   *self)
{
  if (peel_gemini_client_get_signal_request (client) != self->request)
    return;

  self->received_bytes = received;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECEIVED_BYTES]);
}

static void
disconnect_client (PeelGeneration *self)
{
  g_clear_signal_handler (&self->part_handler, self->client);
  g_clear_signal_handler (&self->backoff_handler, self->client);
  g_clear_signal_handler (&self->progress_handler, self->client);
}

/**
 * peel_generation_error_code:
 * @error: an error that ended a generation
 *
 * Returns: a stable name for the kind of failure, as stored in a failed node
 */
const char *
peel_generation_error_code (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return "cancelled";
  if (error->domain != PEEL_GEMINI_ERROR)
    return "error";

  switch ((PeelGeminiError) error->code)
    {
    case PEEL_GEMINI_ERROR_INVALID_REQUEST: return "invalid-request";
    case PEEL_GEMINI_ERROR_INVALID_KEY: return "invalid-key";
    case PEEL_GEMINI_ERROR_PERMISSION: return "permission";
    case PEEL_GEMINI_ERROR_NOT_FOUND: return "not-found";
    case PEEL_GEMINI_ERROR_RATE_LIMITED: return "rate-limited";
    case PEEL_GEMINI_ERROR_SERVER: return "server";
    case PEEL_GEMINI_ERROR_NETWORK: return "network";
    case PEEL_GEMINI_ERROR_TIMEOUT: return "timeout";
    case PEEL_GEMINI_ERROR_BLOCKED:
      /* The reason is in the message as Google's code, untranslated: a prompt refused as
       * prohibited content is refused every time, so it is not offered again. */
      return strstr (error->message, "PROHIBITED_CONTENT") ? "prohibited" : "blocked";
    case PEEL_GEMINI_ERROR_NO_IMAGE: return "no-image";
    case PEEL_GEMINI_ERROR_MALFORMED: return "malformed";
    case PEEL_GEMINI_ERROR_TOO_LARGE: return "too-large";
    case PEEL_GEMINI_ERROR_BAD_INPUT: return "bad-input";
    case PEEL_GEMINI_ERROR_INSECURE: return "insecure";
    default: return "error";
    }
}

/* A failed turn is kept with its reason, so it can be retried or inspected; if even that cannot
 * be saved, the error the user sees says so too. */
static void
fail_node (PeelGeneration *self,
           GTask          *task,
           GError         *error)
{
  g_autoptr(GError) save_error = NULL;
  const char *message = error->message;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    message = _("You cancelled this generation.");

  if (!peel_session_fail_turn (self->session, self->node, peel_generation_error_code (error),
                               message, &save_error))
    g_warning ("Could not record the failed turn: %s", save_error->message);

  g_task_return_error (task, error);
}

/* A paid answer that the session would not take: the image goes where it can be found, and
 * the error says where. */
static void
fail_unsaved (PeelGeneration *self,
              GTask          *task,
              GError         *save_error)
{
  PeelGeminiReply *reply = g_object_get_data (G_OBJECT (task), "peel-reply");
  const PeelPart *image = reply != NULL ? peel_gemini_reply_get_final_image (reply) : NULL;
  GError *error;

  g_clear_pointer (&self->unsaved_path, g_free);
  error = peel_generation_keep_unsaved (image, peel_node_get_id (self->node), save_error,
                                        &self->unsaved_path);
  g_error_free (save_error);
  g_task_return_error (task, error);
}

static void
turn_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PeelGeneration *self = g_task_get_source_object (task);
  GError *error = NULL;

  /* The node keeps the image in memory, marked unsaved, and is saved on the next write; the
   * copy in the cache is for when there is no next write (a CLI run ends, the disk stays
   * full). */
  if (!peel_session_flush_finish (PEEL_SESSION (object), result, &error))
    {
      fail_unsaved (self, task, error);
      return;
    }
  set_status (self, NULL);
  g_task_return_pointer (task, g_object_ref (self->node), g_object_unref);
}

static void
complete_node (PeelGeneration  *self,
               GTask           *task,
               PeelGeminiReply *reply)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_source_free);
  g_autoptr(GPtrArray) history = peel_gemini_reply_dup_history_parts (reply);
  g_autoptr(GError) save_error = NULL;
  PeelTurnResult turn = { 0 };
  RunData *data = g_task_get_task_data (task);
  const PeelUsage *usage = peel_gemini_reply_get_usage (reply);
  GPtrArray *reply_sources = peel_gemini_reply_get_sources (reply);

  turn.prompt_tokens = usage->prompt_tokens;
  turn.output_tokens = usage->output_tokens;
  turn.thought_tokens = usage->thought_tokens;
  turn.cost = -1;
  turn.finish_reason = peel_gemini_reply_get_finish_reason (reply);
  turn.finish_message = peel_gemini_reply_get_finish_message (reply);
  turn.search_queries = peel_gemini_reply_get_search_queries (reply);

  for (guint i = 0; reply_sources != NULL && i < reply_sources->len; i++)
    {
      PeelGroundingSource *source = g_ptr_array_index (reply_sources, i);
      g_ptr_array_add (sources, peel_source_new (source->title, source->uri));
    }
  turn.sources = sources;
  /* A signed data URI in a text part is shown as text and image but must go back as it came. */
  turn.history = history;
  turn.context_note = self->context_summary;
  turn.issuer = data->issuer;
  turn.context_rebuilt = data->rebuilt;
  if (self->region != NULL)
    {
      turn.history = NULL;
      turn.region = &self->region_info;
      turn.region_mask = self->region_mask;
      turn.region_answer = self->region_answer;
    }

  if (g_object_get_data (G_OBJECT (task), "peel-reply") == NULL)
    g_object_set_data_full (G_OBJECT (task), "peel-reply", g_object_ref (reply), g_object_unref);

  if (!peel_session_complete_turn (self->session, self->node,
                                   self->region_parts != NULL
                                   ? self->region_parts : peel_gemini_reply_get_parts (reply),
                                   &turn, &save_error))
    {
      fail_unsaved (self, task, g_steal_pointer (&save_error));
      return;
    }

  /* A paid answer is reported done only once it is on disk. The main loop does not wait:
   * the session's writer thread syncs it. */
  peel_session_flush_async (self->session, NULL, turn_saved_cb, g_object_ref (task));
}

static void
parts_prepared_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PeelGeneration *self = g_task_get_source_object (task);
  PeelGeminiReply *reply = g_object_get_data (G_OBJECT (task), "peel-reply");

  /* If the images could not be written ahead, complete_turn tries again and keeps them in
   * memory when the disk still refuses: nothing is lost either way. */
  peel_store_prepare_parts_finish (PEEL_STORE (object), result, NULL);
  complete_node (self, task, reply);
}

static PeelGeminiRequest *
new_request (RunData *data)
{
  PeelGeminiRequest *request = peel_gemini_request_new (data->model);

  peel_gemini_request_set_aspect_ratio (request, data->aspect_ratio);
  peel_gemini_request_set_image_size (request, data->size);
  peel_gemini_request_set_thinking_level (request, data->options.thinking_level);
  peel_gemini_request_set_include_thoughts (request, data->options.include_thoughts);
  peel_gemini_request_set_search (request, data->options.search, data->options.image_search);
  return request;
}

/* "Corrupted thought signature.", "…invalid thought signature…", "…missing a
 * thought_signature…": the service will not take the branch's signatures. */
static gboolean
refuses_signatures (const GError *error)
{
  g_autofree char *lower = NULL;

  if (!g_error_matches (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INVALID_REQUEST))
    return FALSE;
  lower = g_ascii_strdown (error->message, -1);
  return strstr (lower, "thought signature") != NULL ||
         strstr (lower, "thought_signature") != NULL;
}

static void build_history_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data);
static void proceed_with_reply (PeelGeneration  *self,
                                GTask           *task_in,
                                PeelGeminiReply *reply);
static void compose_thread (GTask        *task,
                            gpointer      source_object,
                            gpointer      task_data,
                            GCancellable *cancellable);
static void composed_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data);

static void
rebuild_and_send (PeelGeneration *self,
                  GTask          *task)
{
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GTask) worker = NULL;

  data->rebuild = TRUE;
  g_clear_pointer (&data->image_note, g_free);
  g_clear_object (&self->request);
  self->request = new_request (data);
  set_status (self, _("The service refused the earlier turns' signatures; sending them again "
                      "as your own images."));

  worker = g_task_new (self, g_task_get_cancellable (task), build_history_cb, task);
  g_task_set_source_tag (worker, build_history_thread);
  g_task_set_task_data (worker, data, NULL);
  g_task_run_in_thread (worker, build_history_thread);
}

static void
generate_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PeelGeneration *self = g_task_get_source_object (task);
  g_autoptr(PeelGeminiReply) reply = NULL;
  RunData *data = g_task_get_task_data (task);
  GError *error = NULL;

  disconnect_client (self);

  {
    g_autofree char *turns_left_out = peel_gemini_request_dup_summary (self->request);

    /* What the budgets left out: the user's images over the model's limit, then turns over
     * the provider's size limit. Shown with the result, and kept with the node. */
    g_free (self->context_summary);
    if (data->image_note != NULL && turns_left_out != NULL)
      self->context_summary = g_strconcat (data->image_note, " ", turns_left_out, NULL);
    else if (data->image_note != NULL)
      self->context_summary = g_strdup (data->image_note);
    else
      self->context_summary = g_steal_pointer (&turns_left_out);
  }

  reply = peel_gemini_client_generate_finish (PEEL_GEMINI_CLIENT (object), result, &error);
  if (reply == NULL && refuses_signatures (error) && !data->rebuild && data->branch->len > 0)
    {
      /* Once: the same turn with the branch as the user's own images, no signatures. */
      g_clear_error (&error);
      rebuild_and_send (self, g_steal_pointer (&task));
      return;
    }
  if (reply == NULL)
    {
      fail_node (self, task, error);
      return;
    }

  if (self->region != NULL && self->region_parts == NULL)
    {
      /* Placing the answer into the parent's image takes a while on a 4K image. */
      GCancellable *cancellable = g_task_get_cancellable (task);
      g_autoptr(GTask) worker = g_task_new (self, cancellable, composed_cb,
                                            g_steal_pointer (&task));

      g_task_set_task_data (worker, g_object_ref (reply), g_object_unref);
      g_task_run_in_thread (worker, compose_thread);
      return;
    }

  proceed_with_reply (self, g_steal_pointer (&task), reply);
}

static void
proceed_with_reply (PeelGeneration  *self,
                    GTask           *task_in,
                    PeelGeminiReply *reply)
{
  g_autoptr(GTask) task = task_in;
  PeelStore *store = peel_session_get_store (self->session);

  if (store == NULL)
    {
      complete_node (self, task, reply);
      return;
    }

  /* Hashing and syncing a 4K image takes a tenth of a second: do it before the main loop
   * records the turn, so recording is one journal line. */
  g_object_set_data_full (G_OBJECT (task), "peel-reply", g_object_ref (reply), g_object_unref);
  peel_store_prepare_parts_async (store,
                                  self->region_parts != NULL
                                  ? self->region_parts : peel_gemini_reply_get_parts (reply),
                                  NULL, parts_prepared_cb, g_steal_pointer (&task));
}

static void
compose_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PeelGeneration *self = source_object;
  PeelGeminiReply *reply = task_data;
  GPtrArray *parts = NULL;
  PeelPart *answer = NULL;
  gboolean fitted = FALSE;
  GError *error = NULL;

  if (!_peel_generation_region_compose (self->region, peel_gemini_reply_get_parts (reply),
                                        &parts, &answer, &fitted, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* Read on the main thread only once this task has returned. */
  self->region_parts = parts;
  self->region_answer = answer;
  self->region_info.fitted = fitted;
  g_task_return_boolean (task, TRUE);
}

static void
composed_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PeelGeneration *self = PEEL_GENERATION (object);
  PeelGeminiReply *reply = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      fail_node (self, task, error);
      return;
    }
  proceed_with_reply (self, g_steal_pointer (&task), reply);
}

static void
build_history_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PeelGeneration *self = PEEL_GENERATION (object);
  RunData *data = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      fail_node (self, task, error);
      return;
    }

  if (!peel_gemini_request_validate (self->request, &error))
    {
      fail_node (self, task, error);
      return;
    }

  self->part_handler = g_signal_connect_object (self->client, "part-received",
                                                G_CALLBACK (part_received_cb), self, 0);
  self->backoff_handler = g_signal_connect_object (self->client, "backing-off",
                                                   G_CALLBACK (backing_off_cb), self, 0);
  self->progress_handler = g_signal_connect_object (self->client, "progress",
                                                    G_CALLBACK (progress_cb), self, 0);

  cancellable = g_task_get_cancellable (task);
  peel_gemini_client_generate_async (self->client, self->request, data->stream, cancellable,
                                     generate_cb, g_steal_pointer (&task));
}

static void
peel_generation_dispose (GObject *object)
{
  PeelGeneration *self = PEEL_GENERATION (object);

  if (self->client != NULL)
    disconnect_client (self);

  g_clear_object (&self->node);
  g_clear_object (&self->request);
  g_clear_object (&self->client);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (peel_generation_parent_class)->dispose (object);
}

static void
peel_generation_finalize (GObject *object)
{
  PeelGeneration *self = PEEL_GENERATION (object);

  g_string_free (self->thoughts, TRUE);
  g_clear_pointer (&self->preview, g_bytes_unref);
  g_free (self->status);
  g_free (self->context_summary);
  g_free (self->unsaved_path);
  g_clear_pointer (&self->region, peel_region_turn_free);
  g_clear_object (&self->region_parent);
  g_clear_pointer (&self->region_parts, g_ptr_array_unref);
  g_clear_pointer (&self->region_answer, peel_part_free);
  g_clear_pointer (&self->region_mask, peel_part_free);
  g_clear_pointer (&self->marks, g_ptr_array_unref);

  G_OBJECT_CLASS (peel_generation_parent_class)->finalize (object);
}

static void
peel_generation_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PeelGeneration *self = PEEL_GENERATION (object);

  switch (prop_id)
    {
    case PROP_NODE:
      g_value_set_object (value, self->node);
      break;
    case PROP_THOUGHTS:
      g_value_set_string (value, self->thoughts->str);
      break;
    case PROP_PREVIEW:
      g_value_set_boxed (value, self->preview);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_RECEIVED_BYTES:
      g_value_set_uint64 (value, self->received_bytes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_generation_class_init (PeelGenerationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = peel_generation_dispose;
  object_class->finalize = peel_generation_finalize;
  object_class->get_property = peel_generation_get_property;

  properties[PROP_NODE] =
    g_param_spec_object ("node", NULL, NULL, PEEL_TYPE_NODE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THOUGHTS] =
    g_param_spec_string ("thoughts", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PREVIEW] =
    g_param_spec_boxed ("preview", NULL, NULL, G_TYPE_BYTES,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECEIVED_BYTES] =
    g_param_spec_uint64 ("received-bytes", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
peel_generation_init (PeelGeneration *self)
{
  self->thoughts = g_string_new (NULL);
}

PeelGeneration *
peel_generation_new (PeelSession      *session,
                     PeelGeminiClient *client)
{
  PeelGeneration *self;

  g_return_val_if_fail (PEEL_IS_SESSION (session), NULL);
  g_return_val_if_fail (PEEL_IS_GEMINI_CLIENT (client), NULL);

  self = g_object_new (PEEL_TYPE_GENERATION, NULL);
  self->session = g_object_ref (session);
  self->client = g_object_ref (client);
  return self;
}

/**
 * peel_generation_set_region:
 * @self: a generation that has not run yet
 * @mask: (transfer full): what may change, of the parent image's size (255: change)
 * @feather: the feather radius in pixels
 *
 * Makes the turn a region edit of the parent's image: the selection is sent cut out with its
 * context at the ratio and size that fit it (they replace the spec's), and the answer is
 * placed back through the feathered mask; every pixel further than the feather from the
 * selection stays the parent's. See docs/region-edits.md.
 */
void
peel_generation_set_region (PeelGeneration *self,
                            PeelRegionMask *mask,
                            int             feather)
{
  g_return_if_fail (PEEL_IS_GENERATION (self));
  g_return_if_fail (self->node == NULL);
  g_return_if_fail (mask != NULL);

  g_clear_pointer (&self->region, peel_region_turn_free);
  self->region = peel_region_turn_new (mask, feather);
}

/**
 * peel_generation_set_marks:
 * @self: a generation that has not run yet
 * @marks: (nullable) (element-type PeelMark): marks drawn over the parent's image
 *
 * "Send with marks": the request carries the parent's clean image and a copy with @marks drawn
 * on it, with words that make them instructions which must not appear in the result.
 */
void
peel_generation_set_marks (PeelGeneration *self,
                           GPtrArray      *marks)
{
  g_return_if_fail (PEEL_IS_GENERATION (self));
  g_return_if_fail (self->node == NULL);

  g_clear_pointer (&self->marks, g_ptr_array_unref);
  if (marks != NULL && marks->len > 0)
    {
      self->marks = peel_marks_new ();
      for (guint i = 0; i < marks->len; i++)
        g_ptr_array_add (self->marks, peel_mark_copy (g_ptr_array_index (marks, i)));
    }
}

/* Checks a region edit before anything is added or sent, and fills @region_spec with the
 * ratio and size its cut-out is sent at. */
static gboolean
begin_region (PeelGeneration     *self,
              PeelNode           *parent,
              const PeelTurnSpec *spec,
              PeelTurnSpec       *region_spec,
              GError            **error)
{
  const PeelRegionMask *mask = peel_region_turn_get_mask (self->region);
  PeelRegionPlan plan;
  g_autoptr(GBytes) mask_png = NULL;

  if (parent == NULL || !peel_node_get_has_image (parent))
    {
      g_set_error_literal (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_IMAGE,
                           _("A region edit changes part of an image: open a turn with an "
                             "image first."));
      return FALSE;
    }
  if (peel_node_get_final_width (parent) > 0 &&
      (peel_node_get_final_width (parent) != mask->width ||
       peel_node_get_final_height (parent) != mask->height))
    {
      g_set_error (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_MASK,
                   _("The mask is %d × %d pixels, but the image is %d × %d. Make the mask the "
                     "image’s size (white where it may change)."),
                   mask->width, mask->height,
                   peel_node_get_final_width (parent), peel_node_get_final_height (parent));
      return FALSE;
    }
  if (!peel_region_plan (mask, peel_region_turn_get_feather (self->region),
                         peel_model_family_for_id (spec->model), &plan, error))
    return FALSE;
  mask_png = peel_region_mask_to_png (mask, error);
  if (mask_png == NULL)
    return FALSE;

  /* The node's image is the parent's size: it keeps the parent's ratio and size, so pickers
   * and details describe the image; the cut-out goes at the plan's. */
  *region_spec = *spec;
  if (peel_node_get_aspect_ratio (parent) != NULL)
    region_spec->aspect_ratio = peel_node_get_aspect_ratio (parent);
  region_spec->size = peel_node_get_size (parent);
  self->region_ratio = plan.aspect_ratio;
  self->region_size = plan.size;
  self->region_parent = g_object_ref (parent);
  self->region_mask = peel_part_new_image ("image/png", mask_png, FALSE);
  self->region_mask->width = mask->width;
  self->region_mask->height = mask->height;
  self->region_info.x = plan.bounds.x;
  self->region_info.y = plan.bounds.y;
  self->region_info.width = plan.bounds.width;
  self->region_info.height = plan.bounds.height;
  self->region_info.feather = plan.feather;
  return TRUE;
}

/**
 * peel_generation_run_async:
 * @self: a generation that has not run yet
 * @parent: (nullable): the node to continue from, or %NULL for a new root
 * @spec: what to ask for
 * @stream: whether to stream thoughts and interim images
 *
 * Adds a pending child of @parent to the session at once (the `node` property), then sends the
 * branch root → @parent with the new turn. The node is completed with the model's reply, or
 * failed with the reason, and saved either way.
 */
void
peel_generation_run_async (PeelGeneration      *self,
                           PeelNode            *parent,
                           const PeelTurnSpec  *spec,
                           gboolean             stream,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  g_autoptr(GPtrArray) references = NULL;
  PeelTurnSpec region_spec;
  GError *error = NULL;
  RunData *data;

  g_return_if_fail (PEEL_IS_GENERATION (self));
  g_return_if_fail (self->node == NULL);
  g_return_if_fail (spec != NULL && spec->model != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, peel_generation_run_async);

  /* Before anything is sent, and before a pending turn is added: a session that cannot take
   * the answer is found out while it costs nothing. */
  if (!_peel_generation_check_writable (self->session, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (self->region != NULL)
    {
      if (!begin_region (self, parent, spec, &region_spec, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      spec = &region_spec;
    }

  references = copy_parts (spec->references);
  self->started = g_get_monotonic_time ();
  self->node = peel_session_begin_turn (self->session, parent, spec, &error);
  if (self->node == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_object_ref (self->node);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NODE]);

  data = g_new0 (RunData, 1);
  data->issuer =
    g_strdup (peel_provider_get_issuer (peel_gemini_client_get_provider (self->client)));
  data->model = g_strdup (spec->model);
  data->aspect_ratio = g_strdup (self->region != NULL ? self->region_ratio : spec->aspect_ratio);
  data->size = self->region != NULL ? self->region_size : spec->size;
  data->options = spec->options;
  self->request = new_request (data);

  /* A region edit sends its cut-out alone, not the branch. */
  data->branch = parent && self->region == NULL ? peel_session_dup_branch (parent)
                                                : g_ptr_array_new ();
  data->references = g_steal_pointer (&references);
  data->prompt = g_strdup (spec->prompt ? spec->prompt : "");
  data->stream = stream;
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  /* The worker shares the run's data; the outer task, which owns it, outlives the worker. */
  worker = g_task_new (self, cancellable, build_history_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, build_history_thread);
  g_task_set_task_data (worker, data, NULL);
  g_task_run_in_thread (worker, build_history_thread);
}

/**
 * peel_generation_run_finish:
 *
 * Returns: (transfer full): the completed node, or %NULL with the error that failed it (the
 *   failed node stays in the session with its reason)
 */
PeelNode *
peel_generation_run_finish (PeelGeneration  *self,
                            GAsyncResult    *result,
                            GError         **error)
{
  g_return_val_if_fail (PEEL_IS_GENERATION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

PeelNode *
peel_generation_get_node (PeelGeneration *self)
{
  g_return_val_if_fail (PEEL_IS_GENERATION (self), NULL);
  return self->node;
}

const char *
peel_generation_get_thoughts (PeelGeneration *self)
{
  g_return_val_if_fail (PEEL_IS_GENERATION (self), NULL);
  return self->thoughts->str;
}

/**
 * peel_generation_get_preview:
 *
 * Returns: (nullable) (transfer none): the latest image received: an interim one while the
 *   model thinks, then the final one
 */
GBytes *
peel_generation_get_preview (PeelGeneration *self)
{
  g_return_val_if_fail (PEEL_IS_GENERATION (self), NULL);
  return self->preview;
}

const char *
peel_generation_get_status (PeelGeneration *self)
{
  g_return_val_if_fail (PEEL_IS_GENERATION (self), NULL);
  return self->status;
}

/**
 * peel_generation_get_context_summary:
 *
 * Returns: (nullable): what the context budget left out of the request, once it was sent
 */
const char *
peel_generation_get_context_summary (PeelGeneration *self)
{
  g_return_val_if_fail (PEEL_IS_GENERATION (self), NULL);
  return self->context_summary;
}

guint64
peel_generation_get_received_bytes (PeelGeneration *self)
{
  g_return_val_if_fail (PEEL_IS_GENERATION (self), 0);
  return self->received_bytes;
}

gint64
peel_generation_get_started (PeelGeneration *self)
{
  g_return_val_if_fail (PEEL_IS_GENERATION (self), 0);
  return self->started;
}

/**
 * peel_generation_get_unsaved_path:
 *
 * Returns: (nullable): where the image of an answer that could not be saved in the session is
 *   kept (under $XDG_CACHE_HOME/peel/unsaved/), after a %PEEL_GENERATION_ERROR_NOT_SAVED
 */
const char *
peel_generation_get_unsaved_path (PeelGeneration *self)
{
  g_return_val_if_fail (PEEL_IS_GENERATION (self), NULL);
  return self->unsaved_path;
}
