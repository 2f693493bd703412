/* peel-service.c
 *
 * The window's connection (peel-connection.c in the engine) as the settings describe it: the
 * provider and its address, the time limit, and the service's model list kept between starts.
 * The connection chooses between demo, key and provider; the window only ever sees a client.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-model-catalog.h"
#include "peel-service.h"

struct _PeelService
{
  GObject           parent_instance;

  GSettings        *settings;
  GCancellable     *cancellable;
  PeelConnection   *connection;
  GStrv             offered_models;  /* the image models the service lists, or NULL */
  gint64            models_fetched;  /* when they were listed, in seconds since 1970, or 0 */
  gboolean          started;         /* a client has been set once */
  gboolean          force_demo;
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
  if (client != peel_connection_get_client (self->connection))
    return;

  g_ptr_array_add (ids, NULL);
  if (!set_offered (self, (const char * const *) ids->pdata, now))
    return;
  g_settings_set_strv (self->settings, "model-list",
                       (const char * const *) self->offered_models);
  g_settings_set_string (self->settings, "model-list-source", client_source (client));
  g_settings_set_int64 (self->settings, "model-list-fetched", now);
}

/* The connection's client changed: it takes the time limit, and the service is asked what it
 * serves, in the background, whenever the provider or key changes; at start-up a young list
 * from the same service is used as it was. */
static void
client_changed (PeelService *self)
{
  PeelGeminiClient *client = peel_connection_get_client (self->connection);

  if (client != NULL)
    peel_gemini_client_set_timeout (client, g_settings_get_uint (self->settings,
                                                                 "request-timeout"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);

  if (client != NULL && (self->started || !restore_model_list (self, client)))
    peel_gemini_client_list_models_async (client, self->cancellable, listed_cb,
                                          g_object_ref (self));
  self->started = TRUE;
}

static void
connection_notify_cb (PeelConnection *connection,
                      GParamSpec     *pspec,
                      PeelService    *self)
{
  if (g_strcmp0 (pspec->name, "client") == 0)
    client_changed (self);
  else if (g_strcmp0 (pspec->name, "demo") == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
  else if (g_strcmp0 (pspec->name, "ready") == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
  else if (g_strcmp0 (pspec->name, "problem") == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
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

/**
 * peel_service_reload:
 *
 * Looks the key up again and rebuilds the client, after the key or the provider changed.
 */
void
peel_service_reload (PeelService *self)
{
  g_autoptr(PeelProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PEEL_IS_SERVICE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->force_demo)
    {
      peel_connection_open_demo (self->connection,
                                 _("Demo mode: images are drawn on this computer, nothing is "
                                   "sent to Google."), NULL);
      return;
    }

  provider = peel_service_provider_from_settings (self->settings, &error);
  peel_connection_open_async (self->connection, provider, error, PEEL_KEY_STORED_OR_DEMO,
                              self->cancellable, NULL, NULL);
}

static void
peel_service_dispose (GObject *object)
{
  PeelService *self = PEEL_SERVICE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_clear_object (&self->connection);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (peel_service_parent_class)->dispose (object);
}

static void
peel_service_finalize (GObject *object)
{
  PeelService *self = PEEL_SERVICE (object);

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
      g_value_set_object (value, peel_connection_get_client (self->connection));
      break;
    case PROP_DEMO:
      g_value_set_boolean (value, peel_connection_get_demo (self->connection));
      break;
    case PROP_READY:
      g_value_set_boolean (value, peel_connection_get_ready (self->connection));
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, peel_connection_get_problem (self->connection));
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
  PeelGeminiClient *client = peel_connection_get_client (self->connection);

  if (client != NULL)
    peel_gemini_client_set_timeout (client, g_settings_get_uint (settings, key));
}

/**
 * peel_service_new:
 * @settings: Peel's settings
 * @force_demo: run the offline demo whatever the settings say, as `--demo` does
 * @start_demo: (nullable): how this program starts the offline demo (the GUI library does not
 *   link the demo server: `peel`'s main() and the tests hand it in)
 */
PeelService *
peel_service_new (GSettings         *settings,
                  gboolean           force_demo,
                  PeelDemoStartFunc  start_demo)
{
  PeelService *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (PEEL_TYPE_SERVICE, NULL);
  self->settings = g_object_ref (settings);
  self->force_demo = force_demo;
  self->connection = peel_connection_new (start_demo, NULL, NULL);
  g_signal_connect (self->connection, "notify", G_CALLBACK (connection_notify_cb), self);
  g_signal_connect_object (settings, "changed::request-timeout",
                           G_CALLBACK (timeout_changed_cb), self, 0);
  peel_service_reload (self);
  return self;
}

PeelGeminiClient *
peel_service_get_client (PeelService *self)
{
  g_return_val_if_fail (PEEL_IS_SERVICE (self), NULL);
  return peel_connection_get_client (self->connection);
}

gboolean
peel_service_get_demo (PeelService *self)
{
  g_return_val_if_fail (PEEL_IS_SERVICE (self), FALSE);
  return peel_connection_get_demo (self->connection);
}

gboolean
peel_service_get_ready (PeelService *self)
{
  g_return_val_if_fail (PEEL_IS_SERVICE (self), FALSE);
  return peel_connection_get_ready (self->connection);
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
  return peel_connection_get_problem (self->connection);
}

/**
 * peel_service_get_demo_server:
 *
 * Returns: (transfer none) (nullable) (type GObject): the in-process demo server (a
 *   PeelDemoServer, which this library does not link), for tests that make it misbehave;
 *   %NULL when Peel talks to a real service
 */
gpointer
peel_service_get_demo_server (PeelService *self)
{
  g_return_val_if_fail (PEEL_IS_SERVICE (self), NULL);
  return peel_connection_get_demo_server (self->connection);
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
