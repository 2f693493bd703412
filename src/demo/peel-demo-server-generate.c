/* peel-demo-server-generate.c
 *
 * The demo server's worker: once peel-demo-server-request.c has read the request, paints
 * the answer and writes it as one JSON reply or as SSE events, thoughts and interim images
 * first. Runs in a worker thread and hands what it makes to the main thread through the
 * job's queue.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "peel-demo-painter.h"
#include "peel-demo-server-private.h"
#include "peel-util.h"
#include "peel-model-catalog.h"

#define IMAGE_PLACEHOLDER "PEEL-DEMO-IMAGE-"

typedef struct
{
  gboolean  thought;
  char     *text;
  char     *b64;
  char     *file_uri;
  char     *signature;
} OutPart;

static void
out_part_free (gpointer data)
{
  OutPart *part = data;

  g_free (part->text);
  g_free (part->b64);
  g_free (part->file_uri);
  g_free (part->signature);
  g_free (part);
}

static guint
image_tokens (PeelDemoRequest *g)
{
  static const guint flash[] = { 747, 1120, 1680, 2520 };
  static const guint pro[] = { 1120, 1120, 1120, 2000 };

  switch (g->family)
    {
    case PEEL_MODEL_FAMILY_FLASH_3_1:
      return flash[g->size];
    case PEEL_MODEL_FAMILY_PRO_3:
      return pro[g->size];
    case PEEL_MODEL_FAMILY_FLASH_2_5:
      return 1290;
    case PEEL_MODEL_FAMILY_FLASH_LITE_3_1:
    case PEEL_MODEL_FAMILY_OTHER:
    default:
      return 1120;
    }
}

static gboolean
thinks (PeelDemoRequest *g)
{
  return g->family != PEEL_MODEL_FAMILY_FLASH_2_5 &&
         (g->include_thoughts || g->thinking_high || g->family == PEEL_MODEL_FAMILY_PRO_3);
}

static gboolean
shows_thoughts (PeelDemoRequest *g)
{
  return g->family != PEEL_MODEL_FAMILY_FLASH_2_5 && g->include_thoughts;
}

static void
add_usage (PeelDemoRequest         *g,
           JsonBuilder *b,
           gboolean     with_output,
           gsize        text_len)
{
  gint64 image = with_output && g->want_image ? image_tokens (g) : 0;
  gint64 text = with_output && g->want_text ? (gint64) text_len / 4 + 1 : 0;
  gint64 thoughts = with_output && thinks (g) ? 180 + g->hash[5] * 3 : 0;

  json_builder_set_member_name (b, "usageMetadata");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "promptTokenCount");
  json_builder_add_int_value (b, g->prompt_tokens);
  if (with_output)
    {
      json_builder_set_member_name (b, "candidatesTokenCount");
      json_builder_add_int_value (b, image + text);
    }
  json_builder_set_member_name (b, "totalTokenCount");
  json_builder_add_int_value (b, g->prompt_tokens + image + text + thoughts);
  if (thoughts > 0)
    {
      json_builder_set_member_name (b, "thoughtsTokenCount");
      json_builder_add_int_value (b, thoughts);
    }
  json_builder_set_member_name (b, "promptTokensDetails");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "modality");
  json_builder_add_string_value (b, "TEXT");
  json_builder_set_member_name (b, "tokenCount");
  json_builder_add_int_value (b, g->prompt_tokens);
  json_builder_end_object (b);
  json_builder_end_array (b);
  if (image > 0)
    {
      json_builder_set_member_name (b, "candidatesTokensDetails");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "modality");
      json_builder_add_string_value (b, "IMAGE");
      json_builder_set_member_name (b, "tokenCount");
      json_builder_add_int_value (b, image);
      json_builder_end_object (b);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

static char *
short_prompt (PeelDemoRequest   *g,
              guint  max_chars)
{
  const char *text = g->prompt->len > 0 ? g->prompt->str : "an empty prompt";

  return peel_utf8_shorten (text, max_chars);
}

static void
add_grounding (PeelDemoRequest         *g,
               JsonBuilder *b)
{
  g_autofree char *topic = short_prompt (g, 60);
  g_autofree char *slug = NULL;
  GString *s = g_string_new (NULL);

  for (const char *p = topic; *p != '\0' && s->len < 40; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (s, g_ascii_tolower (*p));
      else if (s->len > 0 && s->str[s->len - 1] != '-')
        g_string_append_c (s, '-');
    }
  slug = g_string_free (s, FALSE);
  if (*slug == '\0')
    {
      g_free (slug);
      slug = g_strdup ("picture");
    }

  json_builder_set_member_name (b, "groundingMetadata");
  json_builder_begin_object (b);

  json_builder_set_member_name (b, "searchEntryPoint");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "renderedContent");
  {
    g_autofree char *escaped = g_markup_escape_text (topic, -1);
    g_autofree char *html = g_strdup_printf ("<div class=\"peel-demo-search\">Demo search "
                                             "(no real search was made): %s</div>", escaped);
    json_builder_add_string_value (b, html);
  }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "groundingChunks");
  json_builder_begin_array (b);
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *uri = g_strdup_printf ("https://example.com/peel-demo/%s/source-%u",
                                              slug, i);
      g_autofree char *title = g_strdup_printf ("Demo source %u about %s", i, topic);
      gboolean image = g->image_search && i == 3;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, image ? "image" : "web");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, image ? "sourceUri" : "uri");
      json_builder_add_string_value (b, uri);
      if (image)
        {
          g_autofree char *image_uri = g_strconcat (uri, "/image.png", NULL);

          json_builder_set_member_name (b, "imageUri");
          json_builder_add_string_value (b, image_uri);
        }
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, title);
      json_builder_set_member_name (b, "domain");
      json_builder_add_string_value (b, "example.com");
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "webSearchQueries");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, topic);
  {
    g_autofree char *second = g_strconcat (topic, " reference", NULL);
    json_builder_add_string_value (b, second);
  }
  json_builder_end_array (b);

  if (g->image_search)
    {
      g_autofree char *query = g_strconcat (topic, " photo", NULL);

      json_builder_set_member_name (b, "imageSearchQueries");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, query);
      json_builder_end_array (b);
    }

  json_builder_end_object (b);
}

/* Writes the reply with json-glib, then splices the base64 images in where their
 * placeholders are: escaping tens of megabytes character by character would be slow. */
static GBytes *
finish_json (JsonBuilder *b,
             GPtrArray   *images,
             gboolean     sse)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = NULL;
  gsize extra = 0;
  GString *out;
  const char *p;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  for (guint i = 0; i < images->len; i++)
    extra += strlen (g_ptr_array_index (images, i));

  out = g_string_sized_new (strlen (text) + extra + 16);
  if (sse)
    g_string_append (out, "data: ");

  p = text;
  for (guint i = 0; i < images->len; i++)
    {
      g_autofree char *needle = g_strdup_printf ("\"" IMAGE_PLACEHOLDER "%u\"", i);
      const char *at = strstr (p, needle);

      g_assert (at != NULL);
      g_string_append_len (out, p, at - p + 1);
      g_string_append (out, g_ptr_array_index (images, i));
      p = at + strlen (needle) - 1;
    }
  g_string_append (out, p);
  if (sse)
    g_string_append (out, "\r\n\r\n");

  return g_string_free_to_bytes (out);
}

typedef enum
{
  FINISH_NONE,
  FINISH_STOP,
  FINISH_IMAGE_SAFETY,
} Finish;

static GBytes *
response (PeelDemoRequest      *g,
          GPtrArray *parts,
          Finish     finish,
          gboolean   sse)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GPtrArray) images = g_ptr_array_new ();
  gsize text_len = 0;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "candidates");
  json_builder_begin_array (b);
  json_builder_begin_object (b);

  if (parts->len > 0)
    {
      json_builder_set_member_name (b, "content");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "role");
      json_builder_add_string_value (b, "model");
      json_builder_set_member_name (b, "parts");
      json_builder_begin_array (b);
      for (guint i = 0; i < parts->len; i++)
        {
          OutPart *part = g_ptr_array_index (parts, i);

          json_builder_begin_object (b);
          if (part->b64 != NULL)
            {
              g_autofree char *placeholder = g_strdup_printf (IMAGE_PLACEHOLDER "%u",
                                                              images->len);

              json_builder_set_member_name (b, "inlineData");
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "mimeType");
              json_builder_add_string_value (b, "image/png");
              json_builder_set_member_name (b, "data");
              json_builder_add_string_value (b, placeholder);
              json_builder_end_object (b);
              g_ptr_array_add (images, part->b64);
            }
          else if (part->file_uri != NULL)
            {
              json_builder_set_member_name (b, "fileData");
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "mimeType");
              json_builder_add_string_value (b, "image/png");
              json_builder_set_member_name (b, "fileUri");
              json_builder_add_string_value (b, part->file_uri);
              json_builder_end_object (b);
            }
          else
            {
              json_builder_set_member_name (b, "text");
              json_builder_add_string_value (b, part->text);
              if (!part->thought)
                text_len += strlen (part->text);
            }
          if (part->thought)
            {
              json_builder_set_member_name (b, "thought");
              json_builder_add_boolean_value (b, TRUE);
            }
          if (part->signature != NULL)
            {
              json_builder_set_member_name (b, "thoughtSignature");
              json_builder_add_string_value (b, part->signature);
            }
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }

  if (finish == FINISH_STOP)
    {
      json_builder_set_member_name (b, "finishReason");
      json_builder_add_string_value (b, "STOP");
      if (g->search)
        add_grounding (g, b);
    }
  else if (finish == FINISH_IMAGE_SAFETY)
    {
      json_builder_set_member_name (b, "finishReason");
      json_builder_add_string_value (b, "IMAGE_SAFETY");
      json_builder_set_member_name (b, "finishMessage");
      json_builder_add_string_value (b, "Unable to show the generated image. The image was "
                                        "filtered out because it violated Google's Generative "
                                        "AI Prohibited Use policy. You will not be charged for "
                                        "blocked images. Try rephrasing the prompt. If you "
                                        "think this was an error, send feedback.");
    }
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, 0);
  json_builder_end_object (b);
  json_builder_end_array (b);

  add_usage (g, b, TRUE, text_len > 0 ? text_len : 24);
  json_builder_set_member_name (b, "modelVersion");
  json_builder_add_string_value (b, g->model);
  json_builder_set_member_name (b, "responseId");
  json_builder_add_string_value (b, g->response_id);
  json_builder_end_object (b);

  return finish_json (b, images, sse);
}

static GBytes *
blocked_response (PeelDemoRequest      *g,
                  gboolean  sse)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GPtrArray) images = g_ptr_array_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "promptFeedback");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "blockReason");
  json_builder_add_string_value (b, "OTHER");
  json_builder_end_object (b);
  add_usage (g, b, FALSE, 0);
  json_builder_set_member_name (b, "modelVersion");
  json_builder_add_string_value (b, g->model);
  json_builder_set_member_name (b, "responseId");
  json_builder_add_string_value (b, g->response_id);
  json_builder_end_object (b);

  return finish_json (b, images, sse);
}

static OutPart *
text_part (const char *text,
           gboolean    thought)
{
  OutPart *part = g_new0 (OutPart, 1);

  part->text = g_strdup (text);
  part->thought = thought;
  return part;
}

static GPtrArray *
thought_texts (PeelDemoRequest *g)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *topic = short_prompt (g, 80);
  gboolean edit = g->previous != NULL || g->inputs->len > 0;
  static const char *palettes[] = { "dawn", "sea-glass", "orchard", "dusk", "citrus", "slate" };

  g_ptr_array_add (texts, g_strdup (edit ? "**Planning the edit**\n\n"
                                         : "**Composing the scene**\n\n"));
  g_ptr_array_add (texts, g_strdup_printf ("I'm reading the request: “%s”. ", topic));
  if (edit)
    g_ptr_array_add (texts, g_strdup_printf ("I'll keep the %s and lay the change over it "
                                             "with a %s tint, ",
                                             g->previous != NULL ? "previous picture"
                                                                 : "reference images",
                                             palettes[g->hash[3] % G_N_ELEMENTS (palettes)]));
  else
    g_ptr_array_add (texts, g_strdup_printf ("I'll try a soft %s palette with %s, ",
                                             palettes[g->hash[3] % G_N_ELEMENTS (palettes)],
                                             (g->hash[31] & 1) ? "rolling hills under a low sun"
                                                               : "overlapping round shapes"));
  g_ptr_array_add (texts, g_strdup_printf ("then check the framing at %s before the final "
                                           "render.", g->ratio));

  return texts;
}

static char *
paint_b64 (PeelDemoRequest        *g,
           int         width,
           int         height,
           guint       draft,
           GdkPixbuf  *base,
           GBytes    **png_out,
           GError    **error)
{
  /* Peel's region edit: one picture cut out of a larger one, and the request after its
   * words. The answer repaints that picture with the change. */
  const char *request = g->previous == NULL && g->inputs->len == 1
                        ? strstr (g->prompt->str, "\nThe request: ") : NULL;
  PeelDemoPaintSpec spec = {
    .prompt = request != NULL ? request + strlen ("\nThe request: ") : g->prompt->str,
    .width = width,
    .height = height,
    .ratio = g->ratio,
    .size_label = peel_model_sends_image_size (g->family)
                  ? peel_image_size_to_string (g->size) : NULL,
    .base = base,
    .inputs = g->inputs,
    .draft = draft,
    .region = request != NULL,
    .variant = g->variant,
  };
  g_autoptr(GBytes) png = NULL;
  char *b64;

  if (spec.region)
    {
      spec.base = g_ptr_array_index (g->inputs, 0);
      spec.inputs = NULL;
    }
  png = peel_demo_painter_paint (&spec, error);

  if (png == NULL)
    return NULL;

  b64 = g_base64_encode (g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  if (png_out != NULL)
    *png_out = g_steal_pointer (&png);

  return b64;
}

static void
push_event (PeelDemoRequest       *g,
            GPtrArray *parts,
            Finish     finish)
{
  peel_demo_job_push (g->job, PEEL_DEMO_ITEM_EVENT, 200, response (g, parts, finish, TRUE));
}

static void
generate (PeelDemoRequest *g)
{
  PeelDemoJob *job = g->job;
  gboolean sse = job->stream;
  PeelDemoFault fault = job->fault;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (out_part_free);
  g_autoptr(GdkPixbuf) base = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autofree char *final_b64 = NULL;
  g_autofree char *topic = short_prompt (g, 80);
  int width, height;

  if (fault == PEEL_DEMO_FAULT_BLOCKED_PROMPT)
    {
      peel_demo_job_push (job, sse ? PEEL_DEMO_ITEM_EVENT : PEEL_DEMO_ITEM_REPLY, 200,
                          blocked_response (g, sse));
      if (sse)
        peel_demo_job_push (job, PEEL_DEMO_ITEM_END, 200, NULL);
      return;
    }

  if (!peel_model_pixel_size (g->family, g->ratio, g->size, &width, &height))
    {
      peel_demo_job_push (job, PEEL_DEMO_ITEM_ERROR, 400,
                          peel_demo_error_printf (400, "INVALID_ARGUMENT",
                                                  "Unsupported aspect ratio \"%s\".", g->ratio));
      return;
    }

  if (g->previous != NULL)
    {
      base = peel_demo_painter_decode (g->previous, NULL);
      /* An image that does not decode is still edited: painted over a fresh picture. */
    }

  if (shows_thoughts (g))
    {
      g_autoptr(GPtrArray) texts = thought_texts (g);
      g_autoptr(GString) joined = g_string_new (NULL);

      for (guint i = 0; i < texts->len; i++)
        {
          const char *text = g_ptr_array_index (texts, i);

          g_string_append (joined, text);
          if (sse)
            {
              g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func (out_part_free);

              g_ptr_array_add (one, text_part (text, TRUE));
              push_event (g, one, FINISH_NONE);
            }
        }
      g_ptr_array_add (all, text_part (joined->str, TRUE));

      for (guint draft = 1; draft <= 2 && g->want_image; draft++)
        {
          double scale = MIN (0.5, 1024.0 / MAX (width, height));
          OutPart *part = g_new0 (OutPart, 1);

          if (g_cancellable_is_cancelled (job->cancellable))
            {
              out_part_free (part);
              return;
            }
          part->thought = TRUE;
          part->b64 = paint_b64 (g, MAX (16, (int) (width * scale)),
                                 MAX (16, (int) (height * scale)), draft, base, NULL, &error);
          if (part->b64 == NULL)
            {
              out_part_free (part);
              break;
            }
          g_ptr_array_add (all, part);
          if (sse)
            {
              g_autoptr(GPtrArray) one = g_ptr_array_new ();

              g_ptr_array_add (one, part);
              push_event (g, one, FINISH_NONE);
            }
        }
    }

  if (fault == PEEL_DEMO_FAULT_IMAGE_SAFETY)
    {
      g_autoptr(GPtrArray) none = g_ptr_array_new ();

      if (sse)
        push_event (g, none, FINISH_IMAGE_SAFETY);
      else
        peel_demo_job_push (job, PEEL_DEMO_ITEM_REPLY, 200,
                            response (g, all, FINISH_IMAGE_SAFETY, FALSE));
      if (sse)
        peel_demo_job_push (job, PEEL_DEMO_ITEM_END, 200, NULL);
      return;
    }

  if (g_cancellable_is_cancelled (job->cancellable))
    return;

  if (g->want_image)
    {
      final_b64 = paint_b64 (g, width, height, 0, base, &png, &error);
      if (final_b64 == NULL)
        {
          peel_demo_job_push (job, PEEL_DEMO_ITEM_ERROR, 500,
                              peel_demo_error_printf (500, "INTERNAL", "The demo painter failed: "
                                                      "%s", error->message));
          return;
        }
    }

  if (g->want_text || fault == PEEL_DEMO_FAULT_DATA_URI)
    {
      g_autofree char *text = NULL;
      OutPart *part;

      if (g->previous != NULL || g->inputs->len > 0)
        text = g_strdup_printf ("Here is the picture with your change: “%s”.", topic);
      else
        text = g_strdup_printf ("Here is your picture of “%s”.", topic);

      if (fault == PEEL_DEMO_FAULT_DATA_URI && final_b64 != NULL)
        {
          g_autofree char *with_uri = g_strdup_printf ("%s\n\n![image](data:image/png;base64,%s)",
                                                       text, final_b64);
          g_free (text);
          text = g_steal_pointer (&with_uri);
          g_clear_pointer (&final_b64, g_free);
        }

      part = text_part (text, FALSE);
      if (g->signs)
        part->signature = peel_demo_sign ('T', text, strlen (text));
      g_ptr_array_add (all, part);
      if (sse)
        {
          g_autoptr(GPtrArray) one = g_ptr_array_new ();

          g_ptr_array_add (one, part);
          push_event (g, one, final_b64 == NULL && fault != PEEL_DEMO_FAULT_TRUNCATED_STREAM
                              ? FINISH_STOP : FINISH_NONE);
        }
    }

  if (fault == PEEL_DEMO_FAULT_TRUNCATED_STREAM)
    {
      if (sse)
        peel_demo_job_push (job, PEEL_DEMO_ITEM_END, 200, NULL);
      else
        peel_demo_job_push (job, PEEL_DEMO_ITEM_REPLY, 200,
                            response (g, all, FINISH_NONE, FALSE));
      return;
    }

  if (final_b64 != NULL)
    {
      OutPart *part = g_new0 (OutPart, 1);

      if (peel_demo_fault_is_image_url (fault))
        {
          /* The link's file is in place before the reply that names it goes out. */
          if (fault != PEEL_DEMO_FAULT_IMAGE_URL_MISSING)
            peel_demo_job_push (job, PEEL_DEMO_ITEM_FILE, 0, peel_demo_link_body (fault, png));
          part->file_uri = g_strdup (job->file_url);
          g_clear_pointer (&final_b64, g_free);
        }
      else
        part->b64 = g_steal_pointer (&final_b64);
      if (g->signs)
        part->signature = peel_demo_sign ('I', g_bytes_get_data (png, NULL),
                                          g_bytes_get_size (png));
      g_ptr_array_add (all, part);
      if (sse)
        {
          g_autoptr(GPtrArray) one = g_ptr_array_new ();

          g_ptr_array_add (one, part);
          push_event (g, one, FINISH_STOP);
        }
    }

  if (sse)
    peel_demo_job_push (job, PEEL_DEMO_ITEM_END, 200, NULL);
  else
    peel_demo_job_push (job, PEEL_DEMO_ITEM_REPLY, 200, response (g, all, FINISH_STOP, FALSE));
}

static char *
make_response_id (PeelDemoRequest *g)
{
  guint8 raw[16];
  char *id;

  for (guint i = 0; i < sizeof raw; i++)
    raw[i] = g_random_int_range (0, 256);
  id = g_base64_encode (raw, sizeof raw);
  g_strdelimit (id, "+", '-');
  g_strdelimit (id, "/", '_');
  g_strdelimit (id, "=", '\0');

  return id;
}

struct _PeelDemoVariants
{
  GMutex      lock;
  GHashTable *painted;   /* prompt → times painted, as a pointer */
};

PeelDemoVariants *
peel_demo_variants_new (void)
{
  PeelDemoVariants *variants = g_atomic_rc_box_new0 (PeelDemoVariants);

  g_mutex_init (&variants->lock);
  variants->painted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return variants;
}

PeelDemoVariants *
peel_demo_variants_ref (PeelDemoVariants *variants)
{
  return g_atomic_rc_box_acquire (variants);
}

static void
variants_clear (PeelDemoVariants *variants)
{
  g_hash_table_unref (variants->painted);
  g_mutex_clear (&variants->lock);
}

void
peel_demo_variants_unref (PeelDemoVariants *variants)
{
  g_atomic_rc_box_release_full (variants, (GDestroyNotify) variants_clear);
}

/* Returns how many times @prompt was painted before, and counts this time. */
guint
peel_demo_variants_next (PeelDemoVariants *variants,
                         const char       *prompt)
{
  gpointer count;
  guint n;

  g_mutex_lock (&variants->lock);
  count = g_hash_table_lookup (variants->painted, prompt);
  n = GPOINTER_TO_UINT (count);
  /* A soak sends thousands of prompts: the table forgets them rather than grow without end. */
  if (count == NULL && g_hash_table_size (variants->painted) >= 4096)
    g_hash_table_remove_all (variants->painted);
  g_hash_table_insert (variants->painted, g_strdup (prompt), GUINT_TO_POINTER (n + 1));
  g_mutex_unlock (&variants->lock);
  return n;
}

/**
 * peel_demo_generate:
 * @job: the request to answer
 *
 * Validates @job's request and pushes its answer into the job's queue. Runs in a worker
 * thread; stops early once the job's cancellable is cancelled.
 */
void
peel_demo_generate (PeelDemoJob *job)
{
  PeelDemoRequest g = { 0 };
  gsize len = sizeof g.hash;

  g.job = job;
  g.model = job->model;
  g.family = peel_model_family_for_id (job->model);
  g.signs = g.family != PEEL_MODEL_FAMILY_FLASH_2_5;
  g.size = peel_model_default_size (g.family);
  g.want_text = g.want_image = TRUE;
  g.prompt = g_string_new (NULL);
  g.inputs = g_ptr_array_new_with_free_func (g_object_unref);

  if (!peel_demo_request_read (&g))
    {
      peel_demo_job_push (job, PEEL_DEMO_ITEM_ERROR, g.fail_code, g_steal_pointer (&g.fail_body));
      peel_demo_request_clear (&g);
      return;
    }

  g.variant = peel_demo_variants_next (job->variants, g.prompt->str);
  {
    g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
    g_autofree char *variant = g_strdup_printf ("\n#%u", g.variant);

    g_checksum_update (sum, (const guchar *) g.prompt->str, g.prompt->len);
    if (g.variant > 0)
      g_checksum_update (sum, (const guchar *) variant, -1);
    g_checksum_get_digest (sum, g.hash, &len);
  }
  g.response_id = make_response_id (&g);

  generate (&g);
  peel_demo_request_clear (&g);
}
