/* peel-demo-server-models.c
 *
 * The demo server's models, as Google serves them today: ListModels (paged), GetModel, and
 * the 404 a shut-down id gets, in Google's words. What it serves comes from the catalogue; a
 * test may serve other ids (a text model, an image model Peel does not know yet), keep
 * shut-down ids as aliases the way some proxies do, or have no ListModels at all.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-demo-server-private.h"

/* Small pages, so that every client of the demo has to follow nextPageToken. */
#define DEFAULT_PAGE_SIZE 2
#define MAX_PAGE_SIZE     1000

struct _PeelDemoModels
{
  GPtrArray *ids;             /* what the server serves, in ListModels order */
  guint      page_size;       /* the most per page, whatever the client asks */
  gboolean   keep_shut_down;  /* answer for shut-down ids, as a proxy keeping aliases */
  gboolean   no_list;         /* no ListModels or GetModel, as some proxies */
};

PeelDemoModels *
peel_demo_models_new (void)
{
  PeelDemoModels *models = g_new0 (PeelDemoModels, 1);

  models->page_size = DEFAULT_PAGE_SIZE;
  peel_demo_models_set_ids (models, NULL);
  return models;
}

void
peel_demo_models_free (PeelDemoModels *models)
{
  if (models == NULL)
    return;

  g_clear_pointer (&models->ids, g_ptr_array_unref);
  g_free (models);
}

/* NULL: the catalogue's served models. */
void
peel_demo_models_set_ids (PeelDemoModels     *models,
                          const char * const *ids)
{
  g_clear_pointer (&models->ids, g_ptr_array_unref);

  if (ids == NULL)
    {
      models->ids = peel_model_dup_offered_ids ();
      return;
    }

  models->ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (models->ids, g_strdup (ids[i]));
}

void
peel_demo_models_set_page_size (PeelDemoModels *models,
                                guint           page_size)
{
  models->page_size = CLAMP (page_size, 1, MAX_PAGE_SIZE);
}

void
peel_demo_models_set_keep_shut_down (PeelDemoModels *models,
                                     gboolean        keep)
{
  models->keep_shut_down = keep;
}

void
peel_demo_models_set_list (PeelDemoModels *models,
                           gboolean        list)
{
  models->no_list = !list;
}

static gboolean
serves (PeelDemoModels *models,
        const char     *id)
{
  for (guint i = 0; i < models->ids->len; i++)
    if (strcmp (g_ptr_array_index (models->ids, i), id) == 0)
      return TRUE;

  return models->keep_shut_down && peel_model_is_shut_down (id);
}

/**
 * peel_demo_models_refuse:
 * @model: the id of a generateContent request
 * @status: (out): the HTTP status to answer with
 *
 * Returns: (nullable): Google's error body for a model it does not serve, or %NULL
 */
GBytes *
peel_demo_models_refuse (PeelDemoModels *models,
                         const char     *model,
                         guint          *status)
{
  if (serves (models, model))
    return NULL;

  *status = 404;
  return peel_demo_error_printf (404, "NOT_FOUND",
                                 "models/%s is not found for API version v1beta, or is not "
                                 "supported for generateContent. Call ListModels to see the "
                                 "list of available models and their supported methods.",
                                 model);
}

static void
add_model (JsonBuilder *b,
           const char  *id)
{
  const PeelModelInfo *info = peel_model_lookup (id);
  gboolean image = peel_model_id_is_image (id);
  g_autofree char *name = g_strconcat ("models/", id, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, "001");
  json_builder_set_member_name (b, "displayName");
  json_builder_add_string_value (b, info != NULL ? info->display_name : id);
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, image ? "Served by Peel's offline demo: it draws "
                                            "placeholder images on this computer."
                                          : "Served by Peel's offline demo.");
  json_builder_set_member_name (b, "inputTokenLimit");
  json_builder_add_int_value (b, 131072);
  json_builder_set_member_name (b, "outputTokenLimit");
  json_builder_add_int_value (b, 32768);
  json_builder_set_member_name (b, "supportedGenerationMethods");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "generateContent");
  json_builder_add_string_value (b, "countTokens");
  json_builder_add_string_value (b, "batchGenerateContent");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "thinking");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_end_object (b);
}

static GBytes *
to_bytes (JsonBuilder *b)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  gsize len;
  char *text;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

/* The page token is opaque to clients; here it is the offset, so that a forged or stale one
 * can be refused as Google refuses them. */
static GBytes *
list_models (PeelDemoModels *models,
             GHashTable     *query,
             guint          *status)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *size_text = query ? g_hash_table_lookup (query, "pageSize") : NULL;
  const char *token = query ? g_hash_table_lookup (query, "pageToken") : NULL;
  guint64 page_size = models->page_size;
  guint64 offset = 0;
  guint end;

  if (size_text != NULL && *size_text != '\0')
    {
      guint64 asked;

      if (!g_ascii_string_to_unsigned (size_text, 10, 0, G_MAXINT32, &asked, NULL))
        {
          *status = 400;
          return peel_demo_error_printf (400, "INVALID_ARGUMENT",
                                         "Invalid value at 'page_size' (TYPE_INT32), \"%.40s\"",
                                         size_text);
        }
      if (asked > 0)
        page_size = MIN (asked, models->page_size);
    }

  if (token != NULL && *token != '\0' &&
      (!g_str_has_prefix (token, "demo-page-") ||
       !g_ascii_string_to_unsigned (token + strlen ("demo-page-"), 10, 1, models->ids->len,
                                    &offset, NULL)))
    {
      *status = 400;
      return peel_demo_error_printf (400, "INVALID_ARGUMENT", "Invalid page token.");
    }

  end = MIN (models->ids->len, offset + page_size);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "models");
  json_builder_begin_array (b);
  for (guint i = offset; i < end; i++)
    add_model (b, g_ptr_array_index (models->ids, i));
  json_builder_end_array (b);
  if (end < models->ids->len)
    {
      g_autofree char *next = g_strdup_printf ("demo-page-%u", end);

      json_builder_set_member_name (b, "nextPageToken");
      json_builder_add_string_value (b, next);
    }
  json_builder_end_object (b);

  *status = 200;
  return to_bytes (b);
}

static GBytes *
get_model (PeelDemoModels *models,
           const char     *id,
           guint          *status)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (!serves (models, id))
    {
      *status = 404;
      return peel_demo_error_printf (404, "NOT_FOUND", "Model is not found: models/%s for API "
                                     "version v1beta", id);
    }

  add_model (b, id);
  *status = 200;
  return to_bytes (b);
}

/**
 * peel_demo_models_answer:
 * @path: a path under /v1beta/models without a ":method"
 * @status: (out): the HTTP status to answer with
 *
 * Returns: the body of the answer to ListModels (`/v1beta/models`) or GetModel
 *   (`/v1beta/models/ID`): a page of models, one model, or an error
 */
GBytes *
peel_demo_models_answer (PeelDemoModels *models,
                         const char     *path,
                         GHashTable     *query,
                         guint          *status)
{
  if (models->no_list)
    {
      *status = 404;
      return peel_demo_error_printf (404, "NOT_FOUND", "The requested URL %s was not found on "
                                     "this server.", path);
    }

  if (strcmp (path, "/v1beta/models") == 0 || strcmp (path, "/v1beta/models/") == 0)
    return list_models (models, query, status);

  return get_model (models, path + strlen ("/v1beta/models/"), status);
}
