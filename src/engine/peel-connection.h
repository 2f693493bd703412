/* peel-connection.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "peel-gemini-client.h"

G_BEGIN_DECLS

#define PEEL_CONNECTION_ERROR (peel_connection_error_quark ())

/**
 * PeelConnectionError:
 * @PEEL_CONNECTION_ERROR_NO_KEY: no key is kept for the provider (#PEEL_KEY_STORED_REQUIRED)
 * @PEEL_CONNECTION_ERROR_NO_DEMO: the program offers no offline demo
 */
typedef enum
{
  PEEL_CONNECTION_ERROR_NO_KEY,
  PEEL_CONNECTION_ERROR_NO_DEMO,
} PeelConnectionError;

/**
 * PeelKeyPolicy:
 * @PEEL_KEY_STORED_OR_DEMO: the key kept for the provider (keyring, then `GEMINI_API_KEY`);
 *   without one, or when the provider cannot be used, the offline demo, saying why in
 *   #PeelConnection:problem (the window)
 * @PEEL_KEY_STORED_REQUIRED: the key kept for the provider; without one the connection fails
 *   with %PEEL_CONNECTION_ERROR_NO_KEY (`peel-cli generate`)
 * @PEEL_KEY_STORED_IF_ANY: the key kept for the provider, or none: the service says what it
 *   thinks of that (`peel-cli models`)
 * @PEEL_KEY_ENVIRONMENT: `GEMINI_API_KEY` or none, never the keyring's: for a server named
 *   on the command line, which must not be handed the key kept for another
 *
 * Where the key comes from, and what happens without one.
 */
typedef enum
{
  PEEL_KEY_STORED_OR_DEMO,
  PEEL_KEY_STORED_REQUIRED,
  PEEL_KEY_STORED_IF_ANY,
  PEEL_KEY_ENVIRONMENT,
} PeelKeyPolicy;

/**
 * PeelDemoStartFunc:
 * @user_data: the data given with the function
 * @base_url: (out) (transfer full): where the started server answers
 * @error: return location for an error
 *
 * How a program that offers the offline demo starts its server on loopback. The engine does
 * not link the demo server: `peel`'s main(), `peel-cli` and the tests hand this in.
 *
 * Returns: (transfer full) (nullable): the running server; the connection keeps it while the
 *   demo is in use and lets it go (which stops it) when the connection goes
 */
typedef GObject *(*PeelDemoStartFunc) (gpointer   user_data,
                                       char     **base_url,
                                       GError   **error);

#define PEEL_TYPE_CONNECTION (peel_connection_get_type ())

G_DECLARE_FINAL_TYPE (PeelConnection, peel_connection, PEEL, CONNECTION, GObject)

GQuark            peel_connection_error_quark     (void);

PeelConnection   *peel_connection_new             (PeelDemoStartFunc     start_demo,
                                                   gpointer              user_data,
                                                   GDestroyNotify        destroy);
gboolean          peel_connection_open_demo       (PeelConnection       *self,
                                                   const char           *problem,
                                                   GError              **error);
void              peel_connection_open_async      (PeelConnection       *self,
                                                   PeelProvider         *provider,
                                                   const GError         *provider_error,
                                                   PeelKeyPolicy         policy,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
PeelGeminiClient *peel_connection_open_finish     (PeelConnection       *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

PeelGeminiClient *peel_connection_get_client      (PeelConnection       *self);
gboolean          peel_connection_get_demo        (PeelConnection       *self);
gboolean          peel_connection_get_ready       (PeelConnection       *self);
const char       *peel_connection_get_problem     (PeelConnection       *self);
GObject          *peel_connection_get_demo_server (PeelConnection       *self);

G_END_DECLS
