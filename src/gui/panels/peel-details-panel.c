/* peel-details-panel.c
 *
 * Everything about one turn besides its image: the model's words and thoughts, the sources
 * it cited, the size it was asked for and the size it sent, tokens and cost, or why it
 * failed. The strings come from peel_details_state_new(), which is tested without a display.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-renderer.h"
#include "peel-details-panel.h"
#include "peel-panel-text.h"
#include "peel-render-menu.h"
#include "peel-text.h"

struct _PeelDetailsPanel
{
  GtkWidget     parent_instance;

  PeelNode     *node;
  PeelSession  *session;
  GSignalGroup *node_signals;
  GSignalGroup *session_signals;
  guint         tick_id;

  GCancellable *references_cancellable;

  GtkStack     *stack;
  GtkBox       *prompt_box;
  GtkLabel     *prompt_label;
  GtkFlowBox   *references_box;
  GtkBox       *status_box;
  GtkSpinner   *spinner;
  GtkLabel     *status_label;
  GtkBox       *error_box;
  GtkLabel     *error_label;
  GtkButton    *retry_button;
  GtkLabel     *text_label;
  GtkExpander  *thoughts_expander;
  GtkLabel     *thoughts_label;
  GtkBox       *sources_box;
  GtkBox       *sources_list;
  GtkLabel     *queries_label;
  GtkLabel     *size_label;
  GtkLabel     *render_label;
  GtkMenuButton *render_button;
  GtkLabel     *settings_label;
  GtkLabel     *usage_label;
  GtkLabel     *cost_label;
};

enum {
  PROP_0,
  PROP_NODE,
  PROP_SESSION,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PeelDetailsPanel, peel_details_panel, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static gboolean
activate_link_cb (GtkLinkButton *button,
                  gpointer       user_data)
{
  peel_renderer_launch_uri (GTK_WIDGET (button), gtk_link_button_get_uri (button));
  gtk_link_button_set_visited (button, TRUE);
  return TRUE;
}

static void update (PeelDetailsPanel *self);

static void
set_label (GtkLabel   *label,
           const char *text)
{
  /* Server and file text: no controls, BiDi overrides or broken UTF-8 in a label. */
  g_autofree char *safe = peel_text_strip_for_label (text, -1);

  gtk_label_set_label (label, safe ? safe : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static double
session_cost (PeelDetailsPanel *self)
{
  g_autoptr(GPtrArray) nodes = NULL;
  g_autofree double *costs = NULL;

  if (self->session == NULL)
    return -1;
  nodes = peel_session_dup_nodes (self->session);
  costs = g_new0 (double, MAX (nodes->len, 1));
  for (guint i = 0; i < nodes->len; i++)
    {
      PeelNode *node = g_ptr_array_index (nodes, i);

      costs[i] = peel_node_get_status (node) == PEEL_NODE_DONE ? peel_node_get_cost (node) : -1;
    }
  return peel_panels_sum_costs (costs, nodes->len);
}

static void
update_sources (PeelDetailsPanel *self)
{
  GPtrArray *sources = peel_node_get_sources (self->node);
  const char * const *queries = peel_node_get_search_queries (self->node);
  GtkWidget *child;
  guint n = sources ? sources->len : 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sources_list))) != NULL)
    gtk_box_remove (self->sources_list, child);

  for (guint i = 0; i < n; i++)
    {
      PeelSource *source = g_ptr_array_index (sources, i);
      GtkWidget *link = gtk_link_button_new (source->uri);
      g_autofree char *title = peel_text_strip_for_label (source->title && *source->title
                                                          ? source->title : source->uri, -1);
      GtkWidget *label = gtk_label_new (title);

      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_button_set_child (GTK_BUTTON (link), label);
      gtk_widget_set_tooltip_text (link, source->uri);
      gtk_widget_set_halign (link, GTK_ALIGN_START);
      g_signal_connect (link, "activate-link", G_CALLBACK (activate_link_cb), NULL);
      gtk_box_append (self->sources_list, link);
    }

  if (queries != NULL && queries[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **) queries);
      g_autofree char *text = g_strdup_printf (_("Searched for: %s"), joined);

      set_label (self->queries_label, text);
    }
  else
    set_label (self->queries_label, NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->sources_box),
                          n > 0 || (queries != NULL && queries[0] != NULL));
}

#define REFERENCE_PIXELS 64

static void
scale_size_prepared_cb (GdkPixbufLoader *loader,
                        int              width,
                        int              height,
                        gpointer         user_data)
{
  double scale = MIN (1.0, (double) REFERENCE_PIXELS * 2 / MAX (width, height));

  gdk_pixbuf_loader_set_size (loader, MAX (1, (int) (width * scale)),
                              MAX (1, (int) (height * scale)));
}

/* The turn's input images, read from the session and made small, in a worker thread. */
static void
load_references_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  PeelNode *node = task_data;
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GPtrArray) textures = g_ptr_array_new_with_free_func (g_object_unref);
  GError *error = NULL;

  parts = peel_node_dup_references (node, &error);
  if (parts == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < parts->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      const PeelPart *part = g_ptr_array_index (parts, i);
      g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
      GdkPixbuf *pixbuf;

      if (part->data == NULL)
        continue;
      g_signal_connect (loader, "size-prepared", G_CALLBACK (scale_size_prepared_cb), NULL);
      if (!gdk_pixbuf_loader_write_bytes (loader, part->data, NULL) ||
          !gdk_pixbuf_loader_close (loader, NULL) ||
          (pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
        {
          gdk_pixbuf_loader_close (loader, NULL);
          continue;
        }
      g_ptr_array_add (textures, gdk_texture_new_for_pixbuf (pixbuf));
    }
  g_task_return_pointer (task, g_steal_pointer (&textures), (GDestroyNotify) g_ptr_array_unref);
}

static void
references_loaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GPtrArray) textures = g_task_propagate_pointer (G_TASK (result), NULL);
  PeelDetailsPanel *self;

  if (textures == NULL)
    return;
  self = PEEL_DETAILS_PANEL (user_data);
  for (guint i = 0; i < textures->len; i++)
    {
      GtkWidget *picture = gtk_picture_new_for_paintable (g_ptr_array_index (textures, i));
      g_autofree char *description = g_strdup_printf (_("Reference image %u"), i + 1);

      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
      gtk_widget_set_size_request (picture, REFERENCE_PIXELS, REFERENCE_PIXELS);
      gtk_picture_set_alternative_text (GTK_PICTURE (picture), description);
      gtk_widget_add_css_class (picture, "card");
      gtk_flow_box_append (self->references_box, picture);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->references_box), textures->len > 0);
}

/* The user's side of the turn: the prompt and the images that went with it. */
static void
show_user_turn (PeelDetailsPanel *self)
{
  GPtrArray *references = self->node ? peel_node_get_references (self->node) : NULL;
  GtkWidget *child;
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->references_cancellable);
  g_clear_object (&self->references_cancellable);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->references_box))) != NULL)
    gtk_flow_box_remove (self->references_box, child);
  gtk_widget_set_visible (GTK_WIDGET (self->references_box), FALSE);

  set_label (self->prompt_label, self->node ? peel_node_get_prompt (self->node) : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->prompt_box), self->node != NULL &&
                          (gtk_widget_get_visible (GTK_WIDGET (self->prompt_label)) ||
                           (references != NULL && references->len > 0)));
  if (references == NULL || references->len == 0)
    return;

  self->references_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->references_cancellable, references_loaded_cb, self);
  g_task_set_source_tag (task, show_user_turn);
  g_task_set_task_data (task, g_object_ref (self->node), g_object_unref);
  g_task_run_in_thread (task, load_references_thread);
}

static gboolean
tick_cb (gpointer user_data)
{
  update (user_data);
  return G_SOURCE_CONTINUE;
}

/* Render Larger: the draft a final was made from, the finals of a draft (its siblings that
 * name it), and the menu of larger sizes. */
static void
update_render (PeelDetailsPanel *self)
{
  g_autoptr(GMenuModel) menu = peel_render_menu_new (self->node);
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();
  g_autoptr(GPtrArray) sizes = g_ptr_array_new ();
  g_autofree char *text = NULL;
  const char *draft_id = peel_node_get_draft_of (self->node);
  PeelNode *draft = NULL;
  PeelNode *parent = peel_node_get_parent (self->node);
  GListModel *siblings;

  gtk_menu_button_set_menu_model (self->render_button, menu);
  gtk_widget_set_visible (GTK_WIDGET (self->render_button), menu != NULL);

  if (draft_id != NULL && self->session != NULL)
    draft = peel_session_get_node (self->session, draft_id);
  siblings = parent != NULL ? peel_node_get_children (parent)
             : self->session != NULL ? peel_session_get_roots (self->session) : NULL;
  for (guint i = 0; siblings != NULL && i < g_list_model_get_n_items (siblings); i++)
    {
      g_autoptr(PeelNode) sibling = g_list_model_get_item (siblings, i);

      if (g_strcmp0 (peel_node_get_draft_of (sibling), peel_node_get_id (self->node)) != 0)
        continue;
      g_ptr_array_add (titles, (gpointer) peel_node_get_display_title (sibling));
      g_ptr_array_add (sizes, (gpointer) peel_image_size_to_string (peel_node_get_size (sibling)));
    }
  g_ptr_array_add (titles, NULL);
  g_ptr_array_add (sizes, NULL);

  text = peel_panels_render_text (draft != NULL ? peel_node_get_display_title (draft)
                                  : draft_id != NULL ? "" : NULL,
                                  draft != NULL
                                  ? peel_image_size_to_string (peel_node_get_size (draft)) : NULL,
                                  (const char * const *) titles->pdata,
                                  (const char * const *) sizes->pdata);
  set_label (self->render_label, text);
}

static void
update (PeelDetailsPanel *self)
{
  g_autoptr(PeelDetailsState) state = NULL;
  g_autofree char *text = NULL;
  g_autofree char *thoughts = NULL;
  PeelDetailsInput input = { 0, };
  gboolean pending;

  if (self->node == NULL)
    {
      g_clear_handle_id (&self->tick_id, g_source_remove);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "details");

  input.status = peel_node_get_status (self->node);
  input.model = peel_node_get_model (self->node);
  input.aspect_ratio = peel_node_get_aspect_ratio (self->node);
  input.size = peel_node_get_size (self->node);
  input.got_width = peel_node_get_final_width (self->node);
  input.got_height = peel_node_get_final_height (self->node);
  peel_node_get_usage (self->node, &input.prompt_tokens, &input.output_tokens,
                       &input.thought_tokens);
  input.cost = peel_node_get_cost (self->node);
  input.session_cost = session_cost (self);
  input.error_code = peel_node_get_error_code (self->node);
  input.error_message = peel_node_get_error_message (self->node);
  input.finish_message = peel_node_get_finish_message (self->node);
  input.context_note = peel_node_get_context_note (self->node);
  input.context_rebuilt = peel_node_get_context_rebuilt (self->node);
  input.created = peel_node_get_created (self->node);
  input.now = g_get_real_time ();
  state = peel_details_state_new (&input);

  pending = input.status == PEEL_NODE_PENDING;
  gtk_widget_set_visible (GTK_WIDGET (self->status_box), state->status_text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), pending);
  gtk_spinner_set_spinning (self->spinner, pending);
  set_label (self->status_label, state->status_text);
  if (pending && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  else if (!pending)
    g_clear_handle_id (&self->tick_id, g_source_remove);

  gtk_widget_set_visible (GTK_WIDGET (self->error_box), state->error_text != NULL);
  set_label (self->error_label, state->error_text);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), state->show_retry);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->retry_button), "s",
                                    peel_node_get_id (self->node));

  text = peel_node_dup_text (self->node);
  set_label (self->text_label, text);
  thoughts = peel_node_dup_thoughts (self->node);
  set_label (self->thoughts_label, thoughts);
  gtk_widget_set_visible (GTK_WIDGET (self->thoughts_expander), thoughts && *thoughts);

  update_sources (self);

  set_label (self->size_label, state->size_text);
  if (state->size_mismatch)
    gtk_widget_add_css_class (GTK_WIDGET (self->size_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->size_label), "warning");
  {
    PeelRegionInfo region;
    g_autofree char *region_text = NULL;
    g_autofree char *settings_text = NULL;

    /* A region edit says so under its settings. */
    if (peel_node_get_region (self->node, &region))
      {
        region_text = peel_panels_region_text (&region);
        settings_text = state->settings_text
                        ? g_strconcat (state->settings_text, "\n", region_text, NULL)
                        : g_strdup (region_text);
      }
    set_label (self->settings_label, settings_text ? settings_text : state->settings_text);
  }
  set_label (self->usage_label, state->usage_text);
  set_label (self->cost_label, state->cost_text);
  update_render (self);
}

static void
peel_details_panel_dispose (GObject *object)
{
  PeelDetailsPanel *self = (PeelDetailsPanel *)object;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_cancellable_cancel (self->references_cancellable);
  g_clear_object (&self->references_cancellable);
  if (self->node_signals != NULL)
    g_signal_group_set_target (self->node_signals, NULL);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PEEL_TYPE_DETAILS_PANEL);
  g_clear_object (&self->node_signals);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->node);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (peel_details_panel_parent_class)->dispose (object);
}

static void
peel_details_panel_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PeelDetailsPanel *self = PEEL_DETAILS_PANEL (object);

  switch (prop_id)
    {
    case PROP_NODE:
      g_value_set_object (value, self->node);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_details_panel_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PeelDetailsPanel *self = PEEL_DETAILS_PANEL (object);

  switch (prop_id)
    {
    case PROP_NODE:
      peel_details_panel_set_node (self, g_value_get_object (value));
      break;
    case PROP_SESSION:
      peel_details_panel_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_details_panel_class_init (PeelDetailsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = peel_details_panel_dispose;
  object_class->get_property = peel_details_panel_get_property;
  object_class->set_property = peel_details_panel_set_property;

  properties[PROP_NODE] =
    g_param_spec_object ("node", NULL, NULL, PEEL_TYPE_NODE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, PEEL_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/peelapp/Peel/peel-details-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, prompt_box);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, references_box);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, status_box);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, error_box);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, retry_button);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, text_label);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, thoughts_expander);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, thoughts_label);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, sources_box);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, sources_list);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, queries_label);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, size_label);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, render_label);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, render_button);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, settings_label);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, usage_label);
  gtk_widget_class_bind_template_child (widget_class, PeelDetailsPanel, cost_label);

  gtk_widget_class_set_css_name (widget_class, "detailspanel");
}

static void
peel_details_panel_init (PeelDetailsPanel *self)
{
  static const char * const node_props[] = {
    "notify::status", "notify::has-image", "notify::final-width", "notify::final-height",
    "notify::error-message",
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->node_signals = g_signal_group_new (PEEL_TYPE_NODE);
  for (guint i = 0; i < G_N_ELEMENTS (node_props); i++)
    g_signal_group_connect_swapped (self->node_signals, node_props[i], G_CALLBACK (update), self);
  self->session_signals = g_signal_group_new (PEEL_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::n-nodes",
                                  G_CALLBACK (update), self);
  show_user_turn (self);
  update (self);
}

GtkWidget *
peel_details_panel_new (void)
{
  return g_object_new (PEEL_TYPE_DETAILS_PANEL, NULL);
}

PeelNode *
peel_details_panel_get_node (PeelDetailsPanel *self)
{
  g_return_val_if_fail (PEEL_IS_DETAILS_PANEL (self), NULL);
  return self->node;
}

/**
 * peel_details_panel_set_node:
 * @self: a details panel
 * @node: (nullable): the turn to describe
 */
void
peel_details_panel_set_node (PeelDetailsPanel *self,
                             PeelNode         *node)
{
  g_return_if_fail (PEEL_IS_DETAILS_PANEL (self));
  g_return_if_fail (node == NULL || PEEL_IS_NODE (node));

  if (!g_set_object (&self->node, node))
    return;
  g_signal_group_set_target (self->node_signals, node);
  gtk_expander_set_expanded (self->thoughts_expander, FALSE);
  show_user_turn (self);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NODE]);
}

PeelSession *
peel_details_panel_get_session (PeelDetailsPanel *self)
{
  g_return_val_if_fail (PEEL_IS_DETAILS_PANEL (self), NULL);
  return self->session;
}

/**
 * peel_details_panel_set_session:
 * @self: a details panel
 * @session: (nullable): the node's session, for the session's total cost
 */
void
peel_details_panel_set_session (PeelDetailsPanel *self,
                                PeelSession      *session)
{
  g_return_if_fail (PEEL_IS_DETAILS_PANEL (self));
  g_return_if_fail (session == NULL || PEEL_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->session_signals, session);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}
