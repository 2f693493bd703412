/* peel-cli-session.c
 *
 * `peel-cli log`, `export` and `show`: a session's tree, a node out as a PNG with its
 * lineage, and the Peel metadata of any PNG.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "peel-cli.h"
#include "peel-export.h"
#include "peel-json-reader.h"
#include "peel-png-meta.h"
#include "peel-session.h"
#include "peel-store.h"

static int
usage_error (GOptionContext *context,
             const char     *command,
             const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("peel-cli %s: %s\n\n%s", command, message, help);
  return PEEL_CLI_EXIT_USAGE;
}

static gboolean
parse (GOptionContext  *context,
       const char      *command,
       int             *argc,
       char          ***argv,
       int             *status)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = usage_error (context, command, error->message);
      return FALSE;
    }
  return TRUE;
}

static PeelSession *
open_session (const char *option_value,
              const char *command,
              int        *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = peel_store_resolve_session (option_value, &error);
  PeelSession *session;

  if (path == NULL)
    {
      /* Translators: the first %s is a command name, the second an error message */
      g_printerr (_("peel-cli %s: --session: %s\n"), command, error->message);
      *status = PEEL_CLI_EXIT_USAGE;
      return NULL;
    }
  session = peel_store_open_session (path, &error);
  if (session == NULL)
    {
      g_printerr (_("peel-cli %s: --session: %s\n"), command, error->message);
      *status = g_error_matches (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_NOT_A_SESSION)
                ? PEEL_CLI_EXIT_USAGE : PEEL_CLI_EXIT_FAILURE;
    }
  return session;
}

static void
print_tree (PeelSession *session,
            PeelNode    *node,
            guint        depth)
{
  GListModel *children = peel_node_get_children (node);
  g_autofree char *size = NULL;
  g_autofree char *indent = g_strnfill (depth * 2, ' ');
  g_autofree char *pad = NULL;
  const char *marks;

  if (peel_node_get_has_image (node))
    size = g_strdup_printf ("%d×%d", peel_node_get_final_width (node),
                            peel_node_get_final_height (node));
  else
    size = g_strdup ("—");
  marks = peel_session_get_current (session) == node ? "*" : " ";
  /* printf pads bytes, not characters: pad "×" and "—" by hand. */
  pad = g_strnfill (MAX (0, 11 - (int) g_utf8_strlen (size, -1)), ' ');
  g_print ("%s%s%s %-7s %s%s %s%s%s", marks, indent, peel_node_get_id (node),
           peel_node_status_to_string (peel_node_get_status (node)), size, pad,
           peel_node_get_starred (node) ? "★ " : "",
           peel_node_get_hidden (node) ? _("(hidden) ") : "",
           peel_node_get_display_title (node));
  if (peel_node_get_status (node) == PEEL_NODE_FAILED)
    g_print ("  [%s: %s]", peel_node_get_error_code (node), peel_node_get_error_message (node));
  g_print ("\n");

  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(PeelNode) child = g_list_model_get_item (children, i);

      print_tree (session, child, depth + 1);
    }
}

static void
print_json (PeelSession *session)
{
  g_autoptr(GPtrArray) nodes = peel_session_dup_nodes (session);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < nodes->len; i++)
    {
      PeelNode *node = g_ptr_array_index (nodes, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, peel_node_get_id (node));
      json_builder_set_member_name (b, "parent");
      if (peel_node_get_parent_id (node))
        json_builder_add_string_value (b, peel_node_get_parent_id (node));
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "prompt");
      json_builder_add_string_value (b, peel_node_get_prompt (node));
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, peel_node_status_to_string (peel_node_get_status (node)));
      json_builder_set_member_name (b, "width");
      json_builder_add_int_value (b, peel_node_get_final_width (node));
      json_builder_set_member_name (b, "height");
      json_builder_add_int_value (b, peel_node_get_final_height (node));
      json_builder_set_member_name (b, "error");
      if (peel_node_get_status (node) == PEEL_NODE_FAILED)
        json_builder_add_string_value (b, peel_node_get_error_message (node));
      else
        json_builder_add_null_value (b);
      /* The branch before it went as the user's own images, without the model's signatures. */
      if (peel_node_get_context_rebuilt (node))
        {
          json_builder_set_member_name (b, "context_rebuilt");
          json_builder_add_boolean_value (b, TRUE);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  peel_cli_print_json (root, TRUE);
}

int
peel_cli_log (int    argc,
              char **argv)
{
  g_autofree char *session_arg = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "session", 's', 0, G_OPTION_ARG_FILENAME, &session_arg,
      N_("The session: its folder, or its name"), N_("DIR") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(PeelSession) session = NULL;
  GListModel *roots;
  int status = PEEL_CLI_EXIT_OK;

  g_option_context_set_summary (context, _("Print a session’s history as a tree."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse (context, "log", &argc, &argv, &status))
    return status;
  if (session_arg == NULL)
    return usage_error (context, "log", _("--session is required"));
  if (argc > 1)
    return usage_error (context, "log", _("unexpected argument"));
  if (!(session = open_session (session_arg, "log", &status)))
    return status;

  if (json)
    {
      print_json (session);
      return PEEL_CLI_EXIT_OK;
    }
  g_print ("%s — %u\n", peel_session_get_name (session), peel_session_get_n_nodes (session));
  roots = peel_session_get_roots (session);
  for (guint i = 0; i < g_list_model_get_n_items (roots); i++)
    {
      g_autoptr(PeelNode) root = g_list_model_get_item (roots, i);

      print_tree (session, root, 0);
    }
  return PEEL_CLI_EXIT_OK;
}

int
peel_cli_export (int    argc,
                 char **argv)
{
  g_autofree char *session_arg = NULL;
  g_autofree char *output = NULL;
  gboolean no_metadata = FALSE;
  GOptionEntry entries[] = {
    { "session", 's', 0, G_OPTION_ARG_FILENAME, &session_arg,
      N_("The session: its folder, or its name"), N_("DIR") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The PNG file to write"),
      N_("FILE") },
    { "no-metadata", 0, 0, G_OPTION_ARG_NONE, &no_metadata,
      N_("Write no prompt or lineage into the PNG"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("NODE"));
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  PeelNode *node;
  int status = PEEL_CLI_EXIT_OK;

  g_option_context_set_summary (context, _("Export a node of a session as a PNG with its "
                                           "lineage. NODE is an id, the start of one, or "
                                           "“current”."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse (context, "export", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return usage_error (context, "export", _("give exactly one NODE"));
  if (session_arg == NULL)
    return usage_error (context, "export", _("--session is required"));
  if (output == NULL)
    return usage_error (context, "export", _("--output is required"));
  if (!peel_export_check_output (output, NULL, &error))
    {
      g_printerr (_("peel-cli export: --output: %s\n"), error->message);
      return PEEL_CLI_EXIT_USAGE;
    }
  if (!(session = open_session (session_arg, "export", &status)))
    return status;

  if (g_str_equal (argv[1], "current"))
    node = peel_session_get_current (session);
  else
    node = peel_session_find_node (session, argv[1]);
  if (node == NULL)
    {
      g_printerr (_("peel-cli export: NODE: “%s” is not a node of session “%s” (see "
                    "“peel-cli log --session %s”).\n"), argv[1], peel_session_get_name (session),
                  session_arg);
      return PEEL_CLI_EXIT_USAGE;
    }
  if (!peel_node_get_has_image (node))
    {
      g_printerr (_("peel-cli export: NODE: node %s has no image (status: %s).\n"),
                  peel_node_get_id (node),
                  peel_node_status_to_string (peel_node_get_status (node)));
      return PEEL_CLI_EXIT_USAGE;
    }
  png = peel_export_node_png (node, no_metadata ? PEEL_EXPORT_NO_METADATA : PEEL_EXPORT_DEFAULT,
                              &error);
  if (png == NULL)
    {
      g_printerr (_("peel-cli export: NODE: the image of node %s: %s\n"),
                  peel_node_get_id (node), error->message);
      return PEEL_CLI_EXIT_FAILURE;
    }
  if (!peel_export_write_file (output, png, &error))
    {
      g_printerr (_("peel-cli export: --output: %s\n"), error->message);
      return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE)
             ? PEEL_CLI_EXIT_USAGE : PEEL_CLI_EXIT_FAILURE;
    }
  return PEEL_CLI_EXIT_OK;
}

static void
print_lineage (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  /* Bounded: a lineage nested 100 000 levels deep is reported, not recursed into. */
  root = peel_json_reader_parse (json, -1, PEEL_JSON_MAX_TEXT_BYTES, &error);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_autofree char *why = error != NULL ? g_strdup (error->message)
                                           : g_strdup (_("The text is not a list of turns."));

      g_print ("%-18s ", "peel:lineage");
      /* Translators: %s says why, e.g. "The text is nested more than 64 levels deep…" */
      g_print (_("(not read: %s)\n"), why);
      return;
    }
  array = json_node_get_array (root);
  g_print ("%s\n", _("Lineage:"));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      JsonObject *o;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      o = json_node_get_object (item);
      g_print ("  %2u. %s  [%s, %s, %s]\n", i + 1,
               json_object_get_string_member_with_default (o, "prompt", ""),
               json_object_get_string_member_with_default (o, "model", "?"),
               json_object_get_string_member_with_default (o, "aspectRatio", "auto"),
               json_object_get_string_member_with_default (o, "size", "?"));
    }
}

int
peel_cli_show (int    argc,
               char **argv)
{
  static const char *order[] = {
    "Title", "prompt", "peel:model", "peel:aspect-ratio", "peel:size", "peel:version",
    "Software", "parameters",
  };
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE.png"));
  g_autoptr(GHashTable) meta = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) keys = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GPtrArray) too_large = NULL;
  g_autofree char *limit = g_format_size (PEEL_PNG_TEXT_MAX_BYTES);
  const char *lineage;
  int status = PEEL_CLI_EXIT_OK;

  g_option_context_set_summary (context, _("Print the Peel metadata of a PNG file."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse (context, "show", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return usage_error (context, "show", _("give exactly one FILE.png"));

  file = g_file_new_for_commandline_arg (argv[1]);
  /* A FIFO would hold show forever and /dev/zero would fill the memory. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, &error);
  if (info != NULL && g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_printerr (_("peel-cli show: FILE: “%s” is not a regular file.\n"), argv[1]);
      return PEEL_CLI_EXIT_USAGE;
    }
  if (info != NULL)
    bytes = g_file_load_bytes (file, NULL, NULL, &error);
  if (bytes == NULL)
    {
      g_printerr ("peel-cli show: FILE: %s\n", error->message);
      return PEEL_CLI_EXIT_USAGE;
    }
  meta = peel_export_read_metadata_full (bytes, &too_large, &error);
  if (meta == NULL)
    {
      g_printerr ("peel-cli show: FILE: %s: %s\n", argv[1], error->message);
      return PEEL_CLI_EXIT_USAGE;
    }
  if (!g_hash_table_contains (meta, "peel:version") && !g_hash_table_contains (meta, "prompt") &&
      !g_ptr_array_find_with_equal_func (too_large, "peel:lineage", g_str_equal, NULL))
    {
      g_printerr (_("peel-cli show: %s has no Peel metadata.\n"), argv[1]);
      return PEEL_CLI_EXIT_FAILURE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      const char *value = g_hash_table_lookup (meta, order[i]);

      if (value != NULL && !g_str_equal (order[i], "parameters"))
        g_print ("%-18s %s\n", order[i], value);
    }
  if ((lineage = g_hash_table_lookup (meta, "peel:lineage")))
    print_lineage (lineage);
  for (guint i = 0; i < too_large->len; i++)
    {
      g_print ("%-18s ", (const char *) g_ptr_array_index (too_large, i));
      /* Translators: %s is a size such as "4.2 MB" */
      g_print (_("(not read: the text is larger than %s)\n"), limit);
    }
  keys = g_hash_table_get_keys (meta);
  keys = g_list_sort (keys, (GCompareFunc) g_strcmp0);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      gboolean known = g_str_equal (l->data, "peel:lineage") ||
                       g_str_equal (l->data, "parameters");

      for (guint i = 0; i < G_N_ELEMENTS (order); i++)
        known |= g_str_equal (l->data, order[i]);
      if (!known)
        g_print ("%-18s %s\n", (const char *) l->data,
                 (const char *) g_hash_table_lookup (meta, l->data));
    }
  return PEEL_CLI_EXIT_OK;
}
