/* peel-board.c
 *
 * The session as a board: every turn a card, laid out as the tree (peel-board-layout.c), drawn
 * with lines from parent to child (peel-board-draw.c), zoomed, panned, dragged and selected
 * (peel-board-input.c). This file holds the board's state: the session it follows, the view
 * (zoom and offset), the selection, and the places of dragged cards, which are saved beside
 * the session (presenters/peel-board-places.c).
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-board-places.h"
#include "peel-board-private.h"
#include "peel-store.h"

enum {
  PROP_0,
  PROP_SESSION,
  PROP_ZOOM,
  N_PROPS
};

enum {
  NODE_ACTIVATED,
  APPLY_TO_EACH,
  COMBINE,
  SELECTION_CHANGED,
  PLACES_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PeelBoard, peel_board, GTK_TYPE_WIDGET)

typedef struct
{
  GListModel *model;
  gulong      handler;
} Watch;

static void
watch_free (Watch *watch)
{
  g_clear_signal_handler (&watch->handler, watch->model);
  g_clear_object (&watch->model);
  g_free (watch);
}

static void
clear_items (PeelBoard *self)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      PeelBoardItem *item = &g_array_index (self->items, PeelBoardItem, i);

      gtk_widget_unparent (GTK_WIDGET (item->card));
      g_clear_object (&item->node);
    }
  g_array_set_size (self->items, 0);
  g_hash_table_remove_all (self->index);
}

PeelBoardItem *
peel_board_find_item (PeelBoard *self,
                      PeelNode  *node)
{
  int index;

  if (node == NULL)
    return NULL;
  index = GPOINTER_TO_INT (g_hash_table_lookup (self->index, peel_node_get_id (node)));
  return index > 0 ? &g_array_index (self->items, PeelBoardItem, index - 1) : NULL;
}

/* The topmost card under a point of the widget: the last drawn wins. */
PeelBoardItem *
peel_board_item_at_point (PeelBoard *self,
                          double     x,
                          double     y)
{
  double bx = self->offset_x + x / self->zoom;
  double by = self->offset_y + y / self->zoom;

  for (guint i = self->items->len; i > 0; i--)
    {
      PeelBoardItem *item = &g_array_index (self->items, PeelBoardItem, i - 1);

      if (bx >= item->x && bx < item->x + PEEL_BOARD_CARD_WIDTH &&
          by >= item->y && by < item->y + PEEL_BOARD_CARD_HEIGHT)
        return item;
    }
  return NULL;
}

static void
update_current (PeelBoard *self,
                gboolean   scroll)
{
  PeelNode *current = self->session ? peel_session_get_current (self->session) : NULL;
  PeelBoardItem *shown = peel_board_find_item (self, current);

  for (guint i = 0; i < self->items->len; i++)
    {
      PeelBoardItem *item = &g_array_index (self->items, PeelBoardItem, i);
      peel_board_card_set_current (item->card, item == shown);
    }
  if (scroll && shown != NULL)
    peel_board_scroll_to_item (self, shown);
}

static void watch_tree (PeelBoard *self);

static gboolean
relayout_cb (gpointer user_data)
{
  PeelBoard *self = user_data;

  self->relayout_source = 0;
  peel_board_layout_tree (self);
  watch_tree (self);

  /* Turns that went take their selection with them. */
  {
    GHashTableIter iter;
    const char *id;

    g_hash_table_iter_init (&iter, self->selected);
    while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
      if (!g_hash_table_contains (self->index, id))
        g_hash_table_iter_remove (&iter);
  }
  for (guint i = 0; i < self->items->len; i++)
    {
      PeelBoardItem *item = &g_array_index (self->items, PeelBoardItem, i);
      peel_board_card_set_selected (item->card,
                                    g_hash_table_contains (self->selected,
                                                           peel_node_get_id (item->node)));
    }
  update_current (self, FALSE);
  peel_board_selection_changed (self);
  gtk_widget_set_visible (self->empty_label, self->items->len == 0);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static void
queue_relayout (PeelBoard *self)
{
  if (self->relayout_source == 0)
    self->relayout_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 15, relayout_cb, self, NULL);
}

static void
watch_model (PeelBoard  *self,
             GListModel *model)
{
  Watch *watch;

  /* Keyed by the model, which the watch holds, so the key cannot be another's later. */
  if (model == NULL || g_hash_table_contains (self->watched, model))
    return;
  watch = g_new0 (Watch, 1);
  watch->model = g_object_ref (model);
  watch->handler = g_signal_connect_swapped (model, "items-changed",
                                             G_CALLBACK (queue_relayout), self);
  g_hash_table_insert (self->watched, model, watch);
}

/* Every list of children, so a turn added or deleted anywhere lays the board out again. */
static void
watch_tree (PeelBoard *self)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      PeelBoardItem *item = &g_array_index (self->items, PeelBoardItem, i);
      watch_model (self, peel_node_get_children (item->node));
    }
}

static void
current_changed_cb (PeelBoard *self)
{
  /* A turn just begun is not on the board until the relayout: run it now. */
  if (self->relayout_source != 0)
    {
      g_clear_handle_id (&self->relayout_source, g_source_remove);
      relayout_cb (self);
    }
  update_current (self, self->follow_current);
}

static void
places_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  PeelBoard *self;

  if (!peel_board_places_save_finish (result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PEEL_BOARD (user_data);
  self->saving = FALSE;
  if (error != NULL)
    g_signal_emit (self, signals[PLACES_FAILED], 0, error);
  if (self->save_again)
    peel_board_save_places (self);
}

/* One write at a time, so an older list never lands after a newer one. */
void
peel_board_save_places (PeelBoard *self)
{
  PeelStore *store = self->session ? peel_session_get_store (self->session) : NULL;

  if (store == NULL)
    return;
  if (self->saving)
    {
      self->save_again = TRUE;
      return;
    }
  self->saving = TRUE;
  self->save_again = FALSE;
  peel_board_places_save_async (peel_store_get_path (store), self->placed, self->cancellable,
                                places_saved_cb, self);
}

static void
load_places (PeelBoard *self)
{
  PeelStore *store = self->session ? peel_session_get_store (self->session) : NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *places = NULL;

  g_clear_pointer (&self->placed, g_hash_table_unref);
  if (store != NULL)
    places = peel_board_places_load (peel_store_get_path (store), &error);
  if (places == NULL && error != NULL)
    {
      /* Ignored: the cards go where the tree puts them, and moving one writes a good file;
       * the turns themselves are in session.json, so nothing is lost. */
      g_message ("The board’s card places in %s were not read (%s); the cards are laid out "
                 "as the tree.", peel_store_get_path (store), error->message);
    }
  self->placed = places ? places : peel_board_places_new ();
}

void
peel_board_set_session (PeelBoard   *self,
                        PeelSession *session)
{
  g_return_if_fail (PEEL_IS_BOARD (self));
  g_return_if_fail (session == NULL || PEEL_IS_SESSION (session));

  if (self->session == session)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->saving = self->save_again = FALSE;

  g_clear_handle_id (&self->relayout_source, g_source_remove);
  g_hash_table_remove_all (self->watched);
  g_hash_table_remove_all (self->selected);
  g_clear_pointer (&self->focus_id, g_free);
  clear_items (self);
  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);
  load_places (self);
  self->fitted_once = FALSE;

  if (session != NULL)
    watch_model (self, peel_session_get_roots (session));
  relayout_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

PeelSession *
peel_board_get_session (PeelBoard *self)
{
  g_return_val_if_fail (PEEL_IS_BOARD (self), NULL);
  return self->session;
}

double
peel_board_get_zoom (PeelBoard *self)
{
  g_return_val_if_fail (PEEL_IS_BOARD (self), 1.0);
  return self->zoom;
}

void
peel_board_zoom_at (PeelBoard *self,
                    double     zoom,
                    double     widget_x,
                    double     widget_y)
{
  double bx, by;

  zoom = CLAMP (zoom, PEEL_BOARD_MIN_ZOOM, PEEL_BOARD_MAX_ZOOM);
  if (zoom == self->zoom)
    return;
  bx = self->offset_x + widget_x / self->zoom;
  by = self->offset_y + widget_y / self->zoom;
  self->zoom = zoom;
  self->offset_x = bx - widget_x / zoom;
  self->offset_y = by - widget_y / zoom;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

/**
 * peel_board_set_zoom:
 *
 * Zooms about the middle of the board.
 */
void
peel_board_set_zoom (PeelBoard *self,
                     double     zoom)
{
  g_return_if_fail (PEEL_IS_BOARD (self));
  peel_board_zoom_at (self, zoom, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                      gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

/**
 * peel_board_pan:
 * @dx: how far to move the view, in widget pixels
 *
 * Moves the view; positive values show what is to the right and below.
 */
void
peel_board_pan (PeelBoard *self,
                double     dx,
                double     dy)
{
  g_return_if_fail (PEEL_IS_BOARD (self));
  if (dx == 0 && dy == 0)
    return;
  self->offset_x += dx / self->zoom;
  self->offset_y += dy / self->zoom;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/**
 * peel_board_zoom_fit:
 *
 * Shows the whole tree, never larger than 100 %.
 */
void
peel_board_zoom_fit (PeelBoard *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  graphene_rect_t bounds;
  double zoom;

  g_return_if_fail (PEEL_IS_BOARD (self));
  if (width <= 0 || height <= 0)
    return;
  peel_board_get_bounds (self, &bounds);
  zoom = MIN (width / bounds.size.width, height / bounds.size.height);
  self->zoom = CLAMP (zoom, PEEL_BOARD_MIN_ZOOM, 1.0);
  self->offset_x = bounds.origin.x + bounds.size.width / 2 - width / 2.0 / self->zoom;
  self->offset_y = bounds.origin.y + bounds.size.height / 2 - height / 2.0 / self->zoom;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

/* Brings a card into view if it is not wholly there, moving the view as little as it can. */
void
peel_board_scroll_to_item (PeelBoard     *self,
                           PeelBoardItem *item)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self)) / self->zoom;
  double height = gtk_widget_get_height (GTK_WIDGET (self)) / self->zoom;
  double margin = PEEL_BOARD_GAP_Y;
  double x = self->offset_x, y = self->offset_y;

  if (width <= 0 || height <= 0)
    return;
  if (item->x - margin < x || PEEL_BOARD_CARD_WIDTH + 2 * margin > width)
    x = item->x - margin;
  else if (item->x + PEEL_BOARD_CARD_WIDTH + margin > x + width)
    x = item->x + PEEL_BOARD_CARD_WIDTH + margin - width;
  if (item->y - margin < y || PEEL_BOARD_CARD_HEIGHT + 2 * margin > height)
    y = item->y - margin;
  else if (item->y + PEEL_BOARD_CARD_HEIGHT + margin > y + height)
    y = item->y + PEEL_BOARD_CARD_HEIGHT + margin - height;
  peel_board_pan (self, (x - self->offset_x) * self->zoom, (y - self->offset_y) * self->zoom);
}

void
peel_board_set_focus_item (PeelBoard     *self,
                           PeelBoardItem *item,
                           gboolean       grab)
{
  g_free (self->focus_id);
  self->focus_id = item ? g_strdup (peel_node_get_id (item->node)) : NULL;
  if (item == NULL)
    return;
  peel_board_scroll_to_item (self, item);
  if (grab)
    {
      /* A card off screen is not mapped and cannot take the focus until it is placed. */
      gtk_widget_set_child_visible (GTK_WIDGET (item->card), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (item->card));
    }
}

void
peel_board_activate_item (PeelBoard     *self,
                          PeelBoardItem *item)
{
  g_signal_emit (self, signals[NODE_ACTIVATED], 0, item->node);
}

void
peel_board_selection_changed (PeelBoard *self)
{
  guint n = g_hash_table_size (self->selected);
  g_autofree char *text = NULL;

  /* Translators: how many cards are selected on the board */
  text = g_strdup_printf (ngettext ("%u selected", "%u selected", n), n);
  gtk_label_set_label (self->selection_label, text);
  gtk_widget_set_visible (self->action_bar, n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.apply-to-each", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.combine", n > 0);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

/**
 * peel_board_select:
 * @add: keep the cards already selected (Ctrl+click); otherwise @node alone is
 *
 * With @add, a card already selected is unselected.
 */
void
peel_board_select (PeelBoard *self,
                   PeelNode  *node,
                   gboolean   add)
{
  PeelBoardItem *item;

  g_return_if_fail (PEEL_IS_BOARD (self));
  item = peel_board_find_item (self, node);
  if (item == NULL)
    return;

  if (!add)
    peel_board_clear_selection (self);
  if (add && g_hash_table_contains (self->selected, peel_node_get_id (node)))
    {
      g_hash_table_remove (self->selected, peel_node_get_id (node));
      peel_board_card_set_selected (item->card, FALSE);
    }
  else
    {
      char *id = g_strdup (peel_node_get_id (node));

      g_hash_table_add (self->selected, id);
      peel_board_card_set_selected (item->card, TRUE);
    }
  peel_board_selection_changed (self);
}

void
peel_board_clear_selection (PeelBoard *self)
{
  g_return_if_fail (PEEL_IS_BOARD (self));
  for (guint i = 0; i < self->items->len; i++)
    peel_board_card_set_selected (g_array_index (self->items, PeelBoardItem, i).card, FALSE);
  g_hash_table_remove_all (self->selected);
  peel_board_selection_changed (self);
}

/**
 * peel_board_dup_selection:
 *
 * Returns: (transfer full) (element-type PeelNode): the selected turns, in the tree's order
 */
GPtrArray *
peel_board_dup_selection (PeelBoard *self)
{
  GPtrArray *nodes = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (PEEL_IS_BOARD (self), nodes);
  for (guint i = 0; i < self->items->len; i++)
    {
      PeelBoardItem *item = &g_array_index (self->items, PeelBoardItem, i);

      if (g_hash_table_contains (self->selected, peel_node_get_id (item->node)))
        g_ptr_array_add (nodes, g_object_ref (item->node));
    }
  return nodes;
}

/**
 * peel_board_get_card_rect:
 * @rect: (out): where @node's card is, in board units
 */
gboolean
peel_board_get_card_rect (PeelBoard       *self,
                          PeelNode        *node,
                          graphene_rect_t *rect)
{
  PeelBoardItem *item;

  g_return_val_if_fail (PEEL_IS_BOARD (self), FALSE);
  item = peel_board_find_item (self, node);
  if (item == NULL)
    return FALSE;
  graphene_rect_init (rect, item->x, item->y, PEEL_BOARD_CARD_WIDTH, PEEL_BOARD_CARD_HEIGHT);
  return TRUE;
}

/**
 * peel_board_get_card:
 *
 * Returns: (transfer none) (nullable): the widget that shows @node
 */
GtkWidget *
peel_board_get_card (PeelBoard *self,
                     PeelNode  *node)
{
  PeelBoardItem *item;

  g_return_val_if_fail (PEEL_IS_BOARD (self), NULL);
  item = peel_board_find_item (self, node);
  return item ? GTK_WIDGET (item->card) : NULL;
}

/**
 * peel_board_move_card:
 * @x: the card's new left edge, in board units
 *
 * Puts @node's card at (@x, @y) and saves its place with the session.
 */
gboolean
peel_board_move_card (PeelBoard  *self,
                      PeelNode   *node,
                      double      x,
                      double      y,
                      GError    **error)
{
  PeelBoardItem *item;
  PeelBoardPlace place;

  g_return_val_if_fail (PEEL_IS_BOARD (self), FALSE);
  item = peel_board_find_item (self, node);
  if (item == NULL)
    {
      g_set_error (error, PEEL_SESSION_ERROR, PEEL_SESSION_ERROR_NOT_FOUND,
                   _("That turn is not on the board."));
      return FALSE;
    }
  place.x = item->x = CLAMP (x, -PEEL_BOARD_PLACES_MAX_COORD, PEEL_BOARD_PLACES_MAX_COORD);
  place.y = item->y = CLAMP (y, -PEEL_BOARD_PLACES_MAX_COORD, PEEL_BOARD_PLACES_MAX_COORD);
  item->placed = TRUE;
  g_hash_table_insert (self->placed, g_strdup (peel_node_get_id (node)),
                       g_memdup2 (&place, sizeof place));
  peel_board_save_places (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  return TRUE;
}

/**
 * peel_board_get_n_loading:
 *
 * Returns: how many cards in view are still waiting for their thumbnails
 */
guint
peel_board_get_n_loading (PeelBoard *self)
{
  guint n = 0;

  g_return_val_if_fail (PEEL_IS_BOARD (self), 0);
  for (guint i = 0; i < self->items->len; i++)
    if (peel_board_card_get_loading (g_array_index (self->items, PeelBoardItem, i).card))
      n++;
  return n;
}

static void
apply_to_each_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  g_signal_emit (widget, signals[APPLY_TO_EACH], 0);
}

static void
combine_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_signal_emit (widget, signals[COMBINE], 0);
}

static void
clear_selection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  peel_board_clear_selection (PEEL_BOARD (widget));
}

static void
peel_board_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PeelBoard *self = PEEL_BOARD (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_board_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PeelBoard *self = PEEL_BOARD (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      peel_board_set_session (self, g_value_get_object (value));
      break;
    case PROP_ZOOM:
      peel_board_set_zoom (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_board_dispose (GObject *object)
{
  PeelBoard *self = PEEL_BOARD (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->relayout_source, g_source_remove);
  g_clear_pointer (&self->watched, g_hash_table_unref);
  if (self->items != NULL)
    clear_items (self);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), PEEL_TYPE_BOARD);

  G_OBJECT_CLASS (peel_board_parent_class)->dispose (object);
}

static void
peel_board_finalize (GObject *object)
{
  PeelBoard *self = PEEL_BOARD (object);

  g_clear_pointer (&self->items, g_array_unref);
  g_clear_pointer (&self->index, g_hash_table_unref);
  g_clear_pointer (&self->placed, g_hash_table_unref);
  g_clear_pointer (&self->selected, g_hash_table_unref);
  g_clear_pointer (&self->drag_origins, g_array_unref);
  g_clear_pointer (&self->drag_items, g_array_unref);
  g_free (self->focus_id);

  G_OBJECT_CLASS (peel_board_parent_class)->finalize (object);
}

static void
peel_board_class_init (PeelBoardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = peel_board_dispose;
  object_class->finalize = peel_board_finalize;
  object_class->get_property = peel_board_get_property;
  object_class->set_property = peel_board_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, PEEL_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, PEEL_BOARD_MIN_ZOOM, PEEL_BOARD_MAX_ZOOM, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PeelBoard::node-activated:
   *
   * A card was double-clicked, or Enter pressed on it: show its turn on the canvas.
   */
  signals[NODE_ACTIVATED] =
    g_signal_new ("node-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, PEEL_TYPE_NODE);
  signals[APPLY_TO_EACH] =
    g_signal_new ("apply-to-each", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[COMBINE] =
    g_signal_new ("combine", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
  /**
   * PeelBoard::places-failed:
   * @error: why the cards' places could not be written
   */
  signals[PLACES_FAILED] =
    g_signal_new ("places-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/peelapp/Peel/peel-board.ui");
  gtk_widget_class_bind_template_child (widget_class, PeelBoard, action_bar);
  gtk_widget_class_bind_template_child (widget_class, PeelBoard, selection_label);
  gtk_widget_class_bind_template_child (widget_class, PeelBoard, empty_label);

  gtk_widget_class_install_action (widget_class, "board.apply-to-each", NULL,
                                   apply_to_each_action);
  gtk_widget_class_install_action (widget_class, "board.combine", NULL, combine_action);
  gtk_widget_class_install_action (widget_class, "board.clear-selection", NULL,
                                   clear_selection_action);

  gtk_widget_class_set_css_name (widget_class, "peel-board");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  peel_board_draw_class_init (widget_class);
  peel_board_input_class_init (widget_class);
}

static void
peel_board_init (PeelBoard *self)
{
  self->zoom = 1.0;
  self->follow_current = TRUE;
  self->items = g_array_new (FALSE, TRUE, sizeof (PeelBoardItem));
  self->index = g_hash_table_new (g_str_hash, g_str_equal);
  self->placed = peel_board_places_new ();
  self->selected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->watched = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) watch_free);
  self->drag_origins = g_array_new (FALSE, FALSE, sizeof (graphene_point_t));
  self->drag_items = g_array_new (FALSE, FALSE, sizeof (int));
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Board"), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Every turn of the session as a card. Arrow keys move "
                                    "between cards, Space selects, Enter opens."), -1);

  self->session_signals = g_signal_group_new (PEEL_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::current",
                                  G_CALLBACK (current_changed_cb), self);
  peel_board_input_init (self);
  peel_board_selection_changed (self);
}

GtkWidget *
peel_board_new (void)
{
  return g_object_new (PEEL_TYPE_BOARD, NULL);
}
