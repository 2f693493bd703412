/* peel-cli-generate-private.h
 *
 * What `peel-cli generate`'s files share: one run of the command, from its options to its
 * result.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "peel-batch.h"
#include "peel-connection.h"
#include "peel-demo-server.h"
#include "peel-gemini-client.h"
#include "peel-generation.h"
#include "peel-marks.h"
#include "peel-model-catalog.h"
#include "peel-provider.h"
#include "peel-session.h"

G_BEGIN_DECLS

/* What an int option holds when it was not given; 0 and negatives are refused. */
#define PEEL_CLI_NOT_GIVEN G_MININT

typedef struct
{
  /* Options */
  char             *prompt;
  char             *aspect;
  char             *size_name;
  char            **image_paths;
  char             *model;
  char             *thinking;
  gboolean          thoughts;
  gboolean          search;
  gboolean          image_search;
  gboolean          stream;
  gboolean          demo;
  char             *base_url;
  char             *provider_name;
  char             *auth;
  gboolean          json;
  char             *output;
  int               max_attempts;
  int               timeout;
  char            **demo_faults;
  char             *session_arg;
  char             *parent_arg;
  char             *region_arg;
  char             *mask_path;
  int               feather;      /* -1 when not given */
  char             *marks_path;
  int               variations;   /* 0 when not given (after the options are checked) */
  int               parallel;
  char             *draft_of;     /* `peel-cli render`: the draft the turn renders larger */
  const char       *command;      /* "render" for `peel-cli render`; NULL for generate */

  /* Parsed */
  PeelImageSize     size;
  PeelThinkingLevel thinking_level;
  PeelAuthStyle     auth_style;

  /* Running */
  GMainLoop        *loop;
  GCancellable     *cancellable;
  gboolean          interrupted;
  gboolean          tty;
  gboolean          progress_shown;
  GPtrArray        *images;       /* PeelPart, in the order given */
  guint             images_pending;
  GError           *error;
  int               error_status;
  PeelConnection   *connection;
  PeelProvider     *provider;
  PeelGeminiClient *client;
  PeelGeminiReply  *reply;
  PeelSession      *session;
  PeelNode         *parent;       /* in session; NULL for a new root */
  PeelGeneration   *generation;
  PeelRegionMask   *region_mask;  /* --region or --mask, checked against the parent */
  GPtrArray        *marks;        /* --marks, PeelMark */

  /* --variations: the batch, and how its siblings ended. */
  PeelBatch        *batch;
  guint             batch_failed;
  GError           *batch_error;  /* the first sibling's failure */
  int               batch_status;
} Generate;

/* What print_result() shows, taken from a reply or from the session's new node. */
typedef struct
{
  const char      *path;
  const char      *mime_type;
  const char      *received_mime_type;
  int              width;
  int              height;
  const char      *finish_reason;
  char            *text;
  char            *thoughts;
  PeelUsage        usage;
  PeelNode        *node;
  GPtrArray       *sources;
  char           **queries;
  const char      *output_error;   /* --output failed, though the turn is saved */
} Result;

/* peel-cli-generate.c */
void     _peel_cli_generate_clear     (Generate *gen);
int      _peel_cli_generate_exit_status (const GError *error);
void     _peel_cli_generate_report_failed (Generate *gen,
                                           PeelNode *node);
gboolean _peel_cli_generate_output_node (Generate  *gen,
                                         PeelNode  *node,
                                         GError   **error);
gboolean _peel_cli_generate_sigint_cb (gpointer  user_data);
gboolean _peel_cli_generate_begin_cb  (gpointer  user_data);

/* peel-cli-generate-batch.c */
int      _peel_cli_generate_check_variations (Generate *gen);
void     _peel_cli_generate_start_batch (Generate     *gen,
                                         PeelTurnSpec *spec);
/* peel-cli-generate-options.c */
int      _peel_cli_generate_run       (Generate *gen);

/* peel-cli-generate-region.c */
int      _peel_cli_generate_prepare_region (Generate *gen);

/* peel-cli-generate-print.c */
void _peel_cli_generate_print_json           (JsonBuilder  *builder);
void _peel_cli_generate_add_session_members  (Generate     *gen,
                                              JsonBuilder  *builder,
                                              PeelNode     *node);
void _peel_cli_generate_print_result         (Generate     *gen,
                                              const Result *result);
void _peel_cli_generate_report_unsaved       (Generate     *gen,
                                              PeelNode     *node,
                                              const char   *unsaved,
                                              const char   *output,
                                              const GError *error);

G_END_DECLS
