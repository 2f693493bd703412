/* peel-service.c
 *
 * Where generations go: the provider and key from the settings and the keyring, or, without a
 * key (or with --demo), the demo server running inside Peel. The window only ever sees a client.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-credentials.h"
#include "peel-demo-server.h"
#include "peel-model-catalog.h"
#include "peel-service.h"

#define DEMO_KEY "demo"

struct _PeelService
{
  GObject           parent_instance;

  GSettings        *settings;
  GCancellable     *cancellable;
  PeelDemoServer   *demo_server;
  PeelGeminiClient *client;
  char             *problem;
  GStrv             offered_models;  /* the image models the service lists, or NULL */
  gint64            models_fetched;  /* when they were listed, in seconds since 1970, or 0 */
  gboolean          started;         /* a client has been set once */
  gboolean          force_demo;
  gboolean          demo;
  gboolean          ready;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_DEMO,
  PROP_READY,
  PROP_PROBLEM,
  PROP_OFFERED_MODELS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PeelService, peel_service, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* A list younger than this, from the same service, is used at start-up instead of asking
 * again; a change of provider or key always asks. */
#define MODEL_LIST_MAX_AGE (24 * 60 * 60)

static const char *
client_source (PeelGeminiClient *client)
{
  return peel_provider_get_issuer (peel_gemini_client_get_provider (client));
}

/* Takes what the service lists as offered; FALSE when none of it is a model Peel knows. */
static gboolean
set_offered (PeelService        *self,
             const char * const *ids,
             gint64              fetched)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GPtrArray) offered = NULL;

  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (all, (gpointer) ids[i]);
  offered = peel_model_filter_offered (all);
  if (offered->len == 0)
    return FALSE;
  g_ptr_array_add (offered, NULL);
  g_strfreev (self->offered_models);
  self->offered_models = g_strdupv ((char **) offered->pdata);
  self->models_fetched = fetched;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFERED_MODELS]);
  return TRUE;
}

static gboolean
restore_model_list (PeelService      *self,
                    PeelGeminiClient *client)
{
  g_autofree char *source = g_settings_get_string (self->settings, "model-list-source");
  g_auto(GStrv) ids = NULL;
  gint64 fetched = g_settings_get_int64 (self->settings, "model-list-fetched");
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (g_strcmp0 (source, client_source (client)) != 0 ||
      fetched <= 0 || fetched > now || now - fetched >= MODEL_LIST_MAX_AGE)
    return FALSE;
  ids = g_settings_get_strv (self->settings, "model-list");
  return set_offered (self, (const char * const *) ids, fetched);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PeelService) self = user_data;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  PeelGeminiClient *client = PEEL_GEMINI_CLIENT (object);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  ids = peel_gemini_client_list_models_finish (client, result, &error);
  if (ids == NULL)
    {
      /* Offline, or a proxy without a list: the pickers keep what they have (the catalogue
       * at first); a failed list never empties them. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("The service's model list could not be had: %s", error->message);
      return;
    }
  if (client != self->client)
    return;

  g_ptr_array_add (ids, NULL);
  if (!set_offered (self, (const char * const *) ids->pdata, now))
    return;
  g_settings_set_strv (self->settings, "model-list",
                       (const char * const *) self->offered_models);
  g_settings_set_string (self->settings, "model-list-source", client_source (client));
  g_settings_set_int64 (self->settings, "model-list-fetched", now);
}

static void
set_client (PeelService      *self,
            PeelGeminiClient *client,
            gboolean          demo,
            const char       *problem)
{
  if (client != NULL)
    peel_gemini_client_set_timeout (client, g_settings_get_uint (self->settings,
                                                                 "request-timeout"));
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

  /* Ask the service what it serves, in the background, whenever the provider or key changes;
   * at start-up a young list from the same service is used as it was. */
  if (client != NULL && (self->started || !restore_model_list (self, client)))
    peel_gemini_client_list_models_async (client, self->cancellable, listed_cb,
                                          g_object_ref (self));
  self->started = TRUE;
}

static void
use_demo (PeelService *self,
          const char  *problem)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelProvider) provider = NULL;
  g_autoptr(PeelGeminiClient) client = NULL;

  if (self->demo_server == NULL)
    {
      self->demo_server = peel_demo_server_new ();
      if (!peel_demo_server_start (self->demo_server, 0, &error))
        {
          g_autofree char *message =
            g_strdup_printf (_("The offline demo could not start: %s"), error->message);
          g_clear_object (&self->demo_server);
          set_client (self, NULL, TRUE, message);
          return;
        }
    }

  provider = peel_provider_new (_("Demo"), peel_demo_server_get_base_url (self->demo_server),
                                PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
  g_assert_no_error (error);
  peel_provider_set_issuer (provider, PEEL_DEMO_SERVER_ISSUER);
  client = peel_gemini_client_new (provider, DEMO_KEY);
  set_client (self, client, TRUE, problem);
}

/**
 * peel_service_provider_from_settings:
 *
 * The provider the settings describe. A custom URL that is not safe to send a key to is
 * refused with a reason the user can act on. Keys are stored under the provider's name, so
 * Preferences and the service must both build it here.
 */
PeelProvider *
peel_service_provider_from_settings (GSettings  *settings,
                                     GError    **error)
{
  g_autofree char *provider = g_settings_get_string (settings, "provider");

  if (g_strcmp0 (provider, "cometapi") == 0)
    return peel_provider_new_cometapi ();

  if (g_strcmp0 (provider, "custom") == 0)
    {
      g_autofree char *url = g_settings_get_string (settings, "custom-base-url");
      PeelAuthStyle style = g_settings_get_enum (settings, "header-style") == 1 ?
                            PEEL_AUTH_STYLE_BEARER : PEEL_AUTH_STYLE_GOOG_API_KEY;

      return peel_provider_new (NULL, url, style, error);
    }

  return peel_provider_new_google ();
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PeelService) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelProvider) provider = NULL;
  g_autoptr(PeelGeminiClient) client = NULL;
  g_autofree char *key = NULL;
  PeelCredentialSource source = PEEL_CREDENTIAL_SOURCE_NONE;

  key = peel_credentials_lookup_finish (result, &source, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if ((key == NULL || *key == '\0') && source == PEEL_CREDENTIAL_SOURCE_LOCKED)
    {
      use_demo (self, _("The login keyring is locked, so Peel cannot read your API key. Unlock "
                        "it in Preferences; until then Peel runs its offline demo."));
      return;
    }
  if (key == NULL || *key == '\0')
    {
      use_demo (self, _("No API key is set, so Peel runs its offline demo: images are drawn on "
                        "this computer. Add a key in Preferences to use Gemini."));
      return;
    }

  provider = peel_service_provider_from_settings (self->settings, &error);
  if (provider == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("The custom service cannot be used: %s Peel runs its offline demo "
                           "until this is fixed in Preferences."), error->message);
      use_demo (self, message);
      return;
    }

  client = peel_gemini_client_new (provider, key);
  set_client (self, client, FALSE, NULL);
}

/**
 * peel_service_reload:
 *
 * Looks the key up again and rebuilds the client, after the key or the provider changed.
 */
void
peel_service_reload (PeelService *self)
{
  g_autoptr(PeelProvider) provider = NULL;

  g_return_if_fail (PEEL_IS_SERVICE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->force_demo)
    {
      use_demo (self, _("Demo mode: images are drawn on this computer, nothing is sent to Google."));
      return;
    }

  /* The key is stored under the provider's name; a custom URL that cannot be built has none. */
  provider = peel_service_provider_from_settings (self->settings, NULL);
  peel_credentials_lookup_async (provider ? peel_provider_get_name (provider) : "Custom", TRUE,
                                 self->cancellable, lookup_cb, g_object_ref (self));
}

static void
peel_service_dispose (GObject *object)
{
  PeelService *self = PEEL_SERVICE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  if (self->demo_server != NULL)
    peel_demo_server_stop (self->demo_server);
  g_clear_object (&self->demo_server);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (peel_service_parent_class)->dispose (object);
}

static void
peel_service_finalize (GObject *object)
{
  PeelService *self = PEEL_SERVICE (object);

  g_free (self->problem);
  g_strfreev (self->offered_models);

  G_OBJECT_CLASS (peel_service_parent_class)->finalize (object);
}

static void
peel_service_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PeelService *self = PEEL_SERVICE (object);

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
    case PROP_OFFERED_MODELS:
      g_value_set_boxed (value, self->offered_models);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_service_class_init (PeelServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = peel_service_dispose;
  object_class->finalize = peel_service_finalize;
  object_class->get_property = peel_service_get_property;

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

  /**
   * PeelService:offered-models:
   *
   * The image models the service lists (ListModels), or %NULL until it has answered or when
   * it cannot: the pickers then offer the catalogue's.
   */
  properties[PROP_OFFERED_MODELS] =
    g_param_spec_boxed ("offered-models", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
peel_service_init (PeelService *self)
{
}

/* The next request takes the new limit; one under way keeps its own. */
static void
timeout_changed_cb (GSettings   *settings,
                    const char  *key,
                    PeelService *self)
{
  if (self->client != NULL)
    peel_gemini_client_set_timeout (self->client, g_settings_get_uint (settings, key));
}

PeelService *
peel_service_new (GSettings *settings,
                  gboolean   force_demo)
{
  PeelService *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (PEEL_TYPE_SERVICE, NULL);
  self->settings = g_object_ref (settings);
  self->force_demo = force_demo;
  g_signal_connect_object (settings, "changed::request-timeout",
                           G_CALLBACK (timeout_changed_cb), self, 0);
  peel_service_reload (self);
  return self;
}

PeelGeminiClient *
peel_service_get_client (PeelService *self)
{
  g_return_val_if_fail (PEEL_IS_SERVICE (self), NULL);
  return self->client;
}

gboolean
peel_service_get_demo (PeelService *self)
{
  g_return_val_if_fail (PEEL_IS_SERVICE (self), FALSE);
  return self->demo;
}

gboolean
peel_service_get_ready (PeelService *self)
{
  g_return_val_if_fail (PEEL_IS_SERVICE (self), FALSE);
  return self->ready;
}

/**
 * peel_service_get_problem:
 *
 * Returns: (nullable): why Peel runs the demo instead of the configured service, for a banner
 */
const char *
peel_service_get_problem (PeelService *self)
{
  g_return_val_if_fail (PEEL_IS_SERVICE (self), NULL);
  return self->problem;
}

/**
 * peel_service_get_demo_server:
 *
 * Returns: (transfer none) (nullable): the in-process demo server, for tests that make it
 *   misbehave; %NULL when Peel talks to a real service
 */
PeelDemoServer *
peel_service_get_demo_server (PeelService *self)
{
  g_return_val_if_fail (PEEL_IS_SERVICE (self), NULL);
  return self->demo_server;
}

/**
 * peel_service_get_models_fetched:
 *
 * Returns: when the service listed the models of #PeelService:offered-models, in seconds since
 *   1970, or 0 while it has not
 */
gint64
peel_service_get_models_fetched (PeelService *self)
{
  g_return_val_if_fail (PEEL_IS_SERVICE (self), 0);
  return self->models_fetched;
}
