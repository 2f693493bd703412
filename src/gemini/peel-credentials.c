/* peel-credentials.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-credentials.h"

/* The key lives in the login keyring (libsecret) and nowhere else; the environment
 * variable is read, never written. Nothing here logs the key. */

/* A keyring that wants to be unlocked shows a prompt and the call waits on it; with no one to
 * answer (a headless session) it waits for ever. A lookup runs at start-up, so it gives up
 * quickly and falls back; a store is something the user asked for, so it waits for a person
 * to type the keyring password. */
static guint lookup_timeout_ms = 3000;
static guint store_timeout_ms = 60000;

typedef struct
{
  char         *provider;
  GCancellable *inner;
  GCancellable *outer;
  gulong        outer_id;
  GSource      *timeout;
  gboolean      timed_out;
} Op;

static void
op_free (Op *op)
{
  if (op->outer_id != 0)
    g_cancellable_disconnect (op->outer, op->outer_id);
  if (op->timeout != NULL)
    {
      g_source_destroy (op->timeout);
      g_source_unref (op->timeout);
    }
  g_clear_object (&op->outer);
  g_clear_object (&op->inner);
  g_free (op->provider);
  g_free (op);
}

const SecretSchema *
peel_credentials_get_schema (void)
{
  static const SecretSchema schema = {
    PEEL_CREDENTIALS_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

/**
 * peel_credentials_set_timeouts:
 * @lookup_ms: how long a lookup waits for the keyring before falling back
 * @store_ms: how long a store or clear waits for the keyring
 *
 * For tests and for a caller that knows better; the defaults are 3 s and 60 s.
 */
void
peel_credentials_set_timeouts (guint lookup_ms,
                               guint store_ms)
{
  lookup_timeout_ms = lookup_ms;
  store_timeout_ms = store_ms;
}

/**
 * peel_credentials_have_session_bus:
 *
 * Returns: whether a D-Bus session bus is there to ask the keyring; without one libsecret
 *   cannot work and is not asked at all
 */
gboolean
peel_credentials_have_session_bus (void)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  const char *runtime_dir;
  g_autofree char *socket = NULL;

  if (address != NULL && *address != '\0')
    return TRUE;

  runtime_dir = g_getenv ("XDG_RUNTIME_DIR");
  if (runtime_dir == NULL)
    return FALSE;

  socket = g_build_filename (runtime_dir, "bus", NULL);
  return g_file_test (socket, G_FILE_TEST_EXISTS);
}

static void
outer_cancelled_cb (GCancellable *outer,
                    GCancellable *inner)
{
  g_cancellable_cancel (inner);
}

static gboolean
op_timeout_cb (gpointer user_data)
{
  Op *op = user_data;

  op->timed_out = TRUE;
  g_cancellable_cancel (op->inner);
  return G_SOURCE_REMOVE;
}

/* The libsecret call gets the inner cancellable, cancelled by the caller's or by the clock;
 * op->timed_out tells the two apart afterwards. */
static Op *
op_new (const char   *provider,
        GCancellable *cancellable,
        guint         timeout_ms)
{
  Op *op = g_new0 (Op, 1);

  op->provider = g_strdup (provider);
  op->inner = g_cancellable_new ();
  if (cancellable != NULL)
    {
      op->outer = g_object_ref (cancellable);
      op->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled_cb),
                                            op->inner, NULL);
    }

  op->timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (op->timeout, op_timeout_cb, op, NULL);
  g_source_attach (op->timeout, g_main_context_get_thread_default ());

  return op;
}

static char *
lookup_environment (PeelCredentialSource *source)
{
  const char *key = g_getenv (PEEL_CREDENTIALS_ENV_VAR);

  if (key == NULL || *key == '\0')
    {
      *source = PEEL_CREDENTIAL_SOURCE_NONE;
      return NULL;
    }

  *source = PEEL_CREDENTIAL_SOURCE_ENVIRONMENT;
  return g_strstrip (g_strdup (key));
}

static void
return_key (GTask                *task,
            char                 *key,
            PeelCredentialSource  source)
{
  g_task_set_task_data (task, GINT_TO_POINTER (source), NULL);
  g_task_return_pointer (task, key, g_free);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_object_get_data (G_OBJECT (task), "op");
  g_autoptr(GError) error = NULL;
  PeelCredentialSource source;
  char *password;
  char *key;

  password = secret_password_lookup_finish (result, &error);

  if (password != NULL && *password != '\0')
    {
      key = g_strdup (password);
      secret_password_free (password);
      return_key (task, key, PEEL_CREDENTIAL_SOURCE_KEYRING);
      return;
    }
  g_clear_pointer (&password, secret_password_free);

  if (op->outer != NULL && g_cancellable_is_cancelled (op->outer))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      return;
    }

  /* A locked, missing or silent keyring is not an error at start-up: the environment
   * may still hold a key, and otherwise the user is asked for one. */
  if (error != NULL)
    g_debug ("No key from the keyring (%s), trying %s",
             op->timed_out ? "timed out" : error->message, PEEL_CREDENTIALS_ENV_VAR);

  key = lookup_environment (&source);
  /* Silence is what a locked keyring waiting on its password prompt looks like: say so,
   * rather than that there is no key. */
  if (key == NULL && op->timed_out)
    source = PEEL_CREDENTIAL_SOURCE_LOCKED;
  return_key (task, key, source);
}

static void
lookup_start (const char          *provider,
              gboolean             use_keyring,
              guint                timeout_ms,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PeelCredentialSource source;
  Op *op;
  char *key;

  g_return_if_fail (provider != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, peel_credentials_lookup_async);

  if (!use_keyring || !peel_credentials_have_session_bus ())
    {
      key = lookup_environment (&source);
      return_key (task, key, source);
      return;
    }

  op = op_new (provider, cancellable, timeout_ms);
  g_object_set_data_full (G_OBJECT (task), "op", op, (GDestroyNotify) op_free);

  secret_password_lookup (peel_credentials_get_schema (), op->inner, lookup_cb,
                          g_steal_pointer (&task),
                          "provider", provider,
                          NULL);
}

/**
 * peel_credentials_lookup_async:
 * @provider: which provider's key, e.g. "Google"
 * @use_keyring: ask libsecret (skipped anyway when there is no session bus)
 *
 * Finds the key: the keyring first, then `GEMINI_API_KEY`. Never blocks for more than the
 * lookup timeout, and a keyring that fails or stays silent falls back to the environment.
 */
void
peel_credentials_lookup_async (const char          *provider,
                               gboolean             use_keyring,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  lookup_start (provider, use_keyring, lookup_timeout_ms, cancellable, callback, user_data);
}

/**
 * peel_credentials_unlock_async:
 * @provider: which provider's key
 *
 * As peel_credentials_lookup_async(), for a person who asked to unlock the keyring: it waits
 * as long as a store does, so that the keyring's password prompt can be answered. Finish it
 * with peel_credentials_lookup_finish().
 */
void
peel_credentials_unlock_async (const char          *provider,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  lookup_start (provider, TRUE, store_timeout_ms, cancellable, callback, user_data);
}

/**
 * peel_credentials_lookup_finish:
 * @source: (out) (optional): where the key came from
 *
 * Returns: (transfer full) (nullable): the key, or %NULL without an error when there is none
 */
char *
peel_credentials_lookup_finish (GAsyncResult          *result,
                                PeelCredentialSource  *source,
                                GError               **error)
{
  char *key;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == peel_credentials_lookup_async,
                        NULL);

  key = g_task_propagate_pointer (G_TASK (result), error);
  if (source != NULL)
    *source = key != NULL || g_task_get_task_data (G_TASK (result)) ==
                             GINT_TO_POINTER (PEEL_CREDENTIAL_SOURCE_LOCKED)
              ? GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)))
              : PEEL_CREDENTIAL_SOURCE_NONE;
  return key;
}

static void
return_keyring_result (GTask    *task,
                       gboolean  ok,
                       GError   *error)
{
  Op *op = g_object_get_data (G_OBJECT (task), "op");

  if (ok)
    g_task_return_boolean (task, TRUE);
  else if (op->timed_out)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s",
                             _("The keyring did not answer. Unlock it (in Passwords and Keys) "
                               "and try again."));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_error_copy (error));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("The keyring refused to keep the key: %s"),
                             error != NULL ? error->message : "");
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = secret_password_store_finish (result, &error);
  return_keyring_result (task, ok, error);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = secret_password_clear_finish (result, &error);
  /* "Nothing to clear" is not a failure: the key is gone either way. */
  return_keyring_result (task, ok || error == NULL, error);
}

static GTask *
keyring_task_new (gpointer             source_tag,
                  const char          *provider,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);

  if (!peel_credentials_have_session_bus ())
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                               _("No keyring is running in this session, so the key cannot be "
                                 "kept. Set the GEMINI_API_KEY environment variable instead."));
      g_object_unref (task);
      return NULL;
    }

  g_object_set_data_full (G_OBJECT (task), "op",
                          op_new (provider, cancellable, store_timeout_ms),
                          (GDestroyNotify) op_free);
  return task;
}

/**
 * peel_credentials_store_async:
 * @provider: which provider's key
 * @api_key: the key; kept in the login keyring only
 */
void
peel_credentials_store_async (const char          *provider,
                              const char          *api_key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *label = NULL;
  GTask *task;
  Op *op;

  g_return_if_fail (provider != NULL);
  g_return_if_fail (api_key != NULL);

  task = keyring_task_new (peel_credentials_store_async, provider, cancellable, callback,
                           user_data);
  if (task == NULL)
    return;

  op = g_object_get_data (G_OBJECT (task), "op");
  /* Translators: the label of the key in Passwords and Keys; %s is a provider such as Google */
  label = g_strdup_printf (_("Peel API key for %s"), provider);
  secret_password_store (peel_credentials_get_schema (), SECRET_COLLECTION_DEFAULT, label,
                         api_key, op->inner, store_cb, task,
                         "provider", provider,
                         NULL);
}

gboolean
peel_credentials_store_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == peel_credentials_store_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
peel_credentials_clear_async (const char          *provider,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (provider != NULL);

  task = keyring_task_new (peel_credentials_clear_async, provider, cancellable, callback,
                           user_data);
  if (task == NULL)
    return;

  op = g_object_get_data (G_OBJECT (task), "op");
  secret_password_clear (peel_credentials_get_schema (), op->inner, clear_cb, task,
                         "provider", provider,
                         NULL);
}

gboolean
peel_credentials_clear_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == peel_credentials_clear_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
