/* peel-json-reader.c
 *
 * The one way Peel reads JSON it did not just build itself: replies (through
 * peel-json-document.c), error bodies, session lists, PNG metadata and settings. json-glib
 * recurses once per level of nesting and keeps the whole tree in memory, so a hostile
 * document (100 000 nested arrays, hundreds of MB of entries) would crash or swamp it.
 * Here the size is checked first, then one scan that skips over strings counts the depth,
 * and only then does json-glib see the text. The session store's own scanner
 * (peel-store-json-parse.c) takes its limits from here too.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "peel-json-reader.h"

G_DEFINE_QUARK (peel-json-error-quark, peel_json_error)

/**
 * peel_json_reader_check_size:
 * @len: the length of a JSON text
 * @max_size: the most this kind of document may have
 * @error: return location for a #PEEL_JSON_ERROR_TOO_LARGE error
 *
 * Returns: whether @len is within @max_size
 */
gboolean
peel_json_reader_check_size (gsize    len,
                             gsize    max_size,
                             GError **error)
{
  g_autofree char *have = NULL;
  g_autofree char *limit = NULL;

  if (len <= max_size)
    return TRUE;

  have = g_format_size (len);
  limit = g_format_size (max_size);
  g_set_error (error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_TOO_LARGE,
               /* Translators: both are sizes such as "2.1 MB" */
               _("The text is %s long, more than the %s Peel reads."), have, limit);
  return FALSE;
}

/* The offset of the closing quote of the string whose first byte is at @start, or @len. A
 * string ends at a quote preceded by an even run of backslashes; base64 has none, so a 20 MB
 * string costs one memchr(). */
static gsize
find_string_end (const char *json,
                 gsize       len,
                 gsize       start)
{
  gsize j = start;

  for (;;)
    {
      const char *quote = memchr (json + j, '"', len - j);
      gsize backslashes = 0;
      gsize end;

      if (quote == NULL)
        return len;
      end = quote - json;
      while (end - backslashes > start && json[end - backslashes - 1] == '\\')
        backslashes++;
      if (backslashes % 2 == 0)
        return end;
      j = end + 1;
    }
}

static gboolean
set_cut_short (GError **error)
{
  g_set_error_literal (error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_CUT_SHORT,
                       _("The text ends in the middle of its JSON."));
  return FALSE;
}

/**
 * peel_json_reader_scan:
 * @json: a JSON text
 * @len: its length
 * @max_size: the most json-glib may be given of it, long strings not counted
 * @long_string: strings longer than this go to @func; 0 for none
 * @func: (nullable) (scope call): called for each long string
 * @user_data: data for @func
 * @error: return location for a #PEEL_JSON_ERROR
 *
 * Checks, without recursion, that @json nests at most %PEEL_JSON_MAX_DEPTH levels, that no
 * string or array is left open, and that it is not larger than @max_size once the long
 * strings are taken out.
 *
 * Returns: whether json-glib may parse @json
 */
gboolean
peel_json_reader_scan (const char              *json,
                       gsize                    len,
                       gsize                    max_size,
                       gsize                    long_string,
                       PeelJsonLongStringFunc   func,
                       gpointer                 user_data,
                       GError                 **error)
{
  gsize lifted = 0;
  guint depth = 0;
  gsize i = 0;

  if ((long_string == 0 || func == NULL) && !peel_json_reader_check_size (len, max_size, error))
    return FALSE;

  while (i < len)
    {
      const char *next = json + i;
      gsize end;

      /* Only quotes and brackets matter; strcspn would stop at a NUL. */
      while (i < len && *next != '"' && *next != '{' && *next != '[' && *next != '}' &&
             *next != ']')
        next++, i++;
      if (i >= len)
        break;

      switch (*next)
        {
        case '"':
          end = find_string_end (json, len, i + 1);
          if (end >= len)
            return set_cut_short (error);
          if (long_string > 0 && func != NULL && end - (i + 1) > long_string)
            {
              func (i + 1, end, user_data);
              lifted += end - (i + 1);
            }
          i = end + 1;
          break;

        case '{':
        case '[':
          if (++depth > PEEL_JSON_MAX_DEPTH)
            {
              g_set_error (error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_TOO_DEEP,
                           _("The text is nested more than %d levels deep, which nothing "
                             "Peel reads ever is."), PEEL_JSON_MAX_DEPTH);
              return FALSE;
            }
          i++;
          break;

        default:
          if (depth > 0)
            depth--;
          i++;
          break;
        }
    }

  if (depth > 0)
    return set_cut_short (error);

  return peel_json_reader_check_size (len - lifted, max_size, error);
}

/**
 * peel_json_reader_parse:
 * @json: a JSON text
 * @len: its length, or -1 if it ends with a NUL
 * @max_size: the most this kind of document may have
 * @error: return location for a #PEEL_JSON_ERROR
 *
 * Checks @json with peel_json_reader_scan(), then parses it with json-glib.
 *
 * Returns: (transfer full) (nullable): the root of the document; an empty text is an error
 */
JsonNode *
peel_json_reader_parse (const char  *json,
                        gssize       len,
                        gsize        max_size,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) json_error = NULL;
  gsize length;
  JsonNode *root;

  g_return_val_if_fail (json != NULL || len == 0, NULL);

  length = len < 0 ? strlen (json) : (gsize) len;
  if (!peel_json_reader_scan (json, length, max_size, 0, NULL, NULL, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, length > 0 ? json : "", length, &json_error))
    {
      /* json-glib quotes the input in its message, invalid UTF-8 included. */
      g_autofree char *detail = g_utf8_make_valid (json_error->message, -1);

      g_set_error (error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_INVALID,
                   _("The text is not valid JSON (%s)."), detail);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_INVALID,
                           _("The text is empty."));
      return NULL;
    }
  return json_node_ref (root);
}

/**
 * peel_json_reader_load_file:
 * @path: a JSON file
 * @max_size: the most this kind of file may have
 * @error: return location for an error
 *
 * Reads @path, which must be a regular file (not a symlink, FIFO or device), of at most
 * @max_size bytes, and parses it with peel_json_reader_parse().
 *
 * Returns: (transfer full) (nullable): the root of the document
 */
JsonNode *
peel_json_reader_load_file (const char  *path,
                            gsize        max_size,
                            GError     **error)
{
  g_autofree char *contents = NULL;
  struct stat st;
  gsize have = 0;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0);
  if (fd < 0)
    {
      int saved = errno;

      if (saved == ELOOP)
        g_set_error (error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_NOT_A_FILE,
                     _("“%s” is a symbolic link, not a file; Peel does not follow it."), path);
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                     _("Could not open “%s”: %s"), path, g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_NOT_A_FILE,
                   _("“%s” is not a regular file; Peel did not read it."), path);
      close (fd);
      return NULL;
    }
  if (!peel_json_reader_check_size (st.st_size, max_size, error))
    {
      close (fd);
      return NULL;
    }

  /* One byte more than allowed, in case the file grew since fstat(). */
  contents = g_malloc ((gsize) st.st_size + 2);
  while (have < (gsize) st.st_size + 1)
    {
      gssize n = read (fd, contents + have, (gsize) st.st_size + 1 - have);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not read “%s”: %s"), path, g_strerror (saved));
          close (fd);
          return NULL;
        }
      if (n == 0)
        break;
      have += n;
    }
  close (fd);
  contents[have] = '\0';
  return peel_json_reader_parse (contents, have, max_size, error);
}
