/* peel-cli-generate.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "peel-cli.h"
#include "peel-credentials.h"
#include "peel-demo-server.h"
#include "peel-gemini-client.h"
#include "peel-gemini-error.h"
#include "peel-generation.h"
#include "peel-image-input.h"
#include "peel-model.h"
#include "peel-session.h"
#include "peel-store.h"

typedef struct
{
  /* Options */
  char             *prompt;
  char             *aspect;
  char             *size_name;
  char            **image_paths;
  char             *model;
  char             *thinking;
  gboolean          thoughts;
  gboolean          search;
  gboolean          image_search;
  gboolean          stream;
  gboolean          demo;
  char             *base_url;
  char             *provider_name;
  char             *auth;
  gboolean          json;
  char             *output;
  int               max_attempts;
  char            **demo_faults;
  char             *session_arg;
  char             *parent_arg;

  /* Parsed */
  PeelImageSize     size;
  PeelThinkingLevel thinking_level;
  PeelAuthStyle     auth_style;

  /* Running */
  GMainLoop        *loop;
  GCancellable     *cancellable;
  gboolean          interrupted;
  gboolean          tty;
  gboolean          progress_shown;
  GPtrArray        *images;       /* PeelPart, in the order given */
  guint             images_pending;
  GError           *error;
  int               error_status;
  PeelDemoServer   *demo_server;
  PeelProvider     *provider;
  char             *api_key;
  PeelGeminiClient *client;
  PeelGeminiReply  *reply;
  PeelSession      *session;
  PeelNode         *parent;       /* in session; NULL for a new root */
  PeelGeneration   *generation;
} Generate;

/* What print_result() shows, taken from a reply or from the session's new node. */
typedef struct
{
  const char      *path;
  const char      *mime_type;
  const char      *received_mime_type;
  int              width;
  int              height;
  const char      *finish_reason;
  char            *text;
  char            *thoughts;
  PeelUsage        usage;
  PeelNode        *node;
} Result;

static void
generate_clear (Generate *gen)
{
  g_clear_pointer (&gen->prompt, g_free);
  g_clear_pointer (&gen->aspect, g_free);
  g_clear_pointer (&gen->size_name, g_free);
  g_clear_pointer (&gen->image_paths, g_strfreev);
  g_clear_pointer (&gen->model, g_free);
  g_clear_pointer (&gen->thinking, g_free);
  g_clear_pointer (&gen->base_url, g_free);
  g_clear_pointer (&gen->provider_name, g_free);
  g_clear_pointer (&gen->auth, g_free);
  g_clear_pointer (&gen->output, g_free);
  g_clear_pointer (&gen->demo_faults, g_strfreev);
  g_clear_pointer (&gen->session_arg, g_free);
  g_clear_pointer (&gen->parent_arg, g_free);
  g_clear_pointer (&gen->loop, g_main_loop_unref);
  g_clear_object (&gen->cancellable);
  g_clear_pointer (&gen->images, g_ptr_array_unref);
  g_clear_error (&gen->error);
  g_clear_object (&gen->client);
  g_clear_object (&gen->provider);
  g_clear_object (&gen->reply);
  g_clear_object (&gen->generation);
  gen->parent = NULL;
  if (gen->session != NULL)
    {
      g_autoptr(GError) error = NULL;

      /* Writes the snapshot; every turn is already in the journal, so a failure loses nothing. */
      if (!peel_store_close_session (gen->session, &error))
        g_printerr (_("peel-cli generate: the session could not be closed cleanly: %s\n"),
                    error->message);
      g_clear_object (&gen->session);
    }
  if (gen->demo_server != NULL)
    peel_demo_server_stop (gen->demo_server);
  g_clear_object (&gen->demo_server);
  if (gen->api_key != NULL)
    memset (gen->api_key, 0, strlen (gen->api_key));
  g_clear_pointer (&gen->api_key, g_free);
}

G_GNUC_PRINTF (2, 3)
static int
usage_error (const char *option,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (option != NULL)
    g_printerr ("peel-cli generate: %s: %s\n", option, message);
  else
    g_printerr ("peel-cli generate: %s\n", message);
  return PEEL_CLI_EXIT_USAGE;
}

static char *
join_ratios (PeelModelFamily family)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < PEEL_N_ASPECT_RATIOS; i++)
    {
      const char *name = peel_aspect_ratio_get_name (i);

      if (!peel_model_supports_ratio (family, name))
        continue;
      if (list->len > 0)
        g_string_append (list, ", ");
      g_string_append (list, name);
    }

  return g_string_free (g_steal_pointer (&list), FALSE);
}

static char *
join_sizes (PeelModelFamily family)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < PEEL_N_IMAGE_SIZES; i++)
    {
      if (!peel_model_supports_size (family, i))
        continue;
      if (list->len > 0)
        g_string_append (list, ", ");
      g_string_append (list, peel_image_size_to_string (i));
    }

  return g_string_free (g_steal_pointer (&list), FALSE);
}

static const char *
extension_for_mime_type (const char *mime_type)
{
  if (g_strcmp0 (mime_type, "image/png") == 0)
    return "png";
  if (g_strcmp0 (mime_type, "image/jpeg") == 0)
    return "jpg";
  if (g_strcmp0 (mime_type, "image/webp") == 0)
    return "webp";
  if (g_strcmp0 (mime_type, "image/heic") == 0)
    return "heic";
  if (g_strcmp0 (mime_type, "image/heif") == 0)
    return "heif";
  if (g_strcmp0 (mime_type, "image/gif") == 0)
    return "gif";
  return "img";
}

/* The MIME type that --output's extension asks for, or NULL when it names none we write. */
static const char *
mime_type_for_path (const char *path)
{
  const char *dot = strrchr (path, '.');
  const char *slash = strrchr (path, G_DIR_SEPARATOR);

  if (dot == NULL || (slash != NULL && dot < slash))
    return NULL;
  if (g_ascii_strcasecmp (dot, ".png") == 0)
    return "image/png";
  if (g_ascii_strcasecmp (dot, ".jpg") == 0 || g_ascii_strcasecmp (dot, ".jpeg") == 0)
    return "image/jpeg";
  if (g_ascii_strcasecmp (dot, ".webp") == 0)
    return "image/webp";
  return NULL;
}

static int
validate_options (Generate *gen)
{
  PeelModelFamily family;
  g_autofree char *dir = NULL;

  if (gen->prompt == NULL || *g_strstrip (gen->prompt) == '\0')
    return usage_error ("--prompt", "%s", _("a prompt is needed, e.g. --prompt \"a red fox\"."));

  if (gen->parent_arg != NULL && gen->session_arg == NULL)
    return usage_error ("--parent", "%s", _("only works with --session."));

  if (gen->output != NULL && *gen->output == '\0')
    g_clear_pointer (&gen->output, g_free);
  if (gen->output == NULL && gen->session_arg == NULL)
    return usage_error ("--output", "%s",
                        _("say where to write the image, e.g. --output fox.png."));

  if (gen->output != NULL)
    {
      dir = g_path_get_dirname (gen->output);
      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        return usage_error ("--output", _("the folder “%s” does not exist."), dir);
      if (g_file_test (gen->output, G_FILE_TEST_IS_DIR))
        return usage_error ("--output", _("“%s” is a folder; give a file name."), gen->output);
    }

  if (gen->model == NULL)
    gen->model = g_strdup (PEEL_DEFAULT_MODEL);
  family = peel_model_family_for_id (gen->model);

  if (gen->aspect != NULL && !peel_model_supports_ratio (family, gen->aspect))
    {
      g_autofree char *ratios = join_ratios (family);

      if (peel_aspect_ratio_find (gen->aspect) < 0)
        return usage_error ("--aspect", _("“%s” is not an aspect ratio. Use one of %s."),
                            gen->aspect, ratios);
      return usage_error ("--aspect", _("%s does not make %s images. Use one of %s."),
                          peel_model_family_get_display_name (family), gen->aspect, ratios);
    }

  gen->size = peel_model_default_size (family);
  if (gen->size_name != NULL)
    {
      g_autofree char *sizes = join_sizes (family);

      if (!peel_image_size_from_string (gen->size_name, &gen->size))
        return usage_error ("--size", _("“%s” is not a size. Use one of %s."),
                            gen->size_name, sizes);
      if (!peel_model_supports_size (family, gen->size))
        return usage_error ("--size", _("%s does not make %s images. Use one of %s."),
                            peel_model_family_get_display_name (family), gen->size_name, sizes);
    }

  gen->thinking_level = PEEL_THINKING_DEFAULT;
  if (gen->thinking != NULL &&
      (!peel_thinking_level_from_string (gen->thinking, &gen->thinking_level) ||
       gen->thinking_level == PEEL_THINKING_DEFAULT))
    return usage_error ("--thinking", _("“%s” is not a thinking level. Use minimal or high."),
                        gen->thinking);

  if (gen->image_paths != NULL && g_strv_length (gen->image_paths) > peel_model_max_input_images (family))
    return usage_error ("--image", _("%s takes at most %u images."),
                        peel_model_family_get_display_name (family),
                        peel_model_max_input_images (family));

  if (gen->demo && gen->base_url != NULL)
    return usage_error ("--demo", "%s", _("use either --demo or --base-url, not both."));

  if (gen->provider_name != NULL &&
      g_ascii_strcasecmp (gen->provider_name, "google") != 0 &&
      g_ascii_strcasecmp (gen->provider_name, "cometapi") != 0)
    return usage_error ("--provider", _("“%s” is not a provider. Use google or cometapi."),
                        gen->provider_name);

  gen->auth_style = PEEL_AUTH_STYLE_GOOG_API_KEY;
  if (gen->auth != NULL)
    {
      if (g_ascii_strcasecmp (gen->auth, "bearer") == 0)
        gen->auth_style = PEEL_AUTH_STYLE_BEARER;
      else if (g_ascii_strcasecmp (gen->auth, "x-goog-api-key") != 0)
        return usage_error ("--auth", _("“%s” is not a way to send the key. Use x-goog-api-key "
                                        "or bearer."), gen->auth);
    }

  for (guint i = 0; gen->demo_faults != NULL && gen->demo_faults[i] != NULL; i++)
    {
      PeelDemoFault fault;

      if (!gen->demo)
        return usage_error ("--demo-fault", "%s", _("only works with --demo."));
      if (!peel_demo_fault_from_string (gen->demo_faults[i], &fault))
        return usage_error ("--demo-fault", _("“%s” is not a fault the demo server knows."),
                            gen->demo_faults[i]);
    }

  if (gen->max_attempts < 1 || gen->max_attempts > 20)
    return usage_error ("--max-attempts", "%s", _("give a number from 1 to 20."));

  return PEEL_CLI_EXIT_OK;
}

static int
exit_status_for_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return PEEL_CLI_EXIT_INTERRUPTED;

  if (error->domain != PEEL_GEMINI_ERROR)
    return PEEL_CLI_EXIT_FAILURE;

  switch ((PeelGeminiError) error->code)
    {
    case PEEL_GEMINI_ERROR_BAD_INPUT:
    case PEEL_GEMINI_ERROR_INSECURE:
      return PEEL_CLI_EXIT_USAGE;

    case PEEL_GEMINI_ERROR_INVALID_REQUEST:
    case PEEL_GEMINI_ERROR_INVALID_KEY:
    case PEEL_GEMINI_ERROR_PERMISSION:
    case PEEL_GEMINI_ERROR_NOT_FOUND:
    case PEEL_GEMINI_ERROR_BLOCKED:
    case PEEL_GEMINI_ERROR_NO_IMAGE:
      return PEEL_CLI_EXIT_REFUSED;

    case PEEL_GEMINI_ERROR_RATE_LIMITED:
    case PEEL_GEMINI_ERROR_SERVER:
    case PEEL_GEMINI_ERROR_NETWORK:
    case PEEL_GEMINI_ERROR_TIMEOUT:
    case PEEL_GEMINI_ERROR_MALFORMED:
    case PEEL_GEMINI_ERROR_TOO_LARGE:
    default:
      return PEEL_CLI_EXIT_NETWORK;
    }
}

static void
stop_with_error (Generate *gen,
                 GError   *error)
{
  if (gen->error == NULL)
    {
      gen->error = error;
      gen->error_status = gen->interrupted ? PEEL_CLI_EXIT_INTERRUPTED
                                           : exit_status_for_error (error);
    }
  else
    g_error_free (error);

  /* Whatever else is under way (other images loading) is moot now. */
  g_cancellable_cancel (gen->cancellable);
  g_main_loop_quit (gen->loop);
}

static gboolean
sigint_cb (gpointer user_data)
{
  Generate *gen = user_data;

  gen->interrupted = TRUE;
  g_cancellable_cancel (gen->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
clear_progress_line (Generate *gen)
{
  if (gen->progress_shown)
    {
      fputs ("\r\033[K", stderr);
      gen->progress_shown = FALSE;
    }
}

static void
progress_cb (PeelGeminiClient *client,
             guint64           received,
             guint64           expected,
             Generate         *gen)
{
  g_autofree char *have = NULL;
  g_autofree char *total = NULL;

  if (!gen->tty)
    return;

  have = g_format_size (received);
  if (expected > 0)
    {
      total = g_format_size (expected);
      /* Translators: a progress line, e.g. "Receiving 1.2 MB of 16.0 MB" */
      g_printerr ("\r\033[K");
      g_printerr (_("Receiving %s of %s"), have, total);
    }
  else
    {
      g_printerr ("\r\033[K");
      g_printerr (_("Receiving %s"), have);
    }
  gen->progress_shown = TRUE;
}

static void
part_received_cb (PeelGeminiClient *client,
                  const PeelPart   *part,
                  Generate         *gen)
{
  if (!gen->tty)
    return;

  if (part->kind == PEEL_PART_TEXT && part->thought && part->text != NULL && *part->text != '\0')
    {
      clear_progress_line (gen);
      /* Thoughts in dim type, so they read as an aside. */
      g_printerr ("\033[2m%s\033[0m", part->text);
      if (!g_str_has_suffix (part->text, "\n"))
        g_printerr ("\n");
    }
  else if (part->kind == PEEL_PART_IMAGE && part->thought)
    {
      clear_progress_line (gen);
      g_printerr (_("(a draft image arrived, %d×%d)\n"), part->width, part->height);
    }
}

static void
retrying_cb (PeelGeminiClient *client,
             guint             attempt,
             double            delay,
             const GError     *error,
             Generate         *gen)
{
  clear_progress_line (gen);
  /* Translators: %s is why the attempt failed; then the wait and the attempt number */
  g_printerr (_("%s Trying again in %.1f s (attempt %u of %d).\n"),
              error->message, delay, attempt, gen->max_attempts);
}

/* Writing the image ------------------------------------------------------------------------- */

static GBytes *
convert_image (GBytes      *data,
               const char  *mime_type,
               GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autofree char *buffer = NULL;
  GdkPixbuf *pixbuf;
  gsize size = 0;
  gboolean ok;

  if (!gdk_pixbuf_loader_write_bytes (loader, data, error) ||
      !gdk_pixbuf_loader_close (loader, error))
    return NULL;

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The image could not be decoded."));
      return NULL;
    }

  if (g_str_equal (mime_type, "image/jpeg"))
    ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", error, "quality", "95", NULL);
  else
    ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", error, NULL);

  if (!ok)
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}

/* Writes the final image so that --output either holds the whole image or does not exist:
 * g_file_set_contents() writes a temporary file beside it and renames it into place. Returns
 * the path written, which differs from --output when its extension does not match. */
static char *
write_image (Generate        *gen,
             GBytes          *image_data,
             const char      *image_mime_type,
             const char     **written_mime_type,
             GError         **error)
{
  const char *wanted = mime_type_for_path (gen->output);
  g_autoptr(GBytes) data = g_bytes_ref (image_data);
  g_autofree char *path = NULL;

  *written_mime_type = image_mime_type;

  if (wanted != NULL && g_strcmp0 (wanted, image_mime_type) != 0 &&
      (g_str_equal (wanted, "image/png") || g_str_equal (wanted, "image/jpeg")))
    {
      g_autoptr(GBytes) converted = convert_image (image_data, wanted, error);

      if (converted == NULL)
        return NULL;
      g_clear_pointer (&data, g_bytes_unref);
      data = g_steal_pointer (&converted);
      *written_mime_type = wanted;
      path = g_strdup (gen->output);
    }
  else if (wanted != NULL && g_strcmp0 (wanted, image_mime_type) == 0)
    path = g_strdup (gen->output);
  else
    {
      /* Keep the bytes as received and name them for what they are. */
      const char *dot = strrchr (gen->output, '.');
      const char *slash = strrchr (gen->output, G_DIR_SEPARATOR);
      g_autofree char *stem = NULL;

      if (dot != NULL && (slash == NULL || dot > slash) && wanted != NULL)
        stem = g_strndup (gen->output, dot - gen->output);
      else
        stem = g_strdup (gen->output);
      path = g_strdup_printf ("%s.%s", stem, extension_for_mime_type (image_mime_type));
    }

  if (!g_file_set_contents_full (path, g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    return NULL;

  return g_steal_pointer (&path);
}

/* As peel_gemini_client_describe_size(), from the image's size alone, so that a node read back
 * from the session is described the same way as a reply. */
static char *
describe_size (Generate *gen,
               int       width,
               int       height,
               gboolean *matches)
{
  const char *ratio = gen->aspect != NULL ? gen->aspect : "1:1";
  int asked_width = 0;
  int asked_height = 0;
  gboolean known;

  *matches = FALSE;
  known = peel_model_pixel_size (peel_model_family_for_id (gen->model), ratio, gen->size,
                                 &asked_width, &asked_height);

  if (width <= 0 || height <= 0)
    {
      if (!known)
        return g_strdup (_("no image size known"));
      /* Translators: the pixel size asked for, e.g. "asked 2752×1536 — image size unknown" */
      return g_strdup_printf (_("asked %d×%d — image size unknown"), asked_width, asked_height);
    }
  if (!known)
    /* Translators: the pixel size of the image received */
    return g_strdup_printf (_("got %d×%d"), width, height);
  if (width == asked_width && height == asked_height)
    {
      *matches = TRUE;
      /* Translators: the pixel size asked for, then the one received (the same) */
      return g_strdup_printf (_("asked %d×%d — got %d×%d"), asked_width, asked_height,
                              width, height);
    }
  /* Translators: the pixel size asked for, then the one received (a different one) */
  return g_strdup_printf (_("asked %d×%d, got %d×%d"), asked_width, asked_height, width, height);
}

static void
add_session_members (Generate    *gen,
                     JsonBuilder *builder,
                     PeelNode    *node)
{
  json_builder_set_member_name (builder, "node");
  json_builder_add_string_value (builder, peel_node_get_id (node));
  json_builder_set_member_name (builder, "parent");
  if (peel_node_get_parent_id (node) != NULL)
    json_builder_add_string_value (builder, peel_node_get_parent_id (node));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "session");
  json_builder_add_string_value (builder,
                                 peel_store_get_path (peel_session_get_store (gen->session)));
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *out = NULL;

  json_generator_set_root (generator, root);
  out = json_generator_to_data (generator, NULL);
  g_print ("%s\n", out);
}

static void
print_result (Generate     *gen,
              const Result *result)
{
  PeelModelFamily family = peel_model_family_for_id (gen->model);
  const PeelUsage *usage = &result->usage;
  g_autofree char *described = NULL;
  const char *ratio = gen->aspect != NULL ? gen->aspect : "1:1";
  gboolean matches = FALSE;
  int asked_width = 0;
  int asked_height = 0;
  double cost;

  cost = peel_model_cost (family, usage->prompt_tokens, usage->output_tokens,
                          usage->thought_tokens);
  described = describe_size (gen, result->width, result->height, &matches);

  if (gen->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "output");
      if (result->path != NULL)
        json_builder_add_string_value (builder, result->path);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "width");
      json_builder_add_int_value (builder, result->width);
      json_builder_set_member_name (builder, "height");
      json_builder_add_int_value (builder, result->height);
      json_builder_set_member_name (builder, "mime_type");
      json_builder_add_string_value (builder, result->mime_type);
      json_builder_set_member_name (builder, "received_mime_type");
      json_builder_add_string_value (builder, result->received_mime_type);
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, gen->model);
      json_builder_set_member_name (builder, "finish_reason");
      json_builder_add_string_value (builder, result->finish_reason);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, result->text != NULL ? result->text : "");
      if (gen->thoughts)
        {
          json_builder_set_member_name (builder, "thoughts");
          json_builder_add_string_value (builder,
                                         result->thoughts != NULL ? result->thoughts : "");
        }
      json_builder_set_member_name (builder, "usage");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "prompt_tokens");
      json_builder_add_int_value (builder, usage->prompt_tokens);
      json_builder_set_member_name (builder, "output_tokens");
      json_builder_add_int_value (builder, usage->output_tokens);
      json_builder_set_member_name (builder, "thought_tokens");
      json_builder_add_int_value (builder, usage->thought_tokens);
      json_builder_set_member_name (builder, "total_tokens");
      json_builder_add_int_value (builder, usage->total_tokens);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "cost_usd");
      json_builder_add_double_value (builder, cost);
      json_builder_set_member_name (builder, "asked");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "aspect_ratio");
      json_builder_add_string_value (builder, ratio);
      json_builder_set_member_name (builder, "size");
      json_builder_add_string_value (builder, peel_image_size_to_string (gen->size));
      if (peel_model_pixel_size (family, ratio, gen->size, &asked_width, &asked_height))
        {
          json_builder_set_member_name (builder, "width");
          json_builder_add_int_value (builder, asked_width);
          json_builder_set_member_name (builder, "height");
          json_builder_add_int_value (builder, asked_height);
        }
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "size_matches");
      json_builder_add_boolean_value (builder, matches);
      if (result->node != NULL)
        add_session_members (gen, builder, result->node);
      json_builder_end_object (builder);
      print_json (builder);
      return;
    }

  if (gen->thoughts && result->thoughts != NULL && *result->thoughts != '\0' && !gen->tty)
    g_print ("%s\n%s\n\n", _("Thoughts:"), result->thoughts);
  if (result->text != NULL && *result->text != '\0')
    g_print ("%s\n\n", result->text);

  if (result->path != NULL)
    /* Translators: where the image went: path, MIME type, then e.g. "asked 2752×1536 — got …" */
    g_print (_("Image: %s (%s; %s)\n"), result->path, result->mime_type, described);
  else
    /* Translators: the MIME type, then e.g. "asked 2752×1536 — got 2752×1536" */
    g_print (_("Image: kept in the session only (%s; %s)\n"), result->mime_type, described);
  if (result->node != NULL)
    /* Translators: the new node's id, then the session's name */
    g_print (_("Node: %s in session “%s”\n"), peel_node_get_id (result->node),
             peel_session_get_name (gen->session));
  /* Translators: token counts, then the estimated cost in US dollars */
  g_print (_("Tokens: %" PRId64 " in, %" PRId64 " out, %" PRId64
             " thinking — about $%.3f\n"),
           usage->prompt_tokens, usage->output_tokens, usage->thought_tokens, cost);
}

/* Writes --output, if asked for, and prints the result; then the run is over. */
static void
finish_with_image (Generate   *gen,
                   GBytes     *data,
                   Result     *result)
{
  GError *error = NULL;
  g_autofree char *path = NULL;

  if (gen->output != NULL)
    {
      path = write_image (gen, data, result->received_mime_type, &result->mime_type, &error);
      if (path == NULL)
        {
          g_prefix_error (&error, _("The image could not be written: "));
          gen->error = error;
          gen->error_status = PEEL_CLI_EXIT_FAILURE;
          g_main_loop_quit (gen->loop);
          return;
        }
    }
  else
    result->mime_type = result->received_mime_type;

  result->path = path;
  print_result (gen, result);
  g_main_loop_quit (gen->loop);
}

static void
generate_done_cb (GObject      *object,
                  GAsyncResult *async_result,
                  gpointer      user_data)
{
  Generate *gen = user_data;
  GError *error = NULL;
  const PeelPart *image;
  Result result = { 0 };

  clear_progress_line (gen);

  gen->reply = peel_gemini_client_generate_finish (PEEL_GEMINI_CLIENT (object), async_result,
                                                   &error);
  if (gen->reply == NULL)
    {
      stop_with_error (gen, error);
      return;
    }

  if (gen->interrupted)
    {
      stop_with_error (gen, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 _("Interrupted.")));
      return;
    }

  image = peel_gemini_reply_get_final_image (gen->reply);
  result.received_mime_type = image->mime_type;
  result.width = image->width;
  result.height = image->height;
  result.finish_reason = peel_gemini_reply_get_finish_reason (gen->reply);
  result.text = peel_gemini_reply_dup_text (gen->reply);
  result.thoughts = peel_gemini_reply_dup_thoughts (gen->reply);
  result.usage = *peel_gemini_reply_get_usage (gen->reply);
  finish_with_image (gen, image->data, &result);
  g_free (result.text);
  g_free (result.thoughts);
}

/* A failed turn stays in the session with its reason; say which node it is, so a script can
 * find it (and a person can retry from its parent). */
static void
report_failed_node (Generate *gen,
                    PeelNode *node)
{
  if (gen->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder,
                                     peel_node_status_to_string (peel_node_get_status (node)));
      json_builder_set_member_name (builder, "error_code");
      json_builder_add_string_value (builder, peel_node_get_error_code (node));
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, peel_node_get_error_message (node));
      add_session_members (gen, builder, node);
      json_builder_end_object (builder);
      print_json (builder);
    }
  else
    /* Translators: the failed node's id, then the session's name */
    g_printerr (_("The failed turn is kept as node %s in session “%s”.\n"),
                peel_node_get_id (node), peel_session_get_name (gen->session));
}

static void
generation_done_cb (GObject      *object,
                    GAsyncResult *async_result,
                    gpointer      user_data)
{
  Generate *gen = user_data;
  PeelGeneration *generation = PEEL_GENERATION (object);
  g_autoptr(PeelNode) node = NULL;
  g_autoptr(GBytes) data = NULL;
  GError *error = NULL;
  const PeelPart *image;
  gint64 prompt_tokens = 0;
  gint64 output_tokens = 0;
  gint64 thought_tokens = 0;
  Result result = { 0 };

  clear_progress_line (gen);

  node = peel_generation_run_finish (generation, async_result, &error);
  if (node == NULL)
    {
      PeelNode *failed = peel_generation_get_node (generation);

      if (failed != NULL && peel_node_get_status (failed) == PEEL_NODE_FAILED)
        report_failed_node (gen, failed);
      stop_with_error (gen, error);
      return;
    }

  image = peel_node_get_final_image (node);
  data = peel_node_dup_final_image_bytes (node, &error);
  if (image == NULL || data == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NO_IMAGE,
                                     _("The reply held no image."));
      stop_with_error (gen, error);
      return;
    }

  peel_node_get_usage (node, &prompt_tokens, &output_tokens, &thought_tokens);
  result.received_mime_type = image->mime_type;
  result.width = image->width;
  result.height = image->height;
  result.finish_reason = peel_node_get_finish_reason (node);
  result.text = peel_node_dup_text (node);
  result.thoughts = peel_node_dup_thoughts (node);
  result.usage.prompt_tokens = prompt_tokens;
  result.usage.output_tokens = output_tokens;
  result.usage.thought_tokens = thought_tokens;
  result.usage.total_tokens = prompt_tokens + output_tokens + thought_tokens;
  result.node = node;
  finish_with_image (gen, data, &result);
  g_free (result.text);
  g_free (result.thoughts);
}

static void
start_generation (Generate *gen)
{
  PeelModelFamily family = peel_model_family_for_id (gen->model);
  PeelTurnSpec spec = { 0 };

  spec.prompt = gen->prompt;
  spec.references = gen->images;
  spec.aspect_ratio = gen->aspect;
  spec.size = gen->size;
  spec.model = gen->model;
  spec.options.thinking_level = peel_model_supports_thinking_level (family)
                                ? gen->thinking_level : PEEL_THINKING_DEFAULT;
  spec.options.include_thoughts = gen->thoughts;
  spec.options.search = gen->search || gen->image_search;
  spec.options.image_search = gen->image_search;

  gen->generation = peel_generation_new (gen->session, gen->client);
  peel_generation_run_async (gen->generation, gen->parent, &spec, gen->stream, gen->cancellable,
                             generation_done_cb, gen);
}

static void
start_generate (Generate *gen)
{
  g_autoptr(PeelGeminiRequest) request = NULL;
  PeelModelFamily family = peel_model_family_for_id (gen->model);

  gen->client = peel_gemini_client_new (gen->provider, gen->api_key);
  peel_gemini_client_set_max_attempts (gen->client, gen->max_attempts);
  g_signal_connect (gen->client, "progress", G_CALLBACK (progress_cb), gen);
  g_signal_connect (gen->client, "part-received", G_CALLBACK (part_received_cb), gen);
  g_signal_connect (gen->client, "retrying", G_CALLBACK (retrying_cb), gen);

  if (gen->tty)
    {
      g_printerr ("%s", _("Waiting for the model…"));
      gen->progress_shown = TRUE;
    }

  if (gen->session != NULL)
    {
      start_generation (gen);
      return;
    }

  request = peel_gemini_request_new (gen->model);
  if (gen->aspect != NULL)
    peel_gemini_request_set_aspect_ratio (request, gen->aspect);
  peel_gemini_request_set_image_size (request, gen->size);
  if (peel_model_supports_thinking_level (family))
    peel_gemini_request_set_thinking_level (request, gen->thinking_level);
  peel_gemini_request_set_include_thoughts (request, gen->thoughts);
  peel_gemini_request_set_search (request, gen->search || gen->image_search, gen->image_search);
  peel_gemini_request_set_prompt (request, gen->prompt);
  for (guint i = 0; i < gen->images->len; i++)
    peel_gemini_request_add_image (request, g_ptr_array_index (gen->images, i));

  peel_gemini_client_generate_async (gen->client, request, gen->stream, gen->cancellable,
                                     generate_done_cb, gen);
}

/* Setting up: key, provider, reference images ------------------------------------------------ */

typedef struct
{
  Generate *gen;
  guint     index;
} ImageLoad;

static void
image_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autofree ImageLoad *load = user_data;
  Generate *gen = load->gen;
  guint index = load->index;
  GError *error = NULL;
  PeelPart *part;

  part = peel_image_input_load_file_finish (result, &error);
  gen->images_pending--;

  if (part == NULL)
    {
      gboolean first = gen->error == NULL;

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, "--image: %s: ", gen->image_paths[index]);
      stop_with_error (gen, error);
      if (first && !gen->interrupted)
        gen->error_status = PEEL_CLI_EXIT_USAGE;
      return;
    }

  g_ptr_array_index (gen->images, index) = part;

  if (gen->images_pending == 0 && gen->error == NULL)
    start_generate (gen);
}

static void
load_images (Generate *gen)
{
  guint n = gen->image_paths != NULL ? g_strv_length (gen->image_paths) : 0;

  g_ptr_array_set_size (gen->images, n);
  if (n == 0)
    {
      start_generate (gen);
      return;
    }

  gen->images_pending = n;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (gen->image_paths[i]);
      ImageLoad *load = g_new0 (ImageLoad, 1);

      load->gen = gen;
      load->index = i;
      peel_image_input_load_file_async (file, gen->cancellable, image_loaded_cb, load);
    }
}

static void
key_found_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Generate *gen = user_data;
  GError *error = NULL;

  gen->api_key = peel_credentials_lookup_finish (result, NULL, &error);
  if (error != NULL)
    {
      stop_with_error (gen, error);
      return;
    }

  if (gen->api_key == NULL)
    {
      gen->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                        _("There is no API key. Set the GEMINI_API_KEY "
                                          "environment variable, or add the key in Peel’s "
                                          "Preferences."));
      gen->error_status = PEEL_CLI_EXIT_USAGE;
      g_main_loop_quit (gen->loop);
      return;
    }

  load_images (gen);
}

static gboolean
begin_cb (gpointer user_data)
{
  Generate *gen = user_data;

  if (gen->demo || gen->base_url != NULL)
    {
      /* A local or custom server: never hand it the keyring's key. */
      if (gen->demo)
        gen->api_key = g_strdup ("demo");
      else if (g_getenv (PEEL_CREDENTIALS_ENV_VAR) != NULL)
        gen->api_key = g_strdup (g_getenv (PEEL_CREDENTIALS_ENV_VAR));
      load_images (gen);
    }
  else
    peel_credentials_lookup_async (peel_provider_get_name (gen->provider),
                                   peel_credentials_have_session_bus (),
                                   gen->cancellable, key_found_cb, gen);

  return G_SOURCE_REMOVE;
}

static int
make_provider (Generate *gen)
{
  g_autoptr(GError) error = NULL;
  const char *name;
  const char *base_url;

  if (gen->demo)
    {
      gen->demo_server = peel_demo_server_new ();
      peel_demo_server_set_api_key (gen->demo_server, "demo");
      if (!peel_demo_server_start (gen->demo_server, 0, &error))
        {
          g_printerr (_("peel-cli generate: the demo server could not start: %s\n"),
                      error->message);
          return PEEL_CLI_EXIT_FAILURE;
        }
      for (guint i = 0; gen->demo_faults != NULL && gen->demo_faults[i] != NULL; i++)
        {
          PeelDemoFault fault = PEEL_DEMO_FAULT_NONE;

          peel_demo_fault_from_string (gen->demo_faults[i], &fault);
          peel_demo_server_push_fault (gen->demo_server, fault);
        }
      /* Quick retries: a busy demo server is a test, not a real quota. */
      peel_demo_server_set_retry_delay (gen->demo_server, 0.1);
      name = _("Demo");
      base_url = peel_demo_server_get_base_url (gen->demo_server);
    }
  else if (gen->base_url != NULL)
    {
      name = NULL;
      base_url = gen->base_url;
    }
  else if (gen->provider_name != NULL && g_ascii_strcasecmp (gen->provider_name, "cometapi") == 0)
    {
      name = "CometAPI";
      base_url = PEEL_COMETAPI_BASE_URL;
    }
  else
    {
      name = "Google";
      base_url = PEEL_GOOGLE_BASE_URL;
    }

  gen->provider = peel_provider_new (name, base_url, gen->auth_style, &error);
  if (gen->provider == NULL)
    return usage_error ("--base-url", "%s", error->message);

  return PEEL_CLI_EXIT_OK;
}

/* --session names a session's folder, or the name of one in the default folder; a name that no
 * session has yet starts a new session of that name there. */
static int
open_session (Generate *gen)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = peel_store_resolve_session (gen->session_arg, &error);

  if (path != NULL)
    gen->session = peel_store_open_session (path, &error);
  else if (g_error_matches (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_NOT_FOUND) &&
           strchr (gen->session_arg, G_DIR_SEPARATOR) == NULL &&
           !g_file_test (gen->session_arg, G_FILE_TEST_EXISTS))
    {
      g_clear_error (&error);
      gen->session = peel_store_create_session (NULL, gen->session_arg, &error);
      if (gen->session != NULL)
        /* Translators: the new session's name, then its folder */
        g_printerr (_("Started a new session “%s” in %s.\n"), gen->session_arg,
                    peel_store_get_path (peel_session_get_store (gen->session)));
    }

  if (gen->session == NULL)
    {
      g_printerr ("peel-cli generate: --session: %s\n", error->message);
      return g_error_matches (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_NOT_FOUND) ||
             g_error_matches (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_NOT_A_SESSION)
             ? PEEL_CLI_EXIT_USAGE : PEEL_CLI_EXIT_FAILURE;
    }

  if (gen->parent_arg == NULL || g_str_equal (gen->parent_arg, "current"))
    gen->parent = peel_session_get_current (gen->session);
  else if ((gen->parent = peel_session_find_node (gen->session, gen->parent_arg)) == NULL)
    return usage_error ("--parent", _("“%s” is not a node of session “%s” (see “peel-cli log "
                                      "--session %s”)."), gen->parent_arg,
                        peel_session_get_name (gen->session), gen->session_arg);

  return PEEL_CLI_EXIT_OK;
}

int
peel_cli_generate (int    argc,
                   char **argv)
{
  Generate gen = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *ratios = NULL;
  guint sigint_id;
  int status;
  const GOptionEntry entries[] = {
    { "prompt", 'p', 0, G_OPTION_ARG_STRING, &gen.prompt,
      N_("What to make, or what to change in the --image files"), N_("TEXT") },
    { "aspect", 'a', 0, G_OPTION_ARG_STRING, &gen.aspect,
      N_("Aspect ratio, e.g. 16:9 (default: the model’s, 1:1)"), N_("W:H") },
    { "size", 's', 0, G_OPTION_ARG_STRING, &gen.size_name,
      N_("Image size: 512, 1K, 2K or 4K, as the model allows (default 1K)"), N_("SIZE") },
    { "image", 'i', 0, G_OPTION_ARG_FILENAME_ARRAY, &gen.image_paths,
      N_("A reference image to edit or draw from; repeat for more (up to 14)"), N_("FILE") },
    { "model", 'm', 0, G_OPTION_ARG_STRING, &gen.model,
      N_("Model id (default gemini-3.1-flash-image-preview, Nano Banana 2)"), N_("ID") },
    { "thinking", 0, 0, G_OPTION_ARG_STRING, &gen.thinking,
      N_("How hard the model thinks first: minimal or high"), N_("LEVEL") },
    { "thoughts", 0, 0, G_OPTION_ARG_NONE, &gen.thoughts,
      N_("Ask for the model’s thoughts and show them"), NULL },
    { "search", 0, 0, G_OPTION_ARG_NONE, &gen.search,
      N_("Let the model search the web"), NULL },
    { "image-search", 0, 0, G_OPTION_ARG_NONE, &gen.image_search,
      N_("Let the model search the web for images too"), NULL },
    { "stream", 0, 0, G_OPTION_ARG_NONE, &gen.stream,
      N_("Stream the reply: thoughts and draft images show as they arrive"), NULL },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &gen.demo,
      N_("Use Peel’s built-in demo server instead of a provider (offline, free)"), NULL },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &gen.base_url,
      N_("Send requests to this server instead (https://, or http:// to this machine only); "
         "the key comes from GEMINI_API_KEY"), N_("URL") },
    { "provider", 0, 0, G_OPTION_ARG_STRING, &gen.provider_name,
      N_("google (default) or cometapi"), N_("NAME") },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &gen.auth,
      N_("How to send the key: x-goog-api-key (default) or bearer"), N_("STYLE") },
    { "max-attempts", 0, 0, G_OPTION_ARG_INT, &gen.max_attempts,
      N_("Tries in all when the service is busy or the connection drops (default 5)"), N_("N") },
    { "demo-fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &gen.demo_faults,
      N_("With --demo, make the next request misbehave, for testing scripts: rate-limit, "
         "server-error, unavailable, reset, truncated-stream, stall, malformed-json, "
         "blocked-prompt, image-safety, data-uri or huge-body; repeat for more"), N_("FAULT") },
    { "session", 0, 0, G_OPTION_ARG_FILENAME, &gen.session_arg,
      N_("Add the turn to this session (its folder, or its name; a new name starts a new "
         "session); the branch so far is sent with it"), N_("DIR") },
    { "parent", 0, 0, G_OPTION_ARG_STRING, &gen.parent_arg,
      N_("With --session, continue from this node (an id, the start of one, or “current”, "
         "the default); another parent than the current one starts a branch"), N_("NODE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &gen.json,
      N_("Print one JSON object describing the result, for scripts (with --session, the new "
         "node’s id too)"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &gen.output,
      N_("Where to write the image; .png converts to PNG, .jpg to JPEG, another extension is "
         "replaced by the image’s own (optional with --session)"), N_("FILE") },
    { NULL }
  };

  gen.max_attempts = 5;

  context = g_option_context_new (_("— make an image from a prompt, or edit one"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  ratios = join_ratios (PEEL_MODEL_FAMILY_FLASH_3_1);
  description = g_strdup_printf (
    _("Aspect ratios: %s (Nano Banana 2; others take fewer).\n"
      "The key comes from the GEMINI_API_KEY environment variable, or from the keyring where "
      "Peel keeps it.\n\n"
      "Exit status: 0 done; 2 bad usage or input; 3 the service refused or blocked the "
      "request; 4 network or server failure after retries; 130 interrupted. Nothing is left "
      "at --output when it fails.\n\n"
      "Example: peel-cli generate --demo --prompt \"a lighthouse at dusk\" --aspect 16:9 "
      "--size 2K --output lighthouse.png"), ratios);
  g_option_context_set_description (context, description);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      status = usage_error (NULL, "%s", error->message);
      generate_clear (&gen);
      return status;
    }

  if (argc > 1)
    {
      status = usage_error (NULL, _("“%s” is not an option; put the prompt in --prompt."),
                            argv[1]);
      generate_clear (&gen);
      return status;
    }

  status = validate_options (&gen);
  if (status == PEEL_CLI_EXIT_OK && gen.session_arg != NULL)
    status = open_session (&gen);
  if (status == PEEL_CLI_EXIT_OK)
    status = make_provider (&gen);
  if (status != PEEL_CLI_EXIT_OK)
    {
      generate_clear (&gen);
      return status;
    }

  gen.loop = g_main_loop_new (NULL, FALSE);
  gen.cancellable = g_cancellable_new ();
  gen.images = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  gen.tty = isatty (fileno (stderr));

  sigint_id = g_unix_signal_add (SIGINT, sigint_cb, &gen);
  g_idle_add (begin_cb, &gen);
  g_main_loop_run (gen.loop);
  g_source_remove (sigint_id);

  if (gen.error != NULL)
    {
      if (gen.error_status == PEEL_CLI_EXIT_INTERRUPTED)
        g_printerr ("%s\n", _("Interrupted; nothing was written."));
      else
        g_printerr ("peel-cli generate: %s\n", gen.error->message);
      status = gen.error_status;
    }
  else
    status = PEEL_CLI_EXIT_OK;

  generate_clear (&gen);
  return status;
}
