/* peel-cli-generate-print.c
 *
 * What `peel-cli generate` prints when a turn is over: the text, the image and its size, the
 * tokens and cost, or the same as one JSON object with --json.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "peel-cli.h"
#include "peel-cli-generate-private.h"
#include "peel-export.h"
#include "peel-gemini-client.h"
#include "peel-model-catalog.h"
#include "peel-session.h"
#include "peel-store.h"

/* As peel_gemini_client_describe_size(), from the image's size alone, so that a node read back
 * from the session is described the same way as a reply. */
static char *
describe_size (Generate *gen,
               int       width,
               int       height,
               gboolean *matches)
{
  const char *ratio = gen->aspect != NULL ? gen->aspect : "1:1";
  int asked_width = 0;
  int asked_height = 0;
  gboolean known;

  *matches = FALSE;
  known = peel_model_pixel_size (peel_model_family_for_id (gen->model), ratio, gen->size,
                                 &asked_width, &asked_height);

  if (width <= 0 || height <= 0)
    {
      if (!known)
        return g_strdup (_("no image size known"));
      /* Translators: the pixel size asked for, e.g. "asked 2752×1536 — image size unknown" */
      return g_strdup_printf (_("asked %d×%d — image size unknown"), asked_width, asked_height);
    }
  if (!known)
    /* Translators: the pixel size of the image received */
    return g_strdup_printf (_("got %d×%d"), width, height);
  if (width == asked_width && height == asked_height)
    {
      *matches = TRUE;
      /* Translators: the pixel size asked for, then the one received (the same) */
      return g_strdup_printf (_("asked %d×%d — got %d×%d"), asked_width, asked_height,
                              width, height);
    }
  /* Translators: the pixel size asked for, then the one received (a different one) */
  return g_strdup_printf (_("asked %d×%d, got %d×%d"), asked_width, asked_height, width, height);
}

void
_peel_cli_generate_add_session_members (Generate    *gen,
                                        JsonBuilder *builder,
                                        PeelNode    *node)
{

  json_builder_set_member_name (builder, "node");
  json_builder_add_string_value (builder, peel_node_get_id (node));
  json_builder_set_member_name (builder, "parent");
  if (peel_node_get_parent_id (node) != NULL)
    json_builder_add_string_value (builder, peel_node_get_parent_id (node));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "session");
  json_builder_add_string_value (builder,
                                 peel_store_get_path (peel_session_get_store (gen->session)));
  if (peel_node_get_draft_of (node) != NULL)
    {
      json_builder_set_member_name (builder, "draft_of");
      json_builder_add_string_value (builder, peel_node_get_draft_of (node));
    }
  if (peel_node_get_batch (node) != NULL)
    {
      json_builder_set_member_name (builder, "batch");
      json_builder_add_string_value (builder, peel_node_get_batch (node));
    }
  if (peel_node_get_context_rebuilt (node))
    {
      json_builder_set_member_name (builder, "context_rebuilt");
      json_builder_add_boolean_value (builder, TRUE);
    }
  peel_export_add_region (builder, node);
}

void
_peel_cli_generate_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  peel_cli_print_json (root, FALSE);
}

static void
add_sources (JsonBuilder  *builder,
             const Result *result)
{
  json_builder_set_member_name (builder, "sources");
  json_builder_begin_array (builder);
  for (guint i = 0; result->sources != NULL && i < result->sources->len; i++)
    {
      PeelSource *source = g_ptr_array_index (result->sources, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "title");
      if (source->title != NULL)
        json_builder_add_string_value (builder, source->title);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "uri");
      json_builder_add_string_value (builder, source->uri);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "search_queries");
  json_builder_begin_array (builder);
  for (guint i = 0; result->queries != NULL && result->queries[i] != NULL; i++)
    json_builder_add_string_value (builder, result->queries[i]);
  json_builder_end_array (builder);
}

void
_peel_cli_generate_print_result (Generate     *gen,
                                 const Result *result)
{
  PeelModelFamily family = peel_model_family_for_id (gen->model);
  const PeelUsage *usage = &result->usage;
  g_autofree char *described = NULL;
  const char *ratio = gen->aspect != NULL ? gen->aspect : "1:1";
  gboolean matches = FALSE;
  int asked_width = 0;
  int asked_height = 0;
  double cost;

  cost = peel_model_cost (family, usage->prompt_tokens, usage->output_tokens,
                          usage->thought_tokens);
  described = describe_size (gen, result->width, result->height, &matches);

  if (gen->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "output");
      if (result->path != NULL)
        json_builder_add_string_value (builder, result->path);
      else
        json_builder_add_null_value (builder);
      if (result->output_error != NULL)
        {
          json_builder_set_member_name (builder, "output_error");
          json_builder_add_string_value (builder, result->output_error);
        }
      json_builder_set_member_name (builder, "width");
      json_builder_add_int_value (builder, result->width);
      json_builder_set_member_name (builder, "height");
      json_builder_add_int_value (builder, result->height);
      json_builder_set_member_name (builder, "mime_type");
      json_builder_add_string_value (builder, result->mime_type);
      json_builder_set_member_name (builder, "received_mime_type");
      json_builder_add_string_value (builder, result->received_mime_type);
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, gen->model);
      json_builder_set_member_name (builder, "finish_reason");
      json_builder_add_string_value (builder, result->finish_reason);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, result->text != NULL ? result->text : "");
      if (gen->thoughts)
        {
          json_builder_set_member_name (builder, "thoughts");
          json_builder_add_string_value (builder,
                                         result->thoughts != NULL ? result->thoughts : "");
        }
      json_builder_set_member_name (builder, "usage");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "prompt_tokens");
      json_builder_add_int_value (builder, usage->prompt_tokens);
      json_builder_set_member_name (builder, "output_tokens");
      json_builder_add_int_value (builder, usage->output_tokens);
      json_builder_set_member_name (builder, "thought_tokens");
      json_builder_add_int_value (builder, usage->thought_tokens);
      json_builder_set_member_name (builder, "total_tokens");
      json_builder_add_int_value (builder, usage->total_tokens);
      json_builder_end_object (builder);
      add_sources (builder, result);
      json_builder_set_member_name (builder, "asked");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "aspect_ratio");
      json_builder_add_string_value (builder, ratio);
      json_builder_set_member_name (builder, "size");
      json_builder_add_string_value (builder, peel_image_size_to_string (gen->size));
      if (peel_model_pixel_size (family, ratio, gen->size, &asked_width, &asked_height))
        {
          json_builder_set_member_name (builder, "width");
          json_builder_add_int_value (builder, asked_width);
          json_builder_set_member_name (builder, "height");
          json_builder_add_int_value (builder, asked_height);
        }
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "size_matches");
      json_builder_add_boolean_value (builder, matches);
      if (result->node != NULL)
        _peel_cli_generate_add_session_members (gen, builder, result->node);
      json_builder_set_member_name (builder, "cost_usd");
      json_builder_add_double_value (builder, peel_cli_round_money (cost));
      json_builder_end_object (builder);
      _peel_cli_generate_print_json (builder);
      return;
    }

  if (gen->thoughts && result->thoughts != NULL && *result->thoughts != '\0' && !gen->tty)
    g_print ("%s\n%s\n\n", _("Thoughts:"), result->thoughts);
  if (result->text != NULL && *result->text != '\0')
    g_print ("%s\n\n", result->text);

  if (result->path != NULL)
    /* Translators: where the image went: path, MIME type, then e.g. "asked 2752×1536 — got …" */
    g_print (_("Image: %s (%s; %s)\n"), result->path, result->mime_type, described);
  else
    /* Translators: the MIME type, then e.g. "asked 2752×1536 — got 2752×1536" */
    g_print (_("Image: kept in the session only (%s; %s)\n"), result->mime_type, described);
  if (result->node != NULL)
    /* Translators: the new node's id, then the session's name */
    g_print (_("Node: %s in session “%s”\n"), peel_node_get_id (result->node),
             peel_session_get_name (gen->session));
  /* Translators: token counts, then the estimated cost in US dollars */
  g_print (_("Tokens: %" PRId64 " in, %" PRId64 " out, %" PRId64
             " thinking — about $%.3f\n"),
           usage->prompt_tokens, usage->output_tokens, usage->thought_tokens, cost);
}

/* The answer came, and was paid for, but is not where it was meant to go: --json says so, and
 * where the image is, so that a script does not ask (and pay) again. */
void
_peel_cli_generate_report_unsaved (Generate     *gen,
                                   PeelNode     *node,
                                   const char   *unsaved,
                                   const char   *output,
                                   const GError *error)
{
  g_autoptr(JsonBuilder) builder = NULL;

  if (!gen->json)
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "unsaved");
  json_builder_set_member_name (builder, "unsaved");
  if (unsaved != NULL)
    json_builder_add_string_value (builder, unsaved);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "output");
  if (output != NULL)
    json_builder_add_string_value (builder, output);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, error->message);
  if (node != NULL && gen->session != NULL)
    _peel_cli_generate_add_session_members (gen, builder, node);
  json_builder_end_object (builder);
  _peel_cli_generate_print_json (builder);
}
