/* peel-sse-parser.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "peel-gemini-error.h"
#include "peel-sse-parser.h"

/*
 * One image arrives as a single `data:` line of tens of megabytes, fed in small chunks.
 * The unconsumed input stays in @buf; @scan is where the search for the next line end
 * resumes, so no byte is searched twice. While an event holds a single data line, that
 * line is not copied: @pending_offset/@pending_len point into @buf until the blank line
 * arrives, and @buf is only compacted up to it. Only a second data line in the same event
 * copies into @event.
 */
struct _PeelSseParser
{
  gsize             max_total_bytes;
  gsize             total_bytes;
  guint             comments;        /* lines starting with ':', such as keep-alives */
  PeelSseEventFunc  func;
  gpointer          user_data;

  GByteArray       *buf;
  gsize             consumed;        /* bytes of @buf already handled */
  gsize             scan;            /* where the search for a line end resumes */
  gboolean          skip_lf;         /* the last line ended in '\r': a '\n' may follow */
  gboolean          at_start;        /* nothing read yet: a byte-order mark may come */

  gboolean          has_data;        /* the event has at least one data line */
  gboolean          pending;         /* its only data line sits in @buf */
  gsize             pending_offset;
  gsize             pending_len;
  GByteArray       *event;           /* the joined data once there are two lines */

  gboolean          failed;
};

/**
 * peel_sse_parser_new:
 * @max_total_bytes: how many bytes the whole stream may have, 0 for no limit
 * @func: called for each event
 * @user_data: passed to @func
 *
 * Returns: (transfer full): a parser for one `text/event-stream` body
 */
PeelSseParser *
peel_sse_parser_new (gsize            max_total_bytes,
                     PeelSseEventFunc func,
                     gpointer         user_data)
{
  PeelSseParser *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_new0 (PeelSseParser, 1);
  self->max_total_bytes = max_total_bytes;
  self->func = func;
  self->user_data = user_data;
  self->buf = g_byte_array_new ();
  self->event = g_byte_array_new ();
  self->at_start = TRUE;

  return self;
}

void
peel_sse_parser_free (PeelSseParser *self)
{
  if (self == NULL)
    return;

  g_byte_array_unref (self->buf);
  g_byte_array_unref (self->event);
  g_free (self);
}

gsize
peel_sse_parser_get_total_bytes (PeelSseParser *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->total_bytes;
}

/**
 * peel_sse_parser_get_comments:
 *
 * Returns: how many comment lines (`: keep-alive`) were read: what a server sends to look
 *   alive, which is not progress
 */
guint
peel_sse_parser_get_comments (PeelSseParser *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->comments;
}

static void
reset_event (PeelSseParser *self)
{
  self->has_data = FALSE;
  self->pending = FALSE;
  self->pending_offset = 0;
  self->pending_len = 0;
  g_byte_array_set_size (self->event, 0);
}

static gboolean
dispatch (PeelSseParser  *self,
          GError        **error)
{
  gboolean ret;

  if (!self->has_data)
    return TRUE;

  if (self->pending)
    ret = self->func ((const char *) self->buf->data + self->pending_offset,
                      self->pending_len, self->user_data, error);
  else
    ret = self->func ((const char *) self->event->data, self->event->len,
                      self->user_data, error);

  reset_event (self);

  if (!ret)
    {
      self->failed = TRUE;
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                             _("The streamed reply could not be read."));
    }

  return ret;
}

static void
add_data_line (PeelSseParser *self,
               gsize          offset,
               gsize          len)
{
  if (!self->has_data)
    {
      self->has_data = TRUE;
      self->pending = TRUE;
      self->pending_offset = offset;
      self->pending_len = len;
      return;
    }

  if (self->pending)
    {
      g_byte_array_append (self->event, self->buf->data + self->pending_offset,
                           self->pending_len);
      self->pending = FALSE;
    }

  g_byte_array_append (self->event, (const guint8 *) "\n", 1);
  g_byte_array_append (self->event, self->buf->data + offset, len);
}

/* One line, without its end, at @offset in @buf. */
static gboolean
handle_line (PeelSseParser  *self,
             gsize           offset,
             gsize           len,
             GError        **error)
{
  const char *line = (const char *) self->buf->data + offset;
  const char *colon;
  gsize name_len;
  gsize value_offset;

  if (len == 0)
    return dispatch (self, error);

  if (line[0] == ':')
    {
      self->comments++;
      return TRUE;
    }

  colon = memchr (line, ':', len);
  name_len = colon != NULL ? (gsize) (colon - line) : len;
  if (name_len != 4 || memcmp (line, "data", 4) != 0)
    return TRUE;   /* event:, id:, retry: and unknown fields mean nothing to us */

  value_offset = colon != NULL ? name_len + 1 : len;
  if (value_offset < len && line[value_offset] == ' ')
    value_offset++;

  add_data_line (self, offset + value_offset, len - value_offset);
  return TRUE;
}

static gboolean
process (PeelSseParser  *self,
         GError        **error)
{
  guint8 *data;
  gsize len;
  gsize keep;

  for (;;)
    {
      const guint8 *lf;
      const guint8 *cr;
      const guint8 *end;
      gsize line_end;

      data = self->buf->data;
      len = self->buf->len;

      if (self->skip_lf && self->consumed < len)
        {
          if (data[self->consumed] == '\n')
            self->consumed++;
          self->skip_lf = FALSE;
          self->scan = MAX (self->scan, self->consumed);
        }

      if (self->scan >= len)
        break;

      /* Look for '\r' only before the first '\n', so nothing is searched twice. */
      lf = memchr (data + self->scan, '\n', len - self->scan);
      end = lf != NULL ? lf : data + len;
      cr = memchr (data + self->scan, '\r', end - (data + self->scan));

      if (cr != NULL)
        {
          line_end = cr - data;
          self->skip_lf = TRUE;
        }
      else if (lf != NULL)
        {
          line_end = lf - data;
        }
      else
        {
          self->scan = len;
          break;
        }

      if (!handle_line (self, self->consumed, line_end - self->consumed, error))
        return FALSE;

      self->consumed = line_end + 1;
      self->scan = self->consumed;
    }

  /* Drop what was handled, but keep the event's only data line where it is. The bytes that
   * move are the unfinished line, which came with this feed, so compacting stays linear. */
  keep = self->pending ? MIN (self->pending_offset, self->consumed) : self->consumed;
  if (keep > 0)
    {
      g_byte_array_remove_range (self->buf, 0, keep);
      self->consumed -= keep;
      self->scan -= keep;
      if (self->pending)
        self->pending_offset -= keep;
    }

  return TRUE;
}

/**
 * peel_sse_parser_feed:
 * @self: a #PeelSseParser
 * @data: the next bytes of the body
 * @len: their length
 * @error: return location for an error
 *
 * Calls the event function for each event these bytes complete. Fails with
 * #PEEL_GEMINI_ERROR_TOO_LARGE once the stream passes its limit, or with the
 * event function's error.
 *
 * Returns: %FALSE when parsing must stop
 */
gboolean
peel_sse_parser_feed (PeelSseParser  *self,
                      const char     *data,
                      gsize           len,
                      GError        **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->failed)
    {
      g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                           _("The streamed reply could not be read."));
      return FALSE;
    }

  if (self->max_total_bytes > 0 && len > self->max_total_bytes - self->total_bytes)
    {
      g_autofree char *limit = g_format_size (self->max_total_bytes);

      self->failed = TRUE;
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE,
                   /* Translators: %s is a size such as “512.0 MB” */
                   _("The reply is larger than %s, the most Peel accepts. Ask for a smaller "
                     "image size, or raise the limit if this service sends large replies."),
                   limit);
      return FALSE;
    }
  self->total_bytes += len;

  if (self->at_start && len > 0)
    {
      /* A byte-order mark may open the stream; it can be split across feeds too. */
      static const guint8 bom[3] = { 0xef, 0xbb, 0xbf };
      gsize have = self->buf->len;
      gsize n = MIN (len, 3 - have);

      if (memcmp (data, bom + have, n) != 0)
        {
          self->at_start = FALSE;
        }
      else if (have + n == 3)
        {
          g_byte_array_set_size (self->buf, 0);
          self->at_start = FALSE;
          data += n;
          len -= n;
        }
      else
        {
          g_byte_array_append (self->buf, (const guint8 *) data, n);
          return TRUE;
        }
    }

  g_byte_array_append (self->buf, (const guint8 *) data, len);

  if (!process (self, error))
    {
      self->failed = TRUE;
      return FALSE;
    }

  return TRUE;
}

/**
 * peel_sse_parser_finish:
 * @self: a #PeelSseParser
 * @error: return location for an error
 *
 * Ends the stream: a last line without its line end, and a last event without its
 * blank line, are delivered as they are. Whether such an event is complete is for
 * its reader to judge.
 *
 * Returns: %FALSE if the event function failed
 */
gboolean
peel_sse_parser_finish (PeelSseParser  *self,
                        GError        **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->failed)
    {
      g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                           _("The streamed reply could not be read."));
      return FALSE;
    }

  if (self->skip_lf && self->consumed < self->buf->len && self->buf->data[self->consumed] == '\n')
    self->consumed++;
  self->skip_lf = FALSE;

  if (self->consumed < self->buf->len)
    {
      gsize offset = self->consumed;
      gsize len = self->buf->len - offset;

      self->consumed = self->scan = self->buf->len;
      if (len > 0 && !handle_line (self, offset, len, error))
        {
          self->failed = TRUE;
          return FALSE;
        }
    }

  if (!dispatch (self, error))
    return FALSE;

  g_byte_array_set_size (self->buf, 0);
  self->consumed = self->scan = 0;

  return TRUE;
}
