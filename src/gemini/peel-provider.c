/* peel-provider.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <string.h>

#include "peel-gemini-error.h"
#include "peel-provider.h"

/* The limit Google documented for inline data for years; newer docs say 100 MB, but
 * proxies stay lower, so the conservative figure is the default. */
#define DEFAULT_MAX_REQUEST_BYTES (20 * 1000 * 1000)

struct _PeelProvider
{
  GObject        parent_instance;

  char          *name;
  char          *base_url;
  char          *issuer;
  PeelAuthStyle  auth_style;
  gsize          max_request_bytes;
  guint          loopback : 1;
};

G_DEFINE_FINAL_TYPE (PeelProvider, peel_provider, G_TYPE_OBJECT)

static void
peel_provider_finalize (GObject *object)
{
  PeelProvider *self = PEEL_PROVIDER (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->issuer, g_free);

  G_OBJECT_CLASS (peel_provider_parent_class)->finalize (object);
}

static void
peel_provider_class_init (PeelProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = peel_provider_finalize;
}

static void
peel_provider_init (PeelProvider *self)
{
  self->max_request_bytes = DEFAULT_MAX_REQUEST_BYTES;
  self->auth_style = PEEL_AUTH_STYLE_GOOG_API_KEY;
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * peel_provider_new:
 * @name: what the user calls it, shown in messages
 * @base_url: scheme, host and optional path prefix, e.g. `https://example.com/gemini/`
 * @auth_style: how the key travels
 * @error: set to %PEEL_GEMINI_ERROR_BAD_INPUT for an unusable URL, or
 *   %PEEL_GEMINI_ERROR_INSECURE for plain http:// to another machine
 *
 * Returns: (transfer full) (nullable): the provider
 */
PeelProvider *
peel_provider_new (const char     *name,
                   const char     *base_url,
                   PeelAuthStyle   auth_style,
                   GError        **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *lower_scheme = NULL;
  PeelProvider *self;
  const char *scheme;
  const char *host;
  gboolean loopback;

  g_return_val_if_fail (base_url != NULL, NULL);

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
                   _("“%s” is not a web address. Use one like https://example.com."), base_url);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  loopback = host_is_loopback (host);

  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
                   _("“%s” is not a web address. Use one that starts with https://."), base_url);
      return NULL;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !loopback)
    {
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INSECURE,
                   _("Plain http:// would send the API key to %s unencrypted. "
                     "Use https://, or http:// only to this machine (127.0.0.1 or localhost)."),
                   host);
      return NULL;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT,
                   _("The base address “%s” may not hold a query, a fragment or a password. "
                     "Give only the scheme, host and path."), base_url);
      return NULL;
    }

  /* Keep the path prefix (proxies mount the API under one) but not its trailing slashes,
   * so joining with "/v1beta/…" never doubles them. */
  path = g_strdup (g_uri_get_path (uri));
  while (*path != '\0' && path[strlen (path) - 1] == '/')
    path[strlen (path) - 1] = '\0';

  self = g_object_new (PEEL_TYPE_PROVIDER, NULL);
  self->name = g_strdup (name != NULL ? name : host);
  self->auth_style = auth_style;
  self->loopback = loopback;
  lower_scheme = g_ascii_strdown (scheme, -1);
  self->base_url = g_uri_join (G_URI_FLAGS_NONE, lower_scheme, NULL, host,
                               g_uri_get_port (uri), path, NULL, NULL);

  return self;
}

PeelProvider *
peel_provider_new_google (void)
{
  return peel_provider_new ("Google", PEEL_GOOGLE_BASE_URL, PEEL_AUTH_STYLE_GOOG_API_KEY, NULL);
}

PeelProvider *
peel_provider_new_cometapi (void)
{
  return peel_provider_new ("CometAPI", PEEL_COMETAPI_BASE_URL, PEEL_AUTH_STYLE_GOOG_API_KEY,
                            NULL);
}

const char *
peel_provider_get_name (PeelProvider *self)
{
  g_return_val_if_fail (PEEL_IS_PROVIDER (self), NULL);

  return self->name;
}

/**
 * peel_provider_get_base_url:
 *
 * Returns: the base address as normalised: lower-case scheme, no trailing slash
 */
const char *
peel_provider_get_base_url (PeelProvider *self)
{
  g_return_val_if_fail (PEEL_IS_PROVIDER (self), NULL);

  return self->base_url;
}

PeelAuthStyle
peel_provider_get_auth_style (PeelProvider *self)
{
  g_return_val_if_fail (PEEL_IS_PROVIDER (self), PEEL_AUTH_STYLE_GOOG_API_KEY);

  return self->auth_style;
}

gsize
peel_provider_get_max_request_bytes (PeelProvider *self)
{
  g_return_val_if_fail (PEEL_IS_PROVIDER (self), 0);

  return self->max_request_bytes;
}

void
peel_provider_set_max_request_bytes (PeelProvider *self,
                                     gsize         max_bytes)
{
  g_return_if_fail (PEEL_IS_PROVIDER (self));
  g_return_if_fail (max_bytes > 0);

  self->max_request_bytes = max_bytes;
}

/**
 * peel_provider_build_url:
 * @model: a model id such as PEEL_DEFAULT_MODEL; a leading `models/` is accepted
 * @stream: whether to ask for the server-sent-events stream
 *
 * Returns: (transfer full): the address to POST the request to. It never holds the key.
 */
char *
peel_provider_build_url (PeelProvider *self,
                         const char   *model,
                         gboolean      stream)
{
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (PEEL_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (model != NULL && *model != '\0', NULL);

  if (g_str_has_prefix (model, "models/"))
    model += strlen ("models/");

  escaped = g_uri_escape_string (model, NULL, FALSE);

  return g_strdup_printf ("%s/v1beta/models/%s:%s", self->base_url, escaped,
                          stream ? "streamGenerateContent?alt=sse" : "generateContent");
}

/**
 * peel_provider_set_issuer:
 * @issuer: (nullable): a stable name for the service behind this provider, for one that
 *   moves (the demo server's port changes on each start); %NULL for its base URL
 */
void
peel_provider_set_issuer (PeelProvider *self,
                          const char   *issuer)
{
  g_return_if_fail (PEEL_IS_PROVIDER (self));

  g_free (self->issuer);
  self->issuer = g_strdup (issuer);
}

/**
 * peel_provider_get_issuer:
 *
 * Returns: who issues this provider's thought signatures: the name set with
 *   peel_provider_set_issuer(), else the base URL. A turn's signatures go back only to the
 *   same issuer and model.
 */
const char *
peel_provider_get_issuer (PeelProvider *self)
{
  g_return_val_if_fail (PEEL_IS_PROVIDER (self), NULL);

  return self->issuer != NULL ? self->issuer : self->base_url;
}

/**
 * peel_provider_is_loopback:
 *
 * Returns: whether requests go to this machine (the demo server, a local proxy)
 */
gboolean
peel_provider_is_loopback (PeelProvider *self)
{
  g_return_val_if_fail (PEEL_IS_PROVIDER (self), FALSE);

  return self->loopback;
}
