/* test-labels.c
 *
 * Issue 11, item 7: prompts, model text, thoughts, source titles and error messages from files
 * and servers hold ESC sequences, BEL, C1 controls and BiDi overrides. The window's labels
 * (history rows and their tooltips, the details panel, the pills on the canvas) show the text
 * without them.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "peel-canvas-private.h"
#include "peel-details-panel.h"
#include "peel-history-row.h"
#include "peel-history-view.h"
#include "peel-resources.h"
#include "peel-text.h"
#include "window-test-util.h"

#define HOSTILE "\033]0;pwned\007 \033[2J\342\200\256gnp.exe\302\233"

static GBytes *
make_png (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 36);
  char *buffer = NULL;
  gsize len = 0;

  gdk_pixbuf_fill (pixbuf, 0x336699ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", NULL, NULL));
  return g_bytes_new_take (buffer, len);
}

static void
iterate (void)
{
  for (int i = 0; i < 20; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

static void
collect (GtkWidget *widget,
         GPtrArray *out)
{
  g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, out);
}

/* Every label and tooltip under @widget is clean; returns their text, one per line. */
static char *
assert_clean (GtkWidget *widget)
{
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();
  GString *all = g_string_new (NULL);

  collect (widget, widgets);
  for (guint i = 0; i < widgets->len; i++)
    {
      GtkWidget *w = widgets->pdata[i];
      const char *tooltip = gtk_widget_get_tooltip_text (w);

      if (GTK_IS_LABEL (w))
        {
          const char *text = gtk_label_get_text (GTK_LABEL (w));

          if (!peel_text_is_clean (text, -1))
            g_error ("label “%s” holds a control character", text);
          g_string_append_printf (all, "%s\n", text);
        }
      if (tooltip != NULL && !peel_text_is_clean (tooltip, -1))
        g_error ("tooltip “%s” holds a control character", tooltip);
    }
  return g_string_free (all, FALSE);
}

typedef struct
{
  PeelSession *session;
  PeelNode    *done;
  PeelNode    *failed;
  GtkWidget   *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GBytes) png = make_png ();
  g_autoptr(GError) error = NULL;
  PeelTurnResult result = { 18, 1126, 310, -1, "STOP", NULL, NULL, NULL };

  f->session = peel_session_new ("labels");
  g_ptr_array_add (parts, peel_part_new_text ("**Thinking** " HOSTILE, TRUE));
  g_ptr_array_add (parts, peel_part_new_text ("Here is " HOSTILE, FALSE));
  g_ptr_array_add (parts, peel_part_new_image ("image/png", png, FALSE));
  f->done = peel_session_begin_turn (f->session, NULL,
                                     &(PeelTurnSpec) { .prompt = "a fox " HOSTILE,
                                                       .aspect_ratio = "16:9",
                                                       .size = PEEL_IMAGE_SIZE_1K },
                                     &error);
  g_assert_no_error (error);
  g_assert_true (peel_session_complete_turn (f->session, f->done, parts, &result, &error));
  g_assert_no_error (error);

  f->failed = peel_session_begin_turn (f->session, NULL,
                                       &(PeelTurnSpec) { .prompt = "a kite " HOSTILE,
                                                         .aspect_ratio = "1:1",
                                                         .size = PEEL_IMAGE_SIZE_1K },
                                       &error);
  g_assert_no_error (error);
  g_assert_true (peel_session_fail_turn (f->session, f->failed, "INVALID_ARGUMENT",
                                         "The server said: " HOSTILE, &error));
  g_assert_no_error (error);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 480, 640);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->session);
}

static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *view = peel_history_view_new ();
  g_autofree char *text = NULL;

  g_object_ref_sink (view);
  peel_history_view_set_session (PEEL_HISTORY_VIEW (view), f->session);
  gtk_window_set_child (GTK_WINDOW (f->window), view);
  gtk_window_present (GTK_WINDOW (f->window));
  iterate ();

  text = assert_clean (view);
  g_assert_nonnull (strstr (text, "a fox ]0;pwned [2Jgnp.exe"));
  g_assert_nonnull (strstr (text, "The server said: ]0;pwned [2Jgnp.exe"));

  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  g_assert_finalize_object (view);
}

static void
test_details (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *panel = peel_details_panel_new ();
  g_autofree char *done_text = NULL;
  g_autofree char *failed_text = NULL;

  g_object_ref_sink (panel);
  peel_details_panel_set_session (PEEL_DETAILS_PANEL (panel), f->session);
  peel_details_panel_set_node (PEEL_DETAILS_PANEL (panel), f->done);
  gtk_window_set_child (GTK_WINDOW (f->window), panel);
  gtk_window_present (GTK_WINDOW (f->window));
  iterate ();
  done_text = assert_clean (panel);
  g_assert_nonnull (strstr (done_text, "Here is ]0;pwned [2Jgnp.exe"));

  peel_details_panel_set_node (PEEL_DETAILS_PANEL (panel), f->failed);
  iterate ();
  failed_text = assert_clean (panel);
  g_assert_nonnull (strstr (failed_text, "The server said: ]0;pwned [2Jgnp.exe"));

  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  g_assert_finalize_object (panel);
}

/* The pills drawn on the image in compare mode and what assistive technologies read. */
static void
test_canvas (void)
{
  GtkWidget *canvas = g_object_ref_sink (peel_canvas_new ());
  PeelCanvas *self = PEEL_CANVAS (canvas);

  peel_canvas_set_description (self, "a fox " HOSTILE);
  peel_canvas_set_compare_labels (self, "This", "a kite " HOSTILE);
  g_assert_cmpstr (peel_canvas_get_description (self), ==, "a fox ]0;pwned [2Jgnp.exe");
  g_assert_cmpstr (self->label_b, ==, "a kite ]0;pwned [2Jgnp.exe");
  g_assert_finalize_object (canvas);
}

int
main (int   argc,
      char *argv[])
{
  window_test_init (&argc, &argv);
  adw_init ();
  peel_register_resource ();

  g_test_add ("/Peel/Labels/history", Fixture, NULL, fixture_set_up, test_history,
              fixture_tear_down);
  g_test_add ("/Peel/Labels/details", Fixture, NULL, fixture_set_up, test_details,
              fixture_tear_down);

  g_test_add_func ("/Peel/Labels/canvas", test_canvas);

  return g_test_run ();
}
