/* peel-gemini-client-models.c
 *
 * ListModels: what the service serves today, every page of it. Costs nothing, so it is also
 * how Preferences checks a key. A proxy may not have it; the caller then falls back to the
 * catalogue and never to an empty list.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "peel-gemini-client-private.h"
#include "peel-gemini-error.h"
#include "peel-json-reader.h"

/* A page of model descriptions is tens of kilobytes; a list of a thousand models a few MB. */
#define MAX_PAGE_BYTES  (4 * 1024 * 1024)
#define MAX_PAGES       50
#define READ_SIZE       (16 * 1024)
#define PAGE_SIZE       "1000"

typedef struct
{
  char        *url;           /* the current page's address */
  char        *host;
  char        *token;         /* the page token that led here, or NULL */
  GHashTable  *seen_tokens;
  GPtrArray   *ids;
  guint        pages;

  SoupMessage  *msg;
  GInputStream *input;
  GByteArray   *body;
} ListModels;

static void
list_models_free (ListModels *list)
{
  g_free (list->url);
  g_free (list->host);
  g_free (list->token);
  g_clear_pointer (&list->seen_tokens, g_hash_table_unref);
  g_clear_pointer (&list->ids, g_ptr_array_unref);
  g_clear_object (&list->msg);
  g_clear_object (&list->input);
  g_clear_pointer (&list->body, g_byte_array_unref);
  g_free (list);
}

static void fetch_page (GTask *task);

static void
fail (GTask  *task,
      GError *error)
{
  ListModels *list = g_task_get_task_data (task);

  g_clear_object (&list->input);
  g_task_return_error (task, error);
}

static JsonObject *
page_root (ListModels  *list,
           JsonParser  *parser,
           GError     **error)
{
  JsonNode *root;

  /* The bounded reader's depth check first; the page's size is capped as it is read. */
  if (!peel_json_reader_scan ((const char *) list->body->data, list->body->len, MAX_PAGE_BYTES,
                              0, NULL, NULL, NULL) ||
      !json_parser_load_from_data (parser, (const char *) list->body->data, list->body->len,
                                   NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                   _("%s answered the model list with something that is not a list of "
                     "models. Check the provider's address in Preferences."), list->host);
      return NULL;
    }

  return json_node_get_object (root);
}

/* Reads one page's models into the list; returns the next page's token, or NULL. */
static gboolean
read_page (ListModels  *list,
           char       **next_token,
           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *root;
  JsonNode *models;
  JsonNode *token;

  *next_token = NULL;
  if ((root = page_root (list, parser, error)) == NULL)
    return FALSE;

  models = json_object_get_member (root, "models");
  if (models != NULL && JSON_NODE_HOLDS_ARRAY (models))
    {
      JsonArray *array = json_node_get_array (models);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonNode *name;
          const char *id;

          if (!JSON_NODE_HOLDS_OBJECT (node) ||
              (name = json_object_get_member (json_node_get_object (node), "name")) == NULL ||
              !JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING)
            continue;

          id = json_node_get_string (name);
          if (g_str_has_prefix (id, "models/"))
            id += strlen ("models/");
          /* An id goes into URLs and labels: only the characters model ids are made of. */
          if (*id == '\0' || strlen (id) > 200 ||
              id[strspn (id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                             "-._")] != '\0')
            continue;
          g_ptr_array_add (list->ids, g_strdup (id));
        }
    }
  else if (models != NULL && !JSON_NODE_HOLDS_NULL (models))
    {
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                   _("%s answered the model list with something that is not a list of "
                     "models. Check the provider's address in Preferences."), list->host);
      return FALSE;
    }

  token = json_object_get_member (root, "nextPageToken");
  if (token != NULL && JSON_NODE_HOLDS_VALUE (token) &&
      json_node_get_value_type (token) == G_TYPE_STRING &&
      *json_node_get_string (token) != '\0')
    *next_token = g_strdup (json_node_get_string (token));

  return TRUE;
}

static void
page_done (GTask *task)
{
  PeelGeminiClient *self = g_task_get_source_object (task);
  ListModels *list = g_task_get_task_data (task);
  guint status = soup_message_get_status (list->msg);
  g_autofree char *next = NULL;
  GError *error = NULL;

  if (status != SOUP_STATUS_OK)
    {
      peel_gemini_error_set_from_http (&error, status, (const char *) list->body->data,
                                       list->body->len, NULL, NULL);
      if (error == NULL)
        error = g_error_new (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_SERVER,
                             _("%s answered with HTTP %u."), list->host, status);
      if (self->api_key != NULL && *self->api_key != '\0' &&
          strstr (error->message, self->api_key) != NULL)
        {
          g_free (error->message);
          error->message = g_strdup_printf (_("%s refused the model list (HTTP %u)."),
                                            list->host, status);
        }
      fail (task, error);
      return;
    }

  if (!read_page (list, &next, &error))
    {
      fail (task, error);
      return;
    }

  if (next == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&list->ids),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  /* A server that hands out the same token again, or pages without end, is not followed. */
  if (list->pages >= MAX_PAGES || g_hash_table_contains (list->seen_tokens, next))
    {
      fail (task, g_error_new (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                               _("%s's model list does not end. Check the provider's address "
                                 "in Preferences."), list->host));
      return;
    }

  g_hash_table_add (list->seen_tokens, g_strdup (next));
  g_free (list->token);
  list->token = g_steal_pointer (&next);
  fetch_page (task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListModels *list = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      fail (task, g_error_new (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NETWORK,
                               _("The model list from %s was cut short: %s"), list->host,
                               error->message));
      g_error_free (error);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      g_clear_object (&list->input);
      page_done (task);
      return;
    }

  if (list->body->len + g_bytes_get_size (bytes) > MAX_PAGE_BYTES)
    {
      fail (task, g_error_new (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE,
                               _("%s sent a model list larger than %d MB; Peel stopped "
                                 "reading it."), list->host, MAX_PAGE_BYTES / (1024 * 1024)));
      return;
    }

  g_byte_array_append (list->body, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_input_stream_read_bytes_async (list->input, READ_SIZE, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb,
                                   g_object_ref (task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListModels *list = g_task_get_task_data (task);
  GError *error = NULL;

  list->input = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (list->input == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          fail (task, error);
          return;
        }
      fail (task, g_error_new (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NETWORK,
                               _("Could not reach %s for its model list: %s"), list->host,
                               error->message));
      g_error_free (error);
      return;
    }

  g_input_stream_read_bytes_async (list->input, READ_SIZE, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb,
                                   g_object_ref (task));
}

static void
fetch_page (GTask *task)
{
  PeelGeminiClient *self = g_task_get_source_object (task);
  ListModels *list = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  g_autofree char *url = NULL;

  list->pages++;
  g_clear_pointer (&list->body, g_byte_array_unref);
  list->body = g_byte_array_new ();

  if (list->token != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (list->token, NULL, FALSE);

      url = g_strdup_printf ("%s&pageToken=%s", list->url, escaped);
    }
  else
    url = g_strdup (list->url);

  g_clear_object (&list->msg);
  list->msg = soup_message_new ("GET", url);
  if (list->msg == NULL)
    {
      fail (task, g_error_new (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INVALID_REQUEST,
                               _("The provider's address cannot be used. Check it in "
                                 "Preferences.")));
      return;
    }
  /* A redirect would carry the key's header to wherever it points. */
  soup_message_add_flags (list->msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (list->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->api_key != NULL && *self->api_key != '\0')
    {
      if (peel_provider_get_auth_style (self->provider) == PEEL_AUTH_STYLE_BEARER)
        {
          g_autofree char *value = g_strconcat ("Bearer ", self->api_key, NULL);

          soup_message_headers_replace (headers, "Authorization", value);
          memset (value, 0, strlen (value));
        }
      else
        soup_message_headers_replace (headers, "x-goog-api-key", self->api_key);
    }

  soup_session_send_async (self->session, list->msg, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), send_cb, g_object_ref (task));
}

/**
 * peel_gemini_client_list_models_async:
 *
 * Asks the service which models it serves (ListModels), following every page. Nothing is
 * billed, so this is also how a key is checked.
 */
void
peel_gemini_client_list_models_async (PeelGeminiClient    *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  ListModels *list;

  g_return_if_fail (PEEL_IS_GEMINI_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, peel_gemini_client_list_models_async);

  list = g_new0 (ListModels, 1);
  list->url = g_strdup_printf ("%s/v1beta/models?pageSize=" PAGE_SIZE,
                               peel_provider_get_base_url (self->provider));
  uri = g_uri_parse (list->url, G_URI_FLAGS_NONE, NULL);
  list->host = g_strdup (uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri)
                                                                     : _("The service"));
  list->seen_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  list->ids = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, list, (GDestroyNotify) list_models_free);

  fetch_page (task);
}

/**
 * peel_gemini_client_list_models_finish:
 *
 * Returns: (transfer container) (element-type utf8): every model id the service lists
 *   (without "models/"), in its order, image models or not; %NULL with @error set
 */
GPtrArray *
peel_gemini_client_list_models_finish (PeelGeminiClient  *self,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
