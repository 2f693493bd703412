/* peel-board-places.c
 *
 * Where the designer dragged cards on the board, kept beside the session as board.json:
 *
 *   { "version": 1, "places": { "NODE-ID": [x, y], … } }
 *
 * Only cards that were moved are listed; the rest follow the tree. The file is read with the
 * bounded reader (no symlinks, no FIFOs, at most a megabyte, depth checked first) and a damaged
 * or strange one is ignored: the board falls back to the tree's layout and says nothing is lost,
 * because nothing is (the turns are in session.json). It is written whole to a temporary file
 * and renamed over the old one, in a thread.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "peel-board-places.h"
#include "peel-json-reader.h"

GHashTable *
peel_board_places_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static gboolean
valid_id (const char *id)
{
  gsize len = strlen (id);

  if (len == 0 || len > PEEL_BOARD_PLACES_MAX_ID)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static gboolean
read_coord (JsonArray *array,
            guint      index,
            double    *out)
{
  JsonNode *node = json_array_get_element (array, index);
  double value;

  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return FALSE;
  if (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  value = json_node_get_double (node);
  if (!isfinite (value) || fabs (value) > PEEL_BOARD_PLACES_MAX_COORD)
    return FALSE;
  *out = value;
  return TRUE;
}

/**
 * peel_board_places_load:
 * @session_dir: the session's folder
 *
 * Returns: (transfer full) (nullable): node id → #PeelBoardPlace; empty when the session has
 *   no board.json yet, %NULL with @error set when the file is there but cannot be used
 */
GHashTable *
peel_board_places_load (const char  *session_dir,
                        GError     **error)
{
  g_autofree char *path = g_build_filename (session_dir, PEEL_BOARD_PLACES_FILE, NULL);
  g_autoptr(GHashTable) places = peel_board_places_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object, *map;
  JsonObjectIter iter;
  const char *id;
  JsonNode *value;

  root = peel_json_reader_load_file (path, PEEL_JSON_MAX_META_BYTES, &local_error);
  if (root == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return g_steal_pointer (&places);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  if (object == NULL || json_object_get_int_member_with_default (object, "version", 0) != 1 ||
      !json_object_has_member (object, "places") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "places")))
    {
      g_set_error (error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_INVALID,
                   _("The board’s card places in “%s” are not in a form Peel knows; the board "
                     "shows the cards as the tree lays them out."), path);
      return NULL;
    }

  map = json_object_get_object_member (object, "places");
  json_object_iter_init (&iter, map);
  while (json_object_iter_next (&iter, &id, &value))
    {
      PeelBoardPlace place;
      JsonArray *array;

      /* One bad entry costs that card its place, not the others theirs. */
      if (!valid_id (id) || !JSON_NODE_HOLDS_ARRAY (value))
        continue;
      array = json_node_get_array (value);
      if (json_array_get_length (array) != 2 || !read_coord (array, 0, &place.x) ||
          !read_coord (array, 1, &place.y))
        continue;
      if (g_hash_table_size (places) >= PEEL_BOARD_PLACES_MAX_CARDS)
        break;
      g_hash_table_insert (places, g_strdup (id), g_memdup2 (&place, sizeof place));
    }

  return g_steal_pointer (&places);
}

/**
 * peel_board_places_to_json:
 *
 * Returns: (transfer full): board.json's text for @places, ids in order
 */
char *
peel_board_places_to_json (GHashTable *places)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree const char **ids = NULL;
  guint n = 0;

  ids = (const char **) g_hash_table_get_keys_as_array (places, &n);
  g_qsort_with_data (ids, n, sizeof (char *), (GCompareDataFunc) g_strcmp0, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "places");
  json_builder_begin_object (builder);
  for (guint i = 0; i < n; i++)
    {
      PeelBoardPlace *place = g_hash_table_lookup (places, ids[i]);

      json_builder_set_member_name (builder, ids[i]);
      json_builder_begin_array (builder);
      json_builder_add_double_value (builder, round (place->x * 10) / 10);
      json_builder_add_double_value (builder, round (place->y * 10) / 10);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static gboolean
write_json (const char  *session_dir,
            const char  *json,
            GError     **error)
{
  g_autofree char *path = g_build_filename (session_dir, PEEL_BOARD_PLACES_FILE, NULL);
  g_autoptr(GError) local_error = NULL;

  /* A temporary file renamed over the old one: a crash leaves the old places or the new. */
  if (!g_file_set_contents_full (path, json, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0644, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not save where the cards are on the board: %s. The turns themselves "
                     "are saved; free some space or check the folder’s permissions, then move a "
                     "card again."), local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
peel_board_places_save (const char  *session_dir,
                        GHashTable  *places,
                        GError     **error)
{
  g_autofree char *json = peel_board_places_to_json (places);

  return write_json (session_dir, json, error);
}

typedef struct
{
  char *dir;
  char *json;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_free (job->dir);
  g_free (job->json);
  g_free (job);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveJob *job = task_data;
  GError *error = NULL;

  if (write_json (job->dir, job->json, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * peel_board_places_save_async:
 *
 * Writes @places (copied now) to the session's board.json in a thread.
 */
void
peel_board_places_save_async (const char          *session_dir,
                              GHashTable          *places,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  SaveJob *job = g_new0 (SaveJob, 1);

  g_task_set_source_tag (task, peel_board_places_save_async);
  job->dir = g_strdup (session_dir);
  job->json = peel_board_places_to_json (places);
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
peel_board_places_save_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
