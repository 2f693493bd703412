/* peel-credentials.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

#define PEEL_CREDENTIALS_SCHEMA_NAME "io.github.peelapp.Peel.ApiKey"
#define PEEL_CREDENTIALS_ENV_VAR     "GEMINI_API_KEY"

/**
 * PeelCredentialSource:
 * @PEEL_CREDENTIAL_SOURCE_NONE: no key was found
 * @PEEL_CREDENTIAL_SOURCE_KEYRING: the key came from the login keyring
 * @PEEL_CREDENTIAL_SOURCE_ENVIRONMENT: the key came from `GEMINI_API_KEY`
 * @PEEL_CREDENTIAL_SOURCE_LOCKED: no key was found because the keyring did not answer in time:
 *   it is locked, waiting for its password (peel_credentials_unlock_async() waits for it)
 */
typedef enum
{
  PEEL_CREDENTIAL_SOURCE_NONE,
  PEEL_CREDENTIAL_SOURCE_KEYRING,
  PEEL_CREDENTIAL_SOURCE_ENVIRONMENT,
  PEEL_CREDENTIAL_SOURCE_LOCKED,
} PeelCredentialSource;

const SecretSchema *peel_credentials_get_schema       (void);

void                peel_credentials_lookup_async     (const char            *provider,
                                                       gboolean               use_keyring,
                                                       GCancellable          *cancellable,
                                                       GAsyncReadyCallback    callback,
                                                       gpointer               user_data);
char               *peel_credentials_lookup_finish    (GAsyncResult          *result,
                                                       PeelCredentialSource  *source,
                                                       GError               **error);
void                peel_credentials_unlock_async     (const char            *provider,
                                                       GCancellable          *cancellable,
                                                       GAsyncReadyCallback    callback,
                                                       gpointer               user_data);
void                peel_credentials_store_async      (const char            *provider,
                                                       const char            *api_key,
                                                       GCancellable          *cancellable,
                                                       GAsyncReadyCallback    callback,
                                                       gpointer               user_data);
gboolean            peel_credentials_store_finish     (GAsyncResult          *result,
                                                       GError               **error);
void                peel_credentials_clear_async      (const char            *provider,
                                                       GCancellable          *cancellable,
                                                       GAsyncReadyCallback    callback,
                                                       gpointer               user_data);
gboolean            peel_credentials_clear_finish     (GAsyncResult          *result,
                                                       GError               **error);
void                peel_credentials_set_timeouts     (guint                  lookup_ms,
                                                       guint                  store_ms);
gboolean            peel_credentials_have_session_bus (void);

G_END_DECLS
