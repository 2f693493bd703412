/* peel-variation-grid.c
 *
 * The siblings of one Generate with variations, side by side over the canvas while they
 * arrive and whenever asked for again. Click or the arrow keys pick one, Enter or a
 * double-click opens it as the current node; S stars the picked one, and Hide Others hides
 * every sibling not starred (hidden, never deleted: the history's eye shows them again).
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-variation-grid.h"

struct _PeelVariationGrid
{
  GtkWidget    parent_instance;

  PeelSession *session;
  GPtrArray   *cells;          /* PeelVariationCell, in index order */
  GPtrArray   *watched;        /* PeelNode whose changes update the summary */
  guint        selected;
  guint        columns;
  gboolean     running;        /* the batch is still under way */
  char        *summary;

  GtkWidget   *header;
  GtkLabel    *title_label;
  GtkLabel    *summary_label;
  GtkWidget   *hide_button;
  GtkWidget   *open_button;
  GtkGrid     *grid;
};

enum {
  NODE_ACTIVATED,
  CLOSED,
  FAILED,
  RETRY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PeelVariationGrid, peel_variation_grid, GTK_TYPE_WIDGET)

static PeelNode *
node_at (PeelVariationGrid *self,
         guint              index)
{
  if (index >= self->cells->len)
    return NULL;
  return peel_variation_cell_get_node (g_ptr_array_index (self->cells, index));
}

/* Rows that fill: two and three side by side, four as two by two, six as three by two. */
static guint
columns_for (guint count)
{
  if (count <= 3)
    return MAX (count, 1);
  if (count == 4)
    return 2;
  if (count <= 6)
    return 3;
  return 4;
}

static void
update_summary (PeelVariationGrid *self)
{
  guint ready = 0, failed = 0, starred = 0, hidden = 0, unstarred = 0;
  guint total = self->cells->len;
  PeelNode *selected = node_at (self, self->selected);
  g_autofree char *title = NULL;
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < total; i++)
    {
      PeelNode *node = node_at (self, i);

      if (node == NULL)
        continue;
      if (peel_node_get_status (node) == PEEL_NODE_DONE)
        ready++;
      else if (peel_node_get_status (node) == PEEL_NODE_FAILED)
        failed++;
      if (peel_node_get_starred (node))
        starred++;
      else if (peel_node_get_hidden (node))
        hidden++;
      else if (peel_node_get_status (node) != PEEL_NODE_PENDING)
        unstarred++;
    }

  /* Translators: the grid's title, "4 Variations" */
  title = g_strdup_printf (ngettext ("%u Variation", "%u Variations", total), total);
  gtk_label_set_label (self->title_label, title);

  /* Translators: how many of the variations have arrived, "2 of 4 ready" */
  g_string_append_printf (text, ngettext ("%u of %u ready", "%u of %u ready", total),
                          ready, total);
  if (failed > 0)
    /* Translators: follows "2 of 4 ready" */
    g_string_append_printf (text, ngettext (" · %u failed", " · %u failed", failed), failed);
  if (starred > 0)
    /* Translators: follows "4 of 4 ready" */
    g_string_append_printf (text, ngettext (" · %u starred", " · %u starred", starred),
                            starred);
  if (hidden > 0)
    /* Translators: follows "4 of 4 ready" */
    g_string_append_printf (text, ngettext (" · %u hidden", " · %u hidden", hidden), hidden);
  g_free (self->summary);
  self->summary = g_string_free (text, FALSE);
  gtk_label_set_label (self->summary_label, self->summary);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "variations.hide-others",
                                 starred > 0 && unstarred > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "variations.open",
                                 selected != NULL &&
                                 peel_node_get_status (selected) != PEEL_NODE_PENDING);
}

static void
unwatch_all (PeelVariationGrid *self)
{
  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->watched, i), self);
  g_ptr_array_set_size (self->watched, 0);
}

static void
watch (PeelVariationGrid *self,
       PeelNode          *node)
{
  if (node == NULL || g_ptr_array_find (self->watched, node, NULL))
    return;
  g_ptr_array_add (self->watched, g_object_ref (node));
  g_signal_connect_object (node, "notify::status", G_CALLBACK (update_summary), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (node, "notify::starred", G_CALLBACK (update_summary), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (node, "notify::hidden", G_CALLBACK (update_summary), self,
                           G_CONNECT_SWAPPED);
}

void
peel_variation_grid_set_selected (PeelVariationGrid *self,
                                  guint              index)
{
  g_return_if_fail (PEEL_IS_VARIATION_GRID (self));

  if (self->cells->len == 0)
    return;
  index = MIN (index, self->cells->len - 1);
  self->selected = index;
  for (guint i = 0; i < self->cells->len; i++)
    peel_variation_cell_set_selected (g_ptr_array_index (self->cells, i), i == index);
  update_summary (self);
}

guint
peel_variation_grid_get_selected (PeelVariationGrid *self)
{
  g_return_val_if_fail (PEEL_IS_VARIATION_GRID (self), 0);
  return self->selected;
}

static void
activate_selected (PeelVariationGrid *self)
{
  PeelNode *node = node_at (self, self->selected);

  /* A sibling still on its way has nothing to open yet; a failed one opens with its Retry. */
  if (node == NULL || peel_node_get_status (node) == PEEL_NODE_PENDING)
    return;
  g_signal_emit (self, signals[NODE_ACTIVATED], 0, node);
}

static void
toggle_star (PeelVariationGrid *self,
             PeelNode          *node)
{
  g_autoptr(GError) error = NULL;

  if (self->session == NULL || node == NULL || peel_node_get_status (node) != PEEL_NODE_DONE)
    return;
  if (!peel_session_set_starred (self->session, node, !peel_node_get_starred (node), &error))
    g_signal_emit (self, signals[FAILED], 0, error);
}

static void
toggle_star_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PeelVariationGrid *self = PEEL_VARIATION_GRID (widget);
  const char *id = g_variant_get_string (parameter, NULL);

  for (guint i = 0; i < self->cells->len; i++)
    {
      PeelNode *node = node_at (self, i);

      if (node != NULL && g_strcmp0 (peel_node_get_id (node), id) == 0)
        {
          toggle_star (self, node);
          return;
        }
    }
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PeelVariationGrid *self = PEEL_VARIATION_GRID (widget);
  const char *id = g_variant_get_string (parameter, NULL);

  for (guint i = 0; i < self->cells->len; i++)
    {
      PeelNode *node = node_at (self, i);

      if (node != NULL && g_strcmp0 (peel_node_get_id (node), id) == 0)
        {
          g_signal_emit (self, signals[RETRY], 0, node);
          return;
        }
    }
}

static void
hide_others_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PeelVariationGrid *self = PEEL_VARIATION_GRID (widget);

  if (self->session == NULL)
    return;
  for (guint i = 0; i < self->cells->len; i++)
    {
      PeelNode *node = node_at (self, i);
      g_autoptr(GError) error = NULL;

      if (node == NULL || peel_node_get_starred (node) || peel_node_get_hidden (node) ||
          peel_node_get_status (node) == PEEL_NODE_PENDING)
        continue;
      if (!peel_session_set_hidden (self->session, node, TRUE, &error))
        {
          /* What was hidden stays hidden; the rest stay shown, and the toast says why. */
          g_signal_emit (self, signals[FAILED], 0, error);
          return;
        }
    }
}

static void
simple_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PeelVariationGrid *self = PEEL_VARIATION_GRID (widget);

  if (g_str_equal (action_name, "variations.open"))
    activate_selected (self);
  else
    g_signal_emit (self, signals[CLOSED], 0);
}

/* Moves the pick by @args (columns, rows); (0, ±100) goes to the first or last. */
static gboolean
move_binding (GtkWidget *widget,
              GVariant  *args,
              gpointer   user_data)
{
  PeelVariationGrid *self = PEEL_VARIATION_GRID (widget);
  int n = self->cells->len;
  int columns = MAX (self->columns, 1);
  int selected = self->selected;
  int dx, dy;

  if (n == 0)
    return FALSE;
  g_variant_get (args, "(ii)", &dx, &dy);
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    dx = -dx;

  if (dy == 100)
    selected = n - 1;
  else if (dy == -100)
    selected = 0;
  else if (dx != 0)
    selected = CLAMP (selected + dx, 0, n - 1);
  else if (selected + dy * columns >= 0 && selected + dy * columns < n)
    selected += dy * columns;
  peel_variation_grid_set_selected (self, selected);
  return TRUE;
}

/* Escape stops the batch while it runs (as in the prompt bar), and closes the grid after. */
static gboolean
escape_binding (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  if (PEEL_VARIATION_GRID (widget)->running)
    gtk_widget_activate_action (widget, "win.cancel", NULL);
  else
    g_signal_emit (widget, signals[CLOSED], 0);
  return TRUE;
}

static gboolean
star_binding (GtkWidget *widget,
              GVariant  *args,
              gpointer   user_data)
{
  PeelVariationGrid *self = PEEL_VARIATION_GRID (widget);

  toggle_star (self, node_at (self, self->selected));
  return TRUE;
}

static void
pressed_cb (PeelVariationGrid *self,
            int                n_press,
            double             x,
            double             y,
            GtkGestureClick   *gesture)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->grid), x, y, GTK_PICK_DEFAULT);

  for (; picked != NULL && picked != GTK_WIDGET (self->grid);
       picked = gtk_widget_get_parent (picked))
    {
      guint index;

      /* The star and Retry take their own clicks. */
      if (GTK_IS_BUTTON (picked))
        return;
      if (!PEEL_IS_VARIATION_CELL (picked) || !g_ptr_array_find (self->cells, picked, &index))
        continue;
      gtk_widget_grab_focus (GTK_WIDGET (self));
      peel_variation_grid_set_selected (self, index);
      if (n_press == 2)
        activate_selected (self);
      return;
    }
}

static void
peel_variation_grid_dispose (GObject *object)
{
  PeelVariationGrid *self = PEEL_VARIATION_GRID (object);
  GtkWidget *child;

  if (self->watched != NULL)
    unwatch_all (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (peel_variation_grid_parent_class)->dispose (object);
}

static void
peel_variation_grid_finalize (GObject *object)
{
  PeelVariationGrid *self = PEEL_VARIATION_GRID (object);

  g_clear_pointer (&self->cells, g_ptr_array_unref);
  g_clear_pointer (&self->watched, g_ptr_array_unref);
  g_free (self->summary);

  G_OBJECT_CLASS (peel_variation_grid_parent_class)->finalize (object);
}

static void
peel_variation_grid_class_init (PeelVariationGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = peel_variation_grid_dispose;
  object_class->finalize = peel_variation_grid_finalize;

  /**
   * PeelVariationGrid::node-activated:
   * @node: the sibling to open on the canvas
   */
  signals[NODE_ACTIVATED] = g_signal_new ("node-activated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, PEEL_TYPE_NODE);
  /**
   * PeelVariationGrid::closed:
   *
   * Back to the image without opening another.
   */
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * PeelVariationGrid::failed:
   * @error: why starring or hiding did not happen
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_install_action (widget_class, "variations.toggle-star", "s",
                                   toggle_star_action);
  /**
   * PeelVariationGrid::retry:
   * @node: the failed sibling to make again
   */
  signals[RETRY] = g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, PEEL_TYPE_NODE);

  gtk_widget_class_install_action (widget_class, "variations.retry", "s", retry_action);
  gtk_widget_class_install_action (widget_class, "variations.hide-others", NULL,
                                   hide_others_action);
  gtk_widget_class_install_action (widget_class, "variations.open", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "variations.close", NULL, simple_action);

  {
    static const struct { guint key; int dx, dy; } moves[] = {
      { GDK_KEY_Left, -1, 0 }, { GDK_KEY_KP_Left, -1, 0 },
      { GDK_KEY_Right, 1, 0 }, { GDK_KEY_KP_Right, 1, 0 },
      { GDK_KEY_Up, 0, -1 }, { GDK_KEY_KP_Up, 0, -1 },
      { GDK_KEY_Down, 0, 1 }, { GDK_KEY_KP_Down, 0, 1 },
      { GDK_KEY_Home, 0, -100 }, { GDK_KEY_End, 0, 100 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (moves); i++)
      gtk_widget_class_add_binding (widget_class, moves[i].key, 0, move_binding, "(ii)",
                                    moves[i].dx, moves[i].dy);
  }
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "variations.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "variations.open",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_ISO_Enter, 0, "variations.open",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "variations.open", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_s, 0, star_binding, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_binding, NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "variationgrid");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GRID);
}

static GtkWidget *
header_button (const char *label,
               const char *action,
               const char *tooltip)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

static void
make_header (PeelVariationGrid *self)
{
  GtkWidget *titles = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *close;

  self->header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (self->header, "variation-header");
  gtk_widget_set_parent (self->header, GTK_WIDGET (self));

  gtk_widget_set_hexpand (titles, TRUE);
  gtk_widget_set_valign (titles, GTK_ALIGN_CENTER);
  self->title_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "heading");
  gtk_box_append (GTK_BOX (titles), GTK_WIDGET (self->title_label));
  self->summary_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->summary_label, 0);
  gtk_label_set_ellipsize (self->summary_label, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "numeric");
  gtk_box_append (GTK_BOX (titles), GTK_WIDGET (self->summary_label));
  gtk_box_append (GTK_BOX (self->header), titles);

  self->hide_button = header_button (_("_Hide Others"), "variations.hide-others",
                                     _("Hide every variation that is not starred; the "
                                       "history’s eye button shows them again"));
  gtk_box_append (GTK_BOX (self->header), self->hide_button);
  self->open_button = header_button (_("_Open"), "variations.open",
                                     _("Open the picked variation on the canvas (Enter)"));
  gtk_widget_add_css_class (self->open_button, "suggested-action");
  gtk_box_append (GTK_BOX (self->header), self->open_button);

  close = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (close), "variations.close");
  gtk_widget_set_tooltip_text (close, _("Back to the Image"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (close), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Back to the Image"), -1);
  gtk_widget_set_valign (close, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (close, "flat");
  gtk_widget_add_css_class (close, "circular");
  gtk_box_append (GTK_BOX (self->header), close);
}

static void
peel_variation_grid_init (PeelVariationGrid *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->cells = g_ptr_array_new ();
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Variations"), -1);

  make_header (self);
  self->grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_row_homogeneous (self->grid, TRUE);
  gtk_grid_set_column_homogeneous (self->grid, TRUE);
  gtk_grid_set_row_spacing (self->grid, 12);
  gtk_grid_set_column_spacing (self->grid, 12);
  gtk_widget_set_vexpand (GTK_WIDGET (self->grid), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->grid), "variation-cells");
  gtk_widget_set_parent (GTK_WIDGET (self->grid), GTK_WIDGET (self));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->grid), GTK_EVENT_CONTROLLER (click));

  update_summary (self);
}

GtkWidget *
peel_variation_grid_new (void)
{
  return g_object_new (PEEL_TYPE_VARIATION_GRID, NULL);
}

/**
 * peel_variation_grid_set_session:
 * @session: (nullable): the session whose nodes the grid stars and hides
 */
void
peel_variation_grid_set_session (PeelVariationGrid *self,
                                 PeelSession       *session)
{
  g_return_if_fail (PEEL_IS_VARIATION_GRID (self));

  if (g_set_object (&self->session, session))
    peel_variation_grid_reset (self, 0);
}

/**
 * peel_variation_grid_reset:
 * @count: how many siblings the grid will show, each waiting until it is set
 */
void
peel_variation_grid_reset (PeelVariationGrid *self,
                           guint              count)
{
  g_return_if_fail (PEEL_IS_VARIATION_GRID (self));

  unwatch_all (self);
  for (guint i = 0; i < self->cells->len; i++)
    gtk_grid_remove (self->grid, g_ptr_array_index (self->cells, i));
  g_ptr_array_set_size (self->cells, 0);

  self->columns = columns_for (count);
  for (guint i = 0; i < count; i++)
    {
      GtkWidget *cell = peel_variation_cell_new (i, count);

      gtk_grid_attach (self->grid, cell, i % self->columns, i / self->columns, 1, 1);
      g_ptr_array_add (self->cells, cell);
    }
  self->selected = 0;
  peel_variation_grid_set_selected (self, 0);
  update_summary (self);
}

/**
 * peel_variation_grid_set_item:
 * @index: the sibling's place in its batch
 * @generation: (nullable): its run, while it streams
 * @node: (nullable): its node
 */
void
peel_variation_grid_set_item (PeelVariationGrid *self,
                              guint              index,
                              PeelGeneration    *generation,
                              PeelNode          *node)
{
  PeelVariationCell *cell;

  g_return_if_fail (PEEL_IS_VARIATION_GRID (self));
  g_return_if_fail (index < self->cells->len);

  cell = g_ptr_array_index (self->cells, index);
  if (generation != NULL)
    peel_variation_cell_set_generation (cell, generation);
  if (node == NULL && generation != NULL)
    node = peel_generation_get_node (generation);
  if (node != NULL)
    peel_variation_cell_set_node (cell, node);
  watch (self, node);
  update_summary (self);
}

/**
 * peel_variation_grid_show_nodes:
 * @nodes: (element-type PeelNode): the siblings of one batch, in order
 */
void
peel_variation_grid_show_nodes (PeelVariationGrid *self,
                                GPtrArray         *nodes)
{
  g_return_if_fail (PEEL_IS_VARIATION_GRID (self));

  peel_variation_grid_reset (self, nodes->len);
  for (guint i = 0; i < nodes->len; i++)
    peel_variation_grid_set_item (self, i, NULL, g_ptr_array_index (nodes, i));
}

guint
peel_variation_grid_get_n_cells (PeelVariationGrid *self)
{
  g_return_val_if_fail (PEEL_IS_VARIATION_GRID (self), 0);
  return self->cells->len;
}

/**
 * peel_variation_grid_get_cell:
 *
 * Returns: (transfer none): the cell at @index
 */
PeelVariationCell *
peel_variation_grid_get_cell (PeelVariationGrid *self,
                              guint              index)
{
  g_return_val_if_fail (PEEL_IS_VARIATION_GRID (self), NULL);
  g_return_val_if_fail (index < self->cells->len, NULL);
  return g_ptr_array_index (self->cells, index);
}

gboolean
peel_variation_grid_contains (PeelVariationGrid *self,
                              PeelNode          *node)
{
  g_return_val_if_fail (PEEL_IS_VARIATION_GRID (self), FALSE);

  for (guint i = 0; node != NULL && i < self->cells->len; i++)
    if (node_at (self, i) == node)
      return TRUE;
  return FALSE;
}

/**
 * peel_variation_grid_set_running:
 * @running: whether the batch shown is still under way (Escape then cancels it)
 */
void
peel_variation_grid_set_running (PeelVariationGrid *self,
                                 gboolean           running)
{
  g_return_if_fail (PEEL_IS_VARIATION_GRID (self));
  self->running = !!running;
}

/**
 * peel_variation_grid_get_summary:
 *
 * Returns: what the grid's header says of the siblings, "3 of 4 ready · 1 failed"
 */
const char *
peel_variation_grid_get_summary (PeelVariationGrid *self)
{
  g_return_val_if_fail (PEEL_IS_VARIATION_GRID (self), NULL);
  return self->summary;
}
