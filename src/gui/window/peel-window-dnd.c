/* peel-window-dnd.c
 *
 * Images in and out: files and image data dropped on the window, pasted, or dragged out of the
 * canvas to other apps; a Peel PNG dropped in can bring its whole lineage back as a branch.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-canvas-tools.h"
#include "peel-export.h"
#include "peel-image-input.h"
#include "peel-image-probe.h"
#include "peel-text.h"
#include "peel-picker-state.h"
#include "peel-window-private.h"

static void
add_reference (PeelWindow     *self,
               const PeelPart *part,
               const char     *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;

  if (!peel_prompt_bar_add_reference (self->prompt_bar, part, name, &error))
    {
      peel_window_toast_error (self, error);
      return;
    }
  warning = peel_view_small_reference_warning (name, part->width, part->height);
  if (warning != NULL)
    peel_window_toast (self, warning);
}

typedef struct
{
  PeelWindow *self;
  GBytes     *bytes;
  PeelPart   *part;
  char       *name;
} LineageOffer;

static void
lineage_offer_free (LineageOffer *offer)
{
  g_object_unref (offer->self);
  g_bytes_unref (offer->bytes);
  peel_part_free (offer->part);
  g_free (offer->name);
  g_free (offer);
}

static void
restore_history (PeelWindow *self,
                 GBytes     *png,
                 const char *name)
{
  g_autoptr(GError) error = NULL;
  PeelNode *node;
  guint added = 0;

  node = peel_session_import_png (self->session, png, &added, &error);
  if (node == NULL)
    {
      peel_window_toast_error (self, error);
      return;
    }

  /* The restored branch is where the next turn starts, as after any answer. */
  peel_session_set_current (self->session, node);
  if (added == 0)
    {
      /* Translators: %s is a file name */
      g_autofree char *text = g_strdup_printf (_("Every turn of “%s” is already in this "
                                                 "session: it is shown now."), name);
      peel_window_toast (self, text);
    }
  else
    peel_window_toast (self, _("The image’s history was restored as a new branch."));
}

static void
lineage_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     LineageOffer     *offer)
{
  PeelWindow *self = offer->self;

  if (g_strcmp0 (response, "restore") == 0 && self->session != NULL)
    restore_history (self, offer->bytes, offer->name);
  else if (g_strcmp0 (response, "reference") == 0 && offer->part != NULL)
    add_reference (self, offer->part, offer->name);

  lineage_offer_free (offer);
}

static gboolean
has_lineage (GBytes *png)
{
  g_autoptr(GHashTable) metadata = png ? peel_export_read_metadata (png, NULL) : NULL;

  return metadata != NULL && g_hash_table_contains (metadata, "peel:lineage");
}

/* A PNG that Peel exported carries its lineage: offer to bring it back rather than silently
 * treating it as just another picture. @png is the file as read, before it was prepared as a
 * reference (@part, %NULL when it cannot be one): preparing can re-encode it and drop its
 * text. */
static gboolean
offer_lineage (PeelWindow     *self,
               GBytes         *png,
               const PeelPart *part,
               const char     *name)
{
  g_autofree char *safe_name = NULL;
  g_autofree char *body = NULL;
  LineageOffer *offer;
  AdwMessageDialog *dialog;

  if (!has_lineage (png))
    return FALSE;

  offer = g_new0 (LineageOffer, 1);
  offer->self = g_object_ref (self);
  offer->bytes = g_bytes_ref (png);
  offer->part = part ? peel_part_copy (part) : NULL;
  offer->name = g_strdup (name);

  safe_name = peel_text_strip_for_label (name, -1);
  body = g_strdup_printf (_("“%s” was made with Peel and remembers the prompts that "
                            "led to it. Peel can add them to this session as a new "
                            "branch, or use the image as a reference."), safe_name);
  dialog = peel_window_message_dialog_new (self, _("Restore This Image’s History?"), body);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), NULL);
  if (part != NULL)
    adw_message_dialog_add_responses (dialog, "reference", _("Use as _Reference"), NULL);
  adw_message_dialog_add_responses (dialog, "restore", _("_Restore History"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "restore", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "restore");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (lineage_response_cb), offer);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* What to do with a file once read: a reference (or its history), or only its history. */
typedef struct
{
  PeelWindow *self;
  gboolean    restore_only;
} LoadRequest;

static LoadRequest *
load_request_new (PeelWindow *self,
                  gboolean    restore_only)
{
  LoadRequest *request = g_new0 (LoadRequest, 1);

  request->self = g_object_ref (self);
  request->restore_only = restore_only;
  return request;
}

static void
file_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  LoadRequest *request = user_data;
  g_autoptr(PeelWindow) self = request->self;
  gboolean restore_only = request->restore_only;
  g_autoptr(PeelPart) part = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) original = NULL;
  g_autofree char *name = NULL;

  g_free (request);
  part = peel_image_input_load_file_finish_full (result, &name, &original, &error);
  if (offer_lineage (self, original, part, name ? name : _("The image")))
    return;

  if (part == NULL)
    {
      peel_window_toast_error (self, error);
      return;
    }
  if (restore_only)
    {
      /* Translators: %s is a file name */
      g_autofree char *text = g_strdup_printf (_("“%s” was not made with Peel, so it has no "
                                                 "history to restore. Drop it on the image "
                                                 "to use it as a reference."), name);
      peel_window_toast (self, text);
      return;
    }
  add_reference (self, part, name);
}

/**
 * peel_window_add_reference_file:
 *
 * Reads, checks and prepares @file off the main loop, then adds it to the prompt bar's
 * references; anything that is not a usable image is refused with a toast. A Peel PNG offers
 * to restore its history instead.
 */
void
peel_window_add_reference_file (PeelWindow *self,
                                GFile      *file)
{
  peel_image_input_load_file_async (file, NULL, file_loaded_cb, load_request_new (self, FALSE));
}

/**
 * peel_window_restore_png_file:
 *
 * Reads @file off the main loop and offers to restore the history a Peel PNG carries into the
 * open session ("Import…" of the sessions list).
 */
void
peel_window_restore_png_file (PeelWindow *self,
                              GFile      *file)
{
  peel_image_input_load_file_async (file, NULL, file_loaded_cb, load_request_new (self, TRUE));
}

static void
texture_to_reference (PeelWindow *self,
                      GdkTexture *texture,
                      const char *name)
{
  g_autoptr(GBytes) png = gdk_texture_save_to_png_bytes (texture);
  g_autoptr(PeelPart) part = NULL;
  g_autoptr(GError) error = NULL;

  part = peel_image_input_prepare (png, name, &error);
  if (part == NULL)
    peel_window_toast_error (self, error);
  else
    add_reference (self, part, name);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         PeelWindow    *self)
{
  gtk_widget_set_visible (self->drop_highlight, FALSE);

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);

      if (files == NULL)
        return FALSE;
      for (GSList *l = files; l != NULL; l = l->next)
        peel_window_add_reference_file (self, l->data);
      return TRUE;
    }

  if (G_VALUE_HOLDS (value, GDK_TYPE_TEXTURE))
    {
      texture_to_reference (self, g_value_get_object (value), _("Dropped image"));
      return TRUE;
    }

  peel_window_toast (self, _("Only images can be dropped here: PNG, JPEG, WebP or GIF files."));
  return FALSE;
}

static GdkDragAction
drop_enter_cb (GtkDropTarget *target,
               double         x,
               double         y,
               PeelWindow    *self)
{
  gtk_widget_set_visible (self->drop_highlight, TRUE);
  return GDK_ACTION_COPY;
}

static void
drop_leave_cb (GtkDropTarget *target,
               PeelWindow    *self)
{
  gtk_widget_set_visible (self->drop_highlight, FALSE);
}

/* Dragging the image out hands other apps a real PNG file (with its metadata, as set in
 * Preferences) and the pixels, so both Files and image editors take it. */
static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 PeelWindow    *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *basename = NULL;
  g_autoptr(GFile) file = NULL;
  GdkContentProvider *providers[2];
  PeelExportFlags flags = PEEL_EXPORT_DEFAULT;

  /* Zoomed in, a drag pans the image instead; with a selection tool or marks, it draws. */
  if (self->shown_node == NULL || self->texture == NULL || !peel_canvas_get_fit (self->canvas) ||
      peel_canvas_get_tool (self->canvas) != PEEL_CANVAS_TOOL_PAN)
    return NULL;

  if (!g_settings_get_boolean (self->settings, "export-metadata"))
    flags |= PEEL_EXPORT_NO_METADATA;

  dir = g_build_filename (g_get_user_cache_dir (), "peel", "drag", NULL);
  g_mkdir_with_parents (dir, 0700);
  basename = g_strdup_printf ("peel-%s.png", peel_node_get_id (self->shown_node));
  path = g_build_filename (dir, basename, NULL);
  if (!peel_export_node_to_file (self->shown_node, path, flags, &error))
    {
      peel_window_toast_error (self, error);
      return NULL;
    }

  file = g_file_new_for_path (path);
  providers[0] = gdk_content_provider_new_typed (G_TYPE_FILE, file);
  providers[1] = gdk_content_provider_new_typed (GDK_TYPE_TEXTURE, self->texture);
  return gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               PeelWindow    *self)
{
  if (self->texture != NULL)
    gtk_drag_source_set_icon (source, GDK_PAINTABLE (self->texture), 0, 0);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  /* Ctrl+C in the prompt copies text, as everywhere else. */
  if (focus != NULL && GTK_IS_TEXT_VIEW (focus))
    {
      gtk_widget_activate_action (focus, "clipboard.copy", NULL);
      return;
    }

  if (self->texture == NULL)
    return;

  gdk_clipboard_set_texture (gtk_widget_get_clipboard (widget), self->texture);
  peel_window_toast (self, _("Image copied"));
}

static void
paste_texture_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PeelWindow) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (object), result, &error);
  if (texture == NULL)
    {
      peel_window_toast (self, _("The clipboard holds no image to paste."));
      return;
    }

  texture_to_reference (self, texture, _("Pasted image"));
}

/* Text is read as bytes and looked at before it goes into the prompt: some programs offer an
 * image's bytes under a text type, and those must become a reference, not "\x89PNG…". */
static const char * const text_mime_types[] = {
  "text/plain;charset=utf-8", "text/plain", "UTF8_STRING", "STRING", "TEXT", NULL
};

typedef struct
{
  PeelWindow  *self;
  GWeakRef     text_view;
  GByteArray  *data;
} PasteText;

static void
paste_text_free (PasteText *paste)
{
  g_object_unref (paste->self);
  g_weak_ref_clear (&paste->text_view);
  g_clear_pointer (&paste->data, g_byte_array_unref);
  g_free (paste);
}

static void
paste_text_finish (PasteText *paste)
{
  PeelWindow *self = paste->self;
  g_autoptr(GtkTextView) text_view = g_weak_ref_get (&paste->text_view);
  g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (g_steal_pointer (&paste->data));
  gsize len;
  const char *text = g_bytes_get_data (bytes, &len);
  g_autoptr(GError) error = NULL;
  int width, height;

  if (peel_image_probe (bytes, &width, &height, NULL, NULL))
    {
      g_autoptr(PeelPart) part = peel_image_input_prepare (bytes, _("Pasted image"), &error);

      if (part == NULL)
        peel_window_toast_error (self, error);
      else
        add_reference (self, part, _("Pasted image"));
      return;
    }

  if (len == 0 || text_view == NULL)
    return;

  if (!g_utf8_validate (text, len, NULL))
    {
      peel_window_toast (self, _("The clipboard holds data that is neither text nor an image "
                                 "Peel can read, so nothing was pasted."));
      return;
    }

  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (text_view);
    gboolean editable = gtk_text_view_get_editable (text_view);
    g_autofree char *copy = g_strndup (text, len);

    gtk_text_buffer_begin_user_action (buffer);
    gtk_text_buffer_delete_selection (buffer, TRUE, editable);
    gtk_text_buffer_insert_interactive_at_cursor (buffer, copy, -1, editable);
    gtk_text_buffer_end_user_action (buffer);
    gtk_text_view_scroll_mark_onscreen (text_view, gtk_text_buffer_get_insert (buffer));
  }
}

static void
paste_text_read_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  PasteText *paste = user_data;
  GInputStream *stream = G_INPUT_STREAM (object);
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) error = NULL;

  chunk = g_input_stream_read_bytes_finish (stream, result, &error);
  if (chunk == NULL)
    {
      peel_window_toast_error (paste->self, error);
      paste_text_free (paste);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      paste_text_finish (paste);
      paste_text_free (paste);
      return;
    }

  g_byte_array_append (paste->data, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  if (paste->data->len > PEEL_IMAGE_INPUT_MAX_FILE_BYTES)
    {
      peel_window_toast (paste->self, _("The clipboard holds more than 50 MB, more than Peel "
                                        "pastes, so nothing was pasted."));
      paste_text_free (paste);
      return;
    }

  g_input_stream_read_bytes_async (stream, 64 * 1024, G_PRIORITY_DEFAULT, NULL,
                                   paste_text_read_cb, paste);
}

static void
paste_text_open_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  PasteText *paste = user_data;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  stream = gdk_clipboard_read_finish (GDK_CLIPBOARD (object), result, NULL, &error);
  if (stream == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        peel_window_toast_error (paste->self, error);
      paste_text_free (paste);
      return;
    }

  g_input_stream_read_bytes_async (stream, 64 * 1024, G_PRIORITY_DEFAULT, NULL,
                                   paste_text_read_cb, paste);
}

static gboolean
offers_text (GdkContentFormats *formats)
{
  for (guint i = 0; text_mime_types[i] != NULL; i++)
    if (gdk_content_formats_contain_mime_type (formats, text_mime_types[i]))
      return TRUE;
  return FALSE;
}

static gboolean
offers_image (GdkContentFormats *formats)
{
  gsize n_mime_types;
  const char * const *mime_types = gdk_content_formats_get_mime_types (formats, &n_mime_types);

  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE))
    return TRUE;
  for (gsize i = 0; i < n_mime_types; i++)
    if (g_str_has_prefix (mime_types[i], "image/"))
      return TRUE;
  return FALSE;
}

/* One paste for the whole window, wherever the focus is: an image becomes a reference, text
 * goes into the prompt when the prompt has the focus. */
static void
paste (PeelWindow  *self,
       GtkTextView *text_view)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);
  PasteText *paste;

  if (offers_image (formats))
    {
      gdk_clipboard_read_texture_async (clipboard, NULL, paste_texture_cb, g_object_ref (self));
      return;
    }

  if (!offers_text (formats))
    {
      if (text_view == NULL)
        peel_window_toast (self, _("The clipboard holds no image to paste."));
      return;
    }

  paste = g_new0 (PasteText, 1);
  paste->self = g_object_ref (self);
  g_weak_ref_init (&paste->text_view, text_view);
  paste->data = g_byte_array_new ();
  gdk_clipboard_read_async (clipboard, (const char **) text_mime_types, G_PRIORITY_DEFAULT,
                            NULL, paste_text_open_cb, paste);
}

/* The prompt handles Ctrl+V, Shift+Insert and its menu's Paste itself, before the window's
 * shortcut could: this is where all three come in. */
static void
prompt_paste_cb (GtkTextView *text_view,
                 PeelWindow  *self)
{
  g_signal_stop_emission_by_name (text_view, "paste-clipboard");
  paste (self, text_view);
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  paste (self, focus != NULL && GTK_IS_TEXT_VIEW (focus) ? GTK_TEXT_VIEW (focus) : NULL);
}

/* Entries (search, rename) paste text themselves before the window's shortcut is reached; an
 * image, which they cannot take, is caught on the way down and becomes a reference. */
static gboolean
image_paste_cb (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  GdkContentFormats *formats = gdk_clipboard_get_formats (gtk_widget_get_clipboard (widget));
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (focus == NULL || !GTK_IS_EDITABLE (focus) || !offers_image (formats) ||
      offers_text (formats))
    return FALSE;

  paste (self, NULL);
  return TRUE;
}

void
peel_window_dnd_init (PeelWindow *self)
{
  GtkEventController *shortcuts;
  GtkDropTarget *target;
  GtkDragSource *source;
  GType types[] = { GDK_TYPE_FILE_LIST, GDK_TYPE_TEXTURE };

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  g_signal_connect (target, "enter", G_CALLBACK (drop_enter_cb), self);
  g_signal_connect (target, "leave", G_CALLBACK (drop_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->canvas_stack), GTK_EVENT_CONTROLLER (target));

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->prompt_bar), GTK_EVENT_CONTROLLER (target));

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (drag_prepare_cb), self);
  g_signal_connect (source, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->canvas), GTK_EVENT_CONTROLLER (source));

  g_signal_connect_object (peel_prompt_bar_get_text_view (self->prompt_bar), "paste-clipboard",
                           G_CALLBACK (prompt_paste_cb), self, 0);

  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>v|<Shift>Insert"),
                      gtk_callback_action_new (image_paste_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

void
peel_window_dnd_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.copy-image", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "win.paste-image", NULL, paste_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                       "win.copy-image", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK,
                                       "win.paste-image", NULL);
}
