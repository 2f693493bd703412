/* peel-cli-json.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "peel-cli.h"

/* json-glib writes every double with 17 significant digits, so a price of $0.045 comes out as
 * 0.044999999999999998. The CLI's JSON is read by people as much as by scripts, so it is
 * written here: the same JSON, with a double in the fewest digits that read back as the value
 * to 15 significant digits. */

static void
append_string (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) (text != NULL ? text : ""); *p; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20 || *p == 0x7f)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_double (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  /* JSON has no NaN or infinity. */
  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  g_ascii_formatd (buffer, sizeof buffer, "%.15g", value);
  g_string_append (out, buffer);
}

static void
append_newline (GString  *out,
                gboolean  pretty,
                guint     depth)
{
  if (!pretty)
    return;
  g_string_append_c (out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static void append_node (GString *out, JsonNode *node, gboolean pretty, guint depth);

static void
append_object (GString    *out,
               JsonObject *object,
               gboolean    pretty,
               guint       depth)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      append_newline (out, pretty, depth + 1);
      append_string (out, name);
      g_string_append (out, pretty ? " : " : ":");
      append_node (out, member, pretty, depth + 1);
    }
  if (!first)
    append_newline (out, pretty, depth);
  g_string_append_c (out, '}');
}

static void
append_array (GString   *out,
              JsonArray *array,
              gboolean   pretty,
              guint      depth)
{
  guint n = json_array_get_length (array);

  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_newline (out, pretty, depth + 1);
      append_node (out, json_array_get_element (array, i), pretty, depth + 1);
    }
  if (n > 0)
    append_newline (out, pretty, depth);
  g_string_append_c (out, ']');
}

static void
append_node (GString  *out,
             JsonNode *node,
             gboolean  pretty,
             guint     depth)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      append_object (out, json_node_get_object (node), pretty, depth);
      break;
    case JSON_NODE_ARRAY:
      append_array (out, json_node_get_array (node), pretty, depth);
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          append_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
        default:
          append_string (out, json_node_get_string (node));
          break;
        }
      break;
    }
}

/**
 * peel_cli_print_json:
 * @root: what to print; the CLI builds it, so its depth is its own
 * @pretty: one member a line, indented, rather than one line
 *
 * Prints @root and a newline, numbers as a person reads them.
 */
void
peel_cli_print_json (JsonNode *root,
                     gboolean  pretty)
{
  g_autoptr(GString) out = g_string_new (NULL);

  append_node (out, root, pretty, 0);
  g_string_append_c (out, '\n');
  g_print ("%s", out->str);
}

/**
 * peel_cli_round_money:
 * @dollars: an amount in US dollars
 *
 * Rounds @dollars as a person reads a price: to a tenth of a cent, or to two significant
 * digits below that ("0.045", "0.24", "0.00031"). Not a number or negative is 0.
 */
double
peel_cli_round_money (double dollars)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!(dollars > 0) || !isfinite (dollars))
    return 0;
  if (dollars < 0.001)
    g_ascii_formatd (buffer, sizeof buffer, "%.1e", dollars);
  else
    g_ascii_formatd (buffer, sizeof buffer, "%.3f", dollars);
  return g_ascii_strtod (buffer, NULL);
}
