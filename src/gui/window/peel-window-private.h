/* peel-window-private.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "peel-canvas.h"
#include "peel-canvas-tool-strip.h"
#include "peel-generation.h"
#include "peel-prompt-bar.h"
#include "peel-service.h"
#include "peel-session.h"
#include "peel-window.h"

G_BEGIN_DECLS

struct _PeelWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  PeelService          *service;
  PeelSession          *session;
  PeelGeneration       *generation;
  GCancellable         *generation_cancellable;
  GCancellable         *texture_cancellable;
  PeelNode             *shown_node;
  PeelNode             *compare_node;
  GdkTexture           *texture;
  guint                 elapsed_source;
  guint                 stream_tick;      /* labels to update on the next frame */
  guint                 stream_changes;
  gulong                current_handler;
  gulong                status_handler;
  gboolean              narrow;           /* the header bar's extras are in the main menu */
  GPtrArray            *toasts;           /* AdwToast shown, for withdrawing them */
  gint64                toast_moved_at;   /* µs: the last toast went, so the next slides in */
  gint64                last_progress;    /* when the running generation last showed life */
  guint                 stall_seconds;    /* silence after which it is said to be stalled */
  gboolean              restart_pending;  /* cancelled to be tried again */
  struct _PeelWindowBoard *board_state;   /* peel-window-board.c */
  struct _PeelWindowVariations *variations_state;   /* peel-window-variations.c */

  /* template */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkMenuButton        *sessions_button;
  GtkMenuButton        *zoom_button;
  GtkMenuButton        *compare_button;
  GtkMenuButton        *rename_button;
  GtkWidget            *rename_icon;
  GtkMenuButton        *primary_menu_button;
  GtkWidget            *export_button;
  GtkWidget            *details_button;
  GtkWidget            *board_button;
  GMenuModel           *primary_menu;
  GMenuModel           *zoom_menu;
  GMenuModel           *compare_menu;
  GMenuModel           *narrow_menu;     /* the primary menu with what a narrow header hides */
  GtkPopover           *rename_popover;
  GtkEntry             *rename_entry;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_label;
  AdwFlap              *history_flap;
  AdwFlap              *details_flap;
  GtkBox               *history_box;
  GtkBox               *details_box;
  GtkStack             *canvas_stack;
  AdwStatusPage        *empty_page;
  AdwStatusPage        *failed_page;
  PeelCanvas           *canvas;
  GtkRevealer          *progress_revealer;
  GtkWidget            *progress_card;
  GtkSpinner           *progress_spinner;
  GtkLabel             *progress_label;
  GtkLabel             *status_label;
  GtkWidget            *stall_box;
  GtkLabel             *stall_label;
  GtkWidget            *stall_retry_button;
  GtkLabel             *thoughts_label;
  GtkWidget            *drop_highlight;
  PeelPromptBar        *prompt_bar;
  PeelCanvasToolStrip  *tool_strip;

  /* panels, made in code */
  GtkWidget            *history_view;
  GtkWidget            *details_panel;
  GtkWidget            *sessions_popover;

  /* peel-window-select.c */
  PeelNode             *edits_node;       /* the node whose image they are drawn on */
};

void      peel_window_show_node            (PeelWindow  *self,
                                            PeelNode    *node);
void      peel_window_toast                (PeelWindow  *self,
                                            const char  *message);
void      peel_window_toast_error          (PeelWindow  *self,
                                            const GError *error);
void      peel_window_open_session         (PeelWindow  *self,
                                            PeelSession *session);

/* peel-window-generate.c */
void      peel_window_generate_class_init  (GtkWidgetClass *widget_class);
void      peel_window_generate_dispose     (PeelWindow     *self);
void      peel_window_update_editing       (PeelWindow     *self);
void      peel_window_set_busy             (PeelWindow     *self,
                                            gboolean        busy);
void      peel_window_begin_turn           (PeelWindow     *self,
                                            const char     *prompt);
void      peel_window_announce             (PeelWindow     *self,
                                            const char     *text);
void      peel_window_update_progress      (PeelWindow     *self);
void      peel_window_generation_failed    (PeelWindow     *self,
                                            const GError   *error,
                                            const char     *model);

/* peel-window-select.c */
void      peel_window_select_class_init    (GtkWidgetClass *widget_class);
void      peel_window_select_init          (PeelWindow     *self);
void      peel_window_select_dispose       (PeelWindow     *self);
void      peel_window_select_show_node     (PeelWindow     *self,
                                            PeelNode       *node);
void      peel_window_update_region_note   (PeelWindow     *self);
gboolean  peel_window_select_has_edits     (PeelWindow     *self,
                                            PeelNode       *parent);
void      peel_window_select_prepare_generation (PeelWindow     *self,
                                                 PeelNode       *parent,
                                                 PeelGeneration *generation);

/* peel-window-dnd.c */
void      peel_window_dnd_init             (PeelWindow     *self);
void      peel_window_dnd_class_init       (GtkWidgetClass *widget_class);
void      peel_window_add_reference_file   (PeelWindow     *self,
                                            GFile          *file);
void      peel_window_restore_png_file     (PeelWindow     *self,
                                            GFile          *file);

/* peel-window-export.c */
void      peel_window_export_class_init    (GtkWidgetClass *widget_class);

/* peel-window-keys.c */
void      peel_window_keys_class_init      (GtkWidgetClass *widget_class);

/* peel-window-toasts.c */
typedef enum
{
  PEEL_TOAST_SESSION    = 1 << 0,   /* about the session shown: withdrawn when another opens */
  PEEL_TOAST_GENERATION = 1 << 1,   /* a generation's outcome: withdrawn when the next starts */
} PeelToastFlags;

AdwToast *peel_window_add_toast            (PeelWindow     *self,
                                            const char     *message,
                                            const char     *button_label,
                                            const char     *action_name,
                                            PeelToastFlags  flags,
                                            guint           timeout);
void      peel_window_withdraw_toasts      (PeelWindow     *self,
                                            PeelToastFlags  flags);
AdwMessageDialog *peel_window_message_dialog_new (PeelWindow *self,
                                                  const char *heading,
                                                  const char *body);
void      peel_window_toasts_dispose       (PeelWindow     *self);
void      peel_window_toasts_class_init    (GtkWidgetClass *widget_class);

/* peel-window-image.c */
void      set_compare_texture              (PeelWindow     *self);

/* peel-window-session.c */
void      peel_window_session_class_init   (GtkWidgetClass *widget_class);
void      peel_window_session_init         (PeelWindow     *self);

/* peel-window-board.c */
typedef struct _PeelWindowBoard PeelWindowBoard;

void      peel_window_board_init           (PeelWindow     *self);
void      peel_window_board_dispose        (PeelWindow     *self);
void      peel_window_board_session_changed (PeelWindow    *self);
void      peel_window_board_turn_finished  (PeelWindow     *self,
                                            const GError   *error);
gboolean  peel_window_start_turn           (PeelWindow         *self,
                                            PeelNode           *parent,
                                            const PeelTurnSpec *spec);

/* peel-window-render.c */
void      peel_window_render_class_init    (GtkWidgetClass *widget_class);
void      peel_window_render_turn_finished (PeelWindow     *self,
                                            PeelNode       *node);
void      peel_window_render_set_compare_labels (PeelWindow *self,
                                                 PeelNode   *final,
                                                 PeelNode   *draft);

/* peel-window-variations.c */
typedef struct _PeelWindowVariations PeelWindowVariations;

void      peel_window_variations_init      (PeelWindow     *self);
void      peel_window_variations_class_init (GtkWidgetClass *widget_class);
void      peel_window_variations_dispose   (PeelWindow     *self);
void      peel_window_variations_session_changed (PeelWindow *self);
gboolean  peel_window_variations_running   (PeelWindow     *self);
gboolean  peel_window_variations_progress  (PeelWindow     *self,
                                            gint64         *started,
                                            guint64        *received,
                                            guint          *ended,
                                            guint          *count);
void      peel_window_variations_cancel    (PeelWindow     *self);
void      peel_window_start_variations     (PeelWindow         *self,
                                            PeelNode           *parent,
                                            const PeelTurnSpec *spec,
                                            guint               count);

/* peel-window-header.c */
void      peel_window_header_init          (PeelWindow     *self);
void      peel_window_header_allocate      (PeelWindow     *self,
                                            int             width);

G_END_DECLS
