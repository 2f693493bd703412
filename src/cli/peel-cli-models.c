/* peel-cli-models.c
 *
 * `peel-cli models`: the image models the service serves today (its ListModels), with what
 * each takes and costs from the catalogue. When the list cannot be had, the catalogue's own
 * models, said so on stderr and in the JSON.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "peel-cli.h"
#include "peel-connection.h"
#include "peel-demo-server.h"
#include "peel-gemini-client.h"
#include "peel-gemini-error.h"
#include "peel-model-catalog.h"

typedef struct
{
  gboolean          demo;
  char             *base_url;
  char             *provider_name;
  char             *auth;
  gboolean          json;

  GMainLoop        *loop;
  PeelConnection   *connection;
  PeelProvider     *provider;
  PeelGeminiClient *client;
  GPtrArray        *ids;
  GError           *error;
} Models;

static void
models_clear (Models *m)
{
  g_free (m->base_url);
  g_free (m->provider_name);
  g_free (m->auth);
  g_clear_pointer (&m->loop, g_main_loop_unref);
  g_clear_object (&m->client);
  g_clear_object (&m->connection);
  g_clear_object (&m->provider);
  g_clear_pointer (&m->ids, g_ptr_array_unref);
  g_clear_error (&m->error);
}

static int
usage_error (const char *message)
{
  g_printerr ("peel-cli models: %s\n", message);
  return PEEL_CLI_EXIT_USAGE;
}

/* --demo's server takes only the key "demo". */
static GObject *
start_demo_cb (gpointer   user_data,
               char     **base_url,
               GError   **error)
{
  g_autoptr(PeelDemoServer) server = peel_demo_server_new ();

  peel_demo_server_set_api_key (server, "demo");
  if (!peel_demo_server_start (server, 0, error))
    return NULL;

  *base_url = g_strdup (peel_demo_server_get_base_url (server));
  return G_OBJECT (g_steal_pointer (&server));
}

static int
make_provider (Models *m)
{
  g_autoptr(GError) error = NULL;
  PeelAuthStyle style = PEEL_AUTH_STYLE_GOOG_API_KEY;
  const char *name = "Google";
  const char *base_url = PEEL_GOOGLE_BASE_URL;

  if (m->auth != NULL)
    {
      if (g_ascii_strcasecmp (m->auth, "bearer") == 0)
        style = PEEL_AUTH_STYLE_BEARER;
      else if (g_ascii_strcasecmp (m->auth, "x-goog-api-key") != 0)
        return usage_error (_("--auth: use x-goog-api-key or bearer."));
    }

  if (m->demo && m->base_url != NULL)
    return usage_error (_("use either --demo or --base-url, not both."));

  m->connection = peel_connection_new (start_demo_cb, NULL, NULL);
  if (m->demo)
    {
      if (!peel_connection_open_demo (m->connection, NULL, &error))
        {
          g_printerr (_("peel-cli models: the demo server could not start: %s\n"),
                      error->message);
          return PEEL_CLI_EXIT_FAILURE;
        }
      return PEEL_CLI_EXIT_OK;
    }
  else if (m->base_url != NULL)
    {
      name = NULL;
      base_url = m->base_url;
    }
  else if (m->provider_name != NULL && g_ascii_strcasecmp (m->provider_name, "cometapi") == 0)
    {
      name = "CometAPI";
      base_url = PEEL_COMETAPI_BASE_URL;
    }
  else if (m->provider_name != NULL && g_ascii_strcasecmp (m->provider_name, "google") != 0)
    return usage_error (_("--provider: use google or cometapi."));

  m->provider = peel_provider_new (name, base_url, style, &error);
  if (m->provider == NULL)
    return usage_error (error->message);

  return PEEL_CLI_EXIT_OK;
}

static char *
join_ratios (PeelModelFamily family)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < PEEL_N_ASPECT_RATIOS; i++)
    if (peel_model_supports_ratio (family, peel_aspect_ratio_get_name (i)))
      g_string_append_printf (list, "%s%s", list->len > 0 ? " " : "",
                              peel_aspect_ratio_get_name (i));

  return g_string_free (g_steal_pointer (&list), FALSE);
}

static void
print_text (GPtrArray *ids)
{
  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      PeelModelFamily family = peel_model_family_for_id (id);
      g_autofree char *name = peel_model_dup_display_name (id);
      g_autofree char *ratios = join_ratios (family);
      g_autoptr(GString) sizes = g_string_new (NULL);

      for (PeelImageSize s = 0; s < PEEL_N_IMAGE_SIZES; s++)
        {
          double price = peel_model_price_per_image (family, s);
          double batch = peel_model_batch_price_per_image (family, s);

          if (!peel_model_supports_size (family, s))
            continue;
          g_string_append_printf (sizes, "%s%s", sizes->len > 0 ? ", " : "",
                                  peel_image_size_to_string (s));
          if (price >= 0 && batch >= 0)
            /* Translators: a price per image, then the Batch API's */
            g_string_append_printf (sizes, _(" $%.3f (Batch $%.3f)"), price, batch);
          else if (price >= 0)
            g_string_append_printf (sizes, " $%.3f", price);
        }

      g_print ("%s  %s\n", id, name);
      g_print ("  %s %s\n", _("Ratios:"), ratios);
      g_print ("  %s %s\n", _("Sizes:"), sizes->str);
      g_print ("  %s %u%s\n", _("Reference images: up to"), peel_model_max_input_images (family),
               peel_model_supports_search (family) ? _("; Search grounding") : "");
    }
}

static void
print_json (GPtrArray  *ids,
            const char *source)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, source);
  json_builder_set_member_name (b, "models");
  json_builder_begin_array (b);
  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      const PeelModelInfo *info = peel_model_lookup (id);
      PeelModelFamily family = peel_model_family_for_id (id);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, id);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, info != NULL ? info->display_name : id);
      json_builder_set_member_name (b, "known");
      json_builder_add_boolean_value (b, info != NULL);
      json_builder_set_member_name (b, "ratios");
      json_builder_begin_array (b);
      for (guint r = 0; r < PEEL_N_ASPECT_RATIOS; r++)
        if (peel_model_supports_ratio (family, peel_aspect_ratio_get_name (r)))
          json_builder_add_string_value (b, peel_aspect_ratio_get_name (r));
      json_builder_end_array (b);
      json_builder_set_member_name (b, "sizes");
      json_builder_begin_array (b);
      for (PeelImageSize s = 0; s < PEEL_N_IMAGE_SIZES; s++)
        {
          double price = peel_model_price_per_image (family, s);
          double batch = peel_model_batch_price_per_image (family, s);

          if (!peel_model_supports_size (family, s))
            continue;
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "size");
          json_builder_add_string_value (b, peel_image_size_to_string (s));
          json_builder_set_member_name (b, "price");
          if (price >= 0)
            json_builder_add_double_value (b, price);
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "batch_price");
          if (batch >= 0)
            json_builder_add_double_value (b, batch);
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "max_reference_images");
      json_builder_add_int_value (b, peel_model_max_input_images (family));
      json_builder_set_member_name (b, "search");
      json_builder_add_boolean_value (b, peel_model_supports_search (family));
      json_builder_set_member_name (b, "thinking_level");
      json_builder_add_boolean_value (b, peel_model_supports_thinking_level (family));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  peel_cli_print_json (root, TRUE);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Models *m = user_data;

  m->ids = peel_gemini_client_list_models_finish (PEEL_GEMINI_CLIENT (object), result,
                                                  &m->error);
  g_main_loop_quit (m->loop);
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Models *m = user_data;

  /* Without a key the service answers for itself: a refusal is printed as such. */
  m->client = peel_connection_open_finish (PEEL_CONNECTION (object), result, NULL);
  g_main_loop_quit (m->loop);
}

int
peel_cli_models (int    argc,
                 char **argv)
{
  Models m = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelGeminiClient) client = NULL;
  g_autoptr(GPtrArray) offered = NULL;
  const char *source = "service";
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &m.json,
      N_("Print one JSON object, for scripts"), NULL },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &m.demo,
      N_("Ask Peel’s built-in demo server (offline)"), NULL },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &m.base_url,
      N_("Ask this server instead; the key comes from GEMINI_API_KEY"), N_("URL") },
    { "provider", 0, 0, G_OPTION_ARG_STRING, &m.provider_name,
      N_("google (default) or cometapi"), N_("NAME") },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &m.auth,
      N_("How to send the key: x-goog-api-key (default) or bearer"), N_("STYLE") },
    { NULL }
  };

  context = g_option_context_new (_("— list the image models the service offers"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Asks the service for its model list (which costs nothing) and prints its image models "
      "with their aspect ratios, sizes and prices per image. When the list cannot be had, "
      "prints the models Peel knows and says so.\n\n"
      "Exit status: 0 done; 2 bad usage; 3 the key was refused."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      status = usage_error (error->message);
      models_clear (&m);
      return status;
    }
  if (argc > 1)
    {
      status = usage_error (_("this command takes no arguments."));
      models_clear (&m);
      return status;
    }

  if ((status = make_provider (&m)) != PEEL_CLI_EXIT_OK)
    {
      models_clear (&m);
      return status;
    }

  m.loop = g_main_loop_new (NULL, FALSE);
  if (!m.demo)
    {
      /* A custom server never gets the keyring's key. */
      peel_connection_open_async (m.connection, m.provider, NULL,
                                  m.base_url != NULL ? PEEL_KEY_ENVIRONMENT
                                                     : PEEL_KEY_STORED_IF_ANY,
                                  NULL, opened_cb, &m);
      g_main_loop_run (m.loop);
    }

  client = g_object_ref (peel_connection_get_client (m.connection));
  peel_gemini_client_set_timeout (client, 30);
  peel_gemini_client_list_models_async (client, NULL, listed_cb, &m);
  g_main_loop_run (m.loop);

  if (m.ids == NULL)
    {
      /* A refused key is the answer, not something to paper over with the catalogue. */
      if (g_error_matches (m.error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INVALID_KEY) ||
          g_error_matches (m.error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_PERMISSION))
        {
          g_printerr ("peel-cli models: %s\n", m.error->message);
          models_clear (&m);
          return PEEL_CLI_EXIT_REFUSED;
        }
      g_printerr (_("peel-cli models: the service's model list could not be had (%s). These "
                    "are the models Peel knows; the service may offer others.\n"),
                  m.error->message);
      offered = peel_model_dup_offered_ids ();
      source = "catalogue";
    }
  else
    offered = peel_model_filter_offered (m.ids);

  if (m.json)
    print_json (offered, source);
  else
    print_text (offered);

  models_clear (&m);
  return PEEL_CLI_EXIT_OK;
}
