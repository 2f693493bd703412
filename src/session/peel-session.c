/* peel-session.c
 *
 * The tree of a session: every turn kept, every branch continuable. Undo goes up the tree to
 * the parent, redo down to the child visited last; deleting a branch can be undone for as
 * long as the session is open. When the session has a store, every change is handed to its
 * writer thread at once; when a write fails the change stays in memory, the node is marked
 * unsaved, ::save-failed says why, and the next successful write catches up.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "peel-node-private.h"
#include "peel-session-private.h"

G_DEFINE_FINAL_TYPE (PeelSession, peel_session, G_TYPE_OBJECT)
G_DEFINE_QUARK (peel-session-error-quark, peel_session_error)

static GParamSpec *properties[PEEL_SESSION_N_PROPS];

void
_peel_session_notify (PeelSession *session,
                      guint        prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (session), properties[prop_id]);
}

static guint save_failed_signal;

/**
 * peel_session_emit_save_failed:
 * @session: a session
 * @error: why a change could not be written
 *
 * For the backend: emits PeelSession::save-failed.
 */
void
peel_session_emit_save_failed (PeelSession  *session,
                               const GError *error)
{
  g_return_if_fail (PEEL_IS_SESSION (session));
  g_signal_emit (session, save_failed_signal, 0, error);
}

static void
peel_session_dispose (GObject *object)
{
  PeelSession *self = (PeelSession *)object;
  g_autoptr(GError) error = NULL;

  /* Dropping a session does not drop its changes: what the writer has not written yet is
   * written now. */
  if (self->backend != NULL && !self->vtable->flush (self->backend, self, &error))
    g_warning ("Changes to session %s are lost: %s", self->id, error->message);
  _peel_session_drop_backend (self);
  G_OBJECT_CLASS (peel_session_parent_class)->dispose (object);
}

static void
peel_session_finalize (GObject *object)
{
  PeelSession *self = (PeelSession *)object;

  g_free (self->lazy_current);
  g_free (self->missing_current);
  g_free (self->id);
  g_free (self->name);
  g_clear_pointer (&self->nodes, g_hash_table_unref);
  g_clear_object (&self->roots);
  g_clear_object (&self->branch);
  g_clear_object (&self->current);
  g_clear_pointer (&self->last_child, g_hash_table_unref);
  g_clear_pointer (&self->deleted, g_ptr_array_unref);

  G_OBJECT_CLASS (peel_session_parent_class)->finalize (object);
}

static void
peel_session_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PeelSession *self = PEEL_SESSION (object);

  switch (prop_id)
    {
    case PEEL_SESSION_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PEEL_SESSION_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PEEL_SESSION_PROP_CURRENT:
      g_value_set_object (value, peel_session_get_current (self));
      break;
    case PEEL_SESSION_PROP_CAN_UNDO:
      g_value_set_boolean (value, peel_session_can_undo (self));
      break;
    case PEEL_SESSION_PROP_CAN_REDO:
      g_value_set_boolean (value, peel_session_can_redo (self));
      break;
    case PEEL_SESSION_PROP_CAN_UNDELETE:
      g_value_set_boolean (value, peel_session_can_undelete (self));
      break;
    case PEEL_SESSION_PROP_N_NODES:
      g_value_set_uint (value, peel_session_get_n_nodes (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_session_class_init (PeelSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = peel_session_dispose;
  object_class->finalize = peel_session_finalize;
  object_class->get_property = peel_session_get_property;

  properties[PEEL_SESSION_PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PEEL_SESSION_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PEEL_SESSION_PROP_CURRENT] =
    g_param_spec_object ("current", NULL, NULL, PEEL_TYPE_NODE, ro);
  properties[PEEL_SESSION_PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, ro);
  properties[PEEL_SESSION_PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE, ro);
  properties[PEEL_SESSION_PROP_CAN_UNDELETE] =
    g_param_spec_boolean ("can-undelete", NULL, NULL, FALSE, ro);
  properties[PEEL_SESSION_PROP_N_NODES] =
    g_param_spec_uint ("n-nodes", NULL, NULL, 0, G_MAXUINT, 0, ro);

  g_object_class_install_properties (object_class, PEEL_SESSION_N_PROPS, properties);

  /**
   * PeelSession::save-failed:
   * @session: the session
   * @error: what went wrong and what to do, e.g. "Could not save to “…”: The disk is full…"
   *
   * Changes are written in the background. When a write fails, the change stays in memory,
   * its node is marked unsaved, and this is emitted, on the main thread, unless a caller of
   * peel_session_flush() or peel_session_flush_async() is told instead. The change is written
   * with the next one, or by peel_session_flush().
   */
  save_failed_signal = g_signal_new ("save-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                     G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
peel_session_init (PeelSession *self)
{
  self->nodes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->roots = g_list_store_new (PEEL_TYPE_NODE);
  self->branch = g_list_store_new (PEEL_TYPE_NODE);
  self->last_child = g_hash_table_new_full (NULL, NULL, g_object_unref, g_object_unref);
  self->deleted = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
}

static char *
make_session_id (void)
{
  return g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());
}

/**
 * peel_session_new_with_id:
 * @id: (nullable): the session's id, %NULL for a new one
 * @name: (nullable): the session's name
 *
 * For the backend, which opens a session by the id it was saved under.
 *
 * Returns: (transfer full): a new session without turns
 */
PeelSession *
peel_session_new_with_id (const char *id,
                          const char *name)
{
  PeelSession *self = g_object_new (PEEL_TYPE_SESSION, NULL);

  self->id = id ? g_strdup (id) : make_session_id ();
  self->name = g_strdup (name && *name ? name : _("Untitled session"));
  return self;
}

/**
 * peel_session_new:
 * @name: (nullable): the session's name
 *
 * Creates a session held in memory only; see peel_store_create_session() for one on disk.
 *
 * Returns: (transfer full): a new session
 */
PeelSession *
peel_session_new (const char *name)
{
  return peel_session_new_with_id (NULL, name);
}

static gboolean
id_in_deleted (PeelSession *self,
               const char  *id)
{
  for (guint i = 0; i < self->deleted->len; i++)
    {
      GPtrArray *subtree = g_ptr_array_index (self->deleted, i);

      for (guint j = 0; j < subtree->len; j++)
        if (g_str_equal (peel_node_get_id (g_ptr_array_index (subtree, j)), id))
          return TRUE;
    }
  return FALSE;
}

gboolean
_peel_session_is_deleted_id (PeelSession *session,
                             const char  *id)
{
  return id_in_deleted (session, id);
}

char *
_peel_session_make_node_id (PeelSession *session)
{
  for (;;)
    {
      char *id = g_strdup_printf ("%08x", g_random_int ());

      if (!g_hash_table_contains (session->nodes, id) && !id_in_deleted (session, id) &&
          !_peel_session_backend_has_id (session, id))
        return id;
      g_free (id);
    }
}

static GListStore *
siblings_of (PeelSession *self,
             PeelNode    *node)
{
  if (node->parent != NULL)
    return G_LIST_STORE (peel_node_get_children (node->parent));
  if (self->roots_pending)
    _peel_session_expand (self, NULL);
  return self->roots;
}

/* Children stay in creation order, also when a deleted branch comes back. */
void
_peel_session_link_node (PeelSession *self,
           PeelNode    *node)
{
  GListStore *store;
  guint n, pos;

  node->parent = node->parent_id ? g_hash_table_lookup (self->nodes, node->parent_id) : NULL;
  store = siblings_of (self, node);
  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  for (pos = n; pos > 0; pos--)
    {
      g_autoptr(PeelNode) prev = g_list_model_get_item (G_LIST_MODEL (store), pos - 1);

      if (prev->created <= node->created)
        break;
    }
  g_list_store_insert (store, pos, node);
}

void
_peel_session_unlink_node (PeelSession *self,
             PeelNode    *node)
{
  GListStore *store = siblings_of (self, node);
  guint pos;

  if (g_list_store_find (store, node, &pos))
    g_list_store_remove (store, pos);
  node->parent = NULL;
}

static gint
compare_created (gconstpointer a,
                 gconstpointer b)
{
  const PeelNode *na = *(PeelNode * const *) a;
  const PeelNode *nb = *(PeelNode * const *) b;

  return (na->created > nb->created) - (na->created < nb->created);
}

static void
load_one (PeelSession *self,
          PeelNode    *node,
          GHashTable  *pending)
{
  PeelNode *parent;

  if (!g_hash_table_steal (pending, node->id))
    return;
  parent = node->parent_id ? g_hash_table_lookup (pending, node->parent_id) : NULL;
  if (parent != NULL)
    load_one (self, parent, pending);
  if (node->parent_id && !g_hash_table_contains (self->nodes, node->parent_id))
    g_clear_pointer (&node->parent_id, g_free);   /* its parent was lost: keep it as a root */
  g_hash_table_insert (self->nodes, node->id, node);
  _peel_session_link_node (self, node);
}

void
_peel_session_rebuild_branch (PeelSession *self)
{
  g_autoptr(GPtrArray) path = NULL;

  if (self->current == NULL)
    {
      g_list_store_remove_all (self->branch);
      return;
    }
  path = peel_session_dup_branch (self->current);
  g_list_store_splice (self->branch, 0, g_list_model_get_n_items (G_LIST_MODEL (self->branch)),
                       path->pdata, path->len);
}

/* Takes every node, in any order; parents are linked before their children. */
/* The file names a current turn it does not hold (a damaged or hand-edited file): the
 * newest turn becomes current rather than none, which would start the next turn as a new
 * root, and peel_session_get_missing_current() tells what was named. */
static void
fall_back_to_newest (PeelSession *self,
                     const char  *missing_id)
{
  GHashTableIter iter;
  gpointer value;
  PeelNode *newest = NULL;
  const char *lazy_id;

  g_hash_table_iter_init (&iter, self->nodes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (newest == NULL || ((PeelNode *) value)->created > newest->created)
      newest = value;
  lazy_id = _peel_session_lazy_newest (self, newest ? newest->created + 1 : G_MININT64);
  if (lazy_id != NULL)
    newest = peel_session_get_node (self, lazy_id);
  g_set_object (&self->current, newest);
  g_free (self->missing_current);
  self->missing_current = g_strdup (missing_id);
  g_message ("The session’s current turn %s is not in it; %s", missing_id,
             newest ? "its newest turn is current instead" : "it has no turns");
}

/**
 * peel_session_load_nodes:
 * @session: a session without turns, not observed yet
 * @nodes: (element-type PeelNode): every turn the backend read, in any order
 * @current_id: (nullable): the current turn's id
 *
 * For the backend: builds the tree of @nodes at once.
 */
void
peel_session_load_nodes (PeelSession *session,
                         GPtrArray   *nodes,
                         const char  *current_id)
{
  g_autoptr(GHashTable) pending = g_hash_table_new (g_str_hash, g_str_equal);

  g_ptr_array_sort (nodes, compare_created);
  for (guint i = 0; i < nodes->len; i++)
    {
      PeelNode *node = g_ptr_array_index (nodes, i);

      g_hash_table_insert (pending, node->id, g_object_ref (node));
    }
  for (guint i = 0; i < nodes->len; i++)
    load_one (session, g_ptr_array_index (nodes, i), pending);

  g_set_object (&session->current, current_id ? g_hash_table_lookup (session->nodes, current_id)
                                              : NULL);
  if (current_id != NULL && session->current == NULL)
    fall_back_to_newest (session, current_id);
  _peel_session_rebuild_branch (session);
}

/**
 * peel_session_get_missing_current:
 * @session: a session
 *
 * Returns: (nullable): the id the session's file named as its current turn when that turn was
 *   not in it (the newest turn became current instead), else %NULL
 */
const char *
peel_session_get_missing_current (PeelSession *session)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), NULL);

  if (session->lazy_current != NULL)
    peel_session_get_current (session);
  return session->missing_current;
}

/**
 * peel_session_load_lazily:
 * @session: a session without turns, with its backend set
 * @current_id: (nullable): the current turn's id
 *
 * For the backend: the turns become nodes when they are reached, each made by the backend's
 * load_children (peel-session-backend.c).
 */
void
peel_session_load_lazily (PeelSession *session,
                          const char  *current_id)
{
  g_return_if_fail (PEEL_IS_SESSION (session));
  g_return_if_fail (session->backend != NULL);

  session->roots_pending = TRUE;
  session->lazy_current = g_strdup (current_id);
}

/* The current node of a lazily opened session is made when it is first needed. */
void
_peel_session_resolve_current (PeelSession *self)
{
  g_autofree char *id = g_steal_pointer (&self->lazy_current);

  if (id == NULL)
    return;
  g_set_object (&self->current, peel_session_get_node (self, id));
  if (self->current == NULL)
    fall_back_to_newest (self, id);
  _peel_session_rebuild_branch (self);
}

const char *
peel_session_get_id (PeelSession *session)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), NULL);
  return session->id;
}

const char *
peel_session_get_name (PeelSession *session)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), NULL);
  return session->name;
}

gboolean
_peel_session_save_session (PeelSession  *self,
              gboolean      durable,
              GError      **error)
{
  return self->backend == NULL || self->vtable->save_session (self->backend, durable, error);
}

gboolean
_peel_session_save_node (PeelSession  *self,
           PeelNode     *node,
           GError      **error)
{
  return self->backend == NULL || self->vtable->save_node (self->backend, node, error);
}

/**
 * peel_session_set_name:
 * @session: a session
 * @name: the new name
 * @error: return location for an error
 *
 * Returns: %TRUE: the change is queued for the writer thread (see PeelSession::save-failed)
 */
gboolean
peel_session_set_name (PeelSession  *session,
                       const char   *name,
                       GError      **error)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), FALSE);

  if (name == NULL || *name == '\0' || g_strcmp0 (session->name, name) == 0)
    return TRUE;
  g_free (session->name);
  session->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (session), properties[PEEL_SESSION_PROP_NAME]);
  return _peel_session_save_session (session, TRUE, error);
}

/**
 * peel_session_get_store:
 * @session: a session
 *
 * Returns: (transfer none) (nullable): where the session is saved
 */
PeelStore *
peel_session_get_store (PeelSession *session)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), NULL);
  /* The only backend there is; the session knows it by this table alone. */
  return (PeelStore *) session->backend;
}

guint
peel_session_get_n_nodes (PeelSession *session)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), 0);
  return g_hash_table_size (session->nodes) + _peel_session_n_unloaded (session);
}

/**
 * peel_session_get_node:
 * @session: a session
 * @id: a node id
 *
 * Returns: (transfer none) (nullable): the node
 */
PeelNode *
peel_session_get_node (PeelSession *session,
                       const char  *id)
{
  PeelNode *node;

  g_return_val_if_fail (PEEL_IS_SESSION (session), NULL);

  if (id == NULL)
    return NULL;
  if ((node = g_hash_table_lookup (session->nodes, id)) != NULL)
    return node;
  return _peel_session_lazy_get (session, id);
}

/**
 * peel_session_find_node:
 * @session: a session
 * @id_or_prefix: a node id or an unambiguous start of one
 *
 * Returns: (transfer none) (nullable): the node, %NULL if none or several match
 */
PeelNode *
peel_session_find_node (PeelSession *session,
                        const char  *id_or_prefix)
{
  GHashTableIter iter;
  gpointer key, value;
  PeelNode *found = NULL;
  const char *lazy_match = NULL;
  guint n_lazy;

  g_return_val_if_fail (PEEL_IS_SESSION (session), NULL);

  if (id_or_prefix == NULL || *id_or_prefix == '\0')
    return NULL;
  if ((found = peel_session_get_node (session, id_or_prefix)))
    return found;
  g_hash_table_iter_init (&iter, session->nodes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, id_or_prefix))
      {
        if (found != NULL)
          return NULL;
        found = value;
      }
  n_lazy = _peel_session_lazy_match_prefix (session, id_or_prefix, &lazy_match);
  if (n_lazy == 0)
    return found;
  if (n_lazy > 1 || found != NULL)
    return NULL;
  return peel_session_get_node (session, lazy_match);
}

void
_peel_session_collect_subtree (PeelNode  *node,
                 GPtrArray *out)
{
  GListModel *children = peel_node_get_children (node);
  guint n = g_list_model_get_n_items (children);

  g_ptr_array_add (out, g_object_ref (node));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PeelNode) child = g_list_model_get_item (children, i);

      _peel_session_collect_subtree (child, out);
    }
}

/**
 * peel_session_dup_nodes:
 * @session: a session
 *
 * Returns: (transfer full) (element-type PeelNode): every node, each parent before its
 *   children, siblings oldest first
 */
GPtrArray *
peel_session_dup_nodes (PeelSession *session)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_return_val_if_fail (PEEL_IS_SESSION (session), NULL);

  if (session->roots_pending)
    _peel_session_expand (session, NULL);
  n = g_list_model_get_n_items (G_LIST_MODEL (session->roots));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PeelNode) root = g_list_model_get_item (G_LIST_MODEL (session->roots), i);

      _peel_session_collect_subtree (root, out);
    }
  return out;
}

/**
 * peel_session_get_roots:
 * @session: a session
 *
 * With peel_node_get_children() this is the model for a GtkTreeListModel of the history.
 *
 * Returns: (transfer none): the roots, oldest first
 */
GListModel *
peel_session_get_roots (PeelSession *session)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), NULL);

  if (session->roots_pending)
    _peel_session_expand (session, NULL);
  return G_LIST_MODEL (session->roots);
}

/**
 * peel_session_get_current_branch:
 * @session: a session
 *
 * Returns: (transfer none): the nodes from the root to the current node
 */
GListModel *
peel_session_get_current_branch (PeelSession *session)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), NULL);

  _peel_session_resolve_current (session);
  return G_LIST_MODEL (session->branch);
}

/**
 * peel_session_dup_branch:
 * @node: a node
 *
 * The path the request builder turns into a conversation: each node gives a user turn
 * (prompt and reference images) and a model turn (peel_node_dup_history_parts()).
 *
 * Returns: (transfer full) (element-type PeelNode): the nodes from the root to @node
 */
GPtrArray *
peel_session_dup_branch (PeelNode *node)
{
  GPtrArray *path = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (PEEL_IS_NODE (node), path);

  for (PeelNode *n = node; n != NULL; n = n->parent)
    g_ptr_array_insert (path, 0, g_object_ref (n));
  return path;
}

/**
 * peel_session_search:
 * @session: a session
 * @text: words to look for
 *
 * Returns: (transfer full): the nodes whose prompt or title contains @text, ignoring case,
 *   in tree order
 */
GListModel *
peel_session_search (PeelSession *session,
                     const char  *text)
{
  GListStore *result = g_list_store_new (PEEL_TYPE_NODE);
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *norm = NULL;
  g_autofree char *needle = NULL;

  g_return_val_if_fail (PEEL_IS_SESSION (session), G_LIST_MODEL (result));

  if (text == NULL || *text == '\0')
    return G_LIST_MODEL (result);
  norm = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  needle = g_utf8_casefold (norm ? norm : text, -1);
  all = peel_session_dup_nodes (session);
  for (guint i = 0; i < all->len; i++)
    {
      PeelNode *node = g_ptr_array_index (all, i);
      const char *fields[] = { node->prompt, node->title };

      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          g_autofree char *fnorm = NULL;
          g_autofree char *hay = NULL;

          if (fields[f] == NULL)
            continue;
          fnorm = g_utf8_normalize (fields[f], -1, G_NORMALIZE_ALL);
          hay = g_utf8_casefold (fnorm ? fnorm : fields[f], -1);
          if (strstr (hay, needle) != NULL)
            {
              g_list_store_append (result, node);
              break;
            }
        }
    }
  return G_LIST_MODEL (result);
}

static PeelNode *
add_node (PeelSession *self,
          PeelNode    *node)
{
  g_hash_table_insert (self->nodes, node->id, node);
  if (self->backend != NULL)
    self->vtable->prepare_node (self->backend, node);
  _peel_session_link_node (self, node);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PEEL_SESSION_PROP_N_NODES]);
  /* A child of the current node is somewhere redo can go. */
  if (self->current != NULL && node->parent == self->current)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PEEL_SESSION_PROP_CAN_REDO]);
  return node;
}

/**
 * peel_session_begin_turn:
 * @session: a session
 * @parent: (nullable): the node to continue, %NULL for a new root
 * @spec: what the user asks for; copied, a %NULL model meaning the default
 * @error: return location for an error
 *
 * Adds a pending node as a child of @parent (a new branch if @parent has children) and
 * makes it current. It is written in the background: if that fails, it is marked unsaved
 * and PeelSession::save-failed (or peel_session_flush()) says why.
 *
 * Returns: (transfer none): the new node, or %NULL if @parent is not in @session
 */
PeelNode *
peel_session_begin_turn (PeelSession         *session,
                         PeelNode            *parent,
                         const PeelTurnSpec  *spec,
                         GError             **error)
{
  g_autofree char *id = NULL;
  PeelNode *node;

  g_return_val_if_fail (PEEL_IS_SESSION (session), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  if (parent != NULL && !_peel_session_is_live (session, parent))
    {
      g_set_error (error, PEEL_SESSION_ERROR, PEEL_SESSION_ERROR_NOT_FOUND,
                   _("The turn to continue from is no longer in this session."));
      return NULL;
    }

  id = _peel_session_make_node_id (session);
  node = _peel_node_new (id, parent ? parent->id : NULL, g_get_real_time ());
  _peel_node_set_user_turn (node, spec);
  add_node (session, node);
  peel_session_set_current (session, node);
  _peel_session_save_node (session, node, error);
  return node;
}

static gboolean
check_pending (PeelSession  *self,
               PeelNode     *node,
               GError      **error)
{
  if (!_peel_session_is_live (self, node))
    {
      g_set_error (error, PEEL_SESSION_ERROR, PEEL_SESSION_ERROR_NOT_FOUND,
                   _("Turn %s is no longer in this session."), node->id);
      return FALSE;
    }
  if (node->status != PEEL_NODE_PENDING)
    {
      g_set_error (error, PEEL_SESSION_ERROR, PEEL_SESSION_ERROR_NOT_PENDING,
                   _("Turn %s has already finished."), node->id);
      return FALSE;
    }
  return TRUE;
}

/**
 * peel_session_complete_turn:
 * @session: a session
 * @node: a pending node of @session
 * @parts: (element-type PeelPart): the model turn exactly as received, in order
 * @result: (nullable): usage, cost, finish reason, grounding
 * @error: return location for an error
 *
 * Records the answer. The parts' bytes are written (content-addressed) before the journal
 * line that refers to them, so a completed turn survives a crash.
 *
 * Returns: %FALSE if @node was not pending, or the answer is kept in memory but could not be
 *   saved yet
 */
gboolean
peel_session_complete_turn (PeelSession           *session,
                            PeelNode              *node,
                            GPtrArray             *parts,
                            const PeelTurnResult  *result,
                            GError               **error)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), FALSE);
  g_return_val_if_fail (PEEL_IS_NODE (node), FALSE);

  if (!check_pending (session, node, error))
    return FALSE;
  _peel_node_complete (node, parts, result);
  return _peel_session_save_node (session, node, error);
}

/**
 * peel_session_fail_turn:
 * @session: a session
 * @node: a pending node of @session
 * @code: a short machine-readable reason, e.g. "RATE_LIMITED" or "IMAGE_SAFETY"
 * @message: what happened, for the user
 * @error: return location for an error
 *
 * Failed nodes stay in the tree with their reason so they can be retried or inspected.
 *
 * Returns: %FALSE on error
 */
gboolean
peel_session_fail_turn (PeelSession  *session,
                        PeelNode     *node,
                        const char   *code,
                        const char   *message,
                        GError      **error)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), FALSE);
  g_return_val_if_fail (PEEL_IS_NODE (node), FALSE);

  if (!check_pending (session, node, error))
    return FALSE;
  _peel_node_fail (node, code, message);
  return _peel_session_save_node (session, node, error);
}

/**
 * peel_session_add_image:
 * @session: a session
 * @parent: (nullable): where to attach it, %NULL for a new root
 * @prompt: (nullable): the prompt it came from, if known
 * @model: (nullable): the model that made it, if known
 * @aspect_ratio: (nullable): its ratio, if known
 * @size: its size
 * @image: (nullable): an image part; %NULL for a turn known only by its prompt
 * @error: return location for an error
 *
 * Adds a finished, imported node: an image brought in from outside (a PNG with its lineage,
 * a recovered blob). It does not become current.
 *
 * Returns: (transfer none): the new node, or %NULL if @parent is not in @session
 */
PeelNode *
peel_session_add_image (PeelSession     *session,
                        PeelNode        *parent,
                        const char      *prompt,
                        const char      *model,
                        const char      *aspect_ratio,
                        PeelImageSize    size,
                        const PeelPart  *image,
                        GError         **error)
{
  return peel_session_add_image_full (session, parent, prompt, model, aspect_ratio, size, image,
                                      NULL, NULL, error);
}

/**
 * peel_session_add_image_full:
 * @region: (nullable): when the image was a region edit: its bounds, feather and fit
 * @region_mask: (nullable): the region edit's mask, a PNG of @image's size
 *
 * As peel_session_add_image(), for an imported region edit: the node says it is one.
 *
 * Returns: (transfer none): the new node, or %NULL if @parent is not in @session
 */
PeelNode *
peel_session_add_image_full (PeelSession          *session,
                             PeelNode             *parent,
                             const char           *prompt,
                             const char           *model,
                             const char           *aspect_ratio,
                             PeelImageSize         size,
                             const PeelPart       *image,
                             const PeelRegionInfo *region,
                             const PeelPart       *region_mask,
                             GError              **error)
{
  PeelTurnResult result = { .cost = 0, .region = region, .region_mask = region_mask };
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autofree char *id = NULL;
  PeelNode *node;

  g_return_val_if_fail (PEEL_IS_SESSION (session), NULL);

  if (parent != NULL && !_peel_session_is_live (session, parent))
    {
      g_set_error (error, PEEL_SESSION_ERROR, PEEL_SESSION_ERROR_NOT_FOUND,
                   _("The turn to attach the image to is no longer in this session."));
      return NULL;
    }

  id = _peel_session_make_node_id (session);
  node = _peel_node_new (id, parent ? parent->id : NULL, g_get_real_time ());
  node->imported = TRUE;
  _peel_node_set_user_turn (node, &(PeelTurnSpec) { .prompt = prompt, .aspect_ratio = aspect_ratio,
                                                   .size = size, .model = model });
  if (image != NULL)
    g_ptr_array_add (parts, peel_part_copy (image));
  _peel_node_complete (node, parts, region != NULL ? &result : NULL);
  add_node (session, node);
  _peel_session_save_node (session, node, error);
  return node;
}
