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

#include "peel-demo-server.h"
#include "peel-gemini-client.h"
#include "peel-generation.h"
#include "peel-model-catalog.h"
#include "peel-provider.h"
#include "peel-session.h"

G_BEGIN_DECLS

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
  PeelDemoServer   *demo_server;
  PeelProvider     *provider;
  char             *api_key;
  PeelGeminiClient *client;
  PeelGeminiReply  *reply;
  PeelSession      *session;
  PeelNode         *parent;       /* in session; NULL for a new root */
  PeelGeneration   *generation;
} Generate;

/* peel-cli-generate.c */
void     _peel_cli_generate_clear     (Generate *gen);
gboolean _peel_cli_generate_sigint_cb (gpointer  user_data);
gboolean _peel_cli_generate_begin_cb  (gpointer  user_data);

G_END_DECLS
