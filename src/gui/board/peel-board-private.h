/* peel-board-private.h: what the board's files share
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "peel-board.h"
#include "peel-board-card.h"

G_BEGIN_DECLS

/* A card's size and the gaps between them, in board units (pixels at 100 %). */
#define PEEL_BOARD_CARD_WIDTH   176.0
#define PEEL_BOARD_CARD_HEIGHT  180.0
#define PEEL_BOARD_GAP_X         72.0
#define PEEL_BOARD_GAP_Y         24.0
#define PEEL_BOARD_MARGIN        32.0
#define PEEL_BOARD_MIN_ZOOM       0.08
#define PEEL_BOARD_MAX_ZOOM       2.0

/* Where a card sits: computed from the tree, or where the user dropped it. */
typedef struct
{
  PeelNode      *node;            /* owned */
  PeelBoardCard *card;            /* a child of the board */
  int            parent_index;    /* -1 for a root */
  double         x, y;            /* top left, board units */
  gboolean       placed;          /* dragged by the user: saved in board.json */
} PeelBoardItem;

struct _PeelBoard
{
  GtkWidget       parent_instance;

  PeelSession    *session;
  GSignalGroup   *session_signals;
  GHashTable     *watched;        /* PeelNode → PeelBoardWatch, for the tree's changes */
  GArray         *items;          /* PeelBoardItem, parents before children */
  GHashTable     *index;          /* node id → item index + 1 */
  GHashTable     *placed;         /* node id → PeelBoardPlace, dragged cards (board.json) */
  GCancellable   *cancellable;
  gboolean        saving;
  gboolean        save_again;
  GHashTable     *selected;       /* node id → node id */
  char           *focus_id;       /* the card the keyboard is on */
  guint           relayout_source;
  gboolean        follow_current;

  double          zoom;
  double          offset_x;       /* board point shown at the widget's top left */
  double          offset_y;
  gboolean        fitted_once;

  /* input */
  int             drag_kind;
  double          drag_start_x, drag_start_y;
  double          drag_offset_x, drag_offset_y;
  GArray         *drag_origins;   /* graphene_point_t per dragged item */
  GArray         *drag_items;     /* int */
  graphene_rect_t band;           /* the rubber band, widget coordinates */
  double          zoom_start;
  double          pointer_x, pointer_y;

  /* template */
  GtkWidget      *action_bar;
  GtkLabel       *selection_label;
  GtkWidget      *empty_label;
};

/* peel-board.c */
void           peel_board_save_places       (PeelBoard     *self);
PeelBoardItem *peel_board_item_at_point     (PeelBoard     *self,
                                             double         x,
                                             double         y);
PeelBoardItem *peel_board_find_item         (PeelBoard     *self,
                                             PeelNode      *node);
void           peel_board_selection_changed (PeelBoard     *self);
void           peel_board_set_focus_item    (PeelBoard     *self,
                                             PeelBoardItem *item,
                                             gboolean       grab);
void           peel_board_activate_item     (PeelBoard     *self,
                                             PeelBoardItem *item);
void           peel_board_scroll_to_item    (PeelBoard     *self,
                                             PeelBoardItem *item);
void           peel_board_zoom_at           (PeelBoard     *self,
                                             double         zoom,
                                             double         widget_x,
                                             double         widget_y);

/* peel-board-layout.c */
void           peel_board_layout_tree       (PeelBoard     *self);
void           peel_board_get_bounds        (PeelBoard     *self,
                                             graphene_rect_t *bounds);
PeelBoardItem *peel_board_item_next_to      (PeelBoard     *self,
                                             PeelBoardItem *item,
                                             guint          keyval);

/* peel-board-draw.c */
void           peel_board_draw_class_init   (GtkWidgetClass *widget_class);

/* peel-board-draw.c: pixels kept */
GskRenderNode *peel_board_shrink_texture    (GdkTexture            *texture,
                                             int                    width,
                                             int                    height);
GskRenderNode *peel_board_flatten           (GskRenderNode         *content,
                                             const graphene_rect_t *bounds,
                                             double                 scale);

/* peel-board-input.c */
void           peel_board_input_init        (PeelBoard     *self);
void           peel_board_input_class_init  (GtkWidgetClass *widget_class);

G_END_DECLS
