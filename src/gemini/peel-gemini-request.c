/* peel-gemini-request.c
 *
 * The JSON body of generateContent / streamGenerateContent, written by hand into one buffer:
 * json-glib would hold every base64 string as a separate node and copy it twice, which is slow
 * and doubles the peak memory on a 20 MB request. The fields are those of Google's reference,
 * https://ai.google.dev/api/generate-content, and of the image generation guide,
 * https://ai.google.dev/gemini-api/docs/image-generation; thought signatures are echoed as
 * https://ai.google.dev/gemini-api/docs/thought-signatures asks.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "peel-gemini-error.h"
#include "peel-gemini-request.h"

typedef struct
{
  char      *role;
  GPtrArray *parts;   /* PeelPart, owned copies */
} Turn;

struct _PeelGeminiRequest
{
  GObject            parent_instance;

  char              *model;
  PeelModelFamily    family;

  char              *aspect_ratio;
  PeelImageSize      image_size;
  PeelThinkingLevel  thinking_level;
  gboolean           include_thoughts;
  gboolean           web_search;
  gboolean           image_search;
  gboolean           image_only;

  GPtrArray         *turns;    /* Turn */
  char              *prompt;
  GPtrArray         *images;   /* PeelPart */

  guint              dropped_turns;
  gsize              max_bytes;
};

G_DEFINE_FINAL_TYPE (PeelGeminiRequest, peel_gemini_request, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the API takes as inline image input; GIF is refused by the service. */
static const char *sendable_mime_types[] = {
  "image/png", "image/jpeg", "image/webp", "image/heic", "image/heif",
};

static void
turn_free (Turn *turn)
{
  g_free (turn->role);
  g_ptr_array_unref (turn->parts);
  g_free (turn);
}

static void
peel_gemini_request_finalize (GObject *object)
{
  PeelGeminiRequest *self = (PeelGeminiRequest *)object;

  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->aspect_ratio, g_free);
  g_clear_pointer (&self->turns, g_ptr_array_unref);
  g_clear_pointer (&self->prompt, g_free);
  g_clear_pointer (&self->images, g_ptr_array_unref);

  G_OBJECT_CLASS (peel_gemini_request_parent_class)->finalize (object);
}

static void
peel_gemini_request_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PeelGeminiRequest *self = PEEL_GEMINI_REQUEST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_gemini_request_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  PeelGeminiRequest *self = PEEL_GEMINI_REQUEST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_free (self->model);
      self->model = g_value_dup_string (value);
      if (self->model == NULL)
        self->model = g_strdup (PEEL_DEFAULT_MODEL);
      self->family = peel_model_family_for_id (self->model);
      self->image_size = peel_model_default_size (self->family);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_gemini_request_class_init (PeelGeminiRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = peel_gemini_request_finalize;
  object_class->get_property = peel_gemini_request_get_property;
  object_class->set_property = peel_gemini_request_set_property;

  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL,
                         PEEL_DEFAULT_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
peel_gemini_request_init (PeelGeminiRequest *self)
{
  self->turns = g_ptr_array_new_with_free_func ((GDestroyNotify) turn_free);
  self->images = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  self->aspect_ratio = g_strdup ("1:1");
}

/**
 * peel_gemini_request_new:
 * @model: (nullable): the model id; %NULL for the default model
 *
 * A request for one new turn. Settings start at 1:1 and the family's default size, thinking
 * at the model's default, thoughts not included, no search, text and image replies.
 */
PeelGeminiRequest *
peel_gemini_request_new (const char *model)
{
  return g_object_new (PEEL_TYPE_GEMINI_REQUEST, "model", model, NULL);
}

const char *
peel_gemini_request_get_model (PeelGeminiRequest *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_REQUEST (self), NULL);

  return self->model;
}

/**
 * peel_gemini_request_set_aspect_ratio:
 * @ratio: (nullable): a ratio such as "16:9", or %NULL to let the model match the input image
 */
void
peel_gemini_request_set_aspect_ratio (PeelGeminiRequest *self,
                                      const char        *ratio)
{
  g_return_if_fail (PEEL_IS_GEMINI_REQUEST (self));

  g_free (self->aspect_ratio);
  self->aspect_ratio = g_strdup (ratio);
}

void
peel_gemini_request_set_image_size (PeelGeminiRequest *self,
                                    PeelImageSize      size)
{
  g_return_if_fail (PEEL_IS_GEMINI_REQUEST (self));

  self->image_size = size;
}

void
peel_gemini_request_set_thinking_level (PeelGeminiRequest *self,
                                        PeelThinkingLevel  level)
{
  g_return_if_fail (PEEL_IS_GEMINI_REQUEST (self));

  self->thinking_level = level;
}

void
peel_gemini_request_set_include_thoughts (PeelGeminiRequest *self,
                                          gboolean           include_thoughts)
{
  g_return_if_fail (PEEL_IS_GEMINI_REQUEST (self));

  self->include_thoughts = !!include_thoughts;
}

void
peel_gemini_request_set_search (PeelGeminiRequest *self,
                                gboolean           web_search,
                                gboolean           image_search)
{
  g_return_if_fail (PEEL_IS_GEMINI_REQUEST (self));

  self->web_search = !!web_search;
  self->image_search = !!image_search;
}

void
peel_gemini_request_set_image_only (PeelGeminiRequest *self,
                                    gboolean           image_only)
{
  g_return_if_fail (PEEL_IS_GEMINI_REQUEST (self));

  self->image_only = !!image_only;
}

/**
 * peel_gemini_request_add_turn:
 * @role: "user" or "model"
 * @parts: (element-type PeelPart): the parts of the turn, as stored; they are copied
 *
 * Appends one earlier turn of the branch, oldest first.
 */
void
peel_gemini_request_add_turn (PeelGeminiRequest *self,
                              const char        *role,
                              GPtrArray         *parts)
{
  Turn *turn;

  g_return_if_fail (PEEL_IS_GEMINI_REQUEST (self));
  g_return_if_fail (g_strcmp0 (role, "user") == 0 || g_strcmp0 (role, "model") == 0);
  g_return_if_fail (parts != NULL);

  turn = g_new0 (Turn, 1);
  turn->role = g_strdup (role);
  turn->parts = g_ptr_array_new_full (parts->len, (GDestroyNotify) peel_part_free);
  for (guint i = 0; i < parts->len; i++)
    g_ptr_array_add (turn->parts, peel_part_copy (g_ptr_array_index (parts, i)));

  g_ptr_array_add (self->turns, turn);
}

void
peel_gemini_request_set_prompt (PeelGeminiRequest *self,
                                const char        *prompt)
{
  g_return_if_fail (PEEL_IS_GEMINI_REQUEST (self));

  g_free (self->prompt);
  self->prompt = g_strdup (prompt);
}

/**
 * peel_gemini_request_add_image:
 * @image: an image part prepared with peel_image_input_prepare(); it is copied
 *
 * Adds an input image to the new user turn, after the prompt.
 */
void
peel_gemini_request_add_image (PeelGeminiRequest *self,
                               const PeelPart    *image)
{
  g_return_if_fail (PEEL_IS_GEMINI_REQUEST (self));
  g_return_if_fail (image != NULL);
  g_return_if_fail (image->kind == PEEL_PART_IMAGE);

  g_ptr_array_add (self->images, peel_part_copy (image));
}

static gboolean
has_prompt (PeelGeminiRequest *self)
{
  return self->prompt != NULL && self->prompt[0] != '\0';
}

static char *
join_supported_ratios (PeelModelFamily family)
{
  g_autoptr(GString) str = g_string_new (NULL);

  for (guint i = 0; i < PEEL_N_ASPECT_RATIOS; i++)
    {
      const char *name = peel_aspect_ratio_get_name (i);

      if (!peel_model_supports_ratio (family, name))
        continue;
      if (str->len > 0)
        g_string_append (str, ", ");
      g_string_append (str, name);
    }

  return g_string_free (g_steal_pointer (&str), FALSE);
}

static char *
join_supported_sizes (PeelModelFamily family)
{
  g_autoptr(GString) str = g_string_new (NULL);

  for (guint i = 0; i < PEEL_N_IMAGE_SIZES; i++)
    {
      if (!peel_model_supports_size (family, i))
        continue;
      if (str->len > 0)
        g_string_append (str, ", ");
      g_string_append (str, peel_image_size_to_string (i));
    }

  return g_string_free (g_steal_pointer (&str), FALSE);
}

static gboolean
is_sendable_mime_type (const char *mime_type)
{
  for (guint i = 0; i < G_N_ELEMENTS (sendable_mime_types); i++)
    if (g_strcmp0 (mime_type, sendable_mime_types[i]) == 0)
      return TRUE;

  return FALSE;
}

/**
 * peel_gemini_request_validate:
 *
 * Checks the settings against what the model family takes, before anything is sent.
 *
 * Returns: %TRUE when the request can be built; else %FALSE with a
 *   %PEEL_GEMINI_ERROR_BAD_INPUT error that says what to pick instead
 */
gboolean
peel_gemini_request_validate (PeelGeminiRequest  *self,
                              GError            **error)
{
  const char *name;
  guint max_images;

  g_return_val_if_fail (PEEL_IS_GEMINI_REQUEST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  name = peel_model_family_get_display_name (self->family);

  if (!has_prompt (self) && self->images->len == 0)
    {
      g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
                           _("There is nothing to send. Write a prompt or add an image."));
      return FALSE;
    }

  if (self->aspect_ratio != NULL && !peel_model_supports_ratio (self->family, self->aspect_ratio))
    {
      g_autofree char *list = join_supported_ratios (self->family);

      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
                   /* Translators: the first %s is a model name, the second a ratio such
                    * as 1:8, the third a list of ratios. */
                   _("%s does not make %s images. Pick one of %s."),
                   name, self->aspect_ratio, list);
      return FALSE;
    }

  if (!peel_model_supports_size (self->family, self->image_size))
    {
      g_autofree char *list = join_supported_sizes (self->family);
      const char *size = self->image_size < PEEL_N_IMAGE_SIZES
                         ? peel_image_size_to_string (self->image_size) : "?";

      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
                   /* Translators: the first %s is a model name, the second a size such
                    * as 4K or 512, the third a list of sizes. */
                   _("%s does not make images at size %s. Pick %s."),
                   name, size, list);
      return FALSE;
    }

  max_images = peel_model_max_input_images (self->family);
  if (self->images->len > max_images)
    {
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s takes at most %u reference image, and this turn has %u. "
                                "Remove some.",
                                "%s takes at most %u reference images, and this turn has %u. "
                                "Remove some.",
                                max_images),
                   name, max_images, self->images->len);
      return FALSE;
    }

  for (guint i = 0; i < self->images->len; i++)
    {
      const PeelPart *image = g_ptr_array_index (self->images, i);

      if (image->data == NULL || !is_sendable_mime_type (image->mime_type))
        {
          g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
                       _("Reference image %u is in a format the service does not take (%s). "
                         "Add it again so Peel can convert it."),
                       i + 1, image->mime_type ? image->mime_type : "?");
          return FALSE;
        }
    }

  if (self->web_search && !peel_model_supports_search (self->family))
    {
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
                   _("%s cannot search the web. Turn off web search, or pick Nano Banana 2 "
                     "or Nano Banana Pro."),
                   name);
      return FALSE;
    }

  if (self->image_search && !peel_model_supports_image_search (self->family))
    {
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
                   _("%s cannot search for images. Turn off image search, or pick "
                     "Nano Banana 2."),
                   name);
      return FALSE;
    }

  for (guint t = 0; t < self->turns->len; t++)
    {
      const Turn *turn = g_ptr_array_index (self->turns, t);

      for (guint p = 0; p < turn->parts->len; p++)
        {
          const PeelPart *part = g_ptr_array_index (turn->parts, p);

          if (part->kind == PEEL_PART_IMAGE && (part->data == NULL || part->mime_type == NULL))
            {
              g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
                                   _("An earlier image of this branch could not be read back. "
                                     "Start a new branch from an image that shows."));
              return FALSE;
            }
        }
    }

  return TRUE;
}

/*
 * The writer either appends to @out or, when @out is NULL, only counts. Sizes are measured
 * with the very code that writes, so the budget can never disagree with the body.
 */
typedef struct
{
  GString *out;
  gsize    len;
} Writer;

static void
w_raw (Writer     *w,
       const char *str)
{
  gsize n = strlen (str);

  w->len += n;
  if (w->out)
    g_string_append_len (w->out, str, n);
}

/* RFC 8259: quotes, backslash and C0 controls are escaped; everything else is valid UTF-8
 * and goes through as it is. */
static void
w_string (Writer     *w,
          const char *str)
{
  g_autofree char *valid = NULL;
  const guchar *p;

  if (!g_utf8_validate (str, -1, NULL))
    str = valid = g_utf8_make_valid (str, -1);

  w->len += 2;
  if (w->out)
    g_string_append_c (w->out, '"');

  for (p = (const guchar *) str; *p; p++)
    {
      const char *esc = NULL;
      char buf[8];

      switch (*p)
        {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
          if (*p < 0x20)
            {
              g_snprintf (buf, sizeof buf, "\\u%04x", *p);
              esc = buf;
            }
          break;
        }

      if (esc != NULL)
        {
          w_raw (w, esc);
        }
      else
        {
          w->len++;
          if (w->out)
            g_string_append_c (w->out, (char) *p);
        }
    }

  if (w->out)
    g_string_append_c (w->out, '"');
}

static void
w_base64 (Writer *w,
          GBytes *bytes)
{
  gsize n = 0;
  const guchar *data = bytes ? g_bytes_get_data (bytes, &n) : NULL;
  gsize encoded = 4 * ((n + 2) / 3);

  w->len += encoded + 2;
  if (w->out == NULL)
    return;

  g_string_append_c (w->out, '"');
  if (n > 0)
    {
      gsize start = w->out->len;
      gsize written;
      int state = 0;
      int save = 0;

      /* encode_step may write up to 4 bytes past the final length before close trims it */
      g_string_set_size (w->out, start + (n / 3 + 1) * 4 + 4);
      written = g_base64_encode_step (data, n, FALSE, w->out->str + start, &state, &save);
      written += g_base64_encode_close (FALSE, w->out->str + start + written, &state, &save);
      g_assert (written == encoded);
      g_string_truncate (w->out, start + written);
    }
  g_string_append_c (w->out, '"');
}

static void
w_part (Writer         *w,
        const PeelPart *part)
{
  if (part->kind == PEEL_PART_IMAGE)
    {
      w_raw (w, "{\"inlineData\":{\"mimeType\":");
      w_string (w, part->mime_type ? part->mime_type : "application/octet-stream");
      w_raw (w, ",\"data\":");
      w_base64 (w, part->data);
      w_raw (w, "}");
    }
  else
    {
      w_raw (w, "{\"text\":");
      w_string (w, part->text ? part->text : "");
    }

  if (part->thought)
    w_raw (w, ",\"thought\":true");

  if (part->signature != NULL)
    {
      w_raw (w, ",\"thoughtSignature\":");
      w_string (w, part->signature);
    }

  w_raw (w, "}");
}

/* Unsigned thoughts are the model's scratch work: resending them costs bytes and tokens and
 * the API does not need them. A thought that carries a signature is kept, because every
 * signature the model gave must come back on the part it came with. An empty text part
 * without a signature (a stream's last delta) says nothing and is left out too. */
static gboolean
part_is_sent (const Turn     *turn,
              const PeelPart *part)
{
  if (part->signature != NULL)
    return TRUE;

  if (part->kind == PEEL_PART_TEXT && (part->text == NULL || part->text[0] == '\0'))
    return FALSE;

  return !(part->thought && g_strcmp0 (turn->role, "model") == 0);
}

/* The service refuses a turn with no parts; a model turn that held only unsigned thoughts
 * (a reply cut short) carries nothing the model needs, so it is left out whole. */
static gboolean
turn_is_sent (const Turn *turn)
{
  for (guint i = 0; i < turn->parts->len; i++)
    if (part_is_sent (turn, g_ptr_array_index (turn->parts, i)))
      return TRUE;

  return FALSE;
}

static void
w_turn (Writer     *w,
        const Turn *turn)
{
  gboolean first = TRUE;

  w_raw (w, "{\"role\":");
  w_string (w, turn->role);
  w_raw (w, ",\"parts\":[");

  for (guint i = 0; i < turn->parts->len; i++)
    {
      const PeelPart *part = g_ptr_array_index (turn->parts, i);

      if (!part_is_sent (turn, part))
        continue;
      if (!first)
        w_raw (w, ",");
      w_part (w, part);
      first = FALSE;
    }

  w_raw (w, "]}");
}

static void
w_new_turn (Writer            *w,
            PeelGeminiRequest *self)
{
  gboolean first = TRUE;

  w_raw (w, "{\"role\":\"user\",\"parts\":[");

  if (has_prompt (self))
    {
      w_raw (w, "{\"text\":");
      w_string (w, self->prompt);
      w_raw (w, "}");
      first = FALSE;
    }

  for (guint i = 0; i < self->images->len; i++)
    {
      const PeelPart *image = g_ptr_array_index (self->images, i);

      if (!first)
        w_raw (w, ",");
      w_raw (w, "{\"inlineData\":{\"mimeType\":");
      w_string (w, image->mime_type);
      w_raw (w, ",\"data\":");
      w_base64 (w, image->data);
      w_raw (w, "}}");
      first = FALSE;
    }

  w_raw (w, "]}");
}

static void
w_config (Writer            *w,
          PeelGeminiRequest *self)
{
  gboolean send_size = peel_model_sends_image_size (self->family);
  gboolean search = self->web_search && peel_model_supports_search (self->family);
  gboolean image_search = self->image_search && peel_model_supports_image_search (self->family);

  w_raw (w, "\"generationConfig\":{\"responseModalities\":");
  w_raw (w, self->image_only ? "[\"IMAGE\"]" : "[\"TEXT\",\"IMAGE\"]");

  if (self->aspect_ratio != NULL || send_size)
    {
      w_raw (w, ",\"imageConfig\":{");
      if (self->aspect_ratio != NULL)
        {
          w_raw (w, "\"aspectRatio\":");
          w_string (w, self->aspect_ratio);
        }
      if (send_size)
        {
          if (self->aspect_ratio != NULL)
            w_raw (w, ",");
          w_raw (w, "\"imageSize\":");
          w_string (w, peel_image_size_to_string (self->image_size));
        }
      w_raw (w, "}");
    }

  if (peel_model_supports_thinking_level (self->family))
    {
      const char *level = peel_thinking_level_to_string (self->thinking_level);

      w_raw (w, ",\"thinkingConfig\":{");
      if (level != NULL)
        {
          w_raw (w, "\"thinkingLevel\":");
          w_string (w, level);
          w_raw (w, ",");
        }
      w_raw (w, "\"includeThoughts\":");
      w_raw (w, self->include_thoughts ? "true}" : "false}");
    }

  w_raw (w, "}");

  if (image_search)
    {
      w_raw (w, ",\"tools\":[{\"googleSearch\":{\"searchTypes\":{");
      if (search)
        w_raw (w, "\"webSearch\":{},");
      w_raw (w, "\"imageSearch\":{}}}}]");
    }
  else if (search)
    {
      w_raw (w, ",\"tools\":[{\"googleSearch\":{}}]");
    }
}

/* The whole body, leaving out history turns before @first_turn. */
static void
w_body (Writer            *w,
        PeelGeminiRequest *self,
        guint              first_turn)
{
  w_raw (w, "{\"contents\":[");
  for (guint i = first_turn; i < self->turns->len; i++)
    {
      const Turn *turn = g_ptr_array_index (self->turns, i);

      if (!turn_is_sent (turn))
        continue;
      w_turn (w, turn);
      w_raw (w, ",");
    }
  w_new_turn (w, self);
  w_raw (w, "],");
  w_config (w, self);
  w_raw (w, "}");
}

static gsize
measure_turn (const Turn *turn)
{
  Writer w = { NULL, 0 };

  if (!turn_is_sent (turn))
    return 0;

  w_turn (&w, turn);
  return w.len + 1;   /* and the comma after it */
}

/* The index of the first history turn to send so that the body fits in @max_bytes, or -1
 * when nothing that may be dropped makes it fit. @total is the size of the body sent. */
static int
choose_first_turn (PeelGeminiRequest *self,
                   gsize              max_bytes,
                   gsize             *total)
{
  Writer w = { NULL, 0 };
  g_autofree gsize *sizes = g_new0 (gsize, self->turns->len + 1);
  guint n = self->turns->len;
  guint protect = n;
  guint start = 0;

  w_body (&w, self, n);
  *total = w.len;
  for (guint i = 0; i < n; i++)
    {
      sizes[i] = measure_turn (g_ptr_array_index (self->turns, i));
      *total += sizes[i];
    }

  /* The last model turn holds the image being edited: never drop it, nor the user turn
   * before it, so the contents still start with a user turn. */
  for (guint i = n; i > 0; i--)
    {
      const Turn *turn = g_ptr_array_index (self->turns, i - 1);

      if (g_strcmp0 (turn->role, "model") == 0)
        {
          protect = i - 1;
          break;
        }
    }

  while (max_bytes > 0 && *total > max_bytes)
    {
      guint next = start + 1;
      gsize freed = sizes[start];

      if (start >= n)
        return -1;

      /* Drop up to the next user turn: a user+model pair in a well-formed branch. */
      while (next < n && g_strcmp0 (((Turn *) g_ptr_array_index (self->turns, next))->role,
                                    "user") != 0)
        freed += sizes[next++];

      if (next > protect)
        return -1;

      *total -= freed;
      start = next;
    }

  return (int) start;
}

static char *
format_limit (gsize max_bytes)
{
  const gsize mib = 1024 * 1024;
  const gsize mb = 1000 * 1000;

  if (max_bytes % mib == 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " MB", max_bytes / mib);
  if (max_bytes % mb == 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " MB", max_bytes / mb);

  return g_format_size (max_bytes);
}

/**
 * peel_gemini_request_build:
 * @max_bytes: the provider's limit on the body, or 0 for none
 *
 * Validates the request and writes its JSON body. When the body would be larger than
 * @max_bytes, the oldest history turns are left out, a user+model pair at a time, but never
 * the last model turn (the image being edited) nor the new turn.
 *
 * Returns: (transfer full): the body, or %NULL with a %PEEL_GEMINI_ERROR_BAD_INPUT or
 *   %PEEL_GEMINI_ERROR_TOO_LARGE error
 */
GBytes *
peel_gemini_request_build (PeelGeminiRequest  *self,
                           gsize               max_bytes,
                           GError            **error)
{
  g_autoptr(GString) out = NULL;
  Writer w = { NULL, 0 };
  gsize total = 0;
  int first;

  g_return_val_if_fail (PEEL_IS_GEMINI_REQUEST (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->dropped_turns = 0;
  self->max_bytes = max_bytes;

  if (!peel_gemini_request_validate (self, error))
    return NULL;

  first = choose_first_turn (self, max_bytes, &total);
  if (first < 0)
    {
      g_autofree char *size = g_format_size (total);
      g_autofree char *limit = format_limit (max_bytes);

      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE,
                   /* Translators: the first %s is a size such as 23.4 MB, the second
                    * one such as 20 MB. */
                   _("This request would be %s, over the provider’s %s limit, even with the "
                     "earlier turns left out. Use fewer or smaller reference images."),
                   size, limit);
      return NULL;
    }

  self->dropped_turns = (guint) first;

  out = g_string_sized_new (total + 16);
  w.out = out;
  w_body (&w, self, (guint) first);
  g_assert (w.len == total && out->len == total);

  return g_string_free_to_bytes (g_steal_pointer (&out));
}

/**
 * peel_gemini_request_get_dropped_turns:
 *
 * Returns: how many of the oldest history turns the last build left out to fit the limit
 */
guint
peel_gemini_request_get_dropped_turns (PeelGeminiRequest *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_REQUEST (self), 0);

  return self->dropped_turns;
}

/**
 * peel_gemini_request_dup_summary:
 *
 * Returns: (transfer full) (nullable): a sentence saying what the last build left out, or
 *   %NULL when it sent everything
 */
char *
peel_gemini_request_dup_summary (PeelGeminiRequest *self)
{
  g_autofree char *limit = NULL;

  g_return_val_if_fail (PEEL_IS_GEMINI_REQUEST (self), NULL);

  if (self->dropped_turns == 0)
    return NULL;

  limit = format_limit (self->max_bytes);

  /* Translators: %u is a number of turns, %s a size such as 20 MB. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u earlier turn was left out to stay under the "
                                       "provider’s %s limit.",
                                       "%u earlier turns were left out to stay under the "
                                       "provider’s %s limit.",
                                       self->dropped_turns),
                          self->dropped_turns, limit);
}
