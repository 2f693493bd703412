/* peel-gemini-reply-text.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "peel-base64.h"
#include "peel-data-error.h"
#include "peel-gemini-error.h"
#include "peel-gemini-reply-private.h"
#include "peel-image-probe.h"

void
_peel_gemini_reply_reset_scan (UriScan *scan)
{
  scan->pos = 0;
  scan->uri_start = G_MAXSIZE;
  scan->payload_start = 0;
  scan->payload_pos = 0;
  scan->line_start = 0;
  scan->line_break = G_MAXSIZE;
  scan->width = 0;
  scan->padding = 0;
}

static gboolean
check_part_count (PeelGeminiReply  *self,
                  GError          **error)
{
  if (self->parts->len <= MAX_PARTS)
    return TRUE;

  g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE,
               _("The reply has more than %d parts, which no real reply has. Peel did not "
                 "read it."), MAX_PARTS);
  return FALSE;
}

/* Decodes and probes an image; a decompression bomb or bad base64 is an error, an image
 * that is merely cut short is kept (with no size) for peel_gemini_reply_check() to judge. */
PeelPart *
_peel_gemini_reply_new_image_part (const char  *mime_type,
                                   GBytes      *bytes,
                                   gboolean     thought,
                                   GError     **error)
{
  g_autoptr(GError) probe_error = NULL;
  g_autofree char *sniffed = NULL;
  PeelPart *part;
  int width = 0;
  int height = 0;

  if (g_bytes_get_size (bytes) == 0)
    {
      g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                           _("The reply holds an empty image. Try again."));
      return NULL;
    }

  if (!peel_image_probe (bytes, &width, &height, &sniffed, &probe_error))
    {
      if (g_error_matches (probe_error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_TOO_LARGE))
        {
          peel_gemini_error_propagate_data (error, g_steal_pointer (&probe_error));
          return NULL;
        }
      g_debug ("Keeping an image that does not probe: %s", probe_error->message);
      width = height = 0;
    }

  /* Keep the type as received unless it says nothing an image viewer could use. */
  if (mime_type == NULL || !g_str_has_prefix (mime_type, "image/") || mime_type[6] == '\0' ||
      strcmp (mime_type, "image/*") == 0)
    mime_type = sniffed != NULL ? sniffed : "application/octet-stream";

  part = peel_part_new_image (mime_type, bytes, thought);
  part->width = width;
  part->height = height;
  return part;
}

/* RFC 2045 §6.8: lines of base64 are at most 76 characters. A single-line payload longer than
 * that (any real image) followed by a line break is never taken for the first of several. */
#define MAX_WRAP_WIDTH 76

/* Both alphabets, as peel_base64_decode() reads them. */
static gboolean
is_base64_char (guchar c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/' || c == '-' || c == '_';
}

static gboolean
is_line_break (int c)
{
  return c == '\n' || c == '\r';
}

/*
 * Whether the line that ends at @end, before @next (-1 at the end of the text), is more of a
 * wrapped payload rather than the words after the URI. It is when it is another line of the
 * wrap width; or the last line: padded to a whole number of base64 quanta, or unpadded,
 * shorter, of a length base64 can have, and ending where the URI can (the end of the text, the
 * Markdown ')' or a line break). A blank line never is.
 */
static gboolean
continues_payload (const UriScan *scan,
                   gsize          end,
                   int            next)
{
  gsize len = end - scan->line_start;
  gsize data = len - scan->padding;

  if (data == 0)
    return FALSE;
  if (scan->padding > 0)
    return len % 4 == 0;
  if (data == scan->width)
    return TRUE;
  return data < scan->width && data % 4 != 1 && (next == -1 || next == ')' || is_line_break (next));
}

static const char *
find_data_uri (const char *text,
               gsize       len,
               gsize       from)
{
  static const char needle[] = "data:image/";
  const gsize nlen = sizeof needle - 1;

  while (from + nlen <= len)
    {
      const char *d = memchr (text + from, 'd', len - from - nlen + 1);

      if (d == NULL)
        return NULL;
      if (memcmp (d, needle, nlen) == 0)
        return d;
      from = d - text + 1;
    }

  return NULL;
}

/*
 * Finds the next complete `data:image/…;base64,…` URI in @text. Without @at_end, a URI
 * that reaches the end of the text may go on in the next delta: the scan stops and
 * resumes there later.
 */
static gboolean
scan_data_uri (UriScan    *scan,
               const char *text,
               gsize       len,
               gboolean    at_end,
               gsize      *payload_end)
{
  for (;;)
    {
      if (scan->uri_start == G_MAXSIZE)
        {
          const char *found = find_data_uri (text, len, scan->pos);
          const char *comma;
          gsize header_len;

          if (found == NULL)
            {
              /* The start of a URI may be split across deltas. */
              scan->pos = MAX (scan->pos, len > 10 ? len - 10 : 0);
              return FALSE;
            }

          scan->uri_start = found - text;
          header_len = MIN (len - scan->uri_start, 128);
          comma = memchr (found, ',', header_len);
          if (comma == NULL)
            {
              if (!at_end && header_len < 128)
                {
                  scan->pos = scan->uri_start;
                  scan->uri_start = G_MAXSIZE;
                  return FALSE;
                }
              scan->pos = scan->uri_start + 5;
              scan->uri_start = G_MAXSIZE;
              continue;
            }

          if (comma - found < 18 || memcmp (comma - 7, ";base64", 7) != 0 ||
              memchr (found, ' ', comma - found) != NULL)
            {
              scan->pos = scan->uri_start + 5;
              scan->uri_start = G_MAXSIZE;
              continue;
            }

          scan->payload_start = scan->payload_pos = comma + 1 - text;
          scan->line_start = scan->payload_start;
          scan->line_break = G_MAXSIZE;
          scan->width = 0;
          scan->padding = 0;
        }

      /* One line of the payload at a time: it ends at the first character that is not
       * base64, or not padding after padding. */
      for (;;)
        {
          gsize end;
          gsize line_len;
          gsize after_break;
          int next;

          while (scan->payload_pos < len)
            {
              guchar c = text[scan->payload_pos];

              if (c == '=')
                scan->padding++;
              else if (scan->padding > 0 || !is_base64_char (c))
                break;
              scan->payload_pos++;
            }

          /* More base64 may come in the next delta. */
          end = scan->payload_pos;
          if (end == len && !at_end)
            return FALSE;
          next = end < len ? (guchar) text[end] : -1;

          if (scan->line_break != G_MAXSIZE && !continues_payload (scan, end, next))
            {
              *payload_end = scan->line_break;
              return TRUE;
            }

          /* A single line break goes on to another line only after a full line: one of the
           * width the first line set, as wrapping base64 makes them, and not padded. */
          line_len = end - scan->line_start;
          if (!is_line_break (next) || scan->padding > 0 || line_len == 0 || line_len % 4 != 0 ||
              (scan->width == 0 ? line_len > MAX_WRAP_WIDTH : line_len != scan->width))
            {
              *payload_end = end;
              return TRUE;
            }

          after_break = end + 1;
          if (next == '\r')
            {
              if (after_break == len && !at_end)
                return FALSE;
              if (after_break == len || text[after_break] != '\n')
                {
                  *payload_end = end;
                  return TRUE;
                }
              after_break++;
            }

          /* Whether the next line belongs is known once it has ended. */
          scan->width = line_len;
          scan->line_break = end;
          scan->line_start = scan->payload_pos = after_break;
        }
    }
}

/* Where a Markdown image `![alt](data:…)` around the URI starts and ends, if it has one. */
static void
widen_to_markdown (const char *text,
                   gsize       len,
                   gsize      *start,
                   gsize      *end)
{
  gsize open;

  if (*start < 4 || text[*start - 1] != '(' || text[*start - 2] != ']' ||
      *end >= len || text[*end] != ')')
    return;

  for (open = *start - 2; open > 0; open--)
    {
      if (text[open] == '\n')
        return;
      if (text[open] == '[')
        break;
    }
  if (open == 0 || text[open - 1] != '!')
    return;

  *start = open - 1;
  *end = *end + 1;
}

static gboolean
is_blank (const char *text,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (text[i]))
      return FALSE;
  return TRUE;
}

static void
open_last_part (PeelGeminiReply *self)
{
  PeelPart *part;

  self->open_part = NO_PART;
  self->open_is_tail = FALSE;
  _peel_gemini_reply_reset_scan (&self->scan);

  if (self->parts->len == 0)
    return;

  part = g_ptr_array_index (self->parts, self->parts->len - 1);
  if (part->kind != PEEL_PART_TEXT)
    return;

  self->open_part = self->parts->len - 1;
  self->open_len = strlen (part->text);
  self->open_cap = self->open_len + 1;
}

/* Drops a part from the list, and from what it was cut from. */
static void
remove_part (PeelGeminiReply *self,
             guint            index)
{
  g_hash_table_remove (self->cut_from, g_ptr_array_index (self->parts, index));
  g_ptr_array_remove_index (self->parts, index);
}

/*
 * Turns the data URIs found in the open text part into image parts: the text before stays
 * where it is, the image follows, and the text after becomes the new open part. A URI whose
 * payload does not decode stays text.
 *
 * A signature belongs to the text it was made for, byte for byte (the service checks it
 * against the text echoed back). So when the part is signed, none of the pieces keeps it:
 * the part as received is kept aside, and the history sends it in their place.
 */
static gboolean
split_data_uris (PeelGeminiReply  *self,
                 gboolean          at_end,
                 GError          **error)
{
  while (self->open_part != NO_PART)
    {
      PeelPart *part = g_ptr_array_index (self->parts, self->open_part);
      PeelPart *original;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) decode_error = NULL;
      g_autofree char *mime_type = NULL;
      g_autofree char *after = NULL;
      PeelPart *image;
      PeelPart *tail = NULL;
      gsize payload_end;
      gsize cut_start;
      gsize cut_end;
      gsize mime_end;
      guint index;

      if (!scan_data_uri (&self->scan, part->text, self->open_len, at_end, &payload_end))
        return TRUE;

      bytes = peel_base64_decode (part->text + self->scan.payload_start,
                                  payload_end - self->scan.payload_start, FALSE,
                                  &decode_error);
      if (bytes == NULL || g_bytes_get_size (bytes) == 0)
        {
          self->scan.pos = payload_end;
          self->scan.uri_start = G_MAXSIZE;
          continue;
        }

      mime_end = self->scan.uri_start + 5;
      while (part->text[mime_end] != ';' && part->text[mime_end] != ',')
        mime_end++;
      mime_type = g_ascii_strdown (part->text + self->scan.uri_start + 5,
                                   mime_end - self->scan.uri_start - 5);

      image = _peel_gemini_reply_new_image_part (mime_type, bytes, part->thought, error);
      if (image == NULL)
        return FALSE;

      /* A signed part is never merged with others, so here it is whole, as received. */
      original = g_hash_table_lookup (self->cut_from, part);
      if (original == NULL && part->signature != NULL)
        {
          original = peel_part_copy (part);
          g_ptr_array_add (self->originals, original);
        }
      if (original != NULL)
        {
          peel_part_set_signature (part, NULL);
          g_hash_table_insert (self->cut_from, part, original);
          g_hash_table_insert (self->cut_from, image, original);
        }

      cut_start = self->scan.uri_start;
      cut_end = payload_end;
      widen_to_markdown (part->text, self->open_len, &cut_start, &cut_end);

      after = g_strndup (part->text + cut_end, self->open_len - cut_end);
      part->text[cut_start] = '\0';
      index = self->open_part;

      if (is_blank (part->text, cut_start))
        remove_part (self, index);
      else
        index++;
      g_ptr_array_insert (self->parts, index, image);

      /* Blank text after the URI is kept while more text may be added to it. */
      if (!is_blank (after, strlen (after)) || !at_end || index + 1 < self->parts->len)
        {
          tail = peel_part_new_text (after, image->thought);
          g_ptr_array_insert (self->parts, index + 1, tail);
          if (original != NULL)
            g_hash_table_insert (self->cut_from, tail, original);
        }

      if (!check_part_count (self, error))
        return FALSE;

      if (tail != NULL && index + 2 == self->parts->len)
        {
          open_last_part (self);
          self->open_is_tail = TRUE;
        }
      else if (tail != NULL)
        {
          /* Only when splitting a closed part in the middle of the list. */
          self->open_part = index + 1;
          self->open_len = strlen (tail->text);
          self->open_cap = self->open_len + 1;
          self->open_is_tail = TRUE;
          _peel_gemini_reply_reset_scan (&self->scan);
        }
      else
        {
          self->open_part = NO_PART;
          self->open_is_tail = FALSE;
        }
    }

  return TRUE;
}

/* The open part is complete once another part follows it or the reply ends. */
gboolean
_peel_gemini_reply_close_open_part (PeelGeminiReply  *self,
                                    GError          **error)
{
  gboolean ret;

  if (self->open_part == NO_PART)
    return TRUE;

  ret = split_data_uris (self, TRUE, error);

  /* Nothing but blank text came after the last URI: it goes, as when the text came whole. */
  if (ret && self->open_is_tail && self->open_part != NO_PART &&
      self->open_part == self->parts->len - 1 &&
      is_blank (((PeelPart *) g_ptr_array_index (self->parts, self->open_part))->text,
                self->open_len))
    remove_part (self, self->open_part);

  self->open_part = NO_PART;
  self->open_is_tail = FALSE;
  return ret;
}

gboolean
_peel_gemini_reply_append_part (PeelGeminiReply  *self,
                                PeelPart         *part,
                                gboolean          merge,
                                GError          **error)
{
  g_autoptr(PeelPart) owned = part;
  PeelPart *last = NULL;

  if (self->parts->len > 0)
    last = g_ptr_array_index (self->parts, self->parts->len - 1);

  /* Stream deltas: unsigned text continues unsigned text of the same kind. A signed part
   * is never joined with anything (reference §4.3), nor is the text cut from one. */
  if (merge && last != NULL && self->open_part == self->parts->len - 1 &&
      part->kind == PEEL_PART_TEXT && last->kind == PEEL_PART_TEXT &&
      part->thought == last->thought && part->signature == NULL && last->signature == NULL &&
      !g_hash_table_contains (self->cut_from, last))
    {
      gsize add = strlen (part->text);

      if (self->open_len + add + 1 > self->open_cap)
        {
          self->open_cap = MAX (self->open_cap * 2, self->open_len + add + 1);
          last->text = g_realloc (last->text, self->open_cap);
        }
      memcpy (last->text + self->open_len, part->text, add + 1);
      self->open_len += add;

      return split_data_uris (self, FALSE, error);
    }

  if (!_peel_gemini_reply_close_open_part (self, error))
    return FALSE;

  g_ptr_array_add (self->parts, g_steal_pointer (&owned));
  if (!check_part_count (self, error))
    return FALSE;

  open_last_part (self);
  return split_data_uris (self, FALSE, error);
}

static gboolean
has_image_extension (const char *url,
                     gsize       len)
{
  static const char *extensions[] = { ".png", ".jpg", ".jpeg", ".webp", ".gif" };
  gsize path_len = 0;

  while (path_len < len && url[path_len] != '?' && url[path_len] != '#')
    path_len++;

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    {
      gsize n = strlen (extensions[i]);

      if (path_len > n && g_ascii_strncasecmp (url + path_len - n, extensions[i], n) == 0)
        return TRUE;
    }

  return FALSE;
}

static char *
find_image_url (const char *text)
{
  const char *p = text;
  char *fallback = NULL;

  while ((p = strstr (p, "http")) != NULL)
    {
      gsize len = 0;
      gboolean markdown;

      if (!g_str_has_prefix (p, "http://") && !g_str_has_prefix (p, "https://"))
        {
          p += 4;
          continue;
        }

      while (p[len] != '\0' && !g_ascii_isspace (p[len]) && strchr ("\"'<>()[]", p[len]) == NULL)
        len++;
      while (len > 0 && strchr (".,;:!", p[len - 1]) != NULL)
        len--;

      markdown = p - text >= 4 && p[-1] == '(' && p[-2] == ']' && p[len] == ')' &&
                 g_strrstr_len (text, p - text, "![") != NULL;
      if (markdown)
        {
          g_free (fallback);
          return g_strndup (p, len);
        }
      if (fallback == NULL && has_image_extension (p, len))
        fallback = g_strndup (p, len);

      p += MAX (len, 4);
    }

  return fallback;
}

/**
 * peel_gemini_reply_get_image_url:
 * @self: a #PeelGeminiReply
 *
 * For proxies that answer with a link instead of the image: the first image
 * link in the model's text (a Markdown image, or a URL ending in an image
 * extension), or a `fileData` URI. Only when there is no image in the reply;
 * peel_gemini_reply_check() then succeeds and the caller fetches it.
 *
 * Returns: (nullable): the link
 */
const char *
peel_gemini_reply_get_image_url (PeelGeminiReply *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (self), NULL);

  g_clear_pointer (&self->image_url, g_free);
  if (_peel_gemini_reply_last_image (self, FALSE) != NULL)
    return NULL;

  for (guint i = 0; i < self->parts->len && self->image_url == NULL; i++)
    {
      const PeelPart *part = g_ptr_array_index (self->parts, i);

      if (part->kind == PEEL_PART_TEXT && !part->thought)
        self->image_url = find_image_url (part->text);
    }

  if (self->image_url == NULL)
    self->image_url = g_strdup (self->file_uri);

  return self->image_url;
}

/* As peel_parts_join_text(): a node read back from a session shows the same text. */
char *
_peel_gemini_reply_join_text (PeelGeminiReply *self,
                              gboolean         thought)
{
  return peel_parts_join_text (self->parts, thought);
}

/**
 * peel_gemini_reply_dup_text:
 * @self: a #PeelGeminiReply
 *
 * Returns: (transfer full) (nullable): what the model said, without its thoughts
 */
char *
peel_gemini_reply_dup_text (PeelGeminiReply *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (self), NULL);

  return _peel_gemini_reply_join_text (self, FALSE);
}

/**
 * peel_gemini_reply_dup_thoughts:
 * @self: a #PeelGeminiReply
 *
 * Returns: (transfer full) (nullable): the model's thought summaries
 */
char *
peel_gemini_reply_dup_thoughts (PeelGeminiReply *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (self), NULL);

  return _peel_gemini_reply_join_text (self, TRUE);
}
