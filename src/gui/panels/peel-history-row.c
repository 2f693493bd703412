/* peel-history-row.c
 *
 * One turn in the history: its thumbnail, its prompt (or the name it was given), a caption
 * with the image size or what went wrong, and a star. The row follows its node and the
 * session's current branch through signals, so rows never need a refresh from outside.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-history-row.h"
#include "peel-panel-text.h"
#include "peel-render-menu.h"
#include "peel-text.h"
#include "peel-thumbnail-cache.h"

struct _PeelHistoryRow
{
  GtkWidget       parent_instance;

  GtkTreeListRow *list_row;
  PeelSession    *session;
  PeelNode       *node;
  GSignalGroup   *node_signals;
  GSignalGroup   *session_signals;
  GSignalGroup   *children_signals;
  GCancellable   *thumb_cancellable;
  GtkWidget      *menu;

  GtkTreeExpander *expander;
  GtkImage        *placeholder;
  GtkPicture      *picture;
  GtkLabel        *title;
  GtkSpinner      *spinner;
  GtkLabel        *caption;
  GtkButton       *retry;
  GtkImage        *star;
  GtkPopover      *rename_popover;
  GtkEntry        *rename_entry;
};

enum {
  PROP_0,
  PROP_LIST_ROW,
  PROP_SESSION,
  PROP_NODE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PeelHistoryRow, peel_history_row, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static void
set_css_class (GtkWidget  *widget,
               const char *name,
               gboolean    on)
{
  if (on)
    gtk_widget_add_css_class (widget, name);
  else
    gtk_widget_remove_css_class (widget, name);
}

/* What a screen reader says for the row: its title, its size or why it failed, whether it is
 * starred and whether it is the image on the canvas. GTK 4.8 has no API to name a list item, so
 * the list item widget holding the row, which is what takes focus, is named directly. */
static void
update_access (PeelHistoryRow *self)
{
  GtkWidget *item = gtk_widget_get_parent (GTK_WIDGET (self));
  g_autoptr(GString) label = g_string_new (NULL);
  const char *caption;

  if (self->node == NULL)
    return;

  g_string_append (label, gtk_label_get_label (self->title));
  caption = gtk_label_get_label (self->caption);
  if (caption != NULL && caption[0] != '\0')
    g_string_append_printf (label, ", %s", caption);
  if (peel_node_get_starred (self->node))
    /* Translators: said by a screen reader after a turn's title */
    g_string_append_printf (label, ", %s", _("starred"));
  if (gtk_widget_has_css_class (GTK_WIDGET (self), "current"))
    /* Translators: said by a screen reader after the title of the turn on the canvas */
    g_string_append_printf (label, ", %s", _("shown"));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->expander),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label->str,
                                  -1);
  if (item != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (item),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, label->str,
                                    -1);
}

static void
update_display (PeelHistoryRow *self)
{
  PeelNodeStatus status;
  g_autofree char *caption = NULL;
  g_autofree char *title = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *safe_caption = NULL;
  const char *id;
  gboolean cancelled;

  if (self->node == NULL)
    {
      gtk_label_set_label (self->title, "");
      gtk_label_set_label (self->caption, "");
      gtk_widget_set_visible (GTK_WIDGET (self->retry), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->star), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
      gtk_spinner_set_spinning (self->spinner, FALSE);
      return;
    }

  status = peel_node_get_status (self->node);
  id = peel_node_get_id (self->node);
  cancelled = g_strcmp0 (peel_node_get_error_code (self->node), "cancelled") == 0;
  caption = peel_panels_history_caption (status,
                                         peel_node_get_final_width (self->node),
                                         peel_node_get_final_height (self->node),
                                         peel_node_get_error_code (self->node),
                                         peel_node_get_error_message (self->node));
  /* Prompts and errors come from files and servers: no controls or BiDi overrides. */
  title = peel_text_strip_for_label (peel_node_get_display_title (self->node), -1);
  prompt = peel_text_strip_for_label (peel_node_get_prompt (self->node), -1);
  {
    PeelRegionInfo region;

    /* A region edit's row says so beside its size. */
    if (status == PEEL_NODE_DONE && peel_node_get_region (self->node, &region))
      {
        char *with_region = g_strdup_printf ("%s · %s", caption ? caption : "",
                                             _("Region edit"));

        g_free (caption);
        caption = with_region;
      }
  }
  safe_caption = peel_text_strip_for_label (caption, -1);
  gtk_label_set_label (self->title, title);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title), prompt);
  gtk_label_set_label (self->caption, safe_caption);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->caption),
                               status == PEEL_NODE_FAILED ? safe_caption : NULL);
  set_css_class (GTK_WIDGET (self->caption), "error", status == PEEL_NODE_FAILED && !cancelled);
  set_css_class (GTK_WIDGET (self->caption), "dim-label", status != PEEL_NODE_FAILED || cancelled);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), status == PEEL_NODE_PENDING);
  gtk_spinner_set_spinning (self->spinner, status == PEEL_NODE_PENDING);
  gtk_widget_set_visible (GTK_WIDGET (self->retry),
                          status == PEEL_NODE_FAILED &&
                          peel_panels_can_retry (peel_node_get_error_code (self->node)));
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->retry), "s", id);
  gtk_widget_set_visible (GTK_WIDGET (self->star), peel_node_get_starred (self->node));
  set_css_class (GTK_WIDGET (self), "hidden-node", peel_node_get_hidden (self->node));
  update_access (self);
}

/* GtkTreeExpander shows an arrow on every row that could have children. Under a row sit only
 * the branches that start there (its first child continues its lane), so a turn with one
 * child or none hides the arrow (CSS), keeping the indentation. */
static void
update_leaf (PeelHistoryRow *self)
{
  gboolean leaf = self->node == NULL ||
                  g_list_model_get_n_items (peel_node_get_children (self->node)) <= 1;

  set_css_class (GTK_WIDGET (self), "leaf", leaf);
  /* GTK 4.8's expander says "expanded" on a row that has nothing to expand. */
  if (leaf)
    gtk_accessible_reset_state (GTK_ACCESSIBLE (self->expander), GTK_ACCESSIBLE_STATE_EXPANDED);
}

/* The first turn of a branch sits right under the turn it starts from; rows after it in the
 * same indentation continue that branch. Marked, so that two branches from one turn do not
 * read as one. */
static void
update_branch_start (PeelHistoryRow *self)
{
  g_autoptr(GtkTreeListRow) parent_row = NULL;
  g_autoptr(PeelNode) parent_item = NULL;

  if (self->list_row != NULL && self->node != NULL &&
      (parent_row = gtk_tree_list_row_get_parent (self->list_row)) != NULL)
    parent_item = gtk_tree_list_row_get_item (parent_row);

  set_css_class (GTK_WIDGET (self), "branch-start",
                 parent_item != NULL &&
                 parent_item == (gpointer) peel_node_get_parent (self->node));
}

static void
update_branch (PeelHistoryRow *self)
{
  PeelNode *current = self->session ? peel_session_get_current (self->session) : NULL;
  gboolean on_branch = FALSE;

  if (self->node != NULL)
    for (PeelNode *n = current; n != NULL && !on_branch; n = peel_node_get_parent (n))
      on_branch = n == self->node;

  set_css_class (GTK_WIDGET (self), "current-branch", on_branch);
  set_css_class (GTK_WIDGET (self), "current", self->node != NULL && current == self->node);
  update_access (self);
}

/* The picture is an overlay over a fixed 48 px square, so that a texture of any size
 * covers the square instead of widening the row. */
static void
show_texture (PeelHistoryRow *self,
              GdkTexture     *texture)
{
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->picture), texture != NULL);
  gtk_widget_set_opacity (GTK_WIDGET (self->placeholder), texture != NULL ? 0 : 1);
}

static void
thumbnail_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  PeelHistoryRow *self;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = peel_thumbnail_cache_load_finish (PEEL_THUMBNAIL_CACHE (object), result, &error);
  /* A cancelled load may outlive the row: only a live load may touch it. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PEEL_HISTORY_ROW (user_data);
  g_clear_object (&self->thumb_cancellable);
  if (texture == NULL)
    {
      g_debug ("No thumbnail: %s", error->message);
      return;
    }
  show_texture (self, texture);
}

static void
load_thumbnail (PeelHistoryRow *self)
{
  PeelThumbnailCache *cache = peel_thumbnail_cache_get_default ();
  PeelStore *store;
  GdkTexture *texture;

  g_cancellable_cancel (self->thumb_cancellable);
  g_clear_object (&self->thumb_cancellable);

  texture = self->node ? peel_thumbnail_cache_lookup (cache,
                                                      peel_node_get_final_blob (self->node))
                       : NULL;
  show_texture (self, texture);
  if (texture != NULL || self->node == NULL || !peel_node_get_has_image (self->node))
    return;

  store = self->session ? peel_session_get_store (self->session) : NULL;
  if (store == NULL)
    return;
  self->thumb_cancellable = g_cancellable_new ();
  peel_thumbnail_cache_load_node_async (cache, store, self->node, self->thumb_cancellable,
                                        thumbnail_loaded_cb, self);
}

static void
update_node (PeelHistoryRow *self)
{
  g_autoptr(PeelNode) node = NULL;

  if (self->list_row != NULL)
    node = gtk_tree_list_row_get_item (self->list_row);
  if (g_set_object (&self->node, node))
    {
      g_signal_group_set_target (self->node_signals, node);
      g_signal_group_set_target (self->children_signals,
                                 node ? peel_node_get_children (node) : NULL);
      update_leaf (self);
      update_display (self);
      update_branch (self);
      load_thumbnail (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NODE]);
    }
  update_branch_start (self);
}

static void
toggle_star_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PeelHistoryRow *self = PEEL_HISTORY_ROW (widget);
  g_autoptr(GError) error = NULL;

  if (self->session == NULL || self->node == NULL)
    return;
  if (!peel_session_set_starred (self->session, self->node, !peel_node_get_starred (self->node),
                                 &error))
    g_warning ("Could not star the turn: %s", error->message);
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PeelHistoryRow *self = PEEL_HISTORY_ROW (widget);

  if (self->node == NULL)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->rename_entry),
                         peel_node_get_display_title (self->node));
  gtk_popover_popup (self->rename_popover);
  gtk_widget_grab_focus (GTK_WIDGET (self->rename_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->rename_entry), 0, -1);
}

static void
rename_activate_cb (PeelHistoryRow *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->rename_entry));

  gtk_popover_popdown (self->rename_popover);
  if (self->session == NULL || self->node == NULL)
    return;
  /* Giving the prompt back as the name means "no name of its own". */
  if (g_strcmp0 (text, peel_node_get_prompt (self->node)) == 0)
    text = NULL;
  if (!peel_session_rename_node (self->session, self->node, text, &error))
    g_warning ("Could not rename the turn: %s", error->message);
}

static void
append_item (GMenu      *menu,
             const char *label,
             const char *action,
             const char *id)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  if (id != NULL)
    g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (id));
  else
    g_menu_item_set_detailed_action (item, action);
  g_menu_append_item (menu, item);
}

static GMenuModel *
build_menu (PeelHistoryRow *self)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) go = g_menu_new ();
  g_autoptr(GMenu) edit = g_menu_new ();
  g_autoptr(GMenu) del = g_menu_new ();
  g_autoptr(GMenuModel) render = NULL;
  const char *id = peel_node_get_id (self->node);

  append_item (go, _("_Continue from Here"), "win.continue-from", id);
  append_item (go, _("Co_mpare with Current"), "win.compare-with", id);
  append_item (go, _("_Export…"), "win.export-node", id);
  if ((render = peel_render_menu_new (self->node)) != NULL)
    g_menu_append_submenu (go, _("Render _Larger"), render);
  append_item (edit, peel_node_get_starred (self->node) ? _("Un_star") : _("_Star"),
               "row.toggle-star", NULL);
  append_item (edit, _("_Rename…"), "row.rename", NULL);
  append_item (del, _("_Delete Branch"), "win.delete-branch", id);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (go));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (edit));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (del));
  return G_MENU_MODEL (menu);
}

/**
 * peel_history_row_open_menu:
 * @self: a row
 * @x: where to point, in the row's coordinates, or -1 for the row's middle
 * @y: likewise
 *
 * Shows the row's context menu.
 */
void
peel_history_row_open_menu (PeelHistoryRow *self,
                            double          x,
                            double          y)
{
  g_autoptr(GMenuModel) model = NULL;
  GdkRectangle rect;

  g_return_if_fail (PEEL_IS_HISTORY_ROW (self));

  if (self->node == NULL)
    return;
  model = build_menu (self);
  if (self->menu == NULL)
    {
      self->menu = gtk_popover_menu_new_from_model (model);
      gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
      gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
    }
  else
    gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->menu), model);

  if (x < 0 || y < 0)
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  rect = (GdkRectangle) { (int) x, (int) y, 1, 1 };
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &rect);
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
menu_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  peel_history_row_open_menu (PEEL_HISTORY_ROW (widget), -1, -1);
}

static void
secondary_click_cb (PeelHistoryRow  *self,
                    int              n_press,
                    double           x,
                    double           y,
                    GtkGestureClick *gesture)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  peel_history_row_open_menu (self, x, y);
}

static void
long_press_cb (PeelHistoryRow      *self,
               double               x,
               double               y,
               GtkGestureLongPress *gesture)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  peel_history_row_open_menu (self, x, y);
}

static void
peel_history_row_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  PeelHistoryRow *self = PEEL_HISTORY_ROW (widget);

  gtk_widget_measure (GTK_WIDGET (self->expander), orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static void
peel_history_row_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  PeelHistoryRow *self = PEEL_HISTORY_ROW (widget);

  gtk_widget_allocate (GTK_WIDGET (self->expander), width, height, baseline, NULL);
  gtk_popover_present (self->rename_popover);
  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
}

static void
peel_history_row_dispose (GObject *object)
{
  PeelHistoryRow *self = (PeelHistoryRow *)object;

  g_cancellable_cancel (self->thumb_cancellable);
  g_clear_object (&self->thumb_cancellable);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), PEEL_TYPE_HISTORY_ROW);
  if (self->node_signals != NULL)
    g_signal_group_set_target (self->node_signals, NULL);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  if (self->children_signals != NULL)
    g_signal_group_set_target (self->children_signals, NULL);
  g_clear_object (&self->children_signals);
  g_clear_object (&self->node_signals);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->list_row);
  g_clear_object (&self->session);
  g_clear_object (&self->node);

  G_OBJECT_CLASS (peel_history_row_parent_class)->dispose (object);
}

static void
peel_history_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PeelHistoryRow *self = PEEL_HISTORY_ROW (object);

  switch (prop_id)
    {
    case PROP_LIST_ROW:
      g_value_set_object (value, self->list_row);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_NODE:
      g_value_set_object (value, self->node);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_history_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PeelHistoryRow *self = PEEL_HISTORY_ROW (object);

  switch (prop_id)
    {
    case PROP_LIST_ROW:
      peel_history_row_set_list_row (self, g_value_get_object (value));
      break;
    case PROP_SESSION:
      peel_history_row_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_history_row_class_init (PeelHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = peel_history_row_dispose;
  object_class->get_property = peel_history_row_get_property;
  object_class->set_property = peel_history_row_set_property;
  widget_class->measure = peel_history_row_measure;
  widget_class->size_allocate = peel_history_row_size_allocate;

  properties[PROP_LIST_ROW] =
    g_param_spec_object ("list-row", NULL, NULL, GTK_TYPE_TREE_LIST_ROW,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, PEEL_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NODE] =
    g_param_spec_object ("node", NULL, NULL, PEEL_TYPE_NODE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/peelapp/Peel/peel-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PeelHistoryRow, expander);
  gtk_widget_class_bind_template_child (widget_class, PeelHistoryRow, placeholder);
  gtk_widget_class_bind_template_child (widget_class, PeelHistoryRow, picture);
  gtk_widget_class_bind_template_child (widget_class, PeelHistoryRow, title);
  gtk_widget_class_bind_template_child (widget_class, PeelHistoryRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, PeelHistoryRow, caption);
  gtk_widget_class_bind_template_child (widget_class, PeelHistoryRow, retry);
  gtk_widget_class_bind_template_child (widget_class, PeelHistoryRow, star);
  gtk_widget_class_bind_template_child (widget_class, PeelHistoryRow, rename_popover);
  gtk_widget_class_bind_template_child (widget_class, PeelHistoryRow, rename_entry);
  gtk_widget_class_bind_template_callback (widget_class, secondary_click_cb);
  gtk_widget_class_bind_template_callback (widget_class, long_press_cb);
  gtk_widget_class_bind_template_callback (widget_class, rename_activate_cb);

  gtk_widget_class_install_action (widget_class, "row.toggle-star", NULL, toggle_star_action);
  gtk_widget_class_install_action (widget_class, "row.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "row.menu", NULL, menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "row.rename", NULL);

  gtk_widget_class_set_css_name (widget_class, "historyrow");
}

static void
peel_history_row_init (PeelHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->node_signals = g_signal_group_new (PEEL_TYPE_NODE);
  g_signal_group_connect_swapped (self->node_signals, "notify::display-title",
                                  G_CALLBACK (update_display), self);
  g_signal_group_connect_swapped (self->node_signals, "notify::status",
                                  G_CALLBACK (update_display), self);
  g_signal_group_connect_swapped (self->node_signals, "notify::starred",
                                  G_CALLBACK (update_display), self);
  g_signal_group_connect_swapped (self->node_signals, "notify::hidden",
                                  G_CALLBACK (update_display), self);
  g_signal_group_connect_swapped (self->node_signals, "notify::error-message",
                                  G_CALLBACK (update_display), self);
  g_signal_group_connect_swapped (self->node_signals, "notify::final-height",
                                  G_CALLBACK (update_display), self);
  g_signal_group_connect_swapped (self->node_signals, "notify::has-image",
                                  G_CALLBACK (load_thumbnail), self);

  self->session_signals = g_signal_group_new (PEEL_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::current",
                                  G_CALLBACK (update_branch), self);
  self->children_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect_swapped (self->children_signals, "items-changed",
                                  G_CALLBACK (update_leaf), self);
  update_display (self);
}

GtkWidget *
peel_history_row_new (void)
{
  return g_object_new (PEEL_TYPE_HISTORY_ROW, NULL);
}

GtkTreeListRow *
peel_history_row_get_list_row (PeelHistoryRow *self)
{
  g_return_val_if_fail (PEEL_IS_HISTORY_ROW (self), NULL);
  return self->list_row;
}

/**
 * peel_history_row_set_list_row:
 * @self: a row
 * @list_row: (nullable): the tree row whose item is a #PeelNode
 *
 * Shows that node; the expander indents it by its depth.
 */
void
peel_history_row_set_list_row (PeelHistoryRow *self,
                               GtkTreeListRow *list_row)
{
  g_return_if_fail (PEEL_IS_HISTORY_ROW (self));
  g_return_if_fail (list_row == NULL || GTK_IS_TREE_LIST_ROW (list_row));

  if (!g_set_object (&self->list_row, list_row))
    return;
  gtk_tree_expander_set_list_row (self->expander, list_row);
  update_node (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIST_ROW]);
}

PeelSession *
peel_history_row_get_session (PeelHistoryRow *self)
{
  g_return_val_if_fail (PEEL_IS_HISTORY_ROW (self), NULL);
  return self->session;
}

void
peel_history_row_set_session (PeelHistoryRow *self,
                              PeelSession    *session)
{
  g_return_if_fail (PEEL_IS_HISTORY_ROW (self));
  g_return_if_fail (session == NULL || PEEL_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->session_signals, session);
  update_branch (self);
  load_thumbnail (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/**
 * peel_history_row_get_node:
 * @self: a row
 *
 * Returns: (transfer none) (nullable): the node shown
 */
PeelNode *
peel_history_row_get_node (PeelHistoryRow *self)
{
  g_return_val_if_fail (PEEL_IS_HISTORY_ROW (self), NULL);
  return self->node;
}
