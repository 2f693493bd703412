/* peel-export-async.c
 *
 * An export off the main loop: one node as a PNG with its lineage, a whole branch as numbered
 * PNGs, or a contact sheet of a branch, written in a worker for a program that must not wait.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-export.h"

typedef struct
{
  PeelExportKind   kind;
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

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;
  gboolean ok = FALSE;

  switch (job->kind)
    {
    case PEEL_EXPORT_KIND_NODE:
      ok = peel_export_node_to_file (job->node, job->path, job->flags, &error);
      break;

    case PEEL_EXPORT_KIND_BRANCH:
      {
        g_autoptr(GPtrArray) files = peel_export_branch (job->node, job->path, job->flags, &error);
        ok = files != NULL;
      }
      break;

    case PEEL_EXPORT_KIND_CONTACT_SHEET:
      ok = peel_export_contact_sheet (job->node, job->path, &error);
      break;

    default:
      g_assert_not_reached ();
    }

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * peel_export_async:
 * @kind: one node, its branch into a folder, or the branch's contact sheet
 * @node: the node (the last of the branch)
 * @path: the file, or for a branch the folder
 * @flags: export flags (contact sheets carry no metadata)
 *
 * Writes the export in a worker, as peel_export_node_to_file(), peel_export_branch() or
 * peel_export_contact_sheet() would.
 */
void
peel_export_async (PeelExportKind       kind,
                   PeelNode            *node,
                   const char          *path,
                   PeelExportFlags      flags,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ExportJob *job = g_new0 (ExportJob, 1);

  g_return_if_fail (PEEL_IS_NODE (node));
  g_return_if_fail (path != NULL);

  job->kind = kind;
  job->node = g_object_ref (node);
  job->path = g_strdup (path);
  job->flags = flags;
  g_task_set_source_tag (task, peel_export_async);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
peel_export_finish (GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
