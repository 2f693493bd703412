/* generation-test-util.h: a session, a demo server and a client for engine tests
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "peel-demo-server.h"
#include "peel-gemini-client.h"
#include "peel-session.h"

G_BEGIN_DECLS

/* A new session in a temporary folder, and a client of the demo server on loopback. */
typedef struct
{
  char             *dir;
  PeelDemoServer   *server;
  PeelGeminiClient *client;
  PeelSession      *session;
  GMainLoop        *loop;
  GAsyncResult     *result;   /* what run_cb() got, for the test to finish and clear */
} Fixture;

void fixture_set_up    (Fixture       *f,
                        gconstpointer  data);
void fixture_tear_down (Fixture       *f,
                        gconstpointer  data);
void run_cb            (GObject       *object,
                        GAsyncResult  *result,
                        gpointer       user_data);

G_END_DECLS
