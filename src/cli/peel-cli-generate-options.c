/* peel-cli-generate-options.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "peel-cli.h"
#include "peel-cli-generate-private.h"
#include "peel-demo-server.h"
#include "peel-export.h"
#include "peel-gemini-error.h"
#include "peel-model-catalog.h"
#include "peel-session.h"
#include "peel-store.h"

#define usage_error(option, ...) peel_cli_usage_error ("generate", option, __VA_ARGS__)

static char *
join_ratios (PeelModelFamily family)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < PEEL_N_ASPECT_RATIOS; i++)
    {
      const char *name = peel_aspect_ratio_get_name (i);

      if (!peel_model_supports_ratio (family, name))
        continue;
      if (list->len > 0)
        g_string_append (list, ", ");
      g_string_append (list, name);
    }

  return g_string_free (g_steal_pointer (&list), FALSE);
}

static char *
join_sizes (PeelModelFamily family)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < PEEL_N_IMAGE_SIZES; i++)
    {
      if (!peel_model_supports_size (family, i))
        continue;
      if (list->len > 0)
        g_string_append (list, ", ");
      g_string_append (list, peel_image_size_to_string (i));
    }

  return g_string_free (g_steal_pointer (&list), FALSE);
}

static int
validate_options (Generate *gen)
{
  PeelModelFamily family;
  g_autofree char *dir = NULL;
  g_autoptr(GError) output_error = NULL;

  if (gen->prompt == NULL || *g_strstrip (gen->prompt) == '\0')
    return usage_error ("--prompt", "%s", _("a prompt is needed, e.g. --prompt \"a red fox\"."));

  if (gen->parent_arg != NULL && gen->session_arg == NULL)
    return usage_error ("--parent", "%s", _("only works with --session."));

  if (gen->output != NULL && *gen->output == '\0')
    g_clear_pointer (&gen->output, g_free);
  if (gen->output == NULL && gen->session_arg == NULL)
    return usage_error ("--output", "%s",
                        _("say where to write the image, e.g. --output fox.png."));

  if (gen->output != NULL)
    {
      dir = g_path_get_dirname (gen->output);
      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        return usage_error ("--output", _("the folder “%s” does not exist."), dir);
      if (g_file_test (gen->output, G_FILE_TEST_IS_DIR))
        return usage_error ("--output", _("“%s” is a folder; give a file name."), gen->output);
      /* Before paying: a FIFO or a device is never replaced by the image. */
      if (!peel_export_check_output (gen->output, NULL, &output_error))
        return usage_error ("--output", "%s", output_error->message);
    }

  if (gen->model == NULL)
    gen->model = g_strdup (PEEL_DEFAULT_MODEL);
  family = peel_model_family_for_id (gen->model);

  if (gen->aspect != NULL && !peel_model_supports_ratio (family, gen->aspect))
    {
      g_autofree char *ratios = join_ratios (family);

      if (peel_aspect_ratio_find (gen->aspect) < 0)
        return usage_error ("--aspect", _("“%s” is not an aspect ratio. Use one of %s."),
                            gen->aspect, ratios);
      return usage_error ("--aspect", _("%s does not make %s images. Use one of %s."),
                          peel_model_family_get_display_name (family), gen->aspect, ratios);
    }

  gen->size = peel_model_default_size (family);
  if (gen->size_name != NULL)
    {
      g_autofree char *sizes = join_sizes (family);

      if (!peel_image_size_from_string (gen->size_name, &gen->size))
        return usage_error ("--size", _("“%s” is not a size. Use one of %s."),
                            gen->size_name, sizes);
      if (!peel_model_supports_size (family, gen->size))
        return usage_error ("--size", _("%s does not make %s images. Use one of %s."),
                            peel_model_family_get_display_name (family), gen->size_name, sizes);
    }

  gen->thinking_level = PEEL_THINKING_DEFAULT;
  if (gen->thinking != NULL &&
      (!peel_thinking_level_from_string (gen->thinking, &gen->thinking_level) ||
       gen->thinking_level == PEEL_THINKING_DEFAULT))
    return usage_error ("--thinking", _("“%s” is not a thinking level. Use minimal or high."),
                        gen->thinking);

  if (gen->image_paths != NULL && g_strv_length (gen->image_paths) > peel_model_max_input_images (family))
    return usage_error ("--image", _("%s takes at most %u images."),
                        peel_model_family_get_display_name (family),
                        peel_model_max_input_images (family));

  if (gen->demo && gen->base_url != NULL)
    return usage_error ("--demo", "%s", _("use either --demo or --base-url, not both."));

  if (gen->provider_name != NULL &&
      g_ascii_strcasecmp (gen->provider_name, "google") != 0 &&
      g_ascii_strcasecmp (gen->provider_name, "cometapi") != 0)
    return usage_error ("--provider", _("“%s” is not a provider. Use google or cometapi."),
                        gen->provider_name);

  gen->auth_style = PEEL_AUTH_STYLE_GOOG_API_KEY;
  if (gen->auth != NULL)
    {
      if (g_ascii_strcasecmp (gen->auth, "bearer") == 0)
        gen->auth_style = PEEL_AUTH_STYLE_BEARER;
      else if (g_ascii_strcasecmp (gen->auth, "x-goog-api-key") != 0)
        return usage_error ("--auth", _("“%s” is not a way to send the key. Use x-goog-api-key "
                                        "or bearer."), gen->auth);
    }

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

  return _peel_cli_generate_check_variations (gen);

  return PEEL_CLI_EXIT_OK;
}

/* The demo server of --demo: it takes only the key "demo", answers --demo-fault's faults in
 * order, and asks for quick retries, since a busy demo server is a test, not a real quota. */
static GObject *
start_demo_cb (gpointer   user_data,
               char     **base_url,
               GError   **error)
{
  Generate *gen = user_data;
  g_autoptr(PeelDemoServer) server = peel_demo_server_new ();

  peel_demo_server_set_api_key (server, "demo");
  if (!peel_demo_server_start (server, 0, error))
    return NULL;
  for (guint i = 0; gen->demo_faults != NULL && gen->demo_faults[i] != NULL; i++)
    {
      PeelDemoFault fault = PEEL_DEMO_FAULT_NONE;

      peel_demo_fault_from_string (gen->demo_faults[i], &fault);
      peel_demo_server_push_fault (server, fault);
    }
  peel_demo_server_set_retry_delay (server, 0.1);

  *base_url = g_strdup (peel_demo_server_get_base_url (server));
  return G_OBJECT (g_steal_pointer (&server));
}

static int
make_provider (Generate *gen)
{
  g_autoptr(GError) error = NULL;
  const char *name;
  const char *base_url;

  gen->connection = peel_connection_new (start_demo_cb, gen, NULL);

  if (gen->demo)
    {
      if (!peel_connection_open_demo (gen->connection, NULL, &error))
        {
          g_printerr (_("peel-cli generate: the demo server could not start: %s\n"),
                      error->message);
          return PEEL_CLI_EXIT_FAILURE;
        }
      return PEEL_CLI_EXIT_OK;
    }

  if (gen->base_url != NULL)
    {
      name = NULL;
      base_url = gen->base_url;
    }
  else if (gen->provider_name != NULL && g_ascii_strcasecmp (gen->provider_name, "cometapi") == 0)
    {
      name = "CometAPI";
      base_url = PEEL_COMETAPI_BASE_URL;
    }
  else
    {
      name = "Google";
      base_url = PEEL_GOOGLE_BASE_URL;
    }

  gen->provider = peel_provider_new (name, base_url, gen->auth_style, &error);
  if (gen->provider == NULL)
    return usage_error ("--base-url", "%s", error->message);

  return PEEL_CLI_EXIT_OK;
}

/* --session names a session's folder, or the name of one in the default folder; a name that no
 * session has yet starts a new session of that name there. */
static int
open_session (Generate *gen)
{
  g_autoptr(GError) error = NULL;
  gboolean created = FALSE;

  /* Made once, also when several runs ask for the same new name at once. */
  gen->session = peel_store_open_or_create (gen->session_arg, &created, &error);
  if (created)
    /* Translators: the new session's name, then its folder */
    g_printerr (_("Started a new session “%s” in %s.\n"), gen->session_arg,
                peel_store_get_path (peel_session_get_store (gen->session)));

  if (gen->session == NULL)
    {
      g_printerr ("peel-cli generate: --session: %s\n", error->message);
      return g_error_matches (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_NOT_FOUND) ||
             g_error_matches (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_NOT_A_SESSION)
             ? PEEL_CLI_EXIT_USAGE : PEEL_CLI_EXIT_FAILURE;
    }

  if (gen->parent_arg == NULL || g_str_equal (gen->parent_arg, "current"))
    {
      gen->parent = peel_session_get_current (gen->session);
      if (peel_session_get_missing_current (gen->session) != NULL && gen->parent != NULL)
        /* Translators: a missing turn's id, then the id of the turn used instead */
        g_printerr (_("The session’s current turn %s is missing; continuing from its newest "
                      "turn, %s.\n"), peel_session_get_missing_current (gen->session),
                    peel_node_get_id (gen->parent));
    }
  else if ((gen->parent = peel_session_find_node (gen->session, gen->parent_arg)) == NULL)
    return usage_error ("--parent", _("“%s” is not a node of session “%s” (see “peel-cli log "
                                      "--session %s”)."), gen->parent_arg,
                        peel_session_get_name (gen->session), gen->session_arg);

  return PEEL_CLI_EXIT_OK;
}

int
peel_cli_generate (int    argc,
                   char **argv)
{
  Generate gen = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *ratios = NULL;
  g_autofree char *default_name = peel_model_dup_display_name (PEEL_DEFAULT_MODEL);
  g_autofree char *model_help =
    /* Translators: the default model's id, then its name */
    g_strdup_printf (_("Model id (default %s, %s); “peel-cli models” lists those the service "
                       "offers"), PEEL_DEFAULT_MODEL, default_name);
  int status;
  const GOptionEntry entries[] = {
    { "prompt", 'p', 0, G_OPTION_ARG_STRING, &gen.prompt,
      N_("What to make, or what to change in the --image files"), N_("TEXT") },
    { "aspect", 'a', 0, G_OPTION_ARG_STRING, &gen.aspect,
      N_("Aspect ratio, e.g. 16:9 (default: the model’s, 1:1)"), N_("W:H") },
    { "size", 's', 0, G_OPTION_ARG_STRING, &gen.size_name,
      N_("Image size: 512, 1K, 2K or 4K, as the model allows (default 1K)"), N_("SIZE") },
    { "image", 'i', 0, G_OPTION_ARG_FILENAME_ARRAY, &gen.image_paths,
      N_("A reference image to edit or draw from; repeat for more (up to 14)"), N_("FILE") },
    { "model", 'm', 0, G_OPTION_ARG_STRING, &gen.model,
      model_help, N_("ID") },
    { "thinking", 0, 0, G_OPTION_ARG_STRING, &gen.thinking,
      N_("How hard the model thinks first: minimal or high"), N_("LEVEL") },
    { "thoughts", 0, 0, G_OPTION_ARG_NONE, &gen.thoughts,
      N_("Ask for the model’s thoughts and show them"), NULL },
    { "search", 0, 0, G_OPTION_ARG_NONE, &gen.search,
      N_("Let the model search the web"), NULL },
    { "image-search", 0, 0, G_OPTION_ARG_NONE, &gen.image_search,
      N_("Let the model search the web for images too"), NULL },
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
         "300); a stream that sends nothing for two minutes is cut too"), N_("SECONDS") },
    { "demo-fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &gen.demo_faults,
      N_("With --demo, make the next request misbehave, for testing scripts: rate-limit, "
         "server-error, unavailable, reset, truncated-stream, stall, malformed-json, "
         "blocked-prompt, image-safety, data-uri, huge-body, image-url, image-url-missing, "
         "image-url-not-image, image-url-bomb, image-url-huge, image-url-stall, trickle or "
         "keep-alive; repeat for more"), N_("FAULT") },
    { "session", 0, 0, G_OPTION_ARG_FILENAME, &gen.session_arg,
      N_("Add the turn to this session (its folder, or its name; a new name starts a new "
         "session); the branch so far is sent with it"), N_("DIR") },
    { "parent", 0, 0, G_OPTION_ARG_STRING, &gen.parent_arg,
      N_("With --session, continue from this node (an id, the start of one, or “current”, "
         "the default); another parent than the current one starts a branch"), N_("NODE") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &gen.region_arg,
      N_("Change only this rectangle of the parent's image, in its pixels; every pixel further "
         "than the feather from it stays exactly as it was"), N_("X,Y,WIDTH,HEIGHT") },
    { "mask", 0, 0, G_OPTION_ARG_FILENAME, &gen.mask_path,
      N_("Change only where this image (the parent's size) is white; black keeps, grey blends"),
      N_("MASK.png") },
    { "feather", 0, 0, G_OPTION_ARG_INT, &gen.feather,
      N_("How many pixels the edge of --region or --mask fades over (default 8)"), N_("PX") },
    { "marks", 0, 0, G_OPTION_ARG_FILENAME, &gen.marks_path,
      N_("Send the parent's image with these marks drawn on it as instructions (format in "
         "docs/marks.md)"), N_("MARKS.json") },
    { "variations", 0, 0, G_OPTION_ARG_INT, &gen.variations,
      N_("Make N images of the same turn (1 to 8), each a sibling node in --session, printed "
         "as each arrives; with --output fox.png they go to fox-1.png, fox-2.png, …"), N_("N") },
    { "parallel", 0, 0, G_OPTION_ARG_INT, &gen.parallel,
      N_("With --variations, send at most this many at once (1 to 8, default 4); the rest wait "
         "their turn"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &gen.json,
      N_("Print one JSON object describing the result, for scripts (with --session, the new "
         "node’s id too)"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &gen.output,
      N_("Where to write the image; .png converts to PNG, .jpg to JPEG, another extension is "
         "replaced by the image’s own (optional with --session)"), N_("FILE") },
    { NULL }
  };

  gen.max_attempts = 5;
  gen.timeout = 300;
  gen.feather = -1;
  gen.variations = PEEL_CLI_NOT_GIVEN;
  gen.parallel = PEEL_CLI_NOT_GIVEN;

  context = g_option_context_new (_("— make an image from a prompt, or edit one"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  ratios = join_ratios (PEEL_MODEL_FAMILY_FLASH_3_1);
  description = g_strdup_printf (
    _("Aspect ratios: %s (Nano Banana 2; others take fewer).\n"
      "The key comes from the GEMINI_API_KEY environment variable, or from the keyring where "
      "Peel keeps it.\n\n"
      "Exit status: 0 done; 2 bad usage or input; 3 the service refused or blocked the "
      "request; 4 network or server failure after retries, or past --timeout; 5 could not "
      "save: the session cannot be written (checked before anything is sent), or the answer "
      "came but could not be saved, and the image is kept in $XDG_CACHE_HOME/peel/unsaved/; "
      "130 interrupted. Nothing is left at --output when the request fails. With --json, a "
      "JSON object is printed whenever a turn was saved or an image kept.\n"
      "With --variations, each variation prints its own line (its own JSON object, with "
      "\"batch\", with --json) as it ends; the exit status is 0 when all succeeded, else the "
      "status of the first that failed (130 when interrupted: those done are kept).\n\n"
      "Example: peel-cli generate --demo --prompt \"a lighthouse at dusk\" --aspect 16:9 "
      "--size 2K --output lighthouse.png"), ratios);
  g_option_context_set_description (context, description);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      status = usage_error (NULL, "%s", error->message);
      _peel_cli_generate_clear (&gen);
      return status;
    }

  if (argc > 1)
    {
      status = usage_error (NULL, _("“%s” is not an option; put the prompt in --prompt."),
                            argv[1]);
      _peel_cli_generate_clear (&gen);
      return status;
    }

  status = validate_options (&gen);
  if (status == PEEL_CLI_EXIT_OK && gen.session_arg != NULL)
    status = open_session (&gen);
  if (status == PEEL_CLI_EXIT_OK)
    status = _peel_cli_generate_prepare_region (&gen);
  if (status != PEEL_CLI_EXIT_OK)
    {
      _peel_cli_generate_clear (&gen);
      return status;
    }

  return _peel_cli_generate_run (&gen);
}

/**
 * _peel_cli_generate_run:
 * @gen: options checked, session opened
 *
 * Connects, makes the turn, prints the result or the error, and clears @gen: the rest of
 * `peel-cli generate`, which `peel-cli render` shares. @gen->images may hold the reference
 * images already.
 *
 * Returns: the exit status
 */
int
_peel_cli_generate_run (Generate *gen)
{
  const char *command = gen->command != NULL ? gen->command : "generate";
  guint sigint_id;
  int status;

  status = make_provider (gen);
  if (status != PEEL_CLI_EXIT_OK)
    {
      _peel_cli_generate_clear (gen);
      return status;
    }

  gen->loop = g_main_loop_new (NULL, FALSE);
  gen->cancellable = g_cancellable_new ();
  if (gen->images == NULL)
    gen->images = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  gen->tty = isatty (fileno (stderr));

  sigint_id = g_unix_signal_add (SIGINT, _peel_cli_generate_sigint_cb, gen);
  g_idle_add (_peel_cli_generate_begin_cb, gen);
  g_main_loop_run (gen->loop);
  g_source_remove (sigint_id);

  if (gen->error != NULL)
    {
      if (gen->error_status == PEEL_CLI_EXIT_INTERRUPTED && gen->variations > 0)
        g_printerr ("%s\n", gen->error->message);
      else if (gen->error_status == PEEL_CLI_EXIT_INTERRUPTED)
        g_printerr ("%s\n", _("Interrupted; nothing was written."));
      else if (g_error_matches (gen->error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NOT_FOUND) &&
               peel_model_get_replacement (gen->model) != NULL)
        {
          g_autofree char *shut_down = peel_model_dup_shut_down_message (gen->model);

          /* Translators: the command, why the model is gone, then the option to pass instead */
          g_printerr (_("peel-cli %s: %s Pass --model %s.\n"), command, shut_down,
                      peel_model_get_replacement (gen->model));
        }
      else
        g_printerr ("peel-cli %s: %s\n", command, gen->error->message);
      status = gen->error_status;
    }
  else
    status = PEEL_CLI_EXIT_OK;

  _peel_cli_generate_clear (gen);
  return status;
}
