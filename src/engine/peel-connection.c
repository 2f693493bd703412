/* peel-connection.c
 *
 * Where generations go, for every program: the offline demo, or a provider with the key kept
 * for it. The window, `peel-cli generate` and `peel-cli models` each say what they were asked
 * for (a --demo option, a provider from the settings or the command line) and how strict to be
 * about the key (PeelKeyPolicy); the choosing between demo, key and provider is done here
 * only, and they get back a client. The demo server itself is linked by the programs that offer
 * it, which hand in how to start it (PeelDemoStartFunc).
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "peel-connection.h"
#include "peel-credentials.h"
#include "peel-util.h"

/* What the demo server takes for a key; it accepts any that is not empty. */
#define DEMO_KEY "demo"

/* The name Preferences keeps a custom service's key under while its address cannot be used. */
#define UNUSABLE_PROVIDER_NAME "Custom"

struct _PeelConnection
{
  GObject            parent_instance;

  PeelDemoStartFunc  start_demo;
  gpointer           start_demo_data;
  GDestroyNotify     start_demo_destroy;
  GObject           *demo_server;
  char              *demo_url;

  PeelGeminiClient  *client;
  char              *problem;
  gboolean           demo;
  gboolean           ready;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_DEMO,
  PROP_READY,
  PROP_PROBLEM,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PeelConnection, peel_connection, G_TYPE_OBJECT)
G_DEFINE_QUARK (peel-connection-error-quark, peel_connection_error)

static GParamSpec *properties[N_PROPS];

typedef struct
{
  PeelProvider  *provider;
  GError        *provider_error;
  PeelKeyPolicy  policy;
} Open;

static void
open_free (Open *open)
{
  g_clear_object (&open->provider);
  g_clear_error (&open->provider_error);
  g_free (open);
}

static void
set_client (PeelConnection   *self,
            PeelGeminiClient *client,
            gboolean          demo,
            const char       *problem)
{
  g_set_object (&self->client, client);
  g_free (self->problem);
  self->problem = g_strdup (problem);
  self->demo = demo;
  self->ready = TRUE;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Starts the demo server once; every later demo client talks to the same one. */
static gboolean
start_demo_server (PeelConnection  *self,
                   GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *base_url = NULL;
  GObject *server;

  if (self->demo_server != NULL)
    return TRUE;

  if (self->start_demo == NULL)
    {
      g_set_error_literal (error, PEEL_CONNECTION_ERROR, PEEL_CONNECTION_ERROR_NO_DEMO,
                           _("This program has no offline demo."));
      return FALSE;
    }

  server = self->start_demo (self->start_demo_data, &base_url, &local_error);
  if (server == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  self->demo_server = server;
  self->demo_url = g_steal_pointer (&base_url);
  return TRUE;
}

/* Returns the demo's client (transfer full), or NULL when the demo cannot start; either way
 * the connection says so in its properties. */
static PeelGeminiClient *
use_demo (PeelConnection  *self,
          const char      *problem,
          GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PeelProvider) provider = NULL;
  PeelGeminiClient *client;

  if (!start_demo_server (self, &local_error))
    {
      g_autofree char *message =
        g_strdup_printf (_("The offline demo could not start: %s"), local_error->message);

      set_client (self, NULL, TRUE, message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  provider = peel_provider_new (_("Demo"), self->demo_url, PEEL_AUTH_STYLE_GOOG_API_KEY,
                                &local_error);
  g_assert_no_error (local_error);
  /* Signatures from any start's demo go back to today's: a demo session continues. */
  peel_provider_set_issuer (provider, PEEL_DEMO_ISSUER);
  client = peel_gemini_client_new (provider, DEMO_KEY);
  set_client (self, client, TRUE, problem);
  return client;
}

static PeelGeminiClient *
use_provider (PeelConnection *self,
              PeelProvider   *provider,
              const char     *key)
{
  PeelGeminiClient *client = peel_gemini_client_new (provider, key);

  set_client (self, client, FALSE, NULL);
  return client;
}

/**
 * peel_connection_open_demo:
 * @problem: (nullable): why the demo runs, for a banner
 * @error: return location for the reason the demo could not start
 *
 * Starts the offline demo (once) and hands out a client for it. When the demo cannot start,
 * #PeelConnection:client becomes %NULL and #PeelConnection:problem says why.
 *
 * Returns: whether the demo runs
 */
gboolean
peel_connection_open_demo (PeelConnection  *self,
                           const char      *problem,
                           GError         **error)
{
  g_autoptr(PeelGeminiClient) client = NULL;

  g_return_val_if_fail (PEEL_IS_CONNECTION (self), FALSE);

  client = use_demo (self, problem, error);
  return client != NULL;
}

/* Without a usable key or provider, in the window: the demo, and why. */
static PeelGeminiClient *
fall_back_to_demo (PeelConnection        *self,
                   Open                  *open,
                   const char            *key,
                   PeelCredentialSource   source,
                   GError               **error)
{
  g_autofree char *message = NULL;

  if ((key == NULL || *key == '\0') && source == PEEL_CREDENTIAL_SOURCE_LOCKED)
    return use_demo (self, _("The login keyring is locked, so Peel cannot read your API key. "
                             "Unlock it in Preferences; until then Peel runs its offline "
                             "demo."), error);
  if (key == NULL || *key == '\0')
    return use_demo (self, _("No API key is set, so Peel runs its offline demo: images are "
                             "drawn on this computer. Add a key in Preferences to use Gemini."),
                     error);

  message = g_strdup_printf (_("The custom service cannot be used: %s Peel runs its offline "
                               "demo until this is fixed in Preferences."),
                             open->provider_error->message);
  return use_demo (self, message, error);
}

static void
key_found_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PeelConnection *self = g_task_get_source_object (task);
  Open *open = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  PeelCredentialSource source = PEEL_CREDENTIAL_SOURCE_NONE;
  PeelGeminiClient *client = NULL;

  key = peel_credentials_lookup_finish (result, &source, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  switch (open->policy)
    {
    case PEEL_KEY_STORED_OR_DEMO:
      g_clear_error (&error);
      if (key == NULL || *key == '\0' || open->provider == NULL)
        client = fall_back_to_demo (self, open, key, source, &error);
      else
        client = use_provider (self, open->provider, key);
      break;

    case PEEL_KEY_STORED_REQUIRED:
      if (error == NULL && key == NULL)
        g_set_error_literal (&error, PEEL_CONNECTION_ERROR, PEEL_CONNECTION_ERROR_NO_KEY,
                             _("There is no API key. Set the GEMINI_API_KEY environment "
                               "variable, or add the key in Peel’s Preferences."));
      if (error == NULL)
        client = use_provider (self, open->provider, key);
      break;

    case PEEL_KEY_STORED_IF_ANY:
    case PEEL_KEY_ENVIRONMENT:
    default:
      g_clear_error (&error);
      client = use_provider (self, open->provider, key);
      break;
    }

  if (key != NULL)
    memset (key, 0, strlen (key));

  if (client == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, client, g_object_unref);
}

/**
 * peel_connection_open_async:
 * @provider: (nullable): the provider asked for; %NULL when it cannot be built, with
 *   @provider_error saying why (only with %PEEL_KEY_STORED_OR_DEMO)
 * @provider_error: (nullable): why there is no @provider
 * @policy: where the key comes from, and what happens without one
 *
 * Finds the key and hands out a client for @provider, or for the demo when @policy says so.
 * #PeelConnection:client, :demo and :problem follow. A cancelled open changes nothing.
 */
void
peel_connection_open_async (PeelConnection      *self,
                            PeelProvider        *provider,
                            const GError        *provider_error,
                            PeelKeyPolicy        policy,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Open *open;

  g_return_if_fail (PEEL_IS_CONNECTION (self));
  g_return_if_fail (PEEL_IS_PROVIDER (provider) ||
                    (policy == PEEL_KEY_STORED_OR_DEMO && provider_error != NULL));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, peel_connection_open_async);
  open = g_new0 (Open, 1);
  open->provider = provider != NULL ? g_object_ref (provider) : NULL;
  open->provider_error = provider_error != NULL ? g_error_copy (provider_error) : NULL;
  open->policy = policy;
  g_task_set_task_data (task, open, (GDestroyNotify) open_free);

  if (policy == PEEL_KEY_ENVIRONMENT)
    {
      g_task_return_pointer (task, use_provider (self, provider,
                                                 g_getenv (PEEL_CREDENTIALS_ENV_VAR)),
                             g_object_unref);
      return;
    }

  /* The key is kept under the provider's name; a custom address that cannot be used has
   * none of its own. */
  peel_credentials_lookup_async (provider != NULL ? peel_provider_get_name (provider)
                                                  : UNUSABLE_PROVIDER_NAME,
                                 TRUE, cancellable, key_found_cb, g_steal_pointer (&task));
}

/**
 * peel_connection_open_finish:
 *
 * Returns: (transfer full): the client, or %NULL with the reason there is none
 */
PeelGeminiClient *
peel_connection_open_finish (PeelConnection  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (PEEL_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == peel_connection_open_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
peel_connection_dispose (GObject *object)
{
  PeelConnection *self = PEEL_CONNECTION (object);

  g_clear_object (&self->client);
  /* The demo ends with the connection, whoever else still holds the server. */
  if (self->demo_server != NULL)
    g_object_run_dispose (self->demo_server);
  g_clear_object (&self->demo_server);
  if (self->start_demo_destroy != NULL)
    g_clear_pointer (&self->start_demo_data, self->start_demo_destroy);

  G_OBJECT_CLASS (peel_connection_parent_class)->dispose (object);
}

static void
peel_connection_finalize (GObject *object)
{
  PeelConnection *self = PEEL_CONNECTION (object);

  g_free (self->demo_url);
  g_free (self->problem);

  G_OBJECT_CLASS (peel_connection_parent_class)->finalize (object);
}

static void
peel_connection_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PeelConnection *self = PEEL_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_connection_class_init (PeelConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = peel_connection_dispose;
  object_class->finalize = peel_connection_finalize;
  object_class->get_property = peel_connection_get_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, PEEL_TYPE_GEMINI_CLIENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
peel_connection_init (PeelConnection *self)
{
}

/**
 * peel_connection_new:
 * @start_demo: (nullable) (scope notified): how this program starts the offline demo; %NULL
 *   when it offers none
 * @user_data: data for @start_demo
 * @destroy: (nullable): frees @user_data
 */
PeelConnection *
peel_connection_new (PeelDemoStartFunc start_demo,
                     gpointer          user_data,
                     GDestroyNotify    destroy)
{
  PeelConnection *self = g_object_new (PEEL_TYPE_CONNECTION, NULL);

  self->start_demo = start_demo;
  self->start_demo_data = user_data;
  self->start_demo_destroy = destroy;
  return self;
}

PeelGeminiClient *
peel_connection_get_client (PeelConnection *self)
{
  g_return_val_if_fail (PEEL_IS_CONNECTION (self), NULL);
  return self->client;
}

gboolean
peel_connection_get_demo (PeelConnection *self)
{
  g_return_val_if_fail (PEEL_IS_CONNECTION (self), FALSE);
  return self->demo;
}

gboolean
peel_connection_get_ready (PeelConnection *self)
{
  g_return_val_if_fail (PEEL_IS_CONNECTION (self), FALSE);
  return self->ready;
}

/**
 * peel_connection_get_problem:
 *
 * Returns: (nullable): why the demo runs instead of what was asked for, for a banner
 */
const char *
peel_connection_get_problem (PeelConnection *self)
{
  g_return_val_if_fail (PEEL_IS_CONNECTION (self), NULL);
  return self->problem;
}

/**
 * peel_connection_get_demo_server:
 *
 * Returns: (transfer none) (nullable): the server the program's #PeelDemoStartFunc started,
 *   for tests that make it misbehave; %NULL until the demo has run
 */
GObject *
peel_connection_get_demo_server (PeelConnection *self)
{
  g_return_val_if_fail (PEEL_IS_CONNECTION (self), NULL);
  return self->demo_server;
}
