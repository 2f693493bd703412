/* peel-history-view.c
 *
 * The session's tree as a list, drawn as a commit graph is: a chain of turns is one lane at
 * one indentation, and only where a branch starts is it indented, under the turn it starts
 * from; all expanded. The selected row is the session's current node; picking a row goes there.
 * Hidden turns are left out unless asked for, and a search shows the matching turns flat.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "peel-history-row.h"
#include "peel-history-view.h"

struct _PeelHistoryView
{
  GtkWidget           parent_instance;

  PeelSession        *session;
  gboolean            show_hidden;
  gboolean            syncing;
  char               *search_text;
  GtkCustomFilter    *filter;
  GtkSingleSelection *selection;
  GHashTable         *watched;          /* PeelNode → notify::hidden handler */
  GSignalGroup       *session_signals;

  GtkSearchEntry     *search_entry;
  GtkToggleButton    *show_hidden_button;
  GtkStack           *stack;
  GtkListView        *list_view;
  AdwStatusPage      *empty_page;
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SHOW_HIDDEN,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PeelHistoryView, peel_history_view, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static void
hidden_changed_cb (PeelHistoryView *self)
{
  if (!self->show_hidden)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
unwatch_all (PeelHistoryView *self)
{
  GHashTableIter iter;
  gpointer node, handler;

  g_hash_table_iter_init (&iter, self->watched);
  while (g_hash_table_iter_next (&iter, &node, &handler))
    g_signal_handler_disconnect (node, GPOINTER_TO_SIZE (handler));
  g_hash_table_remove_all (self->watched);
}

/* The filter sees every node it could show, so that is where a node's "hidden" flag gets
 * watched; a list model does not refilter by itself when an item changes. */
static gboolean
filter_match (gpointer item,
              gpointer user_data)
{
  PeelHistoryView *self = user_data;

  if (!g_hash_table_contains (self->watched, item))
    {
      gulong id = g_signal_connect_swapped (item, "notify::hidden",
                                            G_CALLBACK (hidden_changed_cb), self);

      g_hash_table_insert (self->watched, g_object_ref (item), GSIZE_TO_POINTER (id));
    }
  return self->show_hidden || !peel_node_get_hidden (PEEL_NODE (item));
}

static GListModel *
filtered (PeelHistoryView *self,
          GListModel      *model)
{
  return G_LIST_MODEL (gtk_filter_list_model_new (model, g_object_ref (GTK_FILTER (self->filter))));
}

static GListModel *lane (PeelHistoryView *self,
                         PeelNode        *node);

static gpointer
lane_cb (gpointer item,
         gpointer user_data)
{
  g_autoptr(PeelNode) node = item;

  return lane (user_data, node);
}

/* The lanes that start at the children of @model, one after the other. */
static GListModel *
lanes (PeelHistoryView *self,
       GListModel      *model)
{
  return G_LIST_MODEL (gtk_flatten_list_model_new (
    G_LIST_MODEL (gtk_map_list_model_new (model, lane_cb, self, NULL))));
}

/* A lane, as a commit graph draws one: @node, then its first shown child, then that one's,
 * and so on. A chain of edits is one lane and stays at one indentation; the other children
 * of a node start lanes of their own, indented under it (see create_children_cb). */
static GListModel *
lane (PeelHistoryView *self,
      PeelNode        *node)
{
  g_autoptr(GListStore) head = g_list_store_new (PEEL_TYPE_NODE);
  g_autoptr(GListModel) rest = NULL;
  GListStore *parts = g_list_store_new (G_TYPE_LIST_MODEL);
  GListModel *children = filtered (self, g_object_ref (peel_node_get_children (node)));

  g_list_store_append (head, node);
  rest = lanes (self, G_LIST_MODEL (gtk_slice_list_model_new (children, 0, 1)));
  g_list_store_append (parts, head);
  g_list_store_append (parts, rest);
  return G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (parts)));
}

static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  PeelHistoryView *self = user_data;
  GListModel *children = filtered (self, g_object_ref (peel_node_get_children (PEEL_NODE (item))));

  /* Never NULL: a turn with one child today may be branched from tomorrow. The first child
   * continues the row's own lane; the others start lanes one level in. (Not G_MAXUINT: GTK 4.8
   * adds it to the offset, wraps around, and then ignores every change.) */
  return lanes (self, G_LIST_MODEL (gtk_slice_list_model_new (children, 1, G_MAXUINT - 1)));
}

static GListModel *
create_no_children_cb (gpointer item,
                       gpointer user_data)
{
  return NULL;
}

static guint
find_node (PeelHistoryView *self,
           PeelNode        *node)
{
  GListModel *rows = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (rows);

  if (node == NULL)
    return GTK_INVALID_LIST_POSITION;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);

      if (item == (GObject *) node)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static void
select_current (PeelHistoryView *self)
{
  PeelNode *current = self->session ? peel_session_get_current (self->session) : NULL;
  guint position = find_node (self, current);

  self->syncing = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->syncing = FALSE;
  if (position != GTK_INVALID_LIST_POSITION && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                                position);
}

static void
selected_changed_cb (PeelHistoryView *self)
{
  GtkTreeListRow *row;
  g_autoptr(PeelNode) node = NULL;

  if (self->syncing || self->session == NULL)
    return;
  row = gtk_single_selection_get_selected_item (self->selection);
  if (row == NULL)
    return;
  node = gtk_tree_list_row_get_item (row);
  peel_session_set_current (self->session, node);
}

static void
update_empty (PeelHistoryView *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->selection)) == 0;

  if (self->search_text != NULL)
    {
      adw_status_page_set_title (self->empty_page, _("No Matches"));
      adw_status_page_set_description (self->empty_page,
                                       _("No prompt or name contains these words."));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No Turns Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("Every image you make appears here."));
    }
  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

static void
rebuild (PeelHistoryView *self)
{
  g_autoptr(GtkTreeListModel) tree = NULL;
  GListModel *roots;

  unwatch_all (self);
  if (self->session == NULL)
    {
      gtk_single_selection_set_model (self->selection, NULL);
      update_empty (self);
      return;
    }

  if (self->search_text != NULL)
    {
      roots = filtered (self, peel_session_search (self->session, self->search_text));
      tree = gtk_tree_list_model_new (roots, FALSE, FALSE, create_no_children_cb, NULL, NULL);
    }
  else
    {
      roots = lanes (self, filtered (self, g_object_ref (peel_session_get_roots (self->session))));
      tree = gtk_tree_list_model_new (roots, FALSE, TRUE, create_children_cb, self, NULL);
    }

  self->syncing = TRUE;
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (tree));
  self->syncing = FALSE;
  select_current (self);
  update_empty (self);
}

static void
search_changed_cb (PeelHistoryView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_free (self->search_text);
  self->search_text = *stripped ? g_steal_pointer (&stripped) : NULL;
  rebuild (self);
}

static void
stop_search_cb (PeelHistoryView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          PeelHistoryView          *self)
{
  gtk_list_item_set_child (item, peel_history_row_new ());
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         PeelHistoryView          *self)
{
  PeelHistoryRow *row = PEEL_HISTORY_ROW (gtk_list_item_get_child (item));

  peel_history_row_set_session (row, self->session);
  peel_history_row_set_list_row (row, gtk_list_item_get_item (item));
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           PeelHistoryView          *self)
{
  PeelHistoryRow *row = PEEL_HISTORY_ROW (gtk_list_item_get_child (item));

  peel_history_row_set_list_row (row, NULL);
  peel_history_row_set_session (row, NULL);
}

static PeelHistoryRow *
find_row (GtkWidget *widget)
{
  if (widget == NULL)
    return NULL;
  if (PEEL_IS_HISTORY_ROW (widget))
    return PEEL_HISTORY_ROW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      PeelHistoryRow *row = find_row (child);

      if (row != NULL)
        return row;
    }
  return NULL;
}

static void
menu_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PeelHistoryView *self = PEEL_HISTORY_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  PeelHistoryRow *row;

  /* The focus sits on the list item that holds the row. */
  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_view)))
    return;
  if ((row = find_row (focus)) != NULL)
    peel_history_row_open_menu (row, -1, -1);
}

static void
peel_history_view_dispose (GObject *object)
{
  PeelHistoryView *self = (PeelHistoryView *)object;
  GtkWidget *child;

  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  if (self->selection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->selection, self);
      gtk_single_selection_set_model (self->selection, NULL);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), PEEL_TYPE_HISTORY_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  if (self->watched != NULL)
    unwatch_all (self);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);
  g_clear_pointer (&self->watched, g_hash_table_unref);
  g_clear_pointer (&self->search_text, g_free);

  G_OBJECT_CLASS (peel_history_view_parent_class)->dispose (object);
}

static void
peel_history_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PeelHistoryView *self = PEEL_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_SHOW_HIDDEN:
      g_value_set_boolean (value, self->show_hidden);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_history_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PeelHistoryView *self = PEEL_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      peel_history_view_set_session (self, g_value_get_object (value));
      break;
    case PROP_SHOW_HIDDEN:
      peel_history_view_set_show_hidden (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_history_view_class_init (PeelHistoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = peel_history_view_dispose;
  object_class->get_property = peel_history_view_get_property;
  object_class->set_property = peel_history_view_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, PEEL_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_HIDDEN] =
    g_param_spec_boolean ("show-hidden", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/peelapp/Peel/peel-history-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PeelHistoryView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PeelHistoryView, show_hidden_button);
  gtk_widget_class_bind_template_child (widget_class, PeelHistoryView, stack);
  gtk_widget_class_bind_template_child (widget_class, PeelHistoryView, list_view);
  gtk_widget_class_bind_template_child (widget_class, PeelHistoryView, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  gtk_widget_class_install_action (widget_class, "history.menu", NULL, menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "history.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "history.menu", NULL);

  gtk_widget_class_set_css_name (widget_class, "historyview");
  g_type_ensure (PEEL_TYPE_HISTORY_ROW);
}

static void
peel_history_view_init (PeelHistoryView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->watched = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->filter = gtk_custom_filter_new (filter_match, self, NULL);
  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected",
                            G_CALLBACK (selected_changed_cb), self);
  g_signal_connect_swapped (self->selection, "items-changed", G_CALLBACK (update_empty), self);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  self->session_signals = g_signal_group_new (PEEL_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::current",
                                  G_CALLBACK (select_current), self);

  g_object_bind_property (self, "show-hidden", self->show_hidden_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  update_empty (self);
}

GtkWidget *
peel_history_view_new (void)
{
  return g_object_new (PEEL_TYPE_HISTORY_VIEW, NULL);
}

PeelSession *
peel_history_view_get_session (PeelHistoryView *self)
{
  g_return_val_if_fail (PEEL_IS_HISTORY_VIEW (self), NULL);
  return self->session;
}

/**
 * peel_history_view_set_session:
 * @self: a history view
 * @session: (nullable): the session to show
 */
void
peel_history_view_set_session (PeelHistoryView *self,
                               PeelSession     *session)
{
  g_return_if_fail (PEEL_IS_HISTORY_VIEW (self));
  g_return_if_fail (session == NULL || PEEL_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->session_signals, session);
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

gboolean
peel_history_view_get_show_hidden (PeelHistoryView *self)
{
  g_return_val_if_fail (PEEL_IS_HISTORY_VIEW (self), FALSE);
  return self->show_hidden;
}

void
peel_history_view_set_show_hidden (PeelHistoryView *self,
                                   gboolean         show_hidden)
{
  g_return_if_fail (PEEL_IS_HISTORY_VIEW (self));

  show_hidden = !!show_hidden;
  if (self->show_hidden == show_hidden)
    return;
  self->show_hidden = show_hidden;
  self->syncing = TRUE;
  gtk_filter_changed (GTK_FILTER (self->filter),
                      show_hidden ? GTK_FILTER_CHANGE_LESS_STRICT : GTK_FILTER_CHANGE_MORE_STRICT);
  self->syncing = FALSE;
  select_current (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_HIDDEN]);
}

/**
 * peel_history_view_get_rows:
 * @self: a history view
 *
 * Returns: (transfer none): the rows shown, as #GtkTreeListRow items whose item is a
 *   #PeelNode; also the selection, which follows the current node
 */
GListModel *
peel_history_view_get_rows (PeelHistoryView *self)
{
  g_return_val_if_fail (PEEL_IS_HISTORY_VIEW (self), NULL);
  return G_LIST_MODEL (self->selection);
}

void
peel_history_view_set_search_text (PeelHistoryView *self,
                                   const char      *text)
{
  g_return_if_fail (PEEL_IS_HISTORY_VIEW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  /* search-changed comes after a delay; callers want the result now. */
  search_changed_cb (self);
}

void
peel_history_view_focus_search (PeelHistoryView *self)
{
  g_return_if_fail (PEEL_IS_HISTORY_VIEW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
