/* peel-cli-render.c
 *
 * `peel-cli render NODE --session S --size 4K`: a node's turn made again at a larger size, as
 * its sibling linked to it as its draft (docs/render-larger.md). What may be rendered and at
 * which size is the engine's (peel-render.c); the turn runs as `peel-cli generate`'s does.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-cli.h"
#include "peel-cli-generate-private.h"
#include "peel-demo-server.h"
#include "peel-export.h"
#include "peel-render.h"
#include "peel-store.h"

#define usage_error(option, ...) peel_cli_usage_error ("render", option, __VA_ARGS__)

static int
check_options (Generate   *gen,
               const char *node_arg)
{
  g_autoptr(GError) error = NULL;

  if (node_arg == NULL)
    return usage_error (NULL, "%s", _("say which node to render larger, e.g. "
                                      "“peel-cli render 9d1d --session Lighthouse --size 4K” "
                                      "(“peel-cli log” lists them)."));
  if (gen->session_arg == NULL)
    return usage_error ("--session", "%s", _("say which session the node is in."));
  if (gen->size_name == NULL)
    return usage_error ("--size", "%s", _("say how large to render, e.g. --size 4K."));
  if (gen->output != NULL && *gen->output == '\0')
    g_clear_pointer (&gen->output, g_free);
  if (gen->output != NULL && !peel_export_check_output (gen->output, NULL, &error))
    return usage_error ("--output", "%s", error->message);
  if (gen->demo && gen->base_url != NULL)
    return usage_error ("--demo", "%s", _("use either --demo or --base-url, not both."));
  if (gen->provider_name != NULL &&
      g_ascii_strcasecmp (gen->provider_name, "google") != 0 &&
      g_ascii_strcasecmp (gen->provider_name, "cometapi") != 0)
    return usage_error ("--provider", _("“%s” is not a provider. Use google or cometapi."),
                        gen->provider_name);
  gen->auth_style = PEEL_AUTH_STYLE_GOOG_API_KEY;
  if (gen->auth != NULL && g_ascii_strcasecmp (gen->auth, "bearer") == 0)
    gen->auth_style = PEEL_AUTH_STYLE_BEARER;
  else if (gen->auth != NULL && g_ascii_strcasecmp (gen->auth, "x-goog-api-key") != 0)
    return usage_error ("--auth", _("“%s” is not a way to send the key. Use x-goog-api-key or "
                                    "bearer."), gen->auth);
  for (guint i = 0; gen->demo_faults != NULL && gen->demo_faults[i] != NULL; i++)
    {
      PeelDemoFault fault;

      if (!gen->demo)
        return usage_error ("--demo-fault", "%s", _("only works with --demo."));
      if (!peel_demo_fault_from_string (gen->demo_faults[i], &fault))
        return usage_error ("--demo-fault", _("“%s” is not a fault the demo server knows."),
                            gen->demo_faults[i]);
    }
  if (gen->max_attempts < 1 || gen->max_attempts > 20)
    return usage_error ("--max-attempts", "%s", _("give a number from 1 to 20."));
  if (gen->timeout < 1 || gen->timeout > 24 * 3600)
    return usage_error ("--timeout", "%s", _("give a number of seconds from 1 to 86400."));
  return PEEL_CLI_EXIT_OK;
}

/* An existing session only: rendering into a new, empty one has no draft. */
static int
open_session (Generate *gen)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = peel_store_resolve_session (gen->session_arg, &error);

  if (path == NULL)
    return usage_error ("--session", "%s", error->message);
  gen->session = peel_store_open_session (path, &error);
  if (gen->session == NULL)
    {
      g_printerr ("peel-cli render: --session: %s\n", error->message);
      return g_error_matches (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_NOT_A_SESSION)
             ? PEEL_CLI_EXIT_USAGE : PEEL_CLI_EXIT_FAILURE;
    }
  return PEEL_CLI_EXIT_OK;
}

/* The draft's turn at the larger size, into @gen as if it had been given as options. */
static int
take_draft (Generate   *gen,
            const char *node_arg)
{
  g_autoptr(PeelTurnSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  PeelImageSize sizes[PEEL_N_IMAGE_SIZES];
  PeelImageSize size;
  PeelNode *draft;

  draft = peel_session_find_node (gen->session, node_arg);
  if (draft == NULL)
    return usage_error (NULL, _("“%s” is not a node of session “%s”, or the start of more than "
                                "one (see “peel-cli log --session %s”)."), node_arg,
                        peel_session_get_name (gen->session), gen->session_arg);

  if (!peel_image_size_from_string (gen->size_name, &size))
    {
      g_autoptr(GString) list = g_string_new (NULL);
      guint n = peel_render_larger_sizes (draft, sizes);

      for (guint i = 0; i < n; i++)
        g_string_append_printf (list, "%s%s", i > 0 ? ", " : "",
                                peel_image_size_to_string (sizes[i]));
      if (n == 0)
        return usage_error ("--size", _("“%s” is not a size."), gen->size_name);
      return usage_error ("--size", _("“%s” is not a size. Use %s."), gen->size_name,
                          list->str);
    }

  spec = peel_render_dup_spec (draft, size, &error);
  if (spec == NULL)
    {
      if (g_error_matches (error, PEEL_RENDER_ERROR, PEEL_RENDER_ERROR_SIZE))
        return usage_error ("--size", "%s", error->message);
      if (error->domain == PEEL_RENDER_ERROR)
        return usage_error (NULL, "%s", error->message);
      g_printerr ("peel-cli render: %s\n", error->message);
      return PEEL_CLI_EXIT_FAILURE;
    }

  gen->parent = peel_node_get_parent (draft);
  gen->prompt = g_strdup (spec->prompt);
  gen->aspect = g_strdup (spec->aspect_ratio);
  gen->size = spec->size;
  gen->model = g_strdup (spec->model);
  gen->thinking_level = spec->options.thinking_level;
  gen->thoughts = spec->options.include_thoughts;
  gen->search = spec->options.search;
  gen->image_search = spec->options.image_search;
  gen->draft_of = g_strdup (spec->draft_of);
  gen->images = spec->references != NULL
                ? g_steal_pointer (&spec->references)
                : g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);

  /* What it will cost, before it is sent; on stderr, so --json's output stays one object. */
  if (peel_render_price (draft, size) >= 0)
    /* Translators: the node's id, the size, then the price of one image in US dollars */
    g_printerr (_("Rendering %s at %s, about $%.3f.\n"), peel_node_get_id (draft),
                peel_image_size_to_string (size), peel_render_price (draft, size));
  return PEEL_CLI_EXIT_OK;
}

int
peel_cli_render (int    argc,
                 char **argv)
{
  Generate gen = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "session", 0, 0, G_OPTION_ARG_FILENAME, &gen.session_arg,
      N_("The session the node is in (its folder, or its name)"), N_("DIR") },
    { "size", 's', 0, G_OPTION_ARG_STRING, &gen.size_name,
      N_("The size to render at: larger than the node’s, and one its model makes (512, 1K, "
         "2K or 4K)"), N_("SIZE") },
    { "stream", 0, 0, G_OPTION_ARG_NONE, &gen.stream,
      N_("Stream the reply: thoughts and draft images show as they arrive"), NULL },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &gen.demo,
      N_("Use Peel’s built-in demo server instead of a provider (offline, free)"), NULL },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &gen.base_url,
      N_("Send requests to this server instead (https://, or http:// to this machine only); "
         "the key comes from GEMINI_API_KEY"), N_("URL") },
    { "provider", 0, 0, G_OPTION_ARG_STRING, &gen.provider_name,
      N_("google (default) or cometapi"), N_("NAME") },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &gen.auth,
      N_("How to send the key: x-goog-api-key (default) or bearer"), N_("STYLE") },
    { "max-attempts", 0, 0, G_OPTION_ARG_INT, &gen.max_attempts,
      N_("Tries in all when the service is busy or the connection drops (default 5)"), N_("N") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &gen.timeout,
      N_("Give up when the whole request, retries included, takes longer than this (default "
         "300)"), N_("SECONDS") },
    { "demo-fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &gen.demo_faults,
      N_("With --demo, make the next request misbehave (as for “peel-cli generate”)"),
      N_("FAULT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &gen.json,
      N_("Print one JSON object describing the result, as “peel-cli generate” does, with "
         "draft_of"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &gen.output,
      N_("Also write the image here (.png converts to PNG, .jpg to JPEG)"), N_("FILE") },
    { NULL }
  };

  gen.command = "render";
  gen.max_attempts = 5;
  gen.timeout = 300;
  gen.feather = -1;

  context = g_option_context_new (_("NODE — make a node’s turn again at a larger size"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (
    context,
    _("The new node is the draft’s sibling: the same parent, prompt, references, aspect ratio, "
      "model and options, at --size, linked to the draft. A region edit cannot be rendered "
      "larger: its pixels outside the selection are the edited image’s, at its size.\n\n"
      "Exit status as for “peel-cli generate”; 2 also when the size is not larger than the "
      "node’s or its model does not make it.\n\n"
      "Example: peel-cli render 9d1d --session Lighthouse --size 4K"));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      status = usage_error (NULL, "%s", error->message);
      _peel_cli_generate_clear (&gen);
      return status;
    }
  if (argc > 2)
    {
      status = usage_error (NULL, _("“%s” is not an option; give one node."), argv[2]);
      _peel_cli_generate_clear (&gen);
      return status;
    }

  status = check_options (&gen, argc > 1 ? argv[1] : NULL);
  if (status == PEEL_CLI_EXIT_OK)
    status = open_session (&gen);
  if (status == PEEL_CLI_EXIT_OK)
    status = take_draft (&gen, argv[1]);
  if (status != PEEL_CLI_EXIT_OK)
    {
      _peel_cli_generate_clear (&gen);
      return status;
    }

  return _peel_cli_generate_run (&gen);
}
