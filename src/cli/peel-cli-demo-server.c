/* peel-cli-demo-server.c
 *
 * `peel-cli demo-server`: Peel's offline demo server on this computer, for scripts,
 * benchmarks and other clients (the official SDKs take it as their base URL).
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>

#include "peel-cli.h"
#include "peel-demo-server.h"

static gboolean
parse_uint (const char *option,
            const char *value,
            guint64     max,
            guint64    *out)
{
  g_autoptr(GError) error = NULL;

  if (!g_ascii_string_to_unsigned (value, 10, 0, max, out, &error))
    {
      /* Translators: the first %s is an option such as --port, the second what was typed */
      g_printerr (_("peel-cli demo-server: %s: “%s” is not a whole number from 0 to %"
                    PRIu64 ".\n"), option, value, max);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_faults (const char     *value,
              PeelDemoServer *server)
{
  g_auto(GStrv) names = g_strsplit (value, ",", -1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      PeelDemoFault fault;

      if (!peel_demo_fault_from_string (g_strstrip (names[i]), &fault))
        {
          GString *list = g_string_new (NULL);

          for (guint f = 0; f < PEEL_DEMO_N_FAULTS; f++)
            g_string_append_printf (list, "%s%s", f ? ", " : "", peel_demo_fault_to_string (f));
          /* Translators: %s is what was typed, then the list of fault names */
          g_printerr (_("peel-cli demo-server: --fault: “%s” is not a fault. Faults: %s.\n"),
                      names[i], list->str);
          g_string_free (list, TRUE);
          return FALSE;
        }
      peel_demo_server_push_fault (server, fault);
    }

  return TRUE;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

int
peel_cli_demo_server (int    argc,
                      char **argv)
{
  g_autofree char *port = NULL;
  g_autofree char *latency = NULL;
  g_autofree char *fault = NULL;
  g_autofree char *fault_rate = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *api_key = NULL;
  g_autofree char *max_bytes = NULL;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_STRING, &port,
      N_("Port to listen on at 127.0.0.1 (default: any free port)"), N_("N") },
    { "latency", 0, 0, G_OPTION_ARG_STRING, &latency,
      N_("Wait MS milliseconds before each answer and between stream events"), N_("MS") },
    { "fault", 0, 0, G_OPTION_ARG_STRING, &fault,
      N_("Fail the next requests, one fault each, in order: rate-limit, server-error, "
         "unavailable, reset, truncated-stream, stall, malformed-json, blocked-prompt, "
         "image-safety, data-uri, huge-body, image-url, image-url-missing, image-url-not-image, "
         "image-url-bomb, image-url-huge, image-url-stall, trickle, keep-alive"),
      N_("KIND[,KIND…]") },
    { "fault-rate", 0, 0, G_OPTION_ARG_STRING, &fault_rate,
      N_("Fail this share of the other requests (0 to 1) with a random fault"), N_("P") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed,
      N_("Seed of the random faults, to replay a run (default: 1)"), N_("N") },
    { "api-key", 0, 0, G_OPTION_ARG_STRING, &api_key,
      N_("Accept only this key (default: any non-empty key)"), N_("KEY") },
    { "max-request-bytes", 0, 0, G_OPTION_ARG_STRING, &max_bytes,
      N_("Refuse request bodies larger than N bytes (default: 20971520)"), N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PeelDemoServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  guint64 port_value = 0, number = 0;
  guint32 seed_value = 1;
  guint sigint, sigterm;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Serves Peel's offline demo: a Gemini-compatible server on "
                                  "127.0.0.1 that draws its images locally. Its base URL is "
                                  "the first line printed. Stop it with Ctrl+C."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("peel-cli demo-server: %s\n", error->message);
      return PEEL_CLI_EXIT_USAGE;
    }
  if (argc > 1)
    {
      /* Translators: %s is an argument the command does not take */
      g_printerr (_("peel-cli demo-server: unexpected argument “%s”.\n"), argv[1]);
      return PEEL_CLI_EXIT_USAGE;
    }

  server = peel_demo_server_new ();

  if (port != NULL && !parse_uint ("--port", port, G_MAXUINT16, &port_value))
    return PEEL_CLI_EXIT_USAGE;
  if (latency != NULL)
    {
      if (!parse_uint ("--latency", latency, 600000, &number))
        return PEEL_CLI_EXIT_USAGE;
      peel_demo_server_set_latency (server, (guint) number);
    }
  if (max_bytes != NULL)
    {
      if (!parse_uint ("--max-request-bytes", max_bytes, G_MAXUINT32, &number))
        return PEEL_CLI_EXIT_USAGE;
      if (number == 0)
        {
          g_printerr (_("peel-cli demo-server: --max-request-bytes must be more than 0.\n"));
          return PEEL_CLI_EXIT_USAGE;
        }
      peel_demo_server_set_max_request_bytes (server, (gsize) number);
    }
  if (seed != NULL)
    {
      if (!parse_uint ("--seed", seed, G_MAXUINT32, &number))
        return PEEL_CLI_EXIT_USAGE;
      seed_value = (guint32) number;
    }
  if (fault_rate != NULL)
    {
      char *end = NULL;
      double rate = g_ascii_strtod (fault_rate, &end);

      if (end == fault_rate || *end != '\0' || !(rate >= 0 && rate <= 1))
        {
          /* Translators: %s is what was typed */
          g_printerr (_("peel-cli demo-server: --fault-rate: “%s” is not a number from 0 "
                        "to 1.\n"), fault_rate);
          return PEEL_CLI_EXIT_USAGE;
        }
      peel_demo_server_set_random_faults (server, rate, seed_value);
    }
  if (fault != NULL && !parse_faults (fault, server))
    return PEEL_CLI_EXIT_USAGE;
  if (api_key != NULL)
    {
      if (*api_key == '\0')
        {
          g_printerr (_("peel-cli demo-server: --api-key must not be empty.\n"));
          return PEEL_CLI_EXIT_USAGE;
        }
      peel_demo_server_set_api_key (server, api_key);
    }

  if (!peel_demo_server_start (server, (guint) port_value, &error))
    {
      /* Translators: %s is the system's reason, such as “Address already in use” */
      g_printerr (_("peel-cli demo-server: cannot listen: %s\n"), error->message);
      return PEEL_CLI_EXIT_FAILURE;
    }

  /* Before the URL goes out: whoever reads it may signal us at once. */
  loop = g_main_loop_new (NULL, FALSE);
  sigint = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm = g_unix_signal_add (SIGTERM, quit_cb, loop);

  printf ("%s\n", peel_demo_server_get_base_url (server));
  fflush (stdout);

  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  peel_demo_server_stop (server);

  return PEEL_CLI_EXIT_OK;
}
