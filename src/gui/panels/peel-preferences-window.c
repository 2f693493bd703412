/* peel-preferences-window.c
 *
 * Where requests go and with which key, and the defaults of new images. Every row is bound
 * to GSettings; the key lives in the login keyring and is only ever written there, through
 * the credentials' async calls, which give up after a timeout instead of hanging.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "peel-credentials.h"
#include "peel-gemini-client.h"
#include "peel-gemini-error.h"
#include "peel-model-catalog.h"
#include "peel-preferences-window.h"
#include "peel-service.h"
#include "peel-provider.h"

static const char * const provider_ids[] = { "google", "cometapi", "custom" };
static const char * const header_ids[] = { "x-goog-api-key", "bearer" };
static const char * const size_ids[] = { "512", "1K", "2K", "4K" };

/* Mappings between a string setting and the index of a combo row, over a table of ids;
 * an unknown id maps to @fallback_index. */
typedef struct
{
  const char * const *ids;
  guint               n_ids;
  guint               fallback_index;
} Choices;

struct _PeelPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  gboolean              use_keyring;
  char                 *stored_key;
  GCancellable         *cancellable;
  GCancellable         *test_cancellable;

  AdwComboRow          *provider_row;
  AdwEntryRow          *base_url_row;
  AdwComboRow          *header_row;
  AdwComboRow          *model_row;
  AdwEntryRow          *custom_model_row;
  GStrv                 model_ids;       /* what the model row offers, "Other" after them */
  Choices               model_choices;
  AdwPreferencesGroup  *key_group;
  AdwPasswordEntryRow  *key_row;
  GtkSpinner           *key_spinner;
  AdwActionRow         *key_status_row;
  GtkButton            *clear_button;
  GtkButton            *unlock_button;
  GtkButton            *test_button;
  AdwActionRow         *test_row;
  GtkStack             *test_icon_stack;
  GtkSpinner           *test_spinner;
  GtkImage             *test_icon;
  GtkSpinButton        *timeout_spin;
  GtkSpinButton        *concurrency_spin;
  AdwComboRow          *ratio_row;
  AdwComboRow          *size_row;
  GtkSwitch            *metadata_switch;
};

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_USE_KEYRING,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PeelPreferencesWindow, peel_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static GParamSpec *properties[N_PROPS];

static void refresh_key (PeelPreferencesWindow *self);

static void
clear_stored_key (PeelPreferencesWindow *self)
{
  if (self->stored_key != NULL)
    memset (self->stored_key, 0, strlen (self->stored_key));
  g_clear_pointer (&self->stored_key, g_free);
}

static void
toast (PeelPreferencesWindow *self,
       const char            *title)
{
  AdwToast *t = adw_toast_new (title);

  adw_toast_set_timeout (t, 5);
  peel_preferences_window_add_toast (self, t);
}

static const Choices provider_choices = { provider_ids, G_N_ELEMENTS (provider_ids), 0 };
static const Choices header_choices = { header_ids, G_N_ELEMENTS (header_ids), 0 };
static const Choices size_choices = { size_ids, G_N_ELEMENTS (size_ids), 1 };

static gboolean
id_to_index (GValue   *value,
             GVariant *variant,
             gpointer  user_data)
{
  const Choices *choices = user_data;
  const char *id = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < choices->n_ids; i++)
    if (g_strcmp0 (choices->ids[i], id) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  g_value_set_uint (value, choices->fallback_index);
  return TRUE;
}

static GVariant *
index_to_id (const GValue       *value,
             const GVariantType *expected_type,
             gpointer            user_data)
{
  const Choices *choices = user_data;
  guint index = g_value_get_uint (value);

  /* Past the table (the "Custom" model) the setting is written from its entry instead. */
  if (index >= choices->n_ids)
    return NULL;
  return g_variant_new_string (choices->ids[index]);
}

static gboolean
ratio_to_index (GValue   *value,
                GVariant *variant,
                gpointer  user_data)
{
  int index = peel_aspect_ratio_find (g_variant_get_string (variant, NULL));

  g_value_set_uint (value, index < 0 ? 0 : (guint) index);
  return TRUE;
}

static GVariant *
index_to_ratio (const GValue       *value,
                const GVariantType *expected_type,
                gpointer            user_data)
{
  guint index = g_value_get_uint (value);

  if (index >= PEEL_N_ASPECT_RATIOS)
    return NULL;
  return g_variant_new_string (peel_aspect_ratio_get_name (index));
}

static gboolean
provider_is_custom (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  g_value_set_boolean (value, g_strcmp0 (g_variant_get_string (variant, NULL), "custom") == 0);
  return TRUE;
}

static gboolean
model_is_custom (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  PeelPreferencesWindow *self = user_data;

  g_value_set_boolean (to, g_value_get_uint (from) == self->model_choices.n_ids);
  return TRUE;
}

static char *
dup_provider_name (PeelPreferencesWindow *self)
{
  g_autoptr(PeelProvider) provider = peel_service_provider_from_settings (self->settings, NULL);

  return g_strdup (provider ? peel_provider_get_name (provider) : "Custom");
}

static void
base_url_apply_cb (PeelPreferencesWindow *self)
{
  g_autoptr(PeelProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->base_url_row));

  provider = peel_provider_new (NULL, url, PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
  if (provider == NULL)
    {
      toast (self, error->message);
      return;
    }
  g_settings_set_string (self->settings, "custom-base-url", url);
  refresh_key (self);
}

static void
custom_model_apply_cb (PeelPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->custom_model_row));
  g_autofree char *id = g_strstrip (g_strdup (text));

  if (*id == '\0')
    return;
  g_settings_set_string (self->settings, "model", id);
}

static void
set_key_busy (PeelPreferencesWindow *self,
              gboolean               busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->key_spinner), busy);
  gtk_spinner_set_spinning (self->key_spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->key_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button), !busy);
}

static void
lookup_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PeelPreferencesWindow *self;
  PeelCredentialSource source = PEEL_CREDENTIAL_SOURCE_NONE;
  g_autoptr(GError) error = NULL;
  char *key = peel_credentials_lookup_finish (result, &source, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PEEL_PREFERENCES_WINDOW (user_data);
  clear_stored_key (self);
  self->stored_key = key;
  set_key_busy (self, FALSE);

  switch (source)
    {
    case PEEL_CREDENTIAL_SOURCE_LOCKED:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_status_row),
                                     _("The login keyring is locked"));
      adw_action_row_set_subtitle (self->key_status_row,
                                   _("Unlock it to use the key stored there: the system asks "
                                     "for the keyring’s password."));
      break;
    case PEEL_CREDENTIAL_SOURCE_KEYRING:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_status_row),
                                     _("A key is stored in the login keyring"));
      adw_action_row_set_subtitle (self->key_status_row, NULL);
      break;
    case PEEL_CREDENTIAL_SOURCE_ENVIRONMENT:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_status_row),
                                     _("The key comes from GEMINI_API_KEY"));
      adw_action_row_set_subtitle (self->key_status_row,
                                   _("A key stored here takes its place."));
      break;
    case PEEL_CREDENTIAL_SOURCE_NONE:
    default:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_status_row), _("No key set"));
      adw_action_row_set_subtitle (self->key_status_row,
                                   error ? error->message
                                         : _("Without a key Peel runs in demo mode: images "
                                             "are drawn on this computer."));
      break;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->clear_button),
                          source == PEEL_CREDENTIAL_SOURCE_KEYRING);
  gtk_widget_set_visible (GTK_WIDGET (self->unlock_button),
                          source == PEEL_CREDENTIAL_SOURCE_LOCKED);
}

/* Asks again, waiting long enough for the keyring's password prompt to be answered. */
static void
unlock_clicked_cb (PeelPreferencesWindow *self)
{
  g_autofree char *name = dup_provider_name (self);

  set_key_busy (self, TRUE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_status_row),
                                 _("Waiting for the keyring to be unlocked…"));
  peel_credentials_unlock_async (name, self->cancellable, lookup_ready_cb, self);
}

static void
refresh_key (PeelPreferencesWindow *self)
{
  g_autofree char *name = dup_provider_name (self);

  peel_credentials_lookup_async (name, self->use_keyring, self->cancellable, lookup_ready_cb,
                                 self);
}

static void
store_ready_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  PeelPreferencesWindow *self;
  g_autoptr(GError) error = NULL;
  gboolean ok = peel_credentials_store_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PEEL_PREFERENCES_WINDOW (user_data);
  set_key_busy (self, FALSE);
  if (!ok)
    {
      g_autofree char *message = g_strdup_printf (_("The key was not saved: %s"), error->message);

      toast (self, message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  toast (self, _("The key was saved in the login keyring."));
  refresh_key (self);
}

static void
key_apply_cb (PeelPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->key_row));
  g_autofree char *key = g_strstrip (g_strdup (text));
  g_autofree char *name = NULL;

  if (*key == '\0')
    return;
  name = dup_provider_name (self);
  set_key_busy (self, TRUE);
  peel_credentials_store_async (name, key, self->cancellable, store_ready_cb, self);
  memset (key, 0, strlen (key));
}

static void
clear_ready_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  PeelPreferencesWindow *self;
  g_autoptr(GError) error = NULL;
  gboolean ok = peel_credentials_clear_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PEEL_PREFERENCES_WINDOW (user_data);
  set_key_busy (self, FALSE);
  if (!ok)
    {
      g_autofree char *message = g_strdup_printf (_("The key was not removed: %s"),
                                                  error->message);

      toast (self, message);
    }
  refresh_key (self);
}

static void
clear_clicked_cb (PeelPreferencesWindow *self)
{
  g_autofree char *name = dup_provider_name (self);

  set_key_busy (self, TRUE);
  peel_credentials_clear_async (name, self->cancellable, clear_ready_cb, self);
}

static void
show_test_result (PeelPreferencesWindow *self,
                  const char            *icon,
                  const char            *title)
{
  gtk_spinner_set_spinning (self->test_spinner, FALSE);
  gtk_image_set_from_icon_name (self->test_icon, icon);
  gtk_stack_set_visible_child_name (self->test_icon_stack, "icon");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_row), title);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), TRUE);
}

static void
test_ready_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  PeelPreferencesWindow *self;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  ids = peel_gemini_client_list_models_finish (PEEL_GEMINI_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PEEL_PREFERENCES_WINDOW (user_data);
  if (ids != NULL)
    {
      g_autoptr(GPtrArray) offered = peel_model_filter_offered (ids);

      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "The key works: the service offers %u image model.",
                                              "The key works: the service offers %u image models.",
                                              offered->len), offered->len);
      show_test_result (self, "emblem-ok-symbolic", message);
      return;
    }
  /* A proxy without a model list: checking the key would mean paying for an image. */
  if (g_error_matches (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NOT_FOUND))
    {
      show_test_result (self, "dialog-information-symbolic",
                        _("This service does not list its models, so the key cannot be checked "
                          "for free. The first image you make will show whether it works."));
      return;
    }
  if (g_error_matches (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INVALID_KEY) ||
      g_error_matches (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_PERMISSION))
    message = g_strdup_printf (_("The key was refused: %s"), error->message);
  else
    message = g_strdup_printf (_("The key could not be tested: %s"), error->message);
  show_test_result (self, "dialog-warning-symbolic", message);
}

static void
test_clicked_cb (PeelPreferencesWindow *self)
{
  g_autoptr(PeelProvider) provider = NULL;
  g_autoptr(PeelGeminiClient) client = NULL;
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->key_row));
  g_autofree char *typed = g_strstrip (g_strdup (text));
  const char *key = *typed ? typed : self->stored_key;

  gtk_widget_set_visible (GTK_WIDGET (self->test_row), TRUE);
  if (key == NULL || *key == '\0')
    {
      show_test_result (self, "dialog-information-symbolic",
                        _("There is no key to test: type one above."));
      return;
    }
  if ((provider = peel_service_provider_from_settings (self->settings, &error)) == NULL)
    {
      show_test_result (self, "dialog-warning-symbolic", error->message);
      return;
    }

  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);
  self->test_cancellable = g_cancellable_new ();

  client = peel_gemini_client_new (provider, key);
  peel_gemini_client_set_max_attempts (client, 1);
  peel_gemini_client_set_timeout (client, 30);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), FALSE);
  gtk_stack_set_visible_child_name (self->test_icon_stack, "busy");
  gtk_spinner_set_spinning (self->test_spinner, TRUE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_row),
                                 _("Asking the service…"));
  /* The model list costs nothing; an image to test with would be billed. */
  peel_gemini_client_list_models_async (client, self->test_cancellable, test_ready_cb, self);
  memset (typed, 0, strlen (typed));
}

static void
setup_rows (PeelPreferencesWindow *self)
{
  g_autoptr(GtkStringList) models = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) ratios = gtk_string_list_new (NULL);
  g_autofree char *model = NULL;

  {
    g_autoptr(GPtrArray) offered = peel_model_dup_offered_ids ();
    g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

    for (guint i = 0; i < offered->len; i++)
      {
        const char *id = g_ptr_array_index (offered, i);
        g_autofree char *name = peel_model_dup_display_name (id);
        g_autofree char *label = g_strdup_printf ("%s (%s)", name, id);

        g_strv_builder_add (ids, id);
        gtk_string_list_append (models, label);
      }
    self->model_ids = g_strv_builder_end (ids);
    self->model_choices.ids = (const char * const *) self->model_ids;
    self->model_choices.n_ids = offered->len;
    self->model_choices.fallback_index = offered->len;
  }
  gtk_string_list_append (models, _("Other"));
  adw_combo_row_set_model (self->model_row, G_LIST_MODEL (models));

  for (guint i = 0; i < PEEL_N_ASPECT_RATIOS; i++)
    gtk_string_list_append (ratios, peel_aspect_ratio_get_name (i));
  adw_combo_row_set_model (self->ratio_row, G_LIST_MODEL (ratios));

  g_settings_bind_with_mapping (self->settings, "provider", self->provider_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, id_to_index, index_to_id,
                                (gpointer) &provider_choices, NULL);
  g_settings_bind_with_mapping (self->settings, "provider", self->base_url_row, "visible",
                                G_SETTINGS_BIND_GET, provider_is_custom, NULL, NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "provider", self->header_row, "visible",
                                G_SETTINGS_BIND_GET, provider_is_custom, NULL, NULL, NULL);
  g_settings_bind (self->settings, "custom-base-url", self->base_url_row, "text",
                   G_SETTINGS_BIND_GET);
  g_settings_bind_with_mapping (self->settings, "header-style", self->header_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, id_to_index, index_to_id,
                                (gpointer) &header_choices, NULL);
  g_settings_bind_with_mapping (self->settings, "model", self->model_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, id_to_index, index_to_id,
                                &self->model_choices, NULL);
  g_object_bind_property_full (self->model_row, "selected", self->custom_model_row, "visible",
                               G_BINDING_SYNC_CREATE, model_is_custom, NULL, self, NULL);
  model = g_settings_get_string (self->settings, "model");
  gtk_editable_set_text (GTK_EDITABLE (self->custom_model_row), model);

  g_settings_bind_with_mapping (self->settings, "aspect-ratio", self->ratio_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, ratio_to_index, index_to_ratio,
                                NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "image-size", self->size_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, id_to_index, index_to_id,
                                (gpointer) &size_choices, NULL);
  g_settings_bind (self->settings, "export-metadata", self->metadata_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "request-timeout", self->timeout_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "variations-at-once", self->concurrency_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_object (self->settings, "changed::provider", G_CALLBACK (refresh_key), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::header-style", G_CALLBACK (refresh_key),
                           self, G_CONNECT_SWAPPED);
}

static void
peel_preferences_window_constructed (GObject *object)
{
  PeelPreferencesWindow *self = (PeelPreferencesWindow *)object;

  G_OBJECT_CLASS (peel_preferences_window_parent_class)->constructed (object);

  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);
  setup_rows (self);
  refresh_key (self);
}

static void
peel_preferences_window_dispose (GObject *object)
{
  PeelPreferencesWindow *self = (PeelPreferencesWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->test_cancellable);
  clear_stored_key (self);
  /* The model row's mapping reads self->model_choices, freed with the window; the row can
   * outlive it, so the binding goes first. */
  if (self->model_row != NULL)
    g_settings_unbind (self->model_row, "selected");
  gtk_widget_dispose_template (GTK_WIDGET (self), PEEL_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (peel_preferences_window_parent_class)->dispose (object);
}

static void
peel_preferences_window_finalize (GObject *object)
{
  PeelPreferencesWindow *self = (PeelPreferencesWindow *)object;

  g_strfreev (self->model_ids);

  G_OBJECT_CLASS (peel_preferences_window_parent_class)->finalize (object);
}

static void
peel_preferences_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  PeelPreferencesWindow *self = PEEL_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_USE_KEYRING:
      g_value_set_boolean (value, self->use_keyring);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_preferences_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  PeelPreferencesWindow *self = PEEL_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_USE_KEYRING:
      self->use_keyring = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_preferences_window_class_init (PeelPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = peel_preferences_window_constructed;
  object_class->dispose = peel_preferences_window_dispose;
  object_class->finalize = peel_preferences_window_finalize;
  object_class->get_property = peel_preferences_window_get_property;
  object_class->set_property = peel_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USE_KEYRING] =
    g_param_spec_boolean ("use-keyring", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/peelapp/Peel/peel-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, provider_row);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, base_url_row);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, header_row);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, model_row);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, custom_model_row);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, key_group);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, key_row);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, concurrency_spin);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, key_spinner);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, key_status_row);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, clear_button);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, test_button);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, test_row);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, test_icon_stack);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, test_icon);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, ratio_row);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, size_row);
  gtk_widget_class_bind_template_child (widget_class, PeelPreferencesWindow, metadata_switch);
  gtk_widget_class_bind_template_callback (widget_class, base_url_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, custom_model_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, key_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, unlock_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
}

static void
peel_preferences_window_init (PeelPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * peel_preferences_window_new:
 * @settings: (nullable): the app's settings, %NULL for the default
 * @use_keyring: whether to look in the login keyring (tests say no)
 *
 * Returns: (transfer full): a new preferences window
 */
PeelPreferencesWindow *
peel_preferences_window_new (GSettings *settings,
                             gboolean   use_keyring)
{
  return g_object_new (PEEL_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       "use-keyring", use_keyring,
                       NULL);
}

GSettings *
peel_preferences_window_get_settings (PeelPreferencesWindow *self)
{
  g_return_val_if_fail (PEEL_IS_PREFERENCES_WINDOW (self), NULL);
  return self->settings;
}

/**
 * peel_preferences_window_add_toast:
 * @self: a preferences window
 * @toast: (transfer full): the toast
 *
 * Shows @toast over the window, for what a key operation reported.
 */
void
peel_preferences_window_add_toast (PeelPreferencesWindow *self,
                                   AdwToast              *toast)
{
  g_return_if_fail (PEEL_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}
