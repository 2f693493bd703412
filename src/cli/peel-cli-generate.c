/* peel-cli-generate.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "peel-cli.h"
#include "peel-cli-generate-private.h"
#include "peel-demo-server.h"
#include "peel-export.h"
#include "peel-gemini-client.h"
#include "peel-gemini-error.h"
#include "peel-generation.h"
#include "peel-image-input.h"
#include "peel-model-catalog.h"
#include "peel-session.h"
#include "peel-store.h"

static void
result_clear (Result *result)
{
  g_free (result->text);
  g_free (result->thoughts);
  g_clear_pointer (&result->sources, g_ptr_array_unref);
  g_clear_pointer (&result->queries, g_strfreev);
}

void
_peel_cli_generate_clear (Generate *gen)
{
  g_clear_pointer (&gen->prompt, g_free);
  g_clear_pointer (&gen->aspect, g_free);
  g_clear_pointer (&gen->size_name, g_free);
  g_clear_pointer (&gen->image_paths, g_strfreev);
  g_clear_pointer (&gen->model, g_free);
  g_clear_pointer (&gen->thinking, g_free);
  g_clear_pointer (&gen->base_url, g_free);
  g_clear_pointer (&gen->provider_name, g_free);
  g_clear_pointer (&gen->auth, g_free);
  g_clear_pointer (&gen->output, g_free);
  g_clear_pointer (&gen->demo_faults, g_strfreev);
  g_clear_pointer (&gen->session_arg, g_free);
  g_clear_pointer (&gen->parent_arg, g_free);
  g_clear_pointer (&gen->region_arg, g_free);
  g_clear_pointer (&gen->mask_path, g_free);
  g_clear_pointer (&gen->marks_path, g_free);
  g_clear_pointer (&gen->draft_of, g_free);
  g_clear_pointer (&gen->region_mask, peel_region_mask_free);
  g_clear_pointer (&gen->marks, g_ptr_array_unref);
  g_clear_pointer (&gen->loop, g_main_loop_unref);
  g_clear_object (&gen->cancellable);
  g_clear_pointer (&gen->images, g_ptr_array_unref);
  g_clear_error (&gen->error);
  g_clear_object (&gen->client);
  g_clear_object (&gen->provider);
  g_clear_object (&gen->reply);
  g_clear_object (&gen->generation);
  g_clear_object (&gen->batch);
  g_clear_error (&gen->batch_error);
  gen->parent = NULL;
  if (gen->session != NULL)
    {
      g_autoptr(GError) error = NULL;

      /* Writes the snapshot; every turn is already in the journal, so a failure loses nothing. */
      if (!peel_store_close_session (gen->session, &error))
        g_printerr (_("peel-cli generate: the session could not be closed cleanly: %s\n"),
                    error->message);
      g_clear_object (&gen->session);
    }
  g_clear_object (&gen->connection);
}

static const char *
extension_for_mime_type (const char *mime_type)
{
  if (g_strcmp0 (mime_type, "image/png") == 0)
    return "png";
  if (g_strcmp0 (mime_type, "image/jpeg") == 0)
    return "jpg";
  if (g_strcmp0 (mime_type, "image/webp") == 0)
    return "webp";
  if (g_strcmp0 (mime_type, "image/heic") == 0)
    return "heic";
  if (g_strcmp0 (mime_type, "image/heif") == 0)
    return "heif";
  if (g_strcmp0 (mime_type, "image/gif") == 0)
    return "gif";
  return "img";
}

/* The MIME type that --output's extension asks for, or NULL when it names none we write. */
static const char *
mime_type_for_path (const char *path)
{
  const char *dot = strrchr (path, '.');
  const char *slash = strrchr (path, G_DIR_SEPARATOR);

  if (dot == NULL || (slash != NULL && dot < slash))
    return NULL;
  if (g_ascii_strcasecmp (dot, ".png") == 0)
    return "image/png";
  if (g_ascii_strcasecmp (dot, ".jpg") == 0 || g_ascii_strcasecmp (dot, ".jpeg") == 0)
    return "image/jpeg";
  if (g_ascii_strcasecmp (dot, ".webp") == 0)
    return "image/webp";
  return NULL;
}

int
_peel_cli_generate_exit_status (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return PEEL_CLI_EXIT_INTERRUPTED;

  if (error->domain == PEEL_GENERATION_ERROR)
    return PEEL_CLI_EXIT_NOT_SAVED;

  /* An empty selection, a mask that does not fit, an image that cannot be read. */
  if (error->domain == PEEL_REGION_ERROR)
    return PEEL_CLI_EXIT_USAGE;

  if (error->domain != PEEL_GEMINI_ERROR)
    return PEEL_CLI_EXIT_FAILURE;

  switch ((PeelGeminiError) error->code)
    {
    case PEEL_GEMINI_ERROR_BAD_INPUT:
    case PEEL_GEMINI_ERROR_INSECURE:
      return PEEL_CLI_EXIT_USAGE;

    case PEEL_GEMINI_ERROR_INVALID_REQUEST:
    case PEEL_GEMINI_ERROR_INVALID_KEY:
    case PEEL_GEMINI_ERROR_PERMISSION:
    case PEEL_GEMINI_ERROR_NOT_FOUND:
    case PEEL_GEMINI_ERROR_BLOCKED:
    case PEEL_GEMINI_ERROR_NO_IMAGE:
      return PEEL_CLI_EXIT_REFUSED;

    case PEEL_GEMINI_ERROR_RATE_LIMITED:
    case PEEL_GEMINI_ERROR_SERVER:
    case PEEL_GEMINI_ERROR_NETWORK:
    case PEEL_GEMINI_ERROR_TIMEOUT:
    case PEEL_GEMINI_ERROR_MALFORMED:
    case PEEL_GEMINI_ERROR_TOO_LARGE:
    default:
      return PEEL_CLI_EXIT_NETWORK;
    }
}

static void
stop_with_error (Generate *gen,
                 GError   *error)
{
  if (gen->error == NULL)
    {
      gen->error = error;
      gen->error_status = gen->interrupted ? PEEL_CLI_EXIT_INTERRUPTED
                                           : _peel_cli_generate_exit_status (error);
    }
  else
    g_error_free (error);

  /* Whatever else is under way (other images loading) is moot now. */
  g_cancellable_cancel (gen->cancellable);
  g_main_loop_quit (gen->loop);
}

gboolean
_peel_cli_generate_sigint_cb (gpointer user_data)
{
  Generate *gen = user_data;

  gen->interrupted = TRUE;
  g_cancellable_cancel (gen->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
clear_progress_line (Generate *gen)
{
  if (gen->progress_shown)
    {
      fputs ("\r\033[K", stderr);
      gen->progress_shown = FALSE;
    }
}

static void
progress_cb (PeelGeminiClient *client,
             guint64           received,
             guint64           expected,
             Generate         *gen)
{
  g_autofree char *have = NULL;
  g_autofree char *total = NULL;

  if (!gen->tty)
    return;

  have = g_format_size (received);
  if (expected > 0)
    {
      total = g_format_size (expected);
      /* Translators: a progress line, e.g. "Receiving 1.2 MB of 16.0 MB" */
      fputs ("\r\033[K", stderr);
      g_printerr (_("Receiving %s of %s"), have, total);
    }
  else
    {
      fputs ("\r\033[K", stderr);
      g_printerr (_("Receiving %s"), have);
    }
  gen->progress_shown = TRUE;
}

static void
part_received_cb (PeelGeminiClient *client,
                  const PeelPart   *part,
                  Generate         *gen)
{
  if (!gen->tty)
    return;

  if (part->kind == PEEL_PART_TEXT && part->thought && part->text != NULL && *part->text != '\0')
    {
      clear_progress_line (gen);
      /* Thoughts in dim type, so they read as an aside. Only Peel's own codes go out raw:
       * g_printerr() escapes what the server sent (see peel-cli.c). */
      fputs ("\033[2m", stderr);
      g_printerr ("%s", part->text);
      fputs ("\033[0m", stderr);
      if (!g_str_has_suffix (part->text, "\n"))
        g_printerr ("\n");
    }
  else if (part->kind == PEEL_PART_IMAGE && part->thought)
    {
      clear_progress_line (gen);
      g_printerr (_("(a draft image arrived, %d×%d)\n"), part->width, part->height);
    }
}

static void
backing_off_cb (PeelGeminiClient *client,
                guint             attempt,
                double            delay,
                const GError     *error,
                Generate         *gen)
{
  clear_progress_line (gen);
  if (attempt <= 1)
    /* Translators: %s is why another request (another variation) was told to wait; this one
     * waits as long before it is sent */
    g_printerr (_("%s Another request was told to wait: sending in %.1f s.\n"),
                error->message, delay);
  else
    /* Translators: %s is why the attempt failed; then the wait and the attempt number */
    g_printerr (_("%s Trying again in %.1f s (attempt %u of %d).\n"),
                error->message, delay, attempt, gen->max_attempts);
}

/* Writing the image ------------------------------------------------------------------------- */

static GBytes *
convert_image (GBytes      *data,
               const char  *mime_type,
               GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autofree char *buffer = NULL;
  GdkPixbuf *pixbuf;
  gsize size = 0;
  gboolean ok;

  if (!gdk_pixbuf_loader_write_bytes (loader, data, error) ||
      !gdk_pixbuf_loader_close (loader, error))
    return NULL;

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The image could not be decoded."));
      return NULL;
    }

  if (g_str_equal (mime_type, "image/jpeg"))
    ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", error, "quality", "95", NULL);
  else
    ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", error, NULL);

  if (!ok)
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}

/* Writes the final image so that --output either holds the whole image or does not exist:
 * g_file_set_contents() writes a temporary file beside it and renames it into place. Returns
 * the path written, which differs from --output when its extension does not match. */
static char *
write_image (Generate        *gen,
             GBytes          *image_data,
             const char      *image_mime_type,
             const char     **written_mime_type,
             GError         **error)
{
  const char *wanted = mime_type_for_path (gen->output);
  g_autoptr(GBytes) data = g_bytes_ref (image_data);
  g_autofree char *path = NULL;

  *written_mime_type = image_mime_type;

  if (wanted != NULL && g_strcmp0 (wanted, image_mime_type) != 0 &&
      (g_str_equal (wanted, "image/png") || g_str_equal (wanted, "image/jpeg")))
    {
      g_autoptr(GBytes) converted = convert_image (image_data, wanted, error);

      if (converted == NULL)
        return NULL;
      g_clear_pointer (&data, g_bytes_unref);
      data = g_steal_pointer (&converted);
      *written_mime_type = wanted;
      path = g_strdup (gen->output);
    }
  else if (wanted != NULL && g_strcmp0 (wanted, image_mime_type) == 0)
    path = g_strdup (gen->output);
  else
    {
      /* Keep the bytes as received and name them for what they are. */
      const char *dot = strrchr (gen->output, '.');
      const char *slash = strrchr (gen->output, G_DIR_SEPARATOR);
      g_autofree char *stem = NULL;

      if (dot != NULL && (slash == NULL || dot > slash) && wanted != NULL)
        stem = g_strndup (gen->output, dot - gen->output);
      else
        stem = g_strdup (gen->output);
      path = g_strdup_printf ("%s.%s", stem, extension_for_mime_type (image_mime_type));
    }

  /* A FIFO or a device is refused, a symbolic link to a file written through. */
  if (!peel_export_write_file (path, data, error))
    return NULL;

  return g_steal_pointer (&path);
}

static void
set_error (Generate *gen,
           GError   *error,
           int       status)
{
  if (gen->error != NULL)
    {
      g_error_free (error);
      return;
    }
  gen->error = error;
  gen->error_status = status;
}

/* Writes --output, if asked for, and prints the result. Returns FALSE when --output could not
 * be written (gen->error says why, the first time). */
static gboolean
output_image (Generate   *gen,
              GBytes     *data,
              Result     *result)
{
  GError *error = NULL;
  g_autofree char *path = NULL;

  if (gen->output != NULL)
    {
      path = write_image (gen, data, result->received_mime_type, &result->mime_type, &error);
      if (path == NULL)
        {
          gboolean not_file = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);

          g_prefix_error (&error, _("The image could not be written: "));
          if (result->node != NULL)
            {
              /* The turn is saved: say so, with its node, or a script would pay again. */
              result->mime_type = result->received_mime_type;
              result->output_error = error->message;
              _peel_cli_generate_print_result (gen, result);
              set_error (gen, error, not_file ? PEEL_CLI_EXIT_USAGE : PEEL_CLI_EXIT_NOT_SAVED);
            }
          else
            {
              g_autoptr(GError) why = error;
              PeelPart image = { 0 };
              g_autofree char *kept = NULL;

              /* Nowhere else holds this paid image: keep it where it can be found. */
              image.kind = PEEL_PART_IMAGE;
              image.mime_type = (char *) result->received_mime_type;
              image.data = data;
              error = peel_generation_keep_unsaved (&image, NULL, why, &kept);
              _peel_cli_generate_report_unsaved (gen, NULL, kept, NULL, error);
              set_error (gen, error, not_file ? PEEL_CLI_EXIT_USAGE : PEEL_CLI_EXIT_NOT_SAVED);
            }
          return FALSE;
        }
    }
  else
    result->mime_type = result->received_mime_type;

  result->path = path;
  _peel_cli_generate_print_result (gen, result);
  return TRUE;
}

/* Writes --output, if asked for, and prints the result; then the run is over. */
static void
finish_with_image (Generate   *gen,
                   GBytes     *data,
                   Result     *result)
{
  output_image (gen, data, result);
  g_main_loop_quit (gen->loop);
}

static void
generate_done_cb (GObject      *object,
                  GAsyncResult *async_result,
                  gpointer      user_data)
{
  Generate *gen = user_data;
  GError *error = NULL;
  const PeelPart *image;
  GPtrArray *sources;
  Result result = { 0 };

  clear_progress_line (gen);

  gen->reply = peel_gemini_client_generate_finish (PEEL_GEMINI_CLIENT (object), async_result,
                                                   &error);
  if (gen->reply == NULL)
    {
      stop_with_error (gen, error);
      return;
    }

  if (gen->interrupted)
    {
      stop_with_error (gen, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 _("Interrupted.")));
      return;
    }

  image = peel_gemini_reply_get_final_image (gen->reply);
  result.received_mime_type = image->mime_type;
  result.width = image->width;
  result.height = image->height;
  result.finish_reason = peel_gemini_reply_get_finish_reason (gen->reply);
  result.text = peel_gemini_reply_dup_text (gen->reply);
  result.thoughts = peel_gemini_reply_dup_thoughts (gen->reply);
  result.usage = *peel_gemini_reply_get_usage (gen->reply);
  result.sources = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_source_free);
  sources = peel_gemini_reply_get_sources (gen->reply);
  for (guint i = 0; sources != NULL && i < sources->len; i++)
    {
      PeelGroundingSource *source = g_ptr_array_index (sources, i);

      g_ptr_array_add (result.sources, peel_source_new (source->title, source->uri));
    }
  result.queries = g_strdupv ((char **) peel_gemini_reply_get_search_queries (gen->reply));
  finish_with_image (gen, image->data, &result);
  result_clear (&result);
}

/* Writes --output from the copy kept in the cache, so that it holds what was asked for even
 * when the session could not. Returns the path written, or NULL. */
static char *
write_output_from (Generate   *gen,
                   const char *unsaved)
{
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  const char *written = NULL;
  const char *mime_type = "image/png";
  char *path;
  gsize len = 0;

  if (gen->output == NULL || unsaved == NULL ||
      !g_file_get_contents (unsaved, &contents, &len, NULL))
    return NULL;

  if (g_str_has_suffix (unsaved, ".jpg"))
    mime_type = "image/jpeg";
  else if (g_str_has_suffix (unsaved, ".webp"))
    mime_type = "image/webp";
  data = g_bytes_new_take (g_steal_pointer (&contents), len);
  path = write_image (gen, data, mime_type, &written, &error);
  if (path == NULL)
    g_printerr (_("peel-cli generate: the image could not be written to --output either: %s\n"),
                error->message);
  return path;
}

/* A failed turn stays in the session with its reason; say which node it is, so a script can
 * find it (and a person can retry from its parent). */
void
_peel_cli_generate_report_failed (Generate *gen,
                                  PeelNode *node)
{
  if (gen->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder,
                                     peel_node_status_to_string (peel_node_get_status (node)));
      json_builder_set_member_name (builder, "error_code");
      json_builder_add_string_value (builder, peel_node_get_error_code (node));
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, peel_node_get_error_message (node));
      _peel_cli_generate_add_session_members (gen, builder, node);
      json_builder_end_object (builder);
      _peel_cli_generate_print_json (builder);
    }
  else
    /* Translators: the failed node's id, then the session's name */
    g_printerr (_("The failed turn is kept as node %s in session “%s”.\n"),
                peel_node_get_id (node), peel_session_get_name (gen->session));
}

static void
generation_done_cb (GObject      *object,
                    GAsyncResult *async_result,
                    gpointer      user_data)
{
  Generate *gen = user_data;
  PeelGeneration *generation = PEEL_GENERATION (object);
  g_autoptr(PeelNode) node = NULL;
  GError *error = NULL;

  clear_progress_line (gen);

  node = peel_generation_run_finish (generation, async_result, &error);
  if (node == NULL)
    {
      PeelNode *failed = peel_generation_get_node (generation);

      if (g_error_matches (error, PEEL_GENERATION_ERROR, PEEL_GENERATION_ERROR_NOT_SAVED))
        {
          const char *unsaved = peel_generation_get_unsaved_path (generation);
          g_autofree char *output = write_output_from (gen, unsaved);

          _peel_cli_generate_report_unsaved (gen, failed, unsaved, output, error);
        }
      else if (failed != NULL && peel_node_get_status (failed) == PEEL_NODE_FAILED)
        _peel_cli_generate_report_failed (gen, failed);
      stop_with_error (gen, error);
      return;
    }

  if (!_peel_cli_generate_output_node (gen, node, &error))
    {
      if (error != NULL)
        stop_with_error (gen, error);
      else
        g_main_loop_quit (gen->loop);
      return;
    }
  g_main_loop_quit (gen->loop);
}

/**
 * _peel_cli_generate_output_node:
 * @node: a done node
 *
 * Writes @node's image to --output, if asked for, and prints it.
 *
 * Returns: FALSE with @error set when the node has no image to read, or FALSE with gen->error
 *   set (the first time) when --output could not be written
 */
gboolean
_peel_cli_generate_output_node (Generate  *gen,
                                PeelNode  *node,
                                GError   **error)
{
  g_autoptr(GBytes) data = NULL;
  const PeelPart *image;
  gint64 prompt_tokens = 0;
  gint64 output_tokens = 0;
  gint64 thought_tokens = 0;
  GPtrArray *sources;
  Result result = { 0 };
  gboolean written;

  image = peel_node_get_final_image (node);
  data = peel_node_dup_final_image_bytes (node, error);
  if (image == NULL || data == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NO_IMAGE,
                             _("The reply held no image."));
      return FALSE;
    }

  peel_node_get_usage (node, &prompt_tokens, &output_tokens, &thought_tokens);
  sources = peel_node_get_sources (node);
  result.received_mime_type = image->mime_type;
  result.width = image->width;
  result.height = image->height;
  result.finish_reason = peel_node_get_finish_reason (node);
  result.text = peel_node_dup_text (node);
  result.thoughts = peel_node_dup_thoughts (node);
  result.usage.prompt_tokens = prompt_tokens;
  result.usage.output_tokens = output_tokens;
  result.usage.thought_tokens = thought_tokens;
  result.usage.total_tokens = prompt_tokens + output_tokens + thought_tokens;
  result.node = node;
  result.sources = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_source_free);
  for (guint i = 0; sources != NULL && i < sources->len; i++)
    {
      PeelSource *source = g_ptr_array_index (sources, i);

      g_ptr_array_add (result.sources, peel_source_new (source->title, source->uri));
    }
  result.queries = g_strdupv ((char **) peel_node_get_search_queries (node));
  written = output_image (gen, data, &result);
  result_clear (&result);
  return written;
}

static void
start_generation (Generate *gen)
{
  PeelModelFamily family = peel_model_family_for_id (gen->model);
  PeelTurnSpec spec = { 0 };

  spec.prompt = gen->prompt;
  spec.references = gen->images;
  spec.aspect_ratio = gen->aspect;
  spec.size = gen->size;
  spec.model = gen->model;
  spec.options.thinking_level = peel_model_supports_thinking_level (family)
                                ? gen->thinking_level : PEEL_THINKING_DEFAULT;
  spec.options.include_thoughts = gen->thoughts;
  spec.options.search = gen->search || gen->image_search;
  spec.options.image_search = gen->image_search;
  spec.draft_of = gen->draft_of;

  if (gen->variations > 0)
    {
      _peel_cli_generate_start_batch (gen, &spec);
      return;
    }

  gen->generation = peel_generation_new (gen->session, gen->client);
  if (gen->region_mask != NULL)
    peel_generation_set_region (gen->generation, g_steal_pointer (&gen->region_mask),
                                gen->feather >= 0 ? gen->feather : 8);
  peel_generation_set_marks (gen->generation, gen->marks);
  peel_generation_run_async (gen->generation, gen->parent, &spec, gen->stream, gen->cancellable,
                             generation_done_cb, gen);
}

static void
start_generate (Generate *gen)
{
  g_autoptr(PeelGeminiRequest) request = NULL;
  PeelModelFamily family = peel_model_family_for_id (gen->model);

  gen->client = g_object_ref (peel_connection_get_client (gen->connection));
  peel_gemini_client_set_max_attempts (gen->client, gen->max_attempts);
  peel_gemini_client_set_timeout (gen->client, (guint) gen->timeout);
  g_signal_connect (gen->client, "backing-off", G_CALLBACK (backing_off_cb), gen);
  /* Variations print each image as it ends; their streams would only interleave. */
  if (gen->variations > 0)
    {
      start_generation (gen);
      return;
    }
  g_signal_connect (gen->client, "progress", G_CALLBACK (progress_cb), gen);
  g_signal_connect (gen->client, "part-received", G_CALLBACK (part_received_cb), gen);

  if (gen->tty)
    {
      g_printerr ("%s", _("Waiting for the model…"));
      gen->progress_shown = TRUE;
    }

  if (gen->session != NULL)
    {
      start_generation (gen);
      return;
    }

  request = peel_gemini_request_new (gen->model);
  if (gen->aspect != NULL)
    peel_gemini_request_set_aspect_ratio (request, gen->aspect);
  peel_gemini_request_set_image_size (request, gen->size);
  if (peel_model_supports_thinking_level (family))
    peel_gemini_request_set_thinking_level (request, gen->thinking_level);
  peel_gemini_request_set_include_thoughts (request, gen->thoughts);
  peel_gemini_request_set_search (request, gen->search || gen->image_search, gen->image_search);
  peel_gemini_request_set_prompt (request, gen->prompt);
  for (guint i = 0; i < gen->images->len; i++)
    peel_gemini_request_add_image (request, g_ptr_array_index (gen->images, i));

  peel_gemini_client_generate_async (gen->client, request, gen->stream, gen->cancellable,
                                     generate_done_cb, gen);
}

/* Setting up: connection, reference images ------------------------------------------------ */

typedef struct
{
  Generate *gen;
  guint     index;
} ImageLoad;

static void
image_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autofree ImageLoad *load = user_data;
  Generate *gen = load->gen;
  guint index = load->index;
  GError *error = NULL;
  PeelPart *part;

  part = peel_image_input_load_file_finish (result, &error);
  gen->images_pending--;

  if (part == NULL)
    {
      gboolean first = gen->error == NULL;

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, "--image: %s: ", gen->image_paths[index]);
      stop_with_error (gen, error);
      if (first && !gen->interrupted)
        gen->error_status = PEEL_CLI_EXIT_USAGE;
      return;
    }

  g_ptr_array_index (gen->images, index) = part;

  if (gen->images_pending == 0 && gen->error == NULL)
    start_generate (gen);
}

static void
load_images (Generate *gen)
{
  guint n = gen->image_paths != NULL ? g_strv_length (gen->image_paths) : 0;

  /* Without --image, the images are those given already (`peel-cli render`'s), if any. */
  if (n == 0)
    {
      start_generate (gen);
      return;
    }
  g_ptr_array_set_size (gen->images, n);

  gen->images_pending = n;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (gen->image_paths[i]);
      ImageLoad *load = g_new0 (ImageLoad, 1);

      load->gen = gen;
      load->index = i;
      peel_image_input_load_file_async (file, gen->cancellable, image_loaded_cb, load);
    }
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Generate *gen = user_data;
  g_autoptr(PeelGeminiClient) client = NULL;
  GError *error = NULL;

  client = peel_connection_open_finish (PEEL_CONNECTION (object), result, &error);
  if (g_error_matches (error, PEEL_CONNECTION_ERROR, PEEL_CONNECTION_ERROR_NO_KEY))
    {
      gen->error = error;
      gen->error_status = PEEL_CLI_EXIT_USAGE;
      g_main_loop_quit (gen->loop);
      return;
    }
  if (client == NULL)
    {
      stop_with_error (gen, error);
      return;
    }

  load_images (gen);
}

gboolean
_peel_cli_generate_begin_cb (gpointer user_data)
{
  Generate *gen = user_data;

  /* The demo is open already (make_provider()). A local or custom server is never handed the
   * keyring's key. */
  if (gen->demo)
    load_images (gen);
  else
    peel_connection_open_async (gen->connection, gen->provider, NULL,
                                gen->base_url != NULL ? PEEL_KEY_ENVIRONMENT
                                                      : PEEL_KEY_STORED_REQUIRED,
                                gen->cancellable, opened_cb, gen);

  return G_SOURCE_REMOVE;
}
