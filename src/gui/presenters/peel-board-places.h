/* peel-board-places.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The file beside session.json that holds where cards were dragged on the board. */
#define PEEL_BOARD_PLACES_FILE "board.json"

/* Ids longer than this and coordinates beyond this are not a card's place. */
#define PEEL_BOARD_PLACES_MAX_ID     128
#define PEEL_BOARD_PLACES_MAX_COORD  1.0e6
#define PEEL_BOARD_PLACES_MAX_CARDS  100000

typedef struct
{
  double x;
  double y;
} PeelBoardPlace;

GHashTable *peel_board_places_new          (void);
GHashTable *peel_board_places_load         (const char    *session_dir,
                                            GError       **error);
char       *peel_board_places_to_json      (GHashTable    *places);
void        peel_board_places_save_async   (const char    *session_dir,
                                            GHashTable    *places,
                                            GCancellable  *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer       user_data);
gboolean    peel_board_places_save_finish  (GAsyncResult  *result,
                                            GError       **error);
gboolean    peel_board_places_save         (const char    *session_dir,
                                            GHashTable    *places,
                                            GError       **error);

G_END_DECLS
