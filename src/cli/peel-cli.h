/* peel-cli.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Exit statuses, as documented in `peel-cli --help`. */
enum
{
  PEEL_CLI_EXIT_OK = 0,
  PEEL_CLI_EXIT_FAILURE = 1,
  PEEL_CLI_EXIT_USAGE = 2,
  PEEL_CLI_EXIT_REFUSED = 3,
  PEEL_CLI_EXIT_NETWORK = 4,
  PEEL_CLI_EXIT_NOT_SAVED = 5,
  PEEL_CLI_EXIT_INTERRUPTED = 130,
};

/* Each command parses its own options from argv (argv[0] is the command name). */
int peel_cli_demo_server (int argc, char **argv);
int peel_cli_generate    (int argc, char **argv);
int peel_cli_log         (int argc, char **argv);
int peel_cli_models      (int argc, char **argv);
int peel_cli_render      (int argc, char **argv);
int peel_cli_export      (int argc, char **argv);
int peel_cli_show        (int argc, char **argv);

void   peel_cli_print_json  (JsonNode *root,
                             gboolean  pretty);
double peel_cli_round_money (double    dollars);
int    peel_cli_usage_error (const char *command,
                             const char *option,
                             const char *format,
                             ...) G_GNUC_PRINTF (3, 4);

G_END_DECLS
