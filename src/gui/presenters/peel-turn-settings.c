/* peel-turn-settings.c
 *
 * What the next turn asks for besides its prompt and images: the model, the ratio and size,
 * thinking, thoughts and search. One object holds them, typed once and always something the
 * model offers; the prompt bar and its pickers bind to it, GSettings keeps it from one start
 * to the next, and the window reads the next turn from it. No GTK here: the tests use it
 * without a display.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-picker-state.h"
#include "peel-turn-settings.h"
#include "peel-util.h"

struct _PeelTurnSettings
{
  GObject             parent_instance;

  char               *model;
  char               *aspect_ratio;
  PeelImageSize       image_size;
  PeelThinkingLevel   thinking_level;
  gboolean            show_thoughts;
  gboolean            search;
  gboolean            image_search;
  gboolean            editing;
  guint               variations;

  GSimpleActionGroup *actions;
};

enum {
  PROP_0,
  PROP_MODEL,
  PROP_ASPECT_RATIO,
  PROP_IMAGE_SIZE,
  PROP_THINKING_LEVEL,
  PROP_SHOW_THOUGHTS,
  PROP_SEARCH,
  PROP_IMAGE_SEARCH,
  PROP_EDITING,
  PROP_VARIATIONS,
  N_PROPS
};

/* The nicks are the values the GSettings keys "image-size" and "thinking-level" hold, so
 * g_settings_bind() maps them without help. */
G_DEFINE_ENUM_TYPE (PeelImageSize, peel_image_size,
                    G_DEFINE_ENUM_VALUE (PEEL_IMAGE_SIZE_512, "512"),
                    G_DEFINE_ENUM_VALUE (PEEL_IMAGE_SIZE_1K, "1K"),
                    G_DEFINE_ENUM_VALUE (PEEL_IMAGE_SIZE_2K, "2K"),
                    G_DEFINE_ENUM_VALUE (PEEL_IMAGE_SIZE_4K, "4K"))

G_DEFINE_ENUM_TYPE (PeelThinkingLevel, peel_thinking_level,
                    G_DEFINE_ENUM_VALUE (PEEL_THINKING_DEFAULT, "default"),
                    G_DEFINE_ENUM_VALUE (PEEL_THINKING_MINIMAL, "minimal"),
                    G_DEFINE_ENUM_VALUE (PEEL_THINKING_HIGH, "high"))

G_DEFINE_FINAL_TYPE (PeelTurnSettings, peel_turn_settings, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* The options menu's actions, named as the properties they show. */
static const char * const action_names[] = {
  "model", "thinking-level", "show-thoughts", "search", "image-search", "variations",
};

/* The counts Generate offers: a grid of each fills its rows. */
static const guint variation_counts[] = { 1, 2, 3, 4, 6, 8 };

static GVariant *
property_state (PeelTurnSettings *self,
                const char       *name)
{
  if (g_str_equal (name, "model"))
    return g_variant_new_string (self->model);
  if (g_str_equal (name, "thinking-level"))
    return g_variant_new_string (peel_thinking_level_to_string (self->thinking_level));
  if (g_str_equal (name, "show-thoughts"))
    return g_variant_new_boolean (self->show_thoughts);
  if (g_str_equal (name, "search"))
    return g_variant_new_boolean (self->search);
  if (g_str_equal (name, "variations"))
    return g_variant_new_uint32 (self->variations);
  return g_variant_new_boolean (self->image_search);
}

static gboolean
action_enabled (PeelTurnSettings *self,
                const char       *name)
{
  PeelModelFamily family = peel_model_family_for_id (self->model);

  if (g_str_equal (name, "thinking-level"))
    return peel_model_supports_thinking_level (family);
  if (g_str_equal (name, "show-thoughts"))
    return peel_view_show_thoughts_enabled (family);
  if (g_str_equal (name, "search"))
    return peel_model_supports_search (family);
  if (g_str_equal (name, "image-search"))
    return peel_model_supports_image_search (family);
  return TRUE;
}

static void
update_action (PeelTurnSettings *self,
               const char       *name)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

  if (action == NULL)
    return;
  g_simple_action_set_state (G_SIMPLE_ACTION (action), property_state (self, name));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), action_enabled (self, name));
}

static void
notify_cb (PeelTurnSettings *self,
           GParamSpec       *pspec)
{
  /* A new model changes which options it takes. */
  if (pspec == properties[PROP_MODEL])
    {
      for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
        update_action (self, action_names[i]);
    }
  else
    update_action (self, pspec->name);
}

/* A menu item was chosen: the property takes the value and the notification sets the state,
 * so a value the setter corrects shows corrected. */
static void
change_state_cb (GSimpleAction *action,
                 GVariant      *value,
                 gpointer       user_data)
{
  PeelTurnSettings *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  if (g_str_equal (name, "model"))
    peel_turn_settings_set_model (self, g_variant_get_string (value, NULL));
  else if (g_str_equal (name, "thinking-level"))
    {
      PeelThinkingLevel level;

      if (peel_thinking_level_from_string (g_variant_get_string (value, NULL), &level))
        peel_turn_settings_set_thinking_level (self, level);
    }
  else if (g_str_equal (name, "variations"))
    peel_turn_settings_set_variations (self, g_variant_get_uint32 (value));
  else
    g_object_set (self, name, g_variant_get_boolean (value), NULL);
}

static void
add_actions (PeelTurnSettings *self)
{
  self->actions = g_simple_action_group_new ();

  for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
    {
      g_autoptr(GVariant) state = g_variant_ref_sink (property_state (self, action_names[i]));
      const GVariantType *type = g_variant_get_type (state);
      gboolean boolean = g_variant_type_equal (type, G_VARIANT_TYPE_BOOLEAN);
      g_autoptr(GSimpleAction) action = NULL;

      /* A boolean has no parameter: activating it toggles. */
      action = g_simple_action_new_stateful (action_names[i], boolean ? NULL : type, state);
      g_signal_connect_object (action, "change-state", G_CALLBACK (change_state_cb), self, 0);
      g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (action));
      update_action (self, action_names[i]);
    }
  g_signal_connect (self, "notify", G_CALLBACK (notify_cb), NULL);
}

static gboolean
set_bool (gboolean *ptr,
          gboolean  value)
{
  value = !!value;
  if (*ptr == value)
    return FALSE;

  *ptr = value;
  return TRUE;
}

static void
peel_turn_settings_finalize (GObject *object)
{
  PeelTurnSettings *self = PEEL_TURN_SETTINGS (object);

  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->aspect_ratio, g_free);
  g_clear_object (&self->actions);

  G_OBJECT_CLASS (peel_turn_settings_parent_class)->finalize (object);
}

static void
peel_turn_settings_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PeelTurnSettings *self = PEEL_TURN_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_ASPECT_RATIO:
      g_value_set_string (value, self->aspect_ratio);
      break;
    case PROP_IMAGE_SIZE:
      g_value_set_enum (value, self->image_size);
      break;
    case PROP_THINKING_LEVEL:
      g_value_set_enum (value, self->thinking_level);
      break;
    case PROP_SHOW_THOUGHTS:
      g_value_set_boolean (value, self->show_thoughts);
      break;
    case PROP_SEARCH:
      g_value_set_boolean (value, self->search);
      break;
    case PROP_IMAGE_SEARCH:
      g_value_set_boolean (value, self->image_search);
      break;
    case PROP_EDITING:
      g_value_set_boolean (value, self->editing);
      break;
    case PROP_VARIATIONS:
      g_value_set_uint (value, self->variations);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_turn_settings_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PeelTurnSettings *self = PEEL_TURN_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      peel_turn_settings_set_model (self, g_value_get_string (value));
      break;
    case PROP_ASPECT_RATIO:
      peel_turn_settings_set_aspect_ratio (self, g_value_get_string (value));
      break;
    case PROP_IMAGE_SIZE:
      peel_turn_settings_set_image_size (self, g_value_get_enum (value));
      break;
    case PROP_THINKING_LEVEL:
      peel_turn_settings_set_thinking_level (self, g_value_get_enum (value));
      break;
    case PROP_SHOW_THOUGHTS:
      peel_turn_settings_set_show_thoughts (self, g_value_get_boolean (value));
      break;
    case PROP_SEARCH:
      peel_turn_settings_set_search (self, g_value_get_boolean (value));
      break;
    case PROP_IMAGE_SEARCH:
      peel_turn_settings_set_image_search (self, g_value_get_boolean (value));
      break;
    case PROP_EDITING:
      peel_turn_settings_set_editing (self, g_value_get_boolean (value));
      break;
    case PROP_VARIATIONS:
      peel_turn_settings_set_variations (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_turn_settings_class_init (PeelTurnSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  object_class->finalize = peel_turn_settings_finalize;
  object_class->get_property = peel_turn_settings_get_property;
  object_class->set_property = peel_turn_settings_set_property;

  /**
   * PeelTurnSettings:model:
   *
   * The model id. A new model moves the ratio and size to the nearest it makes.
   */
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, PEEL_DEFAULT_MODEL, rw);
  /**
   * PeelTurnSettings:aspect-ratio: (nullable)
   *
   * One of the ratios the model makes, or %NULL to keep the shape of the input image, which
   * only an edit can.
   */
  properties[PROP_ASPECT_RATIO] =
    g_param_spec_string ("aspect-ratio", NULL, NULL, "1:1", rw);
  properties[PROP_IMAGE_SIZE] =
    g_param_spec_enum ("image-size", NULL, NULL,
                       PEEL_TYPE_IMAGE_SIZE, PEEL_IMAGE_SIZE_1K, rw);
  /**
   * PeelTurnSettings:thinking-level:
   *
   * Minimal or high; sent only to models that take a level.
   */
  properties[PROP_THINKING_LEVEL] =
    g_param_spec_enum ("thinking-level", NULL, NULL,
                       PEEL_TYPE_THINKING_LEVEL, PEEL_THINKING_MINIMAL, rw);
  properties[PROP_SHOW_THOUGHTS] =
    g_param_spec_boolean ("show-thoughts", NULL, NULL, FALSE, rw);
  properties[PROP_SEARCH] =
    g_param_spec_boolean ("search", NULL, NULL, FALSE, rw);
  properties[PROP_IMAGE_SEARCH] =
    g_param_spec_boolean ("image-search", NULL, NULL, FALSE, rw);
  /**
   * PeelTurnSettings:editing:
   *
   * Whether the next turn continues from an image, which makes "match input" a ratio.
   */
  properties[PROP_EDITING] =
    g_param_spec_boolean ("editing", NULL, NULL, FALSE, rw);
  /**
   * PeelTurnSettings:variations:
   *
   * How many images one Generate makes, each a sibling of the same turn: 1, 2, 3, 4, 6 or 8.
   * Not saved: a start that sends eight paid requests for one click would surprise.
   */
  properties[PROP_VARIATIONS] =
    g_param_spec_uint ("variations", NULL, NULL, 1, 8, 1, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
peel_turn_settings_init (PeelTurnSettings *self)
{
  self->model = g_strdup (PEEL_DEFAULT_MODEL);
  self->aspect_ratio = g_strdup ("1:1");
  self->image_size = PEEL_IMAGE_SIZE_1K;
  self->thinking_level = PEEL_THINKING_MINIMAL;
  self->variations = 1;

  add_actions (self);
}

PeelTurnSettings *
peel_turn_settings_new (void)
{
  return g_object_new (PEEL_TYPE_TURN_SETTINGS, NULL);
}

/**
 * peel_turn_settings_bind:
 * @settings: the application's settings
 *
 * Starts from the settings saved last, and saves every change from now on (to the keys
 * "model", "aspect-ratio", "image-size", "thinking-level", "show-thoughts",
 * "search-grounding" and "image-search"). "Match input" is not saved: it needs an image,
 * which the next start may not have.
 */
void
peel_turn_settings_bind (PeelTurnSettings *self,
                         GSettings        *settings)
{
  g_return_if_fail (PEEL_IS_TURN_SETTINGS (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  /* The model first: it decides which ratio and size the others may take. */
  g_settings_bind (settings, "model", self, "model", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "aspect-ratio", self, "aspect-ratio", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "image-size", self, "image-size", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "thinking-level", self, "thinking-level",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "show-thoughts", self, "show-thoughts", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "search-grounding", self, "search", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "image-search", self, "image-search", G_SETTINGS_BIND_DEFAULT);
}

/**
 * peel_turn_settings_get_actions:
 *
 * Stateful actions for a menu of the options, named as their properties ("model",
 * "thinking-level", "show-thoughts", "search", "image-search", "variations"); those the
 * model does not take are disabled.
 *
 * Returns: (transfer none): the actions
 */
GActionGroup *
peel_turn_settings_get_actions (PeelTurnSettings *self)
{
  g_return_val_if_fail (PEEL_IS_TURN_SETTINGS (self), NULL);

  return G_ACTION_GROUP (self->actions);
}

const char *
peel_turn_settings_get_model (PeelTurnSettings *self)
{
  g_return_val_if_fail (PEEL_IS_TURN_SETTINGS (self), NULL);

  return self->model;
}

/**
 * peel_turn_settings_set_model:
 * @model: (nullable): a model id; %NULL or blank for the default model
 *
 * A model the catalogue does not know is taken with the catalogue's safe settings. The ratio
 * and size move to the nearest the model makes, rather than asking for what it refuses.
 */
void
peel_turn_settings_set_model (PeelTurnSettings *self,
                              const char       *model)
{
  g_return_if_fail (PEEL_IS_TURN_SETTINGS (self));

  if (model == NULL || *model == '\0')
    model = PEEL_DEFAULT_MODEL;
  if (!peel_set_str (&self->model, model))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  peel_turn_settings_set_aspect_ratio (self, self->aspect_ratio);
  peel_turn_settings_set_image_size (self, self->image_size);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
  g_object_thaw_notify (G_OBJECT (self));
}

PeelModelFamily
peel_turn_settings_get_family (PeelTurnSettings *self)
{
  g_return_val_if_fail (PEEL_IS_TURN_SETTINGS (self), PEEL_MODEL_FAMILY_OTHER);

  return peel_model_family_for_id (self->model);
}

const char *
peel_turn_settings_get_aspect_ratio (PeelTurnSettings *self)
{
  g_return_val_if_fail (PEEL_IS_TURN_SETTINGS (self), NULL);

  return self->aspect_ratio;
}

/**
 * peel_turn_settings_set_aspect_ratio:
 * @aspect_ratio: (nullable): one of the 14 ratios, or %NULL for "match input"
 *
 * A ratio the model does not make becomes the nearest in shape it does; "match input"
 * without an image to match becomes 1:1.
 */
void
peel_turn_settings_set_aspect_ratio (PeelTurnSettings *self,
                                     const char       *aspect_ratio)
{
  g_return_if_fail (PEEL_IS_TURN_SETTINGS (self));
  g_return_if_fail (aspect_ratio == NULL || peel_aspect_ratio_find (aspect_ratio) >= 0);

  if (aspect_ratio == NULL && !self->editing)
    aspect_ratio = "1:1";
  aspect_ratio = peel_view_closest_ratio (peel_turn_settings_get_family (self), aspect_ratio);
  if (peel_set_str (&self->aspect_ratio, aspect_ratio))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASPECT_RATIO]);
}

PeelImageSize
peel_turn_settings_get_image_size (PeelTurnSettings *self)
{
  g_return_val_if_fail (PEEL_IS_TURN_SETTINGS (self), PEEL_IMAGE_SIZE_1K);

  return self->image_size;
}

/**
 * peel_turn_settings_set_image_size:
 *
 * A size the model does not make becomes the nearest it does.
 */
void
peel_turn_settings_set_image_size (PeelTurnSettings *self,
                                   PeelImageSize     image_size)
{
  g_return_if_fail (PEEL_IS_TURN_SETTINGS (self));
  g_return_if_fail (image_size < PEEL_N_IMAGE_SIZES);

  image_size = peel_view_closest_size (peel_turn_settings_get_family (self), image_size);
  if (self->image_size != image_size)
    {
      self->image_size = image_size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE_SIZE]);
    }
}

PeelThinkingLevel
peel_turn_settings_get_thinking_level (PeelTurnSettings *self)
{
  g_return_val_if_fail (PEEL_IS_TURN_SETTINGS (self), PEEL_THINKING_MINIMAL);

  return self->thinking_level;
}

/**
 * peel_turn_settings_set_thinking_level:
 * @thinking_level: %PEEL_THINKING_MINIMAL or %PEEL_THINKING_HIGH
 *
 * Kept whatever the model; only models that take a level are sent it.
 */
void
peel_turn_settings_set_thinking_level (PeelTurnSettings  *self,
                                       PeelThinkingLevel  thinking_level)
{
  g_return_if_fail (PEEL_IS_TURN_SETTINGS (self));
  g_return_if_fail (thinking_level == PEEL_THINKING_MINIMAL ||
                    thinking_level == PEEL_THINKING_HIGH);

  if (self->thinking_level != thinking_level)
    {
      self->thinking_level = thinking_level;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THINKING_LEVEL]);
    }
}

gboolean
peel_turn_settings_get_show_thoughts (PeelTurnSettings *self)
{
  g_return_val_if_fail (PEEL_IS_TURN_SETTINGS (self), FALSE);

  return self->show_thoughts;
}

void
peel_turn_settings_set_show_thoughts (PeelTurnSettings *self,
                                      gboolean          show_thoughts)
{
  g_return_if_fail (PEEL_IS_TURN_SETTINGS (self));

  if (set_bool (&self->show_thoughts, show_thoughts))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_THOUGHTS]);
}

gboolean
peel_turn_settings_get_search (PeelTurnSettings *self)
{
  g_return_val_if_fail (PEEL_IS_TURN_SETTINGS (self), FALSE);

  return self->search;
}

void
peel_turn_settings_set_search (PeelTurnSettings *self,
                               gboolean          search)
{
  g_return_if_fail (PEEL_IS_TURN_SETTINGS (self));

  if (set_bool (&self->search, search))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
}

gboolean
peel_turn_settings_get_image_search (PeelTurnSettings *self)
{
  g_return_val_if_fail (PEEL_IS_TURN_SETTINGS (self), FALSE);

  return self->image_search;
}

void
peel_turn_settings_set_image_search (PeelTurnSettings *self,
                                     gboolean          image_search)
{
  g_return_if_fail (PEEL_IS_TURN_SETTINGS (self));

  if (set_bool (&self->image_search, image_search))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE_SEARCH]);
}

gboolean
peel_turn_settings_get_editing (PeelTurnSettings *self)
{
  g_return_val_if_fail (PEEL_IS_TURN_SETTINGS (self), FALSE);

  return self->editing;
}

/**
 * peel_turn_settings_set_editing:
 * @editing: whether the next turn continues from an image
 *
 * Without an image to match, "match input" would silently mean the model's default: the
 * ratio becomes 1:1.
 */
void
peel_turn_settings_set_editing (PeelTurnSettings *self,
                                gboolean          editing)
{
  g_return_if_fail (PEEL_IS_TURN_SETTINGS (self));

  if (!set_bool (&self->editing, editing))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (!self->editing && self->aspect_ratio == NULL)
    peel_turn_settings_set_aspect_ratio (self, "1:1");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITING]);
  g_object_thaw_notify (G_OBJECT (self));
}

guint
peel_turn_settings_get_variations (PeelTurnSettings *self)
{
  g_return_val_if_fail (PEEL_IS_TURN_SETTINGS (self), 1);

  return self->variations;
}

/**
 * peel_turn_settings_set_variations:
 * @variations: how many images one Generate makes
 *
 * A count Generate does not offer becomes the next larger one it does (5 becomes 6), and
 * anything past 8 becomes 8.
 */
void
peel_turn_settings_set_variations (PeelTurnSettings *self,
                                   guint             variations)
{
  guint count = variation_counts[G_N_ELEMENTS (variation_counts) - 1];

  g_return_if_fail (PEEL_IS_TURN_SETTINGS (self));

  for (guint i = 0; i < G_N_ELEMENTS (variation_counts); i++)
    {
      if (variation_counts[i] >= variations)
        {
          count = variation_counts[i];
          break;
        }
    }
  if (self->variations != count)
    {
      self->variations = count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VARIATIONS]);
    }
}

/**
 * peel_turn_settings_dup_spec:
 * @prompt: (nullable): what the user asks for
 * @references: (nullable) (element-type PeelPart): the prepared input images
 *
 * The next turn, whole: @prompt and @references with the settings as they are now.
 *
 * Returns: (transfer full): a spec that owns copies of all it holds
 */
PeelTurnSpec *
peel_turn_settings_dup_spec (PeelTurnSettings *self,
                             const char       *prompt,
                             GPtrArray        *references)
{
  PeelTurnSpec spec = { 0 };

  g_return_val_if_fail (PEEL_IS_TURN_SETTINGS (self), NULL);

  spec.prompt = prompt ? prompt : "";
  spec.references = references;
  spec.aspect_ratio = self->aspect_ratio;
  spec.size = self->image_size;
  spec.model = self->model;
  spec.options.thinking_level = self->thinking_level;
  spec.options.include_thoughts = self->show_thoughts;
  spec.options.search = self->search;
  spec.options.image_search = self->image_search;

  return peel_turn_spec_copy (&spec);
}
