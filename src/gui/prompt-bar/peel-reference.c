/* peel-reference.c
 *
 * One reference image in the prompt bar: the image as it will be sent, a small
 * texture to show it by, and the name the user knows it by.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "peel-reference.h"

struct _PeelReference
{
  GObject     parent_instance;

  PeelPart   *part;
  GdkTexture *thumbnail;
  char       *name;
};

enum {
  PROP_0,
  PROP_PART,
  PROP_THUMBNAIL,
  PROP_NAME,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PeelReference, peel_reference, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
peel_reference_finalize (GObject *object)
{
  PeelReference *self = (PeelReference *) object;

  g_clear_pointer (&self->part, peel_part_free);
  g_clear_object (&self->thumbnail);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (peel_reference_parent_class)->finalize (object);
}

static void
peel_reference_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PeelReference *self = PEEL_REFERENCE (object);

  switch (prop_id)
    {
    case PROP_PART:
      g_value_set_boxed (value, self->part);
      break;
    case PROP_THUMBNAIL:
      g_value_set_object (value, self->thumbnail);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_reference_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PeelReference *self = PEEL_REFERENCE (object);

  switch (prop_id)
    {
    case PROP_PART:
      self->part = g_value_dup_boxed (value);
      break;
    case PROP_THUMBNAIL:
      peel_reference_set_thumbnail (self, g_value_get_object (value));
      break;
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_reference_class_init (PeelReferenceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = peel_reference_finalize;
  object_class->get_property = peel_reference_get_property;
  object_class->set_property = peel_reference_set_property;

  properties[PROP_PART] =
    g_param_spec_boxed ("part", NULL, NULL,
                        PEEL_TYPE_PART,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_THUMBNAIL] =
    g_param_spec_object ("thumbnail", NULL, NULL,
                         GDK_TYPE_TEXTURE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
peel_reference_init (PeelReference *self)
{
}

/**
 * peel_reference_new:
 * @part: an image part; it is copied
 * @thumbnail: (nullable): a small texture showing it, or %NULL until one is made
 * @name: (nullable): what to call it, such as its file name
 */
PeelReference *
peel_reference_new (const PeelPart *part,
                    GdkTexture     *thumbnail,
                    const char     *name)
{
  g_return_val_if_fail (part != NULL, NULL);
  g_return_val_if_fail (thumbnail == NULL || GDK_IS_TEXTURE (thumbnail), NULL);

  return g_object_new (PEEL_TYPE_REFERENCE,
                       "part", part,
                       "thumbnail", thumbnail,
                       "name", name,
                       NULL);
}

const PeelPart *
peel_reference_get_part (PeelReference *self)
{
  g_return_val_if_fail (PEEL_IS_REFERENCE (self), NULL);

  return self->part;
}

GdkTexture *
peel_reference_get_thumbnail (PeelReference *self)
{
  g_return_val_if_fail (PEEL_IS_REFERENCE (self), NULL);

  return self->thumbnail;
}

void
peel_reference_set_thumbnail (PeelReference *self,
                              GdkTexture    *thumbnail)
{
  g_return_if_fail (PEEL_IS_REFERENCE (self));
  g_return_if_fail (thumbnail == NULL || GDK_IS_TEXTURE (thumbnail));

  if (g_set_object (&self->thumbnail, thumbnail))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAIL]);
}

const char *
peel_reference_get_name (PeelReference *self)
{
  g_return_val_if_fail (PEEL_IS_REFERENCE (self), NULL);

  return self->name;
}

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  int size = GPOINTER_TO_INT (user_data);
  double scale;

  /* The thumbnail is cropped to a square, so its short side is what must fill it. */
  scale = (double) size / MIN (width, height);
  if (scale < 1)
    gdk_pixbuf_loader_set_size (loader, MAX (1, width * scale), MAX (1, height * scale));
}

/* The middle square of the upright image: thumbnails are shown as squares. */
static GdkPixbuf *
crop_square (GdkPixbuf *pixbuf)
{
  g_autoptr(GdkPixbuf) upright = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  g_autoptr(GdkPixbuf) square = NULL;
  int width = gdk_pixbuf_get_width (upright);
  int height = gdk_pixbuf_get_height (upright);
  int side = MIN (width, height);

  square = gdk_pixbuf_new_subpixbuf (upright, (width - side) / 2, (height - side) / 2, side, side);

  return gdk_pixbuf_copy (square);
}

static void
load_thumbnail_worker (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  PeelReference *self = source_object;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), task_data);

  if (!gdk_pixbuf_loader_write_bytes (loader, self->part->data, &error) ||
      !gdk_pixbuf_loader_close (loader, &error))
    {
      gdk_pixbuf_loader_close (loader, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "The image could not be read");
      return;
    }

  g_task_return_pointer (task, crop_square (pixbuf), g_object_unref);
}

static void
load_thumbnail_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PeelReference *self = PEEL_REFERENCE (object);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  pixbuf = g_task_propagate_pointer (G_TASK (result), &error);
  if (pixbuf == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No thumbnail for reference %s: %s", self->name, error->message);
      return;
    }

  pixels = gdk_pixbuf_read_pixel_bytes (pixbuf);
  texture = gdk_memory_texture_new (gdk_pixbuf_get_width (pixbuf),
                                    gdk_pixbuf_get_height (pixbuf),
                                    gdk_pixbuf_get_has_alpha (pixbuf) ? GDK_MEMORY_R8G8B8A8
                                                                      : GDK_MEMORY_R8G8B8,
                                    pixels,
                                    gdk_pixbuf_get_rowstride (pixbuf));
  peel_reference_set_thumbnail (self, texture);
}

/**
 * peel_reference_load_thumbnail:
 * @size: the side of the square the thumbnail must cover, in pixels
 *
 * Decodes the image off the main thread into a square texture of @size pixels
 * (or the short side of the image, if smaller), cut from its middle, and sets
 * it as the thumbnail.
 */
void
peel_reference_load_thumbnail (PeelReference *self,
                               int            size,
                               GCancellable  *cancellable)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PEEL_IS_REFERENCE (self));
  g_return_if_fail (size > 0);

  if (self->part->data == NULL)
    return;

  task = g_task_new (self, cancellable, load_thumbnail_cb, NULL);
  g_task_set_source_tag (task, peel_reference_load_thumbnail);
  g_task_set_task_data (task, GINT_TO_POINTER (size), NULL);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, load_thumbnail_worker);
}
