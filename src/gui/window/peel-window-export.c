/* peel-window-export.c
 *
 * Export through the file chooser portal: one node as a PNG with its lineage, a whole branch as
 * numbered PNGs, or a contact sheet of a branch. The engine writes it off the main loop.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-export.h"
#include "peel-window-private.h"

typedef enum
{
  EXPORT_NODE = PEEL_EXPORT_KIND_NODE,
  EXPORT_BRANCH = PEEL_EXPORT_KIND_BRANCH,
  EXPORT_CONTACT_SHEET = PEEL_EXPORT_KIND_CONTACT_SHEET,
} ExportKind;

/* What the file chooser is asked for. */
typedef struct
{
  ExportKind       kind;
  PeelNode        *node;
  char            *path;
  PeelExportFlags  flags;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->node);
  g_free (job->path);
  g_free (job);
}

typedef struct
{
  PeelWindow *self;
  char       *path;
} ExportDone;

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ExportDone *done = user_data;
  g_autoptr(PeelWindow) self = done->self;
  g_autofree char *path = done->path;
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *message = NULL;

  g_free (done);
  if (!peel_export_finish (result, &error))
    {
      /* Nothing is lost: the image stays in the session whatever happened to the file. */
      g_autofree char *text = g_strdup_printf (_("Could not export: %s"), error->message);
      peel_window_toast (self, text);
      return;
    }

  basename = g_path_get_basename (path);
  /* Translators: %s is a file or folder name */
  message = g_strdup_printf (_("Exported to “%s”"), basename);
  peel_window_toast (self, message);
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  g_autoptr(PeelWindow) self = user_data;
  ExportJob *job = g_object_steal_data (G_OBJECT (dialog), "peel-job");
  g_autoptr(GFile) file = NULL;
  ExportDone *done;

  if (response != GTK_RESPONSE_ACCEPT)
    {
      export_job_free (job);
      g_object_unref (dialog);
      return;
    }

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  job->path = g_file_get_path (file);
  g_object_unref (dialog);

  if (job->path == NULL)
    {
      peel_window_toast (self, _("Peel can only export to a local folder."));
      export_job_free (job);
      return;
    }

  /* Written off the main loop by the engine; nothing is lost whatever happens to the file. */
  done = g_new0 (ExportDone, 1);
  done->self = g_object_ref (self);
  done->path = g_strdup (job->path);
  peel_export_async ((PeelExportKind) job->kind, job->node, job->path, job->flags, NULL,
                     export_done_cb, done);
  export_job_free (job);
}

/* A single export needs the node's own image; a branch or a contact sheet needs one anywhere
 * from the root to the node, so a failed last attempt does not stop them. */
static gboolean
branch_has_image (PeelNode   *node,
                  ExportKind  kind)
{
  for (; node != NULL; node = kind == EXPORT_NODE ? NULL : peel_node_get_parent (node))
    if (peel_node_get_has_image (node))
      return TRUE;
  return FALSE;
}

static void
choose_and_export (PeelWindow *self,
                   PeelNode   *node,
                   ExportKind  kind)
{
  GtkFileChooserNative *chooser;
  GtkFileChooserAction action = kind == EXPORT_BRANCH ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                                      : GTK_FILE_CHOOSER_ACTION_SAVE;
  ExportJob *job;
  const char *title;

  if (node == NULL || !branch_has_image (node, kind))
    {
      peel_window_toast (self, _("There is no image to export yet."));
      return;
    }

  switch (kind)
    {
    case EXPORT_BRANCH:
      title = _("Export Branch to Folder");
      break;
    case EXPORT_CONTACT_SHEET:
      title = _("Save Contact Sheet");
      break;
    case EXPORT_NODE:
    default:
      title = _("Export Image");
      break;
    }

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, _("_Export"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  if (kind != EXPORT_BRANCH)
    {
      g_autofree char *name = peel_export_file_name (node, kind == EXPORT_CONTACT_SHEET
                                                           ? "-sheet" : NULL);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
    }

  job = g_new0 (ExportJob, 1);
  job->kind = kind;
  job->node = g_object_ref (node);
  if (!g_settings_get_boolean (self->settings, "export-metadata"))
    job->flags |= PEEL_EXPORT_NO_METADATA;
  g_object_set_data (G_OBJECT (chooser), "peel-job", job);

  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static PeelNode *
current_node (PeelWindow *self)
{
  return self->session ? peel_session_get_current (self->session) : NULL;
}

static void
export_png_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  choose_and_export (PEEL_WINDOW (widget), current_node (PEEL_WINDOW (widget)), EXPORT_NODE);
}

static void
export_node_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  if (self->session != NULL)
    choose_and_export (self, peel_session_find_node (self->session,
                                                     g_variant_get_string (parameter, NULL)),
                       EXPORT_NODE);
}

static void
export_branch_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  choose_and_export (PEEL_WINDOW (widget), current_node (PEEL_WINDOW (widget)), EXPORT_BRANCH);
}

static void
export_contact_sheet_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  choose_and_export (PEEL_WINDOW (widget), current_node (PEEL_WINDOW (widget)),
                     EXPORT_CONTACT_SHEET);
}

void
peel_window_export_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.export-png", NULL, export_png_action);
  gtk_widget_class_install_action (widget_class, "win.export-node", "s", export_node_action);
  gtk_widget_class_install_action (widget_class, "win.export-branch", NULL,
                                   export_branch_action);
  gtk_widget_class_install_action (widget_class, "win.export-contact-sheet", NULL,
                                   export_contact_sheet_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "win.export-png", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.export-branch", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_S, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.export-branch", NULL);
}
