/* peel-store-record.c
 *
 * A node as a JSON record, the same in session.json and in journal lines. Image bytes are
 * never inside: a part names its blob by SHA-256, and the bytes stay in blobs/.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "peel-marks.h"
#include "peel-node-record.h"
#include "peel-session.h"
#include "peel-store-private.h"

/* Records are written by hand into a GString: json-glib's builder and generator took 30 ms to
 * write the snapshot of a 500-turn session, this takes a tenth of that. */

void
_peel_json_append_string (GString    *out,
                          const char *value)
{
  g_autofree char *valid = NULL;

  /* A prompt from a terminal may not be UTF-8; the reader would refuse the whole line. */
  if (!g_utf8_validate (value, -1, NULL))
    value = valid = g_utf8_make_valid (value, -1);

  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) value; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, *p);
          break;
        }
    }
  g_string_append_c (out, '"');
}

/* A comma unless this is the first member or element, or a member's value. */
static void
sep (GString *out)
{
  char last = out->len > 0 ? out->str[out->len - 1] : '{';

  if (last != '{' && last != '[' && last != ':')
    g_string_append_c (out, ',');
}

void
_peel_json_append_key (GString    *out,
                       const char *key)
{
  sep (out);
  _peel_json_append_string (out, key);
  g_string_append_c (out, ':');
}

static void
add_string (GString    *out,
            const char *name,
            const char *value)
{
  if (value == NULL)
    return;
  _peel_json_append_key (out, name);
  _peel_json_append_string (out, value);
}

static void
add_int (GString    *out,
         const char *name,
         gint64      value)
{
  _peel_json_append_key (out, name);
  g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
}

static void
add_bool (GString    *out,
          const char *name,
          gboolean    value)
{
  if (!value)
    return;
  _peel_json_append_key (out, name);
  g_string_append (out, "true");
}

static void
add_double (GString    *out,
            const char *name,
            double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  _peel_json_append_key (out, name);
  g_string_append (out, isfinite (value) ? g_ascii_formatd (buf, sizeof buf, "%.17g", value)
                                         : "0");
}

static void
add_parts (GString    *out,
           const char *name,
           GPtrArray  *parts,
           GPtrArray  *blobs)
{
  _peel_json_append_key (out, name);
  g_string_append_c (out, '[');
  for (guint i = 0; i < parts->len; i++)
    {
      const PeelPart *part = g_ptr_array_index (parts, i);

      sep (out);
      g_string_append_c (out, '{');
      if (part->kind == PEEL_PART_TEXT)
        {
          add_string (out, "kind", "text");
          add_string (out, "text", part->text ? part->text : "");
        }
      else
        {
          add_string (out, "kind", "image");
          add_string (out, "role", part->text);
          add_string (out, "mime", part->mime_type);
          add_string (out, "blob", g_ptr_array_index (blobs, i));
          add_int (out, "width", part->width);
          add_int (out, "height", part->height);
        }
      add_bool (out, "thought", part->thought);
      add_string (out, "signature", part->signature);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
}

/* The model turn as sent back, when it is not simply the parts without thoughts: see
 * peel-node-replay.c. A text is its pieces: strings as they are, {"base64": i} for the
 * standard base64 of part i's bytes, which are in blobs/ already. */
static void
add_history (GString   *out,
             GPtrArray *history)
{
  _peel_json_append_key (out, "history");
  g_string_append_c (out, '[');
  for (guint i = 0; i < history->len; i++)
    {
      const PeelReplayEntry *entry = g_ptr_array_index (history, i);

      sep (out);
      g_string_append_c (out, '{');
      if (entry->part >= 0)
        {
          add_int (out, "part", entry->part);
        }
      else
        {
          _peel_json_append_key (out, "text");
          g_string_append_c (out, '[');
          for (guint j = 0; j < entry->pieces->len; j++)
            {
              const PeelReplayPiece *piece = g_ptr_array_index (entry->pieces, j);

              sep (out);
              if (piece->text != NULL)
                {
                  _peel_json_append_string (out, piece->text);
                }
              else
                {
                  g_string_append_c (out, '{');
                  add_int (out, "base64", piece->image);
                  g_string_append_c (out, '}');
                }
            }
          g_string_append_c (out, ']');
          add_string (out, "signature", entry->signature);
        }
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
}

void
_peel_node_write_json (PeelNode *node,
                       GString  *out)
{
  PeelNodeRecord view;
  const PeelNodeRecord *r = &view;

  peel_node_get_record (node, &view);
  sep (out);
  g_string_append_c (out, '{');
  add_string (out, "id", r->id);
  add_string (out, "parent", r->parent_id);
  add_int (out, "created", r->created);
  add_string (out, "status", peel_node_status_to_string (r->status));
  add_string (out, "title", r->title);
  add_bool (out, "starred", r->starred);
  add_bool (out, "hidden", r->hidden);
  add_bool (out, "imported", r->imported);

  add_string (out, "prompt", r->prompt);
  if (r->references->len > 0)
    add_parts (out, "references", r->references, r->reference_blobs);
  add_string (out, "aspectRatio", r->aspect_ratio);
  add_string (out, "size", peel_image_size_to_string (r->size));
  add_string (out, "model", r->model);
  add_string (out, "issuer", r->issuer);
  add_bool (out, "contextRebuilt", r->context_rebuilt);
  add_string (out, "thinkingLevel", peel_thinking_level_to_string (r->options.thinking_level));
  add_bool (out, "includeThoughts", r->options.include_thoughts);
  add_bool (out, "search", r->options.search);
  add_bool (out, "imageSearch", r->options.image_search);
  add_string (out, "draftOf", r->draft_of);
  add_string (out, "batch", r->batch);

  if (r->status == PEEL_NODE_DONE)
    {
      add_parts (out, "parts", r->parts, r->part_blobs);
      if (r->history != NULL)
        add_history (out, r->history);
      _peel_json_append_key (out, "usage");
      g_string_append_c (out, '{');
      add_int (out, "prompt", r->prompt_tokens);
      add_int (out, "output", r->output_tokens);
      add_int (out, "thought", r->thought_tokens);
      g_string_append_c (out, '}');
      add_double (out, "cost", r->cost);
      add_string (out, "finishReason", r->finish_reason);
      add_string (out, "finishMessage", r->finish_message);
      add_string (out, "contextNote", r->context_note);
      if (r->sources->len > 0)
        {
          _peel_json_append_key (out, "sources");
          g_string_append_c (out, '[');
          for (guint i = 0; i < r->sources->len; i++)
            {
              const PeelSource *src = g_ptr_array_index (r->sources, i);

              sep (out);
              g_string_append_c (out, '{');
              add_string (out, "title", src->title);
              add_string (out, "uri", src->uri);
              g_string_append_c (out, '}');
            }
          g_string_append_c (out, ']');
        }
      if (r->search_queries != NULL && r->search_queries[0] != NULL)
        {
          _peel_json_append_key (out, "searchQueries");
          g_string_append_c (out, '[');
          for (guint i = 0; r->search_queries[i] != NULL; i++)
            {
              sep (out);
              _peel_json_append_string (out, r->search_queries[i]);
            }
          g_string_append_c (out, ']');
        }
    }
  else if (r->status == PEEL_NODE_FAILED)
    {
      _peel_json_append_key (out, "error");
      g_string_append_c (out, '{');
      add_string (out, "code", r->error_code);
      add_string (out, "message", r->error_message);
      g_string_append_c (out, '}');
    }

  /* A region edit's mask and raw answer, the selection, the marks: see docs/region-edits.md
   * and docs/marks.md. */
  if (r->extras->len > 0)
    add_parts (out, "extras", r->extras, r->extra_blobs);
  if (r->is_region)
    {
      _peel_json_append_key (out, "region");
      g_string_append_c (out, '{');
      add_int (out, "x", r->region.x);
      add_int (out, "y", r->region.y);
      add_int (out, "width", r->region.width);
      add_int (out, "height", r->region.height);
      add_int (out, "feather", r->region.feather);
      add_bool (out, "fitted", r->region.fitted);
      g_string_append_c (out, '}');
    }
  if (r->selection_feather > 0)
    add_int (out, "selectionFeather", r->selection_feather);
  if (r->marks != NULL && r->marks->len > 0)
    {
      g_autofree char *marks = peel_marks_to_json (r->marks);

      add_string (out, "marks", marks);
    }
  g_string_append_c (out, '}');
}

#define get_string _peel_json_get_string
#define get_int _peel_json_get_int
#define get_bool _peel_json_get_bool

static gboolean
read_parts (PeelJson   *array,
            GPtrArray  *parts,
            GPtrArray  *blobs,
            GError    **error)
{
  for (PeelJson *o = array ? array->child : NULL; o != NULL; o = o->next)
    {
      const char *kind;
      PeelPart *part;

      if (o->type != PEEL_JSON_OBJECT)
        goto bad;
      kind = get_string (o, "kind");
      if (g_strcmp0 (kind, "text") == 0)
        {
          part = peel_part_new_text (get_string (o, "text"), get_bool (o, "thought"));
          g_ptr_array_add (blobs, NULL);
        }
      else if (g_strcmp0 (kind, "image") == 0)
        {
          const char *blob = get_string (o, "blob");
          const char *mime = get_string (o, "mime");

          if (blob == NULL || mime == NULL || strlen (blob) != 64)
            goto bad;
          part = g_new0 (PeelPart, 1);
          part->kind = PEEL_PART_IMAGE;
          part->thought = get_bool (o, "thought");
          part->mime_type = g_strdup (mime);
          part->text = g_strdup (get_string (o, "role"));
          part->width = (int) get_int (o, "width");
          part->height = (int) get_int (o, "height");
          g_ptr_array_add (blobs, g_strdup (blob));
        }
      else
        goto bad;
      part->signature = g_strdup (get_string (o, "signature"));
      g_ptr_array_add (parts, part);
    }
  return TRUE;

bad:
  g_set_error (error, PEEL_SESSION_ERROR, PEEL_SESSION_ERROR_INVALID,
               _("a part of a turn is malformed"));
  return FALSE;
}

/* A history that does not read as one is dropped, not the turn: the parts are still the
 * user's, and sending them back as shown is what older versions of Peel did. */
static GPtrArray *
read_history (PeelJson *array)
{
  g_autoptr(GPtrArray) history = NULL;

  if (array == NULL)
    return NULL;
  history = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_replay_entry_free);
  for (PeelJson *o = array->child; o != NULL; o = o->next)
    {
      PeelJson *part, *text;
      PeelReplayEntry *entry;

      if (o->type != PEEL_JSON_OBJECT)
        return NULL;
      part = _peel_json_get_typed (o, "part", PEEL_JSON_NUMBER);
      text = _peel_json_get_typed (o, "text", PEEL_JSON_ARRAY);
      if (part != NULL)
        {
          if (part->inum < 0 || part->inum > G_MAXINT)
            return NULL;
          g_ptr_array_add (history, peel_replay_entry_new ((int) part->inum, NULL));
          continue;
        }
      if (text == NULL)
        return NULL;
      entry = peel_replay_entry_new (-1, get_string (o, "signature"));
      g_ptr_array_add (history, entry);
      for (PeelJson *piece = text->child; piece != NULL; piece = piece->next)
        {
          PeelJson *image;

          if (piece->type == PEEL_JSON_STRING)
            {
              peel_replay_entry_add_text (entry, piece->str, strlen (piece->str));
              continue;
            }
          if (piece->type != PEEL_JSON_OBJECT ||
              (image = _peel_json_get_typed (piece, "base64", PEEL_JSON_NUMBER)) == NULL ||
              image->inum < 0 || image->inum > G_MAXINT)
            return NULL;
          peel_replay_entry_add_image (entry, (int) image->inum);
        }
    }
  return g_steal_pointer (&history);
}

typedef struct
{
  PeelJson *id, *parent, *created, *status, *title, *starred, *hidden, *imported;
  PeelJson *prompt, *references, *aspect_ratio, *size, *model, *thinking_level;
  PeelJson *include_thoughts, *search, *image_search;
  PeelJson *parts, *usage, *cost, *finish_reason, *finish_message, *sources, *queries, *error;
  PeelJson *history, *context_note, *issuer, *context_rebuilt;
  PeelJson *extras, *region, *selection_feather, *marks, *draft_of, *batch;
} Fields;

#define FIELD(key, member) { key, G_STRUCT_OFFSET (Fields, member) }

static const struct
{
  const char *key;
  gsize       offset;
} field_keys[] = {
  FIELD ("id", id), FIELD ("parent", parent), FIELD ("created", created),
  FIELD ("status", status), FIELD ("title", title), FIELD ("starred", starred),
  FIELD ("hidden", hidden), FIELD ("imported", imported), FIELD ("prompt", prompt),
  FIELD ("references", references), FIELD ("aspectRatio", aspect_ratio), FIELD ("size", size),
  FIELD ("model", model), FIELD ("thinkingLevel", thinking_level),
  FIELD ("includeThoughts", include_thoughts), FIELD ("search", search),
  FIELD ("imageSearch", image_search), FIELD ("parts", parts), FIELD ("usage", usage),
  FIELD ("cost", cost), FIELD ("finishReason", finish_reason),
  FIELD ("finishMessage", finish_message), FIELD ("sources", sources),
  FIELD ("searchQueries", queries), FIELD ("error", error), FIELD ("history", history),
  FIELD ("contextNote", context_note),
  FIELD ("issuer", issuer), FIELD ("contextRebuilt", context_rebuilt),
  FIELD ("extras", extras), FIELD ("region", region),
  FIELD ("selectionFeather", selection_feather), FIELD ("marks", marks),
  FIELD ("draftOf", draft_of),
  FIELD ("batch", batch),
};

/* One pass over the members, each found by hash: a session of 500 turns does this 500 times
 * while it opens. */
static void
collect_fields (PeelJson *o,
                Fields   *f)
{
  static GHashTable *offsets;

  if (g_once_init_enter (&offsets))
    {
      GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < G_N_ELEMENTS (field_keys); i++)
        g_hash_table_insert (table, (gpointer) field_keys[i].key,
                             GSIZE_TO_POINTER (field_keys[i].offset + 1));
      g_once_init_leave (&offsets, table);
    }
  memset (f, 0, sizeof *f);
  for (PeelJson *m = o->child; m != NULL; m = m->next)
    {
      gsize offset = GPOINTER_TO_SIZE (g_hash_table_lookup (offsets, m->key));

      if (offset != 0)
        G_STRUCT_MEMBER (PeelJson *, f, offset - 1) = m;
    }
}

static const char *
str (PeelJson *v)
{
  return v != NULL && v->type == PEEL_JSON_STRING ? v->str : NULL;
}

static gboolean
is_true (PeelJson *v)
{
  return v != NULL && v->type == PEEL_JSON_BOOL && v->boolean;
}

static gint64
num (PeelJson *v)
{
  return v != NULL && v->type == PEEL_JSON_NUMBER ? v->inum : 0;
}

/* What a turn's id can be: the link to a draft names one, or nothing. */
static gboolean
is_node_id (const char *id)
{
  gsize len = strlen (id);

  if (len == 0 || len > 64)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-' && id[i] != '_')
      return FALSE;
  return TRUE;
}

static PeelJson *
of_type (PeelJson     *v,
         PeelJsonType  type)
{
  return v != NULL && v->type == type ? v : NULL;
}

PeelNode *
_peel_node_from_json (PeelJson    *o,
                      GError     **error)
{
  g_auto(PeelNodeRecord) record = { 0 };
  PeelNodeRecord *r = &record;
  PeelImageSize size = PEEL_IMAGE_SIZE_1K;
  PeelThinkingLevel level = PEEL_THINKING_DEFAULT;
  PeelJson *usage, *err, *sources, *queries, *region;
  const char *status;
  Fields f;

  collect_fields (o, &f);
  status = str (f.status);
  if (str (f.id) == NULL || *str (f.id) == '\0' || status == NULL)
    {
      g_set_error (error, PEEL_SESSION_ERROR, PEEL_SESSION_ERROR_INVALID,
                   _("a turn has no id or status"));
      return NULL;
    }

  peel_node_record_init (r);
  r->id = g_strdup (str (f.id));
  r->parent_id = g_strdup (str (f.parent));
  r->created = num (f.created);
  r->title = g_strdup (str (f.title));
  r->starred = is_true (f.starred);
  r->hidden = is_true (f.hidden);
  r->imported = is_true (f.imported);
  r->prompt = g_strdup (str (f.prompt) ? str (f.prompt) : "");
  r->aspect_ratio = g_strdup (str (f.aspect_ratio));
  if (str (f.size))
    peel_image_size_from_string (str (f.size), &size);
  r->size = size;
  r->model = g_strdup (str (f.model) ? str (f.model) : PEEL_DEFAULT_MODEL);
  r->issuer = g_strdup (str (f.issuer));
  r->context_rebuilt = is_true (f.context_rebuilt);
  if (str (f.thinking_level))
    peel_thinking_level_from_string (str (f.thinking_level), &level);
  r->options.thinking_level = level;
  r->options.include_thoughts = is_true (f.include_thoughts);
  r->options.search = is_true (f.search);
  r->options.image_search = is_true (f.image_search);

  if (!read_parts (of_type (f.references, PEEL_JSON_ARRAY), r->references,
                   r->reference_blobs, error) ||
      !read_parts (of_type (f.parts, PEEL_JSON_ARRAY), r->parts, r->part_blobs, error))
    return NULL;

  r->history = read_history (of_type (f.history, PEEL_JSON_ARRAY));

  /* Extras, region and marks are the designer's own additions: one that does not read is
   * dropped with a note, never the turn. */
  if (!read_parts (of_type (f.extras, PEEL_JSON_ARRAY), r->extras, r->extra_blobs, NULL))
    {
      g_debug ("Turn %s: its extra images do not read; they are left out.", r->id);
      g_ptr_array_set_size (r->extras, 0);
      g_ptr_array_set_size (r->extra_blobs, 0);
    }
  if ((region = of_type (f.region, PEEL_JSON_OBJECT)))
    {
      r->is_region = TRUE;
      r->region.x = (int) CLAMP (get_int (region, "x"), 0, G_MAXINT);
      r->region.y = (int) CLAMP (get_int (region, "y"), 0, G_MAXINT);
      r->region.width = (int) CLAMP (get_int (region, "width"), 0, G_MAXINT);
      r->region.height = (int) CLAMP (get_int (region, "height"), 0, G_MAXINT);
      r->region.feather = (int) CLAMP (get_int (region, "feather"), 0, 4096);
      r->region.fitted = get_bool (region, "fitted");
    }
  r->selection_feather = (int) CLAMP (num (f.selection_feather), 0, 4096);
  if (str (f.draft_of) != NULL && is_node_id (str (f.draft_of)))
    r->draft_of = g_strdup (str (f.draft_of));
  else if (str (f.draft_of) != NULL)
    g_debug ("Turn %s: its draft is not a turn's id; the link is left out.", r->id);
  /* A batch id is made like a turn's id (hex), so the same check keeps a hostile one out. */
  if (str (f.batch) != NULL && is_node_id (str (f.batch)))
    r->batch = g_strdup (str (f.batch));
  else if (str (f.batch) != NULL)
    g_debug ("Turn %s: its batch is not a batch id; it is left out.", r->id);
  if (str (f.marks) != NULL)
    {
      g_autoptr(GError) marks_error = NULL;

      r->marks = peel_marks_from_json (str (f.marks), -1, &marks_error);
      if (r->marks == NULL)
        g_debug ("Turn %s: its marks are left out: %s", r->id, marks_error->message);
    }

  if ((usage = of_type (f.usage, PEEL_JSON_OBJECT)))
    {
      r->prompt_tokens = get_int (usage, "prompt");
      r->output_tokens = get_int (usage, "output");
      r->thought_tokens = get_int (usage, "thought");
    }
  r->cost = f.cost != NULL && f.cost->type == PEEL_JSON_NUMBER ? f.cost->num : 0.0;
  r->finish_reason = g_strdup (str (f.finish_reason));
  r->finish_message = g_strdup (str (f.finish_message));
  r->context_note = g_strdup (str (f.context_note));
  if ((sources = of_type (f.sources, PEEL_JSON_ARRAY)))
    for (PeelJson *s = sources->child; s != NULL; s = s->next)
      if (s->type == PEEL_JSON_OBJECT)
        g_ptr_array_add (r->sources, peel_source_new (get_string (s, "title"),
                                                         get_string (s, "uri")));
  if ((queries = of_type (f.queries, PEEL_JSON_ARRAY)))
    {
      GStrvBuilder *builder = g_strv_builder_new ();

      for (PeelJson *q = queries->child; q != NULL; q = q->next)
        if (q->type == PEEL_JSON_STRING)
          g_strv_builder_add (builder, q->str);
      r->search_queries = g_strv_builder_end (builder);
      g_strv_builder_unref (builder);
    }
  if ((err = of_type (f.error, PEEL_JSON_OBJECT)))
    {
      r->error_code = g_strdup (get_string (err, "code"));
      r->error_message = g_strdup (get_string (err, "message"));
    }

  if (g_str_equal (status, "done"))
    r->status = PEEL_NODE_DONE;
  else if (g_str_equal (status, "failed"))
    r->status = PEEL_NODE_FAILED;
  else
    r->status = PEEL_NODE_PENDING;

  return peel_node_new_from_record (r);
}
