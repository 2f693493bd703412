/* peel-sessions-popover.c
 *
 * The sessions on this computer, newest first, each with its thumbnail, when it last changed
 * and how many turns it has. Reading the list, copying, importing and exporting happen in
 * threads; the window opens what is picked (PeelSessionsPopover::session-activated).
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "peel-message-dialog.h"
#include "peel-panel-text.h"
#include "peel-text.h"
#include "peel-sessions-popover.h"
#include "peel-thumbnail-cache.h"
#include "peel-util.h"

struct _PeelSessionItem
{
  GObject          parent_instance;
  PeelSessionInfo *info;
};

G_DEFINE_FINAL_TYPE (PeelSessionItem, peel_session_item, G_TYPE_OBJECT)

static void
peel_session_item_finalize (GObject *object)
{
  g_clear_pointer (&PEEL_SESSION_ITEM (object)->info, peel_session_info_free);
  G_OBJECT_CLASS (peel_session_item_parent_class)->finalize (object);
}

static void
peel_session_item_class_init (PeelSessionItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = peel_session_item_finalize;
}

static void
peel_session_item_init (PeelSessionItem *self)
{
}

/**
 * peel_session_item_get_info:
 * @self: an item of peel_sessions_popover_get_sessions()
 *
 * Returns: (transfer none): what the list knows of the session
 */
const PeelSessionInfo *
peel_session_item_get_info (PeelSessionItem *self)
{
  g_return_val_if_fail (PEEL_IS_SESSION_ITEM (self), NULL);
  return self->info;
}

typedef enum
{
  OP_RENAME,
  OP_DUPLICATE,
  OP_DELETE,
  OP_EXPORT,
  OP_IMPORT,
} OpKind;

typedef struct
{
  OpKind  kind;
  char   *path;
  char   *arg;
  char   *sessions_dir;
} Op;

struct _PeelSessionsPopover
{
  GtkPopover            parent_instance;

  char                 *sessions_dir;
  char                 *current_path;
  PeelSession          *current_session;   /* the open one, flushed before it is copied */
  gboolean              loading;
  GListStore           *sessions;
  GCancellable         *load_cancellable;
  GCancellable         *ops_cancellable;
  GtkFileChooserNative *chooser;

  GtkStack             *stack;
  GtkSpinner           *spinner;
  GtkListBox           *list_box;
};

enum {
  PROP_0,
  PROP_SESSIONS_DIR,
  PROP_CURRENT_PATH,
  PROP_LOADING,
  N_PROPS
};

enum {
  SESSION_ACTIVATED,
  SESSION_RENAMED,
  SESSION_DELETED,
  SHOW_MESSAGE,
  IMAGE_CHOSEN,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (PeelSessionsPopover, peel_sessions_popover, GTK_TYPE_POPOVER)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
op_free (Op *op)
{
  g_free (op->path);
  g_free (op->arg);
  g_free (op->sessions_dir);
  g_free (op);
}

static void
set_loading (PeelSessionsPopover *self,
             gboolean             loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static const PeelSessionInfo *
find_info (PeelSessionsPopover *self,
           const char          *path)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sessions));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PeelSessionItem) item = g_list_model_get_item (G_LIST_MODEL (self->sessions), i);

      if (g_strcmp0 (item->info->path, path) == 0)
        return item->info;
    }
  return NULL;
}

static void
thumbnail_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GtkPicture) picture = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = peel_thumbnail_cache_load_finish (PEEL_THUMBNAIL_CACHE (object), result, &error);
  if (texture == NULL)
    return;
  gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (picture), TRUE);
}

/* The picture is an overlay over a fixed square, so any texture covers the square. */
static GtkWidget *
make_thumbnail (PeelSessionsPopover   *self,
                const PeelSessionInfo *info)
{
  PeelThumbnailCache *cache = peel_thumbnail_cache_get_default ();
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *placeholder = gtk_image_new_from_icon_name ("image-x-generic-symbolic");
  GtkWidget *picture = gtk_picture_new ();
  g_autofree char *key = info->image ? peel_thumbnail_cache_key_for_blob (info->image) : NULL;
  GdkTexture *texture = peel_thumbnail_cache_lookup (cache, key);

  gtk_widget_add_css_class (overlay, "session-thumbnail");
  /* The row says which session it is; the picture adds nothing a screen reader can say. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (overlay), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_widget_set_overflow (overlay, GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_valign (overlay, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_size_request (placeholder, 40, 40);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), placeholder);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), picture);

  gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (texture));
  gtk_widget_set_visible (picture, texture != NULL);
  if (texture == NULL && info->image != NULL)
    peel_thumbnail_cache_load_blob_async (cache, info->path, info->image, self->load_cancellable,
                                          thumbnail_loaded_cb, g_object_ref (picture));
  return overlay;
}

static GMenuModel *
make_row_menu (const char *path)
{
  static const struct { const char *label; const char *action; } items[] = {
    { N_("_Rename…"), "sessions.rename" },
    { N_("_Duplicate"), "sessions.duplicate" },
    { N_("_Export…"), "sessions.export" },
    { N_("_Delete…"), "sessions.delete" },
  };
  GMenu *menu = g_menu_new ();

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_(items[i].label), NULL);

      g_menu_item_set_action_and_target_value (item, items[i].action, g_variant_new_string (path));
      g_menu_append_item (menu, item);
    }
  return G_MENU_MODEL (menu);
}

static GtkWidget *
create_row_cb (gpointer object,
               gpointer user_data)
{
  PeelSessionsPopover *self = user_data;
  const PeelSessionInfo *info = PEEL_SESSION_ITEM (object)->info;
  g_autoptr(GMenuModel) menu = make_row_menu (info->path);
  g_autofree char *caption = peel_panels_session_caption (info->modified, g_get_real_time (),
                                                          info->n_nodes);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *safe_name = peel_text_strip_for_label (info->name, -1);
  GtkWidget *name = gtk_label_new (safe_name);
  GtkWidget *when = gtk_label_new (caption);
  GtkWidget *more = gtk_menu_button_new ();
  g_autofree char *accessible = NULL;

  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (when), 0);
  gtk_label_set_ellipsize (GTK_LABEL (when), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (when, "caption");
  gtk_widget_add_css_class (when, "dim-label");
  gtk_box_append (GTK_BOX (labels), name);
  gtk_box_append (GTK_BOX (labels), when);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (more), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (more), menu);
  gtk_widget_set_valign (more, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (more, _("Session Menu"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (more),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Session Menu"),
                                  -1);
  gtk_widget_add_css_class (more, "flat");

  gtk_box_append (GTK_BOX (box), make_thumbnail (self, info));
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), more);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_tooltip_text (row, info->path);
  /* Named as it reads, not after its folder (which stays its tooltip). */
  accessible = g_strdup_printf ("%s, %s", info->name, caption);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  if (g_strcmp0 (info->path, self->current_path) == 0)
    gtk_widget_add_css_class (row, "current-session");
  return row;
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *list = peel_store_list_sessions (task_data, &error);

  if (list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
}

static void
list_ready_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  PeelSessionsPopover *self;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  list = g_task_propagate_pointer (G_TASK (result), &error);
  /* A cancelled list may outlive the popover: only a live one may touch it. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PEEL_SESSIONS_POPOVER (user_data);
  set_loading (self, FALSE);
  if (list == NULL)
    {
      g_signal_emit (self, signals[SHOW_MESSAGE], 0, error->message);
      list = g_ptr_array_new ();
    }

  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < list->len; i++)
    {
      PeelSessionItem *item = g_object_new (PEEL_TYPE_SESSION_ITEM, NULL);

      item->info = g_steal_pointer (&list->pdata[i]);
      g_ptr_array_add (items, item);
    }
  g_list_store_splice (self->sessions, 0, g_list_model_get_n_items (G_LIST_MODEL (self->sessions)),
                       items->pdata, items->len);
  gtk_stack_set_visible_child_name (self->stack, items->len ? "list" : "empty");
}

/**
 * peel_sessions_popover_reload:
 * @self: a sessions popover
 *
 * Reads the sessions folder again, in a thread. The popover does this each time it opens.
 */
void
peel_sessions_popover_reload (PeelSessionsPopover *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PEEL_IS_SESSIONS_POPOVER (self));

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();

  if (g_list_model_get_n_items (G_LIST_MODEL (self->sessions)) == 0)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  set_loading (self, TRUE);

  task = g_task_new (NULL, self->load_cancellable, list_ready_cb, self);
  g_task_set_source_tag (task, peel_sessions_popover_reload);
  g_task_set_task_data (task, self->sessions_dir ? g_strdup (self->sessions_dir)
                                                 : peel_store_get_default_dir (), g_free);
  g_task_run_in_thread (task, list_thread);
}

static void
op_thread (GTask        *task,
           gpointer      source_object,
           gpointer      task_data,
           GCancellable *cancellable)
{
  Op *op = task_data;
  GError *error = NULL;
  char *result = NULL;
  gboolean ok = FALSE;

  switch (op->kind)
    {
    case OP_RENAME:
      ok = peel_store_rename_session (op->path, op->arg, &error);
      break;
    case OP_DUPLICATE:
      ok = (result = peel_store_duplicate_session (op->path, &error)) != NULL;
      break;
    case OP_DELETE:
      ok = peel_store_delete_session (op->path, &error);
      break;
    case OP_EXPORT:
      ok = peel_store_export_archive (op->path, op->arg, &error);
      break;
    case OP_IMPORT:
      ok = (result = peel_store_import_archive (op->path, op->sessions_dir, &error)) != NULL;
      break;
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result ? result : g_strdup (""), g_free);
}

static void
op_ready_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  PeelSessionsPopover *self;
  Op *op = g_task_get_task_data (G_TASK (result));
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;

  out = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PEEL_SESSIONS_POPOVER (user_data);
  if (out == NULL)
    {
      g_signal_emit (self, signals[SHOW_MESSAGE], 0, error->message);
      return;
    }

  switch (op->kind)
    {
    case OP_RENAME:
      g_signal_emit (self, signals[SESSION_RENAMED], 0, op->path, op->arg);
      break;
    case OP_DELETE:
      g_signal_emit (self, signals[SESSION_DELETED], 0, op->path);
      break;
    case OP_EXPORT:
      {
        g_autofree char *name = g_path_get_basename (op->arg);
        g_autofree char *message = g_strdup_printf (_("Exported as “%s”"), name);

        g_signal_emit (self, signals[SHOW_MESSAGE], 0, message);
      }
      break;
    case OP_IMPORT:
      g_signal_emit (self, signals[SESSION_ACTIVATED], 0, out);
      break;
    case OP_DUPLICATE:
    default:
      break;
    }
  peel_sessions_popover_reload (self);
}

static void
start_op (PeelSessionsPopover *self,
          Op                  *op)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->ops_cancellable, op_ready_cb, self);

  g_task_set_source_tag (task, start_op);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  g_task_run_in_thread (task, op_thread);
}

typedef struct
{
  PeelSessionsPopover *self;   /* owned */
  Op                  *op;
} FlushWait;

static void
flushed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  FlushWait *wait = user_data;
  g_autoptr(PeelSessionsPopover) self = wait->self;
  Op *op = wait->op;
  g_autoptr(GError) error = NULL;

  g_free (wait);
  if (!peel_session_flush_finish (PEEL_SESSION (object), result, &error))
    {
      op_free (op);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* A copy without the newest changes would look complete: say why there is none. */
      {
        g_autofree char *message =
          g_strdup_printf (_("The session’s latest changes could not be saved, so it was not "
                             "copied: %s"), error->message);

        g_signal_emit (self, signals[SHOW_MESSAGE], 0, message);
      }
      return;
    }
  start_op (self, op);
}

static void
run_op (PeelSessionsPopover *self,
        OpKind               kind,
        const char          *path,
        const char          *arg)
{
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  op->path = g_strdup (path);
  op->arg = g_strdup (arg);
  op->sessions_dir = g_strdup (self->sessions_dir);

  /* The open session writes in the background: what is copied must hold its last change. */
  if ((kind == OP_DUPLICATE || kind == OP_EXPORT) && self->current_session != NULL &&
      g_strcmp0 (path, self->current_path) == 0)
    {
      FlushWait *wait = g_new0 (FlushWait, 1);

      wait->self = g_object_ref (self);
      wait->op = op;
      peel_session_flush_async (self->current_session, self->ops_cancellable, flushed_cb, wait);
      return;
    }
  start_op (self, op);
}

static GtkWindow *
parent_window (PeelSessionsPopover *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
rename_response_cb (AdwMessageDialog    *dialog,
                    const char          *response,
                    PeelSessionsPopover *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (g_strcmp0 (response, "rename") == 0 && *name != '\0')
    run_op (self, OP_RENAME, g_object_get_data (G_OBJECT (dialog), "path"), name);
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PeelSessionsPopover *self = PEEL_SESSIONS_POPOVER (widget);
  const char *path = g_variant_get_string (parameter, NULL);
  const PeelSessionInfo *info = find_info (self, path);
  GtkWidget *dialog;
  GtkWidget *entry = gtk_entry_new ();

  gtk_popover_popdown (GTK_POPOVER (self));
  dialog = GTK_WIDGET (peel_message_dialog_new (parent_window (self), _("Rename Session"), NULL));
  gtk_editable_set_text (GTK_EDITABLE (entry), info ? info->name : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "path", g_strdup (path), g_free);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (rename_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  run_op (PEEL_SESSIONS_POPOVER (widget), OP_DUPLICATE, g_variant_get_string (parameter, NULL),
          NULL);
}

static void
delete_response_cb (AdwMessageDialog    *dialog,
                    const char          *response,
                    PeelSessionsPopover *self)
{
  if (g_strcmp0 (response, "delete") == 0)
    run_op (self, OP_DELETE, g_object_get_data (G_OBJECT (dialog), "path"), NULL);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PeelSessionsPopover *self = PEEL_SESSIONS_POPOVER (widget);
  const char *path = g_variant_get_string (parameter, NULL);
  const PeelSessionInfo *info = find_info (self, path);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  gtk_popover_popdown (GTK_POPOVER (self));
  heading = g_strdup_printf (_("Delete “%s”?"), info ? info->name : path);
  dialog = GTK_WIDGET (peel_message_dialog_new (parent_window (self), heading,
                                                _("Its turns and images are removed from this "
                                                  "computer. This cannot be undone.")));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "path", g_strdup (path), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
chooser_response_cb (GtkNativeDialog     *chooser,
                     int                  response,
                     PeelSessionsPopover *self)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_autofree char *file_path = file ? g_file_get_path (file) : NULL;
  const char *session_path = g_object_get_data (G_OBJECT (chooser), "path");

  if (response == GTK_RESPONSE_ACCEPT && file_path != NULL)
    {
      if (session_path != NULL)
        run_op (self, OP_EXPORT, session_path, file_path);
      else if (g_str_has_suffix (file_path, ".png") || g_str_has_suffix (file_path, ".PNG"))
        g_signal_emit (self, signals[IMAGE_CHOSEN], 0, file);
      else
        run_op (self, OP_IMPORT, file_path, NULL);
    }
  g_clear_object (&self->chooser);
}

static void
open_chooser (PeelSessionsPopover *self,
              const PeelSessionInfo *info)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_popover_popdown (GTK_POPOVER (self));
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_file_filter_set_name (filter, _("Peel Sessions"));
  gtk_file_filter_add_pattern (filter, "*.peel");
  if (info != NULL)
    {
      g_autofree char *name = g_strconcat (info->name, ".peel", NULL);

      self->chooser = gtk_file_chooser_native_new (_("Export Session"), parent_window (self),
                                                   GTK_FILE_CHOOSER_ACTION_SAVE,
                                                   _("_Export"), NULL);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
      g_object_set_data_full (G_OBJECT (self->chooser), "path", g_strdup (info->path), g_free);
    }
  else
    {
      self->chooser = gtk_file_chooser_native_new (_("Import Session"), parent_window (self),
                                                   GTK_FILE_CHOOSER_ACTION_OPEN,
                                                   _("_Import"), NULL);
      /* A PNG exported by Peel carries its history: it can be brought back too. */
      gtk_file_filter_set_name (filter, _("Peel Sessions and Images"));
      gtk_file_filter_add_pattern (filter, "*.png");
      gtk_file_filter_add_pattern (filter, "*.PNG");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PeelSessionsPopover *self = PEEL_SESSIONS_POPOVER (widget);
  const PeelSessionInfo *info = find_info (self, g_variant_get_string (parameter, NULL));

  if (info != NULL)
    open_chooser (self, info);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  open_chooser (PEEL_SESSIONS_POPOVER (widget), NULL);
}

static void
row_activated_cb (PeelSessionsPopover *self,
                  GtkListBoxRow       *row)
{
  g_autoptr(PeelSessionItem) item = NULL;
  int index = gtk_list_box_row_get_index (row);

  item = g_list_model_get_item (G_LIST_MODEL (self->sessions), index);
  if (item == NULL)
    return;
  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[SESSION_ACTIVATED], 0, item->info->path);
}

static void
show_cb (PeelSessionsPopover *self)
{
  peel_sessions_popover_reload (self);
}

static void
popdown_cb (PeelSessionsPopover *self)
{
  gtk_popover_popdown (GTK_POPOVER (self));
}

static void
peel_sessions_popover_dispose (GObject *object)
{
  PeelSessionsPopover *self = (PeelSessionsPopover *)object;

  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->ops_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->ops_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), PEEL_TYPE_SESSIONS_POPOVER);
  g_clear_object (&self->sessions);
  g_clear_pointer (&self->sessions_dir, g_free);
  g_clear_pointer (&self->current_path, g_free);
  g_clear_object (&self->current_session);

  G_OBJECT_CLASS (peel_sessions_popover_parent_class)->dispose (object);
}

static void
peel_sessions_popover_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PeelSessionsPopover *self = PEEL_SESSIONS_POPOVER (object);

  switch (prop_id)
    {
    case PROP_SESSIONS_DIR:
      g_value_set_string (value, self->sessions_dir);
      break;
    case PROP_CURRENT_PATH:
      g_value_set_string (value, self->current_path);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_sessions_popover_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  PeelSessionsPopover *self = PEEL_SESSIONS_POPOVER (object);

  switch (prop_id)
    {
    case PROP_SESSIONS_DIR:
      peel_sessions_popover_set_sessions_dir (self, g_value_get_string (value));
      break;
    case PROP_CURRENT_PATH:
      peel_sessions_popover_set_current_path (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_sessions_popover_class_init (PeelSessionsPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = peel_sessions_popover_dispose;
  object_class->get_property = peel_sessions_popover_get_property;
  object_class->set_property = peel_sessions_popover_set_property;

  properties[PROP_SESSIONS_DIR] =
    g_param_spec_string ("sessions-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT_PATH] =
    g_param_spec_string ("current-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PeelSessionsPopover::session-activated:
   * @self: the popover
   * @path: the session's folder
   *
   * A session was picked, or imported, and should be opened.
   */
  signals[SESSION_ACTIVATED] =
    g_signal_new ("session-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SESSION_RENAMED] =
    g_signal_new ("session-renamed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SESSION_DELETED] =
    g_signal_new ("session-deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * PeelSessionsPopover::show-message:
   * @self: the popover
   * @message: what happened, for a toast
   */
  /**
   * PeelSessionsPopover::image-chosen:
   * @self: the popover
   * @file: a PNG picked in "Import…", whose history the open session may take in
   */
  signals[IMAGE_CHOSEN] =
    g_signal_new ("image-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_FILE);
  signals[SHOW_MESSAGE] =
    g_signal_new ("show-message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/peelapp/Peel/peel-sessions-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, PeelSessionsPopover, stack);
  gtk_widget_class_bind_template_child (widget_class, PeelSessionsPopover, spinner);
  gtk_widget_class_bind_template_child (widget_class, PeelSessionsPopover, list_box);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_cb);
  gtk_widget_class_bind_template_callback (widget_class, popdown_cb);

  gtk_widget_class_install_action (widget_class, "sessions.rename", "s", rename_action);
  gtk_widget_class_install_action (widget_class, "sessions.duplicate", "s", duplicate_action);
  gtk_widget_class_install_action (widget_class, "sessions.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "sessions.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "sessions.import", NULL, import_action);
}

static void
peel_sessions_popover_init (PeelSessionsPopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->ops_cancellable = g_cancellable_new ();
  self->sessions = g_list_store_new (PEEL_TYPE_SESSION_ITEM);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->sessions), create_row_cb, self,
                           NULL);
}

GtkWidget *
peel_sessions_popover_new (void)
{
  return g_object_new (PEEL_TYPE_SESSIONS_POPOVER, NULL);
}

const char *
peel_sessions_popover_get_sessions_dir (PeelSessionsPopover *self)
{
  g_return_val_if_fail (PEEL_IS_SESSIONS_POPOVER (self), NULL);
  return self->sessions_dir;
}

/**
 * peel_sessions_popover_set_sessions_dir:
 * @self: a sessions popover
 * @sessions_dir: (nullable): the folder of sessions, %NULL for the default
 */
void
peel_sessions_popover_set_sessions_dir (PeelSessionsPopover *self,
                                        const char          *sessions_dir)
{
  g_return_if_fail (PEEL_IS_SESSIONS_POPOVER (self));

  if (peel_set_str (&self->sessions_dir, sessions_dir))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSIONS_DIR]);
}

const char *
peel_sessions_popover_get_current_path (PeelSessionsPopover *self)
{
  g_return_val_if_fail (PEEL_IS_SESSIONS_POPOVER (self), NULL);
  return self->current_path;
}

/**
 * peel_sessions_popover_set_current_path:
 * @self: a sessions popover
 * @path: (nullable): the folder of the session that is open, which the list marks
 */
void
peel_sessions_popover_set_current_path (PeelSessionsPopover *self,
                                        const char          *path)
{
  g_return_if_fail (PEEL_IS_SESSIONS_POPOVER (self));

  if (peel_set_str (&self->current_path, path))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PATH]);
}

/**
 * peel_sessions_popover_set_current_session:
 * @self: a sessions popover
 * @session: (nullable): the session that is open
 *
 * Marks its folder in the list, and makes a duplicate or export of it wait until its
 * changes, written in the background, are on disk.
 */
void
peel_sessions_popover_set_current_session (PeelSessionsPopover *self,
                                           PeelSession         *session)
{
  PeelStore *store;

  g_return_if_fail (PEEL_IS_SESSIONS_POPOVER (self));

  g_set_object (&self->current_session, session);
  store = session ? peel_session_get_store (session) : NULL;
  peel_sessions_popover_set_current_path (self, store ? peel_store_get_path (store) : NULL);
}

gboolean
peel_sessions_popover_get_loading (PeelSessionsPopover *self)
{
  g_return_val_if_fail (PEEL_IS_SESSIONS_POPOVER (self), FALSE);
  return self->loading;
}

/**
 * peel_sessions_popover_get_sessions:
 * @self: a sessions popover
 *
 * Returns: (transfer none): the sessions listed, as #PeelSessionItem, newest first
 */
GListModel *
peel_sessions_popover_get_sessions (PeelSessionsPopover *self)
{
  g_return_val_if_fail (PEEL_IS_SESSIONS_POPOVER (self), NULL);
  return G_LIST_MODEL (self->sessions);
}
