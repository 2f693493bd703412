/* peel-cli.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "peel-memory.h"
#include "peel-cli.h"
#include "peel-text.h"

typedef struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} Command;

/* One line per command; each lives in its own peel-cli-COMMAND.c. */
static const Command commands[] = {
  { "demo-server", peel_cli_demo_server, N_("Serve the offline demo on this computer") },
  { "generate", peel_cli_generate, N_("Make an image from a prompt, or edit one") },
  { "render", peel_cli_render, N_("Make a node’s turn again at a larger size, beside it") },
  { "models", peel_cli_models, N_("List the image models the service offers, with prices") },
  { "log", peel_cli_log, N_("Print a session's history as a tree") },
  { "export", peel_cli_export, N_("Export a node of a session as a PNG with its lineage") },
  { "show", peel_cli_show, N_("Print the Peel metadata of a PNG file") },
  { NULL, NULL, NULL }
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: peel-cli COMMAND [OPTION…]"));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; commands[i].name != NULL; i++)
    fprintf (out, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run “peel-cli COMMAND --help” for the options of a command."));
  fprintf (out, "\n%s\n", _("Exit status: 0 done; 2 bad usage or input; 3 the service refused or "
                            "blocked the request; 4 network or server failure after retries, or "
                            "too slow; 5 could not save (the image, if one came, is kept in "
                            "$XDG_CACHE_HOME/peel/unsaved/); 130 interrupted."));
}

/* Everything peel-cli prints with g_print() and g_printerr() passes here, so no text from a
 * file or a server (a prompt, a PNG keyword, the model's words, an error message) reaches
 * the terminal with its ESC sequences, BEL, BiDi overrides or broken UTF-8. JSON output is
 * unchanged in meaning: json-glib already writes C0 controls as \u00XX, and the rest become
 * the same \uXXXX escapes. The CLI's own codes (progress line, dim thoughts) go out with
 * fputs() instead. */
static void
print_escaped_cb (const char *text)
{
  g_autofree char *safe = peel_text_escape_for_terminal (text, -1);

  fputs (safe, stdout);
  fflush (stdout);
}

static void
printerr_escaped_cb (const char *text)
{
  g_autofree char *safe = peel_text_escape_for_terminal (text, -1);

  fputs (safe, stderr);
  fflush (stderr);
}

int
main (int   argc,
      char *argv[])
{
  peel_memory_init ();
  g_set_print_handler (print_escaped_cb);
  g_set_printerr_handler (printerr_escaped_cb);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return PEEL_CLI_EXIT_USAGE;
    }

  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return PEEL_CLI_EXIT_OK;
    }

  if (strcmp (argv[1], "--version") == 0)
    {
      g_print ("peel-cli %s\n", PACKAGE_VERSION);
      return PEEL_CLI_EXIT_OK;
    }

  for (guint i = 0; commands[i].name != NULL; i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  /* Translators: %s is what the user typed in place of a command */
  g_printerr (_("peel-cli: “%s” is not a command.\n\n"), argv[1]);
  print_usage (stderr);
  return PEEL_CLI_EXIT_USAGE;
}

/**
 * peel_cli_usage_error:
 * @command: the subcommand, e.g. "generate"
 * @option: (nullable): the option at fault
 * @format: what is wrong and what to do, printf-style
 *
 * Says on stderr what is wrong with how a command was called.
 *
 * Returns: %PEEL_CLI_EXIT_USAGE
 */
int
peel_cli_usage_error (const char *command,
                      const char *option,
                      const char *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (option != NULL)
    g_printerr ("peel-cli %s: %s: %s\n", command, option, message);
  else
    g_printerr ("peel-cli %s: %s\n", command, message);
  return PEEL_CLI_EXIT_USAGE;
}
