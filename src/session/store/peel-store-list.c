/* peel-store-list.c
 *
 * Sessions as folders: the list (read from each small meta.json, never from the snapshot),
 * rename, duplicate, delete to the trash, and a whole session packed into one `.peel` file.
 *
 * A `.peel` archive is a flat container (see docs/session-format.md): the magic
 * "PEELARCH", a big-endian u32 version, then entries of (u32 name length, name, u64 data
 * length, data), ended by a zero name length. Names are checked on import; blobs are checked
 * against their SHA-256.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "peel-json-reader.h"
#include "peel-node-record.h"
#include "peel-store-private.h"

#define ARCHIVE_MAGIC "PEELARCH"
#define ARCHIVE_VERSION 1
#define ARCHIVE_MAX_ENTRY ((guint64) 1 << 31)

void
peel_session_info_free (PeelSessionInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->path);
  g_free (info->name);
  g_free (info->thumbnail);
  g_free (info->image);
  g_free (info);
}

static PeelSessionInfo *
read_info (const char *path)
{
  g_autofree char *meta = g_build_filename (path, "meta.json", NULL);
  g_autofree char *snapshot = g_build_filename (path, "session.json", NULL);
  g_autoptr(JsonNode) document = NULL;
  PeelSessionInfo *info;
  GStatBuf st;

  if (!g_file_test (meta, G_FILE_TEST_EXISTS) && !g_file_test (snapshot, G_FILE_TEST_EXISTS))
    return NULL;

  info = g_new0 (PeelSessionInfo, 1);
  info->path = g_strdup (path);
  info->id = g_path_get_basename (path);
  /* Bounded, and only a regular file: an empty or damaged meta.json leaves the defaults. */
  document = peel_json_reader_load_file (meta, PEEL_JSON_MAX_META_BYTES, NULL);
  if (document != NULL && JSON_NODE_HOLDS_OBJECT (document))
    {
      JsonObject *o = json_node_get_object (document);
      const char *thumb = json_object_get_string_member_with_default (o, "thumbnail", NULL);
      const char *image = json_object_get_string_member_with_default (o, "image", NULL);

      info->name = g_strdup (json_object_get_string_member_with_default (o, "name", NULL));
      info->modified = json_object_get_int_member_with_default (o, "modified", 0);
      info->n_nodes = (guint) json_object_get_int_member_with_default (o, "nodes", 0);
      if (thumb != NULL)
        info->thumbnail = g_build_filename (path, thumb, NULL);
      if (image != NULL)
        info->image = g_build_filename (path, image, NULL);
    }
  if (info->name == NULL)
    info->name = g_strdup (info->id);
  if (info->modified == 0 && g_stat (g_file_test (meta, G_FILE_TEST_EXISTS) ? meta : snapshot,
                                     &st) == 0)
    info->modified = (gint64) st.st_mtime * G_USEC_PER_SEC;
  return info;
}

static gint
compare_modified (gconstpointer a,
                  gconstpointer b)
{
  const PeelSessionInfo *ia = *(PeelSessionInfo * const *) a;
  const PeelSessionInfo *ib = *(PeelSessionInfo * const *) b;

  return (ia->modified < ib->modified) - (ia->modified > ib->modified);
}

/**
 * peel_store_list_sessions:
 * @sessions_dir: (nullable): where sessions live, %NULL for the default
 * @error: return location for an error
 *
 * Reads only each session's meta.json, so listing costs the same whatever their size.
 *
 * Returns: (transfer full) (element-type PeelSessionInfo): the sessions, last changed first
 */
GPtrArray *
peel_store_list_sessions (const char  *sessions_dir,
                          GError     **error)
{
  g_autofree char *default_dir = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                             peel_session_info_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  if (sessions_dir == NULL)
    sessions_dir = default_dir = peel_store_get_default_dir ();

  dir = g_dir_open (sessions_dir, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&out);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (sessions_dir, name, NULL);
      PeelSessionInfo *info;

      if (name[0] == '.' || !g_file_test (path, G_FILE_TEST_IS_DIR))
        continue;
      if ((info = read_info (path)))
        g_ptr_array_add (out, info);
    }
  g_ptr_array_sort (out, compare_modified);
  return g_steal_pointer (&out);
}

/**
 * peel_store_resolve_session:
 * @folder_or_name: a session's folder, or its name or id under the default folder
 * @error: return location for an error
 *
 * Returns: (transfer full): the session's folder
 */
char *
peel_store_resolve_session (const char  *folder_or_name,
                            GError     **error)
{
  g_autoptr(GPtrArray) sessions = NULL;
  g_autofree char *default_dir = peel_store_get_default_dir ();
  g_autofree char *found = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *snapshot = NULL;
  guint matches = 0;

  meta = g_build_filename (folder_or_name, "meta.json", NULL);
  snapshot = g_build_filename (folder_or_name, "session.json", NULL);
  if (g_file_test (folder_or_name, G_FILE_TEST_IS_DIR) &&
      (g_file_test (meta, G_FILE_TEST_EXISTS) || g_file_test (snapshot, G_FILE_TEST_EXISTS)))
    return g_canonicalize_filename (folder_or_name, NULL);

  sessions = peel_store_list_sessions (default_dir, NULL);
  for (guint i = 0; sessions != NULL && i < sessions->len; i++)
    {
      PeelSessionInfo *info = g_ptr_array_index (sessions, i);

      if (g_str_equal (info->id, folder_or_name) || g_strcmp0 (info->name, folder_or_name) == 0)
        {
          matches++;
          g_free (found);
          found = g_strdup (info->path);
        }
    }
  if (matches == 1)
    return g_steal_pointer (&found);
  if (matches > 1)
    g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_NOT_FOUND,
                 _("Several sessions are named “%s”; give its folder instead."), folder_or_name);
  else
    g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_NOT_FOUND,
                 _("No session “%s”: give a session folder, or the name of a session in %s."),
                 folder_or_name, default_dir);
  return NULL;
}

/* Held while a session is looked up by name and made if there is none, so that several
 * processes asking for the same new name at once make one session, not one each. */
static int
lock_sessions_dir (const char  *sessions_dir,
                   GError     **error)
{
  g_autofree char *path = g_build_filename (sessions_dir, ".lock", NULL);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  int fd;

  if (!_peel_ensure_dir (sessions_dir, error))
    return -1;
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      _peel_set_write_error (error, path, errno);
      return -1;
    }
  while (flock (fd, LOCK_EX | LOCK_NB) < 0)
    {
      if ((errno != EWOULDBLOCK && errno != EINTR) || g_get_monotonic_time () >= deadline)
        {
          g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_BUSY,
                       _("Another program kept the sessions folder “%s” locked for 30 "
                         "seconds while making a session. Try again."), sessions_dir);
          close (fd);
          return -1;
        }
      g_usleep (5000);
    }
  return fd;
}

/**
 * peel_store_open_or_create:
 * @folder_or_name: a session's folder, or the name or id of one in the default folder
 * @created: (out) (optional): set to whether a new session was made
 * @error: return location for an error
 *
 * Opens the session, or, when @folder_or_name is a name no session has (not a path), makes a
 * new session of that name in the default folder. Several processes doing this at once with
 * the same new name make it once: the lookup and the making happen under a lock on the
 * sessions folder.
 *
 * Returns: (transfer full): the session, or %NULL
 */
PeelSession *
peel_store_open_or_create (const char  *folder_or_name,
                           gboolean    *created,
                           GError     **error)
{
  g_autofree char *default_dir = peel_store_get_default_dir ();
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  PeelSession *session;
  int fd;

  if (created != NULL)
    *created = FALSE;
  path = peel_store_resolve_session (folder_or_name, &local_error);
  if (path != NULL)
    return peel_store_open_session (path, error);
  if (!g_error_matches (local_error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_NOT_FOUND) ||
      strchr (folder_or_name, G_DIR_SEPARATOR) != NULL ||
      g_file_test (folder_or_name, G_FILE_TEST_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_clear_error (&local_error);

  if ((fd = lock_sessions_dir (default_dir, error)) < 0)
    return NULL;
  /* Another process may have made it while this one waited. */
  path = peel_store_resolve_session (folder_or_name, NULL);
  if (path != NULL)
    session = peel_store_open_session (path, error);
  else
    {
      session = peel_store_create_session (default_dir, folder_or_name, error);
      if (session != NULL && created != NULL)
        *created = TRUE;
    }
  flock (fd, LOCK_UN);
  close (fd);
  return session;
}

/**
 * peel_store_rename_session:
 * @path: the folder of a session that is not open
 * @name: the new name
 * @error: return location for an error
 *
 * Returns: %FALSE on error
 */
gboolean
peel_store_rename_session (const char  *path,
                           const char  *name,
                           GError     **error)
{
  g_autoptr(PeelSession) session = peel_store_open_session (path, error);

  if (session == NULL)
    return FALSE;
  return peel_session_set_name (session, name, error) &&
         peel_store_close_session (session, error);
}

static gboolean
copy_dir_files (const char  *from,
                const char  *to,
                gboolean     hard_link,
                GError     **error)
{
  g_autoptr(GDir) dir = g_dir_open (from, 0, error);
  const char *name;

  if (dir == NULL)
    return FALSE;
  if (!_peel_ensure_dir (to, error))
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *src_path = g_build_filename (from, name, NULL);
      g_autofree char *dst_path = g_build_filename (to, name, NULL);
      g_autoptr(GFile) src = NULL;
      g_autoptr(GFile) dst = NULL;

      if (!g_file_test (src_path, G_FILE_TEST_IS_REGULAR) || strstr (name, ".XXXXXX") ||
          name[0] == '.')
        continue;
      /* Blobs never change after they are written, so sharing them is safe. */
      if (hard_link && link (src_path, dst_path) == 0)
        continue;
      src = g_file_new_for_path (src_path);
      dst = g_file_new_for_path (dst_path);
      if (!g_file_copy (src, dst, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
        return FALSE;
      g_chmod (dst_path, 0600);
    }
  return TRUE;
}

static char *
new_session_dir (const char  *sessions_dir,
                 GError     **error)
{
  for (;;)
    {
      g_autofree char *id = g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());
      g_autofree char *path = g_build_filename (sessions_dir, id, NULL);

      if (g_mkdir (path, 0700) == 0)
        return g_steal_pointer (&path);
      if (errno != EEXIST)
        {
          _peel_set_write_error (error, path, errno);
          return NULL;
        }
    }
}

static gboolean
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) e = NULL;
  GFileInfo *info;

  e = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                 G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                 G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (e != NULL && (info = g_file_enumerator_next_file (e, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  return g_rmdir (path) == 0;
}

/* Opening and closing a copied folder gives it a snapshot under its own id, with @name. */
static char *
finish_copy (char        *path,
             const char  *name,
             GError     **error)
{
  g_autoptr(PeelSession) session = peel_store_open_session (path, error);

  if (session == NULL ||
      (name != NULL && !peel_session_set_name (session, name, error)) ||
      !peel_store_close_session (session, error))
    {
      remove_tree (path);
      g_free (path);
      return NULL;
    }
  return path;
}

/**
 * peel_store_duplicate_session:
 * @path: a session's folder
 * @error: return location for an error
 *
 * Copies a session beside it (images are shared by hard link where possible).
 *
 * Returns: (transfer full): the new session's folder
 */
char *
peel_store_duplicate_session (const char  *path,
                              GError     **error)
{
  g_autofree char *sessions_dir = g_path_get_dirname (path);
  g_autoptr(PeelSessionInfo) info = read_info (path);
  g_autofree char *blobs_from = g_build_filename (path, "blobs", NULL);
  g_autofree char *name = NULL;
  char *copy;

  if (info == NULL)
    {
      g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_NOT_A_SESSION,
                   _("“%s” is not a Peel session folder."), path);
      return NULL;
    }
  if (!(copy = new_session_dir (sessions_dir, error)))
    return NULL;
  {
    g_autofree char *blobs_to = g_build_filename (copy, "blobs", NULL);

    if (!copy_dir_files (path, copy, FALSE, error) ||
        (g_file_test (blobs_from, G_FILE_TEST_IS_DIR) &&
         !copy_dir_files (blobs_from, blobs_to, TRUE, error)))
      {
        remove_tree (copy);
        g_free (copy);
        return NULL;
      }
  }
  /* Translators: the name of a duplicated session */
  name = g_strdup_printf (_("%s (copy)"), info->name);
  return finish_copy (copy, name, error);
}

/**
 * peel_store_delete_session:
 * @path: a session's folder
 * @error: return location for an error
 *
 * Moves the session to the trash, or deletes it where there is no trash.
 *
 * Returns: %FALSE on error
 */
gboolean
peel_store_delete_session (const char  *path,
                           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) local_error = NULL;

  if (g_file_trash (file, NULL, &local_error))
    return TRUE;
  /* No trash on this file system (or none can be made): delete for real. */
  g_debug ("Not moved to the trash: %s", local_error->message);
  if (!remove_tree (path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not delete the session folder “%s”."), path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
put_entry (GDataOutputStream  *out,
           const char         *name,
           const char         *file,
           GError            **error)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (file, FALSE, error);
  gsize len;

  if (mapped == NULL)
    return FALSE;
  len = g_mapped_file_get_length (mapped);
  return g_data_output_stream_put_uint32 (out, strlen (name), NULL, error) &&
         g_output_stream_write_all (G_OUTPUT_STREAM (out), name, strlen (name), NULL, NULL,
                                    error) &&
         g_data_output_stream_put_uint64 (out, len, NULL, error) &&
         (len == 0 || g_output_stream_write_all (G_OUTPUT_STREAM (out),
                                                 g_mapped_file_get_contents (mapped), len,
                                                 NULL, NULL, error));
}

/**
 * peel_store_export_archive:
 * @path: a session's folder
 * @archive: the `.peel` file to write
 * @error: return location for an error
 *
 * Returns: %FALSE on error
 */
gboolean
peel_store_export_archive (const char  *path,
                           const char  *archive,
                           GError     **error)
{
  const char *files[] = { "meta.json", "session.json", "journal.old.jsonl", "journal.jsonl" };
  g_autoptr(GFile) file = g_file_new_for_path (archive);
  g_autoptr(GFileOutputStream) fout = NULL;
  g_autoptr(GDataOutputStream) out = NULL;
  g_autofree char *blob_dir = g_build_filename (path, "blobs", NULL);
  g_autoptr(PeelSessionInfo) info = read_info (path);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (info == NULL)
    {
      g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_NOT_A_SESSION,
                   _("“%s” is not a Peel session folder."), path);
      return FALSE;
    }
  fout = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, error);
  if (fout == NULL)
    return FALSE;
  out = g_data_output_stream_new (G_OUTPUT_STREAM (fout));
  if (!g_output_stream_write_all (G_OUTPUT_STREAM (out), ARCHIVE_MAGIC, 8, NULL, NULL, error) ||
      !g_data_output_stream_put_uint32 (out, ARCHIVE_VERSION, NULL, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *f = g_build_filename (path, files[i], NULL);

      if (g_file_test (f, G_FILE_TEST_EXISTS) && !put_entry (out, files[i], f, error))
        return FALSE;
    }
  dir = g_dir_open (blob_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *entry = g_strconcat ("blobs/", name, NULL);
      g_autofree char *f = g_build_filename (blob_dir, name, NULL);
      struct stat st;

      /* Never a link's target (any file of the user's) into an archive that is shared. */
      if (name[0] == '.' || lstat (f, &st) < 0 || !S_ISREG (st.st_mode))
        continue;
      if (!put_entry (out, entry, f, error))
        return FALSE;
    }
  return g_data_output_stream_put_uint32 (out, 0, NULL, error) &&
         g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}

static gboolean
valid_entry_name (const char *name)
{
  if (g_str_equal (name, "meta.json") || g_str_equal (name, "session.json") ||
      g_str_equal (name, "journal.jsonl") || g_str_equal (name, "journal.old.jsonl"))
    return TRUE;
  if (g_str_has_prefix (name, "blobs/") && strlen (name) > 6 + 65 && strchr (name + 6, '/') == NULL)
    {
      for (guint i = 6; i < 6 + 64; i++)
        if (!g_ascii_isxdigit (name[i]))
          return FALSE;
      return name[6 + 64] == '.' && strstr (name, "..") == NULL;
    }
  return FALSE;
}

static gboolean
archive_error (GError     **error,
               const char  *archive,
               const char  *why)
{
  g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_ARCHIVE,
               _("“%s” is not a Peel session archive, or it is damaged: %s"), archive, why);
  return FALSE;
}

static gboolean
read_entries (GDataInputStream  *in,
              const char        *archive,
              const char        *dest,
              GError           **error)
{
  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *name = NULL;
      g_autofree char *data = NULL;
      g_autofree char *file = NULL;
      guint32 name_len;
      guint64 len;
      gsize got;

      name_len = g_data_input_stream_read_uint32 (in, NULL, &local_error);
      if (local_error != NULL)
        return archive_error (error, archive, _("it ends too early"));
      if (name_len == 0)
        return TRUE;
      if (name_len > 256)
        return archive_error (error, archive, _("an entry name is too long"));
      name = g_malloc0 (name_len + 1);
      if (!g_input_stream_read_all (G_INPUT_STREAM (in), name, name_len, &got, NULL, error))
        return FALSE;
      if (got != name_len || !valid_entry_name (name))
        return archive_error (error, archive, _("an entry has an unexpected name"));
      len = g_data_input_stream_read_uint64 (in, NULL, &local_error);
      if (local_error != NULL || len > ARCHIVE_MAX_ENTRY)
        return archive_error (error, archive, _("an entry is too large"));
      data = g_malloc (MAX (len, 1));
      if (!g_input_stream_read_all (G_INPUT_STREAM (in), data, len, &got, NULL, error))
        return FALSE;
      if (got != len)
        return archive_error (error, archive, _("it ends too early"));
      if (g_str_has_prefix (name, "blobs/"))
        {
          g_autofree char *hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                               (const guchar *) data, len);

          if (strncmp (hash, name + 6, 64) != 0)
            return archive_error (error, archive, _("an image does not match its checksum"));
        }
      file = g_build_filename (dest, name, NULL);
      if (!_peel_write_file_atomic (file, data, len, 0600, error))
        return FALSE;
    }
}

/**
 * peel_store_import_archive:
 * @archive: a `.peel` file
 * @sessions_dir: (nullable): where to put the session, %NULL for the default
 * @error: return location for an error
 *
 * Returns: (transfer full): the new session's folder
 */
char *
peel_store_import_archive (const char  *archive,
                           const char  *sessions_dir,
                           GError     **error)
{
  g_autofree char *default_dir = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (archive);
  g_autoptr(GFileInputStream) fin = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *path = NULL;
  g_autofree char *blobs = NULL;
  char magic[8];
  gsize got = 0;

  if (sessions_dir == NULL)
    sessions_dir = default_dir = peel_store_get_default_dir ();
  fin = g_file_read (file, NULL, error);
  if (fin == NULL)
    return NULL;
  in = g_data_input_stream_new (G_INPUT_STREAM (fin));
  if (!g_input_stream_read_all (G_INPUT_STREAM (in), magic, 8, &got, NULL, error))
    return NULL;
  if (got != 8 || memcmp (magic, ARCHIVE_MAGIC, 8) != 0)
    {
      archive_error (error, archive, _("it does not start like one"));
      return NULL;
    }
  if (g_data_input_stream_read_uint32 (in, NULL, NULL) != ARCHIVE_VERSION)
    {
      archive_error (error, archive, _("it was made by a newer Peel"));
      return NULL;
    }
  if (!_peel_ensure_dir (sessions_dir, error) || !(path = new_session_dir (sessions_dir, error)))
    return NULL;
  blobs = g_build_filename (path, "blobs", NULL);
  if (!_peel_ensure_dir (blobs, error) || !read_entries (in, archive, path, error))
    {
      remove_tree (path);
      return NULL;
    }
  return finish_copy (g_steal_pointer (&path), NULL, error);
}
