/* peel-board-card.c
 *
 * One turn on the board: its thumbnail, its title and how it went (the image's size, or that it
 * failed and why). Cards are drawn with a few plain nodes, no CSS boxes or shadows, because
 * hundreds of them are on screen when the board is zoomed out; below a zoom where text is a
 * smudge, only the thumbnail and a coloured strip for the status are drawn. A card loads its
 * thumbnail when it is first mapped (the board maps only what is in view) and gives it back
 * to the shared cache's keeping when it has been out of view longer than the last few.
 *
 * The thumbnail is never drawn shrunk by the renderer by more than a quarter: GSK 4.8's cairo
 * renderer shrinks a texture further with a convolution on every frame (half of a frame's
 * time with a few dozen cards in view), and converts every texture's pixels through floats on
 * every frame too. So a card draws one of a few copies of its thumbnail, each three quarters
 * of the size of the one before, as cairo nodes (pixels that renderer paints as they are, and
 * GL uploads once): each made the first time the zoom asks for it, kept while the card is in
 * view, and let go with the thumbnail.
 *
 * Once the zoom has stayed the same for a frame, the whole card is drawn once into an image of
 * its size on screen (its "look") and then only copied, at whole pixels, while the board pans;
 * the look is made again when anything the card shows changes, and let go when it leaves the
 * view. While the zoom changes, the card is drawn from its parts as before.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "peel-board-card.h"
#include "peel-board-private.h"
#include "peel-text.h"
#include "peel-thumbnail-cache.h"

#define PAD     8.0
#define THUMB_H 116.0
#define RADIUS  8.0

/* Each copy of the thumbnail is this much smaller than the one before; cairo shrinks by up to
 * this much bilinearly, by more with a convolution. */
#define LEVEL_RATIO 0.75
#define MAX_LEVELS  16

/* The focus ring reaches this far outside the card (card units). */
#define LOOK_MARGIN 10.0

struct _PeelBoardCard
{
  GtkWidget     parent_instance;

  PeelNode     *node;
  PeelStore    *store;
  GSignalGroup *node_signals;
  GdkTexture   *texture;
  GskRenderNode *levels[MAX_LEVELS]; /* the texture shrunk by LEVEL_RATIO^i; made when needed */
  double        zoom;
  int           level;            /* the copy drawn last, -1 before the first */
  gboolean      settled;          /* the zoom was the same in the last two layouts */
  GskRenderNode *look;            /* the whole card in pixels at look_scale, or NULL */
  double        look_scale;
  gboolean      look_focus;
  gboolean      look_dark;
  GList        *kept_link;        /* in kept while out of view with its pixels */
  GCancellable *cancellable;
  PangoLayout  *title_layout;
  PangoLayout  *status_layout;
  PangoLayout  *reason_layout;
  gboolean      selected;
  gboolean      current;
  gboolean      detail;
};

G_DEFINE_FINAL_TYPE (PeelBoardCard, peel_board_card, GTK_TYPE_WIDGET)

/* Cards out of view that still hold their thumbnail, its copies and their look, the one that
 * left the view last first: at most about 20 MB at 100 %, 4 MB at 50 %. */
#define MAX_KEPT 64
static GQueue kept = G_QUEUE_INIT;

/* Something the card shows changed: its look is made again when next drawn. */
static void
changed (PeelBoardCard *self)
{
  g_clear_pointer (&self->look, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Text from the session, safe for a label and cut to @max characters. */
static char *
dup_clean (const char *text,
           glong       max)
{
  g_autofree char *clean = peel_text_strip_for_label (text, -1);

  if (clean == NULL)
    return NULL;
  if (g_utf8_strlen (clean, -1) <= max)
    return g_steal_pointer (&clean);
  return g_utf8_substring (clean, 0, max);
}

static char *
dup_status (PeelBoardCard *self)
{
  switch (peel_node_get_status (self->node))
    {
    case PEEL_NODE_PENDING:
      return g_strdup (_("Generating…"));
    case PEEL_NODE_FAILED:
      return g_strdup (_("Failed"));
    case PEEL_NODE_DONE:
    default:
      if (!peel_node_get_has_image (self->node))
        return g_strdup (_("No image"));
      /* Translators: an image's width and height in pixels */
      return g_strdup_printf (_("%d × %d"), peel_node_get_final_width (self->node),
                              peel_node_get_final_height (self->node));
    }
}

/**
 * peel_board_card_dup_label:
 *
 * Returns: what a screen reader says for the card: its title, how it went and whether it is
 *   selected
 */
char *
peel_board_card_dup_label (PeelBoardCard *self)
{
  g_autofree char *title = dup_clean (peel_node_get_display_title (self->node), 120);
  g_autofree char *status = dup_status (self);
  GString *label = g_string_new (title);

  g_string_append (label, ", ");
  g_string_append (label, status);
  if (peel_node_get_status (self->node) == PEEL_NODE_FAILED &&
      peel_node_get_error_message (self->node) != NULL)
    {
      g_autofree char *reason = dup_clean (peel_node_get_error_message (self->node), 200);
      g_string_append (label, ": ");
      g_string_append (label, reason);
    }
  if (self->selected)
    g_string_append (label, _(", selected"));
  if (self->current)
    g_string_append (label, _(", shown"));
  return g_string_free (label, FALSE);
}

static void
update_label (PeelBoardCard *self)
{
  g_autofree char *label = peel_board_card_dup_label (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_SELECTED,
                               self->selected, -1);
}

static PangoLayout *
make_layout (PeelBoardCard *self,
             const char    *text,
             gboolean       small,
             int            lines)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

  pango_layout_set_width (layout, (int) ((PEEL_BOARD_CARD_WIDTH - 2 * PAD) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  if (lines > 1)
    {
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_height (layout, -lines);
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
    }
  if (small)
    {
      g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_scale_new (0.83));
      pango_layout_set_attributes (layout, attrs);
    }
  return layout;
}

static void
update_text (PeelBoardCard *self)
{
  g_autofree char *title = dup_clean (peel_node_get_display_title (self->node), 200);
  g_autofree char *status = dup_status (self);

  g_clear_object (&self->title_layout);
  g_clear_object (&self->status_layout);
  g_clear_object (&self->reason_layout);
  self->title_layout = make_layout (self, title, FALSE, 1);
  self->status_layout = make_layout (self, status, TRUE, 1);
  if (peel_node_get_status (self->node) == PEEL_NODE_FAILED)
    {
      g_autofree char *reason =
        dup_clean (peel_node_get_error_message (self->node), 400);

      self->reason_layout = make_layout (self, reason ? reason : _("No reason was given."),
                                         TRUE, 5);
    }
  update_label (self);
  changed (self);
}

static void
clear_texture (PeelBoardCard *self)
{
  g_clear_object (&self->texture);
  for (int i = 0; i < MAX_LEVELS; i++)
    g_clear_pointer (&self->levels[i], gsk_render_node_unref);
  self->level = -1;
  g_clear_pointer (&self->look, gsk_render_node_unref);
}

static void
set_texture (PeelBoardCard *self,
             GdkTexture    *texture)
{
  if (self->texture == texture)
    return;
  clear_texture (self);
  self->texture = g_object_ref (texture);
}

/* The thumbnail's place in the card, fitted to the area above the title (card units). */
static graphene_rect_t
thumbnail_rect (PeelBoardCard *self)
{
  double tw = gdk_texture_get_width (self->texture);
  double th = gdk_texture_get_height (self->texture);
  double aw = PEEL_BOARD_CARD_WIDTH - 2 * PAD, ah = THUMB_H;
  double scale = MIN (aw / tw, ah / th);
  double w = tw * scale, h = th * scale;

  return GRAPHENE_RECT_INIT (PAD + (aw - w) / 2, PAD + (ah - h) / 2, w, h);
}

static int
level_width (PeelBoardCard *self,
             int            level)
{
  return MAX (1, (int) ceil (gdk_texture_get_width (self->texture) * pow (LEVEL_RATIO, level)));
}

static int
level_height (PeelBoardCard *self,
              int            level)
{
  return MAX (1, (int) ceil (gdk_texture_get_height (self->texture) * pow (LEVEL_RATIO, level)));
}

/* The smallest copy at least as wide as the thumbnail is on screen at the current zoom. */
static int
wanted_level (PeelBoardCard *self)
{
  graphene_rect_t rect = thumbnail_rect (self);
  double shown = rect.size.width * self->zoom * gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int level = 0;

  while (level + 1 < MAX_LEVELS && level_width (self, level + 1) >= shown &&
         level_width (self, level + 1) > 1)
    level++;
  return level;
}

static void
thumbnail_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  PeelBoardCard *self;

  texture = peel_thumbnail_cache_load_finish (PEEL_THUMBNAIL_CACHE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PEEL_BOARD_CARD (user_data);
  g_clear_object (&self->cancellable);
  if (texture == NULL)
    {
      /* The card says the turn's size or failure without a picture; nothing is lost. */
      g_debug ("No thumbnail for the board: %s", error->message);
      return;
    }
  set_texture (self, texture);
  changed (self);
}

static void
load_thumbnail (PeelBoardCard *self)
{
  PeelThumbnailCache *cache = peel_thumbnail_cache_get_default ();
  const char *blob = peel_node_get_final_blob (self->node);
  g_autofree char *key = NULL;
  GdkTexture *texture;

  if (self->texture != NULL || self->cancellable != NULL || self->store == NULL ||
      !peel_node_get_has_image (self->node) || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  key = blob ? peel_thumbnail_cache_key_for_blob (blob) : NULL;
  texture = key ? peel_thumbnail_cache_lookup (cache, key) : NULL;
  if (texture != NULL)
    {
      set_texture (self, texture);
      return;
    }
  self->cancellable = g_cancellable_new ();
  peel_thumbnail_cache_load_node_async (cache, self->store, self->node, self->cancellable,
                                        thumbnail_loaded_cb, self);
}

static void
image_changed_cb (PeelBoardCard *self)
{
  clear_texture (self);
  load_thumbnail (self);
  update_text (self);
}

static void
peel_board_card_map (GtkWidget *widget)
{
  PeelBoardCard *self = PEEL_BOARD_CARD (widget);

  if (self->kept_link != NULL)
    {
      g_queue_delete_link (&kept, self->kept_link);
      self->kept_link = NULL;
    }
  GTK_WIDGET_CLASS (peel_board_card_parent_class)->map (widget);
  load_thumbnail (self);
}

static void
peel_board_card_unmap (GtkWidget *widget)
{
  PeelBoardCard *self = PEEL_BOARD_CARD (widget);

  /* Out of view: the last few cards keep their pixels (panning back copies them again), the
   * others (and all above 100 %, where a look is large) give their thumbnail back to the shared
   * cache's keeping. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->zoom > 1.0)
    clear_texture (self);
  else if (self->texture != NULL && self->kept_link == NULL)
    {
      g_queue_push_head (&kept, self);
      self->kept_link = kept.head;
      if (kept.length > MAX_KEPT)
        {
          PeelBoardCard *oldest = g_queue_pop_tail (&kept);

          oldest->kept_link = NULL;
          clear_texture (oldest);
        }
    }
  GTK_WIDGET_CLASS (peel_board_card_parent_class)->unmap (widget);
}

static void
peel_board_card_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? PEEL_BOARD_CARD_WIDTH
                                                                  : PEEL_BOARD_CARD_HEIGHT;
}

static void
set_rgba (GdkRGBA    *rgba,
          const char *spec)
{
  gdk_rgba_parse (rgba, spec);
}

static void
draw_thumbnail (PeelBoardCard *self,
                GtkSnapshot   *snapshot)
{
  graphene_rect_t rect = thumbnail_rect (self);
  int level = wanted_level (self);

  if (self->levels[level] == NULL)
    self->levels[level] = peel_board_shrink_texture (self->texture, level_width (self, level),
                                                     level_height (self, level));
  self->level = level;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &rect.origin);
  gtk_snapshot_scale (snapshot, rect.size.width / level_width (self, level),
                      rect.size.height / level_height (self, level));
  gtk_snapshot_append_node (snapshot, self->levels[level]);
  gtk_snapshot_restore (snapshot);
}

static void
draw_parts (PeelBoardCard *self,
            GtkSnapshot   *snapshot,
            gboolean       dark,
            gboolean       focus)
{
  PeelNodeStatus status = peel_node_get_status (self->node);
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (0, 0, PEEL_BOARD_CARD_WIDTH,
                                               PEEL_BOARD_CARD_HEIGHT);
  GskRoundedRect outline;
  GdkRGBA background, border, text, dim, accent, failed;
  float widths[4];
  GdkRGBA colors[4];
  double edge;

  set_rgba (&background, dark ? "#303030" : "#ffffff");
  set_rgba (&border, dark ? "rgba(255,255,255,0.15)" : "rgba(0,0,0,0.15)");
  set_rgba (&text, dark ? "#ffffff" : "rgba(0,0,0,0.8)");
  set_rgba (&dim, dark ? "rgba(255,255,255,0.7)" : "rgba(0,0,0,0.6)");
  set_rgba (&accent, dark ? "#78aeed" : "#1c71d8");
  set_rgba (&failed, dark ? "#ff7b63" : "#c01c28");

  /* Only the background and the status strip reach the rounded corners: the rest is drawn
   * outside the clip, which the cairo renderer would otherwise apply as a mask to every pixel
   * of the thumbnail. */
  gsk_rounded_rect_init_from_rect (&outline, &bounds, RADIUS);
  gtk_snapshot_push_rounded_clip (snapshot, &outline);
  gtk_snapshot_append_color (snapshot, &background, &bounds);
  /* The status as a strip along the bottom: seen at any zoom. */
  edge = self->detail ? 4 : 12;
  if (status != PEEL_NODE_DONE)
    gtk_snapshot_append_color (snapshot, status == PEEL_NODE_FAILED ? &failed : &accent,
                               &GRAPHENE_RECT_INIT (0, PEEL_BOARD_CARD_HEIGHT - edge,
                                                    PEEL_BOARD_CARD_WIDTH, edge));
  gtk_snapshot_pop (snapshot);

  if (self->texture != NULL)
    draw_thumbnail (self, snapshot);
  else if (status == PEEL_NODE_FAILED && self->detail && self->reason_layout != NULL)
    {
      int height;

      pango_layout_get_pixel_size (self->reason_layout, NULL, &height);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (PAD, PAD + MAX (0, (THUMB_H - height) / 2)));
      gtk_snapshot_append_layout (snapshot, self->reason_layout, &failed);
      gtk_snapshot_restore (snapshot);
    }

  if (self->detail)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (PAD, PAD + THUMB_H + 8));
      gtk_snapshot_append_layout (snapshot, self->title_layout, &text);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, 22));
      gtk_snapshot_append_layout (snapshot, self->status_layout,
                                  status == PEEL_NODE_FAILED ? &failed : &dim);
      gtk_snapshot_restore (snapshot);
    }

  /* Selected: a thick accent edge; shown on the canvas: a thin one; otherwise a hairline. */
  edge = self->selected ? 4 : self->current ? 2 : 1;
  if (!self->detail)
    edge *= 3;
  for (int i = 0; i < 4; i++)
    {
      widths[i] = edge;
      colors[i] = self->selected || self->current ? accent : border;
    }
  gtk_snapshot_append_border (snapshot, &outline, widths, colors);

  if (focus)
    {
      GskRoundedRect ring;

      for (int i = 0; i < 4; i++)
        {
          widths[i] = self->detail ? 2 : 6;
          colors[i] = accent;
          colors[i].alpha = 0.6f;
        }
      gsk_rounded_rect_init_from_rect (&ring, &GRAPHENE_RECT_INIT (-4 - widths[0], -4 - widths[0],
                                                                   PEEL_BOARD_CARD_WIDTH + 8 +
                                                                   2 * widths[0],
                                                                   PEEL_BOARD_CARD_HEIGHT + 8 +
                                                                   2 * widths[0]),
                                       RADIUS + 4);
      gtk_snapshot_append_border (snapshot, &ring, widths, colors);
    }
}

static void
peel_board_card_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  PeelBoardCard *self = PEEL_BOARD_CARD (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  gboolean focus = gtk_widget_has_visible_focus (widget);
  double scale = self->zoom * gtk_widget_get_scale_factor (widget);
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (-LOOK_MARGIN, -LOOK_MARGIN,
                                               PEEL_BOARD_CARD_WIDTH + 2 * LOOK_MARGIN,
                                               PEEL_BOARD_CARD_HEIGHT + 2 * LOOK_MARGIN);

  if (!self->settled)
    {
      draw_parts (self, snapshot, dark, focus);
      return;
    }
  if (self->look == NULL || self->look_scale != scale || self->look_focus != focus ||
      self->look_dark != dark)
    {
      GtkSnapshot *parts = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) content = NULL;

      draw_parts (self, parts, dark, focus);
      content = gtk_snapshot_free_to_node (parts);
      g_clear_pointer (&self->look, gsk_render_node_unref);
      if (content == NULL)
        return;
      self->look = peel_board_flatten (content, &bounds, scale);
      self->look_scale = scale;
      self->look_focus = focus;
      self->look_dark = dark;
    }
  /* One unit of the look is one pixel on screen. */
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &bounds.origin);
  gtk_snapshot_scale (snapshot, 1 / scale, 1 / scale);
  gtk_snapshot_append_node (snapshot, self->look);
  gtk_snapshot_restore (snapshot);
}

static void
peel_board_card_dispose (GObject *object)
{
  PeelBoardCard *self = PEEL_BOARD_CARD (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->kept_link != NULL)
    {
      g_queue_delete_link (&kept, self->kept_link);
      self->kept_link = NULL;
    }
  if (self->node_signals != NULL)
    g_signal_group_set_target (self->node_signals, NULL);
  g_clear_object (&self->node_signals);
  clear_texture (self);
  g_clear_pointer (&self->look, gsk_render_node_unref);
  g_clear_object (&self->title_layout);
  g_clear_object (&self->status_layout);
  g_clear_object (&self->reason_layout);
  g_clear_object (&self->node);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (peel_board_card_parent_class)->dispose (object);
}

static void
peel_board_card_class_init (PeelBoardCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = peel_board_card_dispose;
  widget_class->measure = peel_board_card_measure;
  widget_class->snapshot = peel_board_card_snapshot;
  widget_class->map = peel_board_card_map;
  widget_class->unmap = peel_board_card_unmap;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_BUTTON);
  gtk_widget_class_set_css_name (widget_class, "peel-board-card");
}

static void
peel_board_card_init (PeelBoardCard *self)
{
  self->detail = TRUE;
  self->zoom = 1.0;
  self->level = -1;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_VISIBLE);
  self->node_signals = g_signal_group_new (PEEL_TYPE_NODE);
  g_signal_group_connect_swapped (self->node_signals, "notify::display-title",
                                  G_CALLBACK (update_text), self);
  g_signal_group_connect_swapped (self->node_signals, "notify::status",
                                  G_CALLBACK (update_text), self);
  g_signal_group_connect_swapped (self->node_signals, "notify::error-message",
                                  G_CALLBACK (update_text), self);
  g_signal_group_connect_swapped (self->node_signals, "notify::has-image",
                                  G_CALLBACK (image_changed_cb), self);
}

PeelBoardCard *
peel_board_card_new (PeelNode  *node,
                     PeelStore *store)
{
  PeelBoardCard *self = g_object_new (PEEL_TYPE_BOARD_CARD, NULL);

  self->node = g_object_ref (node);
  self->store = store ? g_object_ref (store) : NULL;
  g_signal_group_set_target (self->node_signals, node);
  update_text (self);
  return self;
}

PeelNode *
peel_board_card_get_node (PeelBoardCard *self)
{
  return self->node;
}

void
peel_board_card_set_selected (PeelBoardCard *self,
                              gboolean       selected)
{
  if (self->selected == !!selected)
    return;
  self->selected = !!selected;
  update_label (self);
  changed (self);
}

gboolean
peel_board_card_get_selected (PeelBoardCard *self)
{
  return self->selected;
}

void
peel_board_card_set_current (PeelBoardCard *self,
                             gboolean       current)
{
  if (self->current == !!current)
    return;
  self->current = !!current;
  update_label (self);
  changed (self);
}

void
peel_board_card_set_detail (PeelBoardCard *self,
                            gboolean       detail)
{
  if (self->detail == !!detail)
    return;
  self->detail = !!detail;
  changed (self);
}

/**
 * peel_board_card_set_zoom:
 *
 * Tells the card the board's zoom at each layout of the board, so that it draws a copy of its
 * thumbnail of about the size it has on screen. While the zoom changes the card is drawn again
 * only when that copy changes (between those steps the board's transform alone scales what it
 * drew); when the zoom is the same as at the layout before, the card draws itself once into
 * pixels and from then on only those are copied.
 */
void
peel_board_card_set_zoom (PeelBoardCard *self,
                          double         zoom)
{
  if (self->zoom != zoom)
    {
      /* Zooming: drawn from its parts, which the board's transform scales. */
      self->zoom = zoom;
      if (self->settled || (self->texture != NULL && self->level != wanted_level (self)))
        changed (self);
      self->settled = FALSE;
      return;
    }
  if (!self->settled)
    {
      self->settled = TRUE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

gboolean
peel_board_card_get_loading (PeelBoardCard *self)
{
  return self->cancellable != NULL;
}

GdkTexture *
peel_board_card_get_texture (PeelBoardCard *self)
{
  return self->texture;
}
