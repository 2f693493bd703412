/* peel-board.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "peel-node.h"
#include "peel-session.h"

G_BEGIN_DECLS

#define PEEL_TYPE_BOARD (peel_board_get_type ())

G_DECLARE_FINAL_TYPE (PeelBoard, peel_board, PEEL, BOARD, GtkWidget)

GtkWidget   *peel_board_new                (void);
PeelSession *peel_board_get_session        (PeelBoard   *self);
void         peel_board_set_session        (PeelBoard   *self,
                                            PeelSession *session);
double       peel_board_get_zoom           (PeelBoard   *self);
void         peel_board_set_zoom           (PeelBoard   *self,
                                            double       zoom);
void         peel_board_pan                (PeelBoard   *self,
                                            double       dx,
                                            double       dy);
void         peel_board_zoom_fit           (PeelBoard   *self);
GPtrArray   *peel_board_dup_selection      (PeelBoard   *self);
void         peel_board_select             (PeelBoard   *self,
                                            PeelNode    *node,
                                            gboolean     add);
void         peel_board_clear_selection    (PeelBoard   *self);
gboolean     peel_board_get_card_rect      (PeelBoard       *self,
                                            PeelNode        *node,
                                            graphene_rect_t *rect);
GtkWidget   *peel_board_get_card           (PeelBoard   *self,
                                            PeelNode    *node);
gboolean     peel_board_move_card          (PeelBoard   *self,
                                            PeelNode    *node,
                                            double       x,
                                            double       y,
                                            GError     **error);
guint        peel_board_get_n_loading      (PeelBoard   *self);

G_END_DECLS
