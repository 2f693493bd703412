/* test-window.c
 *
 * The real window against the in-process demo server: generate, edit, branch, compare, export,
 * a failed request, cancel, files dropped on the canvas, and the window at 360 px.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "peel-application.h"
#include "peel-demo-server.h"
#include "peel-export.h"
#include "peel-prompt-bar-private.h"
#include "peel-resources.h"
#include "peel-service.h"
#include "peel-window-private.h"
#include "window-test-util.h"

#define GENERATION_TIMEOUT_MS 60000

/* One application for the whole run, as in a real session: the service and its demo server
 * live as long as the application, windows come and go. */
static PeelApplication *app;

typedef struct
{
  PeelWindow     *window;
  PeelDemoServer *demo;
  char           *tmpdir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  PeelService *service;

  /* No last session: the window starts a fresh one (in the test's own folders, see
   * window_test_init()). */
  g_settings_reset (settings, "last-session");
  g_settings_reset (settings, "aspect-ratio");
  g_settings_reset (settings, "image-size");
  g_settings_set (settings, "window-size", "(ii)", 1100, 700);

  f->tmpdir = g_dir_make_tmp ("peel-test-window-XXXXXX", &error);
  g_assert_no_error (error);

  f->window = peel_window_new (GTK_APPLICATION (app), peel_application_get_service (app));
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (GTK_WINDOW (f->window));

  service = peel_application_get_service (app);
  g_assert_true (peel_service_get_ready (service));
  g_assert_true (peel_service_get_demo (service));
  f->demo = peel_service_get_demo_server (service);
  g_assert_nonnull (f->demo);
  g_assert_nonnull (peel_window_get_session (f->window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->window->canvas_stack), ==, "empty");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) dir = g_file_new_for_path (f->tmpdir);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;
  GFile *child;

  close_window (&f->window);

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NONE, NULL, NULL);
  while (children != NULL &&
         g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
    g_file_delete (child, NULL, NULL);
  g_file_delete (dir, NULL, NULL);
  g_free (f->tmpdir);
}

/* Generates @prompt from the current image and returns the node it made, done. */
static PeelNode *
generate (Fixture    *f,
          const char *prompt)
{
  PeelPromptBar *bar = peel_window_get_prompt_bar (f->window);
  PeelSession *session = peel_window_get_session (f->window);
  PeelNode *node;

  peel_prompt_bar_set_prompt (bar, prompt);
  g_assert_true (peel_prompt_bar_get_can_generate (bar));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.generate", NULL));
  g_assert_true (peel_window_get_busy (f->window));
  g_assert_true (peel_prompt_bar_get_busy (bar));
  g_assert_true (wait_until (window_idle, f->window, GENERATION_TIMEOUT_MS));

  node = peel_session_get_current (session);
  g_assert_nonnull (node);
  g_assert_cmpstr (peel_node_get_prompt (node), ==, prompt);
  if (peel_node_get_status (node) == PEEL_NODE_FAILED)
    g_error ("generation failed: %s", peel_node_get_error_message (node));
  g_assert_cmpint (peel_node_get_status (node), ==, PEEL_NODE_DONE);

  /* The prompt bar is cleared for the next turn. */
  g_assert_cmpstr (peel_prompt_bar_get_prompt (bar), ==, "");
  g_assert_false (peel_prompt_bar_get_busy (bar));
  return node;
}

typedef struct
{
  PeelCanvas *canvas;
  GdkTexture *not_this;
  int         width;
  int         height;
} TextureWait;

static gboolean
canvas_shows (gpointer data)
{
  TextureWait *w = data;
  GdkTexture *texture = peel_canvas_get_texture (w->canvas);

  return texture != NULL && texture != w->not_this &&
         gdk_texture_get_width (texture) == w->width &&
         gdk_texture_get_height (texture) == w->height &&
         !peel_canvas_get_dimmed (w->canvas);
}

/* Waits for the canvas to show a new (not @previous) texture of @width × @height. */
static GdkTexture *
wait_for_texture (Fixture    *f,
                  GdkTexture *previous,
                  int         width,
                  int         height)
{
  TextureWait w = { peel_window_get_canvas (f->window), previous, width, height };

  if (!wait_until (canvas_shows, &w, 20000))
    {
      GdkTexture *texture = peel_canvas_get_texture (w.canvas);

      g_error ("the canvas shows %s %d×%d, not a new %d×%d image",
               texture == previous ? "the old texture" : "a texture",
               texture ? gdk_texture_get_width (texture) : 0,
               texture ? gdk_texture_get_height (texture) : 0, width, height);
    }
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->window->canvas_stack), ==, "canvas");
  return peel_canvas_get_texture (w.canvas);
}

static gboolean
has_compare_texture (gpointer data)
{
  return peel_canvas_get_compare_texture (PEEL_CANVAS (data)) != NULL;
}

static void
test_generate_edit_branch (Fixture       *f,
                           gconstpointer  data)
{
  PeelPromptBar *bar = peel_window_get_prompt_bar (f->window);
  PeelTurnSettings *turn = peel_prompt_bar_get_settings (bar);
  PeelCanvas *canvas = peel_window_get_canvas (f->window);
  PeelSession *session = peel_window_get_session (f->window);
  PeelNode *first, *edit, *branch;
  GdkTexture *texture, *compare;
  g_autofree char *path = g_build_filename (f->tmpdir, "export.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) metadata = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GdkTexture) exported = NULL;
  g_autoptr(GFile) file = NULL;
  JsonArray *lineage;
  char *contents;
  gsize length;

  /* An empty prompt cannot be sent. */
  g_assert_false (peel_prompt_bar_get_can_generate (bar));

  peel_turn_settings_set_aspect_ratio (turn, "21:9");
  peel_turn_settings_set_image_size (turn, PEEL_IMAGE_SIZE_2K);
  first = generate (f, "a lighthouse at dusk");
  g_assert_null (peel_node_get_parent (first));
  g_assert_cmpstr (peel_node_get_aspect_ratio (first), ==, "21:9");
  g_assert_cmpint (peel_node_get_size (first), ==, PEEL_IMAGE_SIZE_2K);
  texture = wait_for_texture (f, NULL, 3168, 1344);
  g_assert_cmpint (peel_node_get_final_width (first), ==, 3168);
  g_assert_cmpint (peel_node_get_final_height (first), ==, 1344);
  /* The prompt bar remembers the ratio and size for the next turn. */
  g_assert_cmpstr (peel_turn_settings_get_aspect_ratio (turn), ==, "21:9");
  g_assert_cmpint (peel_turn_settings_get_image_size (turn), ==, PEEL_IMAGE_SIZE_2K);
  /* Once the first image is there, the next turn can keep its shape: "Match Input". */
  g_assert_true (peel_ratio_picker_get_editing (bar->ratio_picker));

  /* An edit continues from the image on screen. */
  edit = generate (f, "make the sky stormy");
  g_assert_true (peel_node_get_parent (edit) == first);
  texture = wait_for_texture (f, texture, 3168, 1344);
  g_assert_cmpuint (g_list_model_get_n_items (peel_node_get_children (first)), ==, 1);

  /* Back to the first image, and a second branch from it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.go-to", "s",
                                             peel_node_get_id (first)));
  g_assert_true (peel_session_get_current (session) == first);
  texture = wait_for_texture (f, texture, 3168, 1344);
  branch = generate (f, "sunny, pastel colours");
  g_assert_true (peel_node_get_parent (branch) == first);
  g_assert_cmpuint (g_list_model_get_n_items (peel_node_get_children (first)), ==, 2);
  g_assert_cmpuint (peel_session_get_n_nodes (session), ==, 3);
  texture = wait_for_texture (f, texture, 3168, 1344);

  /* Compare: the branch against the image it came from. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.compare-mode", "s",
                                             "split"));
  g_assert_cmpint (peel_canvas_get_compare_mode (canvas), ==, PEEL_CANVAS_COMPARE_SPLIT);
  g_assert_true (wait_until (has_compare_texture, canvas, 20000));
  compare = peel_canvas_get_compare_texture (canvas);
  g_assert_true (compare != texture);
  g_assert_cmpint (gdk_texture_get_width (compare), ==, 3168);
  g_assert_cmpint (gdk_texture_get_height (compare), ==, 1344);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.compare-mode", "s",
                                             "none"));
  g_assert_cmpint (peel_canvas_get_compare_mode (canvas), ==, PEEL_CANVAS_COMPARE_NONE);

  /* Export of the current image: the window's own action opens a file chooser, so write
   * what it writes with the same core call, and read the metadata back. */
  g_assert_true (peel_export_node_to_file (peel_session_get_current (session), path,
                                           PEEL_EXPORT_DEFAULT, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  png = g_bytes_new_take (contents, length);
  metadata = peel_export_read_metadata (png, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (metadata, "prompt"), ==, "sunny, pastel colours");
  g_assert_cmpstr (g_hash_table_lookup (metadata, "peel:aspect-ratio"), ==, "21:9");
  g_assert_cmpstr (g_hash_table_lookup (metadata, "peel:size"), ==, "2K");
  g_assert_true (json_parser_load_from_data (parser, g_hash_table_lookup (metadata,
                                                                          "peel:lineage"),
                                             -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  lineage = json_node_get_array (json_parser_get_root (parser));
  /* root → branch: the first prompt, then this one; the stormy edit is another branch. */
  g_assert_cmpuint (json_array_get_length (lineage), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (lineage, 0),
                                                  "prompt"), ==, "a lighthouse at dusk");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (lineage, 1),
                                                  "prompt"), ==, "sunny, pastel colours");
  file = g_file_new_for_path (path);
  exported = gdk_texture_new_from_file (file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (exported), ==, 3168);
  g_assert_cmpint (gdk_texture_get_height (exported), ==, 1344);
  g_unlink (path);
}

static void
test_failed_request (Fixture       *f,
                     gconstpointer  data)
{
  PeelPromptBar *bar = peel_window_get_prompt_bar (f->window);
  PeelTurnSettings *turn = peel_prompt_bar_get_settings (bar);
  PeelSession *session = peel_window_get_session (f->window);
  const char *prompt = "a lighthouse that the demo server refuses";
  PeelNode *node;

  peel_turn_settings_set_aspect_ratio (turn, "1:1");
  peel_turn_settings_set_image_size (turn, PEEL_IMAGE_SIZE_512);
  peel_demo_server_push_fault (f->demo, PEEL_DEMO_FAULT_BLOCKED_PROMPT);
  peel_prompt_bar_set_prompt (bar, prompt);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.generate", NULL));
  g_assert_true (wait_until (window_idle, f->window, GENERATION_TIMEOUT_MS));

  /* Nothing the user wrote is lost: the prompt is still there, ready to try again. */
  g_assert_cmpstr (peel_prompt_bar_get_prompt (bar), ==, prompt);
  g_assert_true (peel_prompt_bar_get_can_generate (bar));
  g_assert_false (peel_prompt_bar_get_busy (bar));

  /* The attempt is in the history, failed, with its reason on screen. */
  node = peel_session_get_current (session);
  g_assert_nonnull (node);
  g_assert_cmpstr (peel_node_get_prompt (node), ==, prompt);
  g_assert_cmpint (peel_node_get_status (node), ==, PEEL_NODE_FAILED);
  g_assert_cmpstr (peel_node_get_error_code (node), ==, "blocked");
  g_assert_nonnull (peel_node_get_error_message (node));
  g_assert_cmpstr (peel_node_get_error_message (node), !=, "");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->window->canvas_stack), ==, "failed");
  g_assert_cmpstr (adw_status_page_get_description (f->window->failed_page), ==,
                   peel_node_get_error_message (node));

  /* Trying again works and makes a sibling, not a child, of the failed attempt. */
  node = generate (f, prompt);
  g_assert_null (peel_node_get_parent (node));
  g_assert_cmpuint (g_list_model_get_n_items (peel_session_get_roots (session)), ==, 2);
  wait_for_texture (f, NULL, 512, 512);
}

typedef struct
{
  PeelDemoServer *demo;
  guint           count;
} RequestWait;

static gboolean
request_arrived (gpointer data)
{
  RequestWait *w = data;

  return peel_demo_server_get_request_count (w->demo) > w->count;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  PeelPromptBar *bar = peel_window_get_prompt_bar (f->window);
  PeelTurnSettings *turn = peel_prompt_bar_get_settings (bar);
  PeelSession *session = peel_window_get_session (f->window);
  const char *prompt = "a lighthouse that never comes";
  RequestWait w = { f->demo, peel_demo_server_get_request_count (f->demo) };
  PeelNode *node;

  g_assert_false (peel_window_get_busy (f->window));

  peel_turn_settings_set_aspect_ratio (turn, "1:1");
  peel_turn_settings_set_image_size (turn, PEEL_IMAGE_SIZE_512);
  peel_demo_server_push_fault (f->demo, PEEL_DEMO_FAULT_STALL);
  peel_prompt_bar_set_prompt (bar, prompt);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.generate", NULL));
  g_assert_true (peel_prompt_bar_get_busy (bar));
  g_assert_false (peel_prompt_bar_get_can_generate (bar));

  /* The request is on the server, which answers nothing. */
  g_assert_true (wait_until (request_arrived, &w, 10000));
  spin_for (300);
  g_assert_true (peel_window_get_busy (f->window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.cancel", NULL));
  g_assert_true (wait_until (window_idle, f->window, 5000));

  g_assert_false (peel_prompt_bar_get_busy (bar));
  g_assert_true (peel_prompt_bar_get_can_generate (bar));
  g_assert_cmpstr (peel_prompt_bar_get_prompt (bar), ==, prompt);
  node = peel_session_get_current (session);
  g_assert_nonnull (node);
  g_assert_cmpint (peel_node_get_status (node), ==, PEEL_NODE_FAILED);
  g_assert_cmpstr (peel_node_get_error_code (node), ==, "cancelled");

  /* Generate works again at once. */
  node = generate (f, "a lighthouse after all");
  g_assert_null (peel_node_get_parent (node));
  wait_for_texture (f, NULL, 512, 512);
}

static GtkDropTarget *
canvas_drop_target (Fixture *f)
{
  g_autoptr(GListModel) controllers =
    gtk_widget_observe_controllers (GTK_WIDGET (f->window->canvas_stack));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }

  g_assert_not_reached ();
}

static gboolean
drop_file (Fixture    *f,
           const char *path)
{
  GtkDropTarget *target = canvas_drop_target (f);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GSList list = { file, NULL };
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (&list));
  g_signal_emit_by_name (target, "drop", &value, 100.0, 100.0, &accepted);
  g_value_unset (&value);
  return accepted;
}

static gboolean
has_references (gpointer data)
{
  return g_list_model_get_n_items (peel_prompt_bar_get_references (data)) > 0;
}

static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *w = data;
  g_autoptr(GString) text = g_string_new (NULL);

  collect_labels (w->root, text);
  return strstr (text->str, w->text) != NULL;
}

static void
test_drop (Fixture       *f,
           gconstpointer  data)
{
  PeelPromptBar *bar = peel_window_get_prompt_bar (f->window);
  GListModel *references = peel_prompt_bar_get_references (bar);
  g_autofree char *png = g_build_filename (f->tmpdir, "reference.png", NULL);
  g_autofree char *text = g_build_filename (f->tmpdir, "notes.txt", NULL);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
  g_autoptr(GError) error = NULL;
  LabelWait w = { GTK_WIDGET (f->window), "is not an image" };

  g_assert_cmpuint (g_list_model_get_n_items (references), ==, 0);

  /* A file that is not an image is refused with a toast that says so. */
  g_assert_true (g_file_set_contents (text, "not a picture at all\n", -1, &error));
  drop_file (f, text);
  g_assert_true (wait_until (label_shown, &w, 5000));
  g_assert_cmpuint (g_list_model_get_n_items (references), ==, 0);

  /* A PNG becomes a reference in the prompt bar. */
  gdk_pixbuf_fill (pixbuf, 0x3080c0ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, png, "png", &error, NULL));
  g_assert_no_error (error);
  g_assert_true (drop_file (f, png));
  g_assert_true (wait_until (has_references, bar, 5000));
  g_assert_cmpuint (g_list_model_get_n_items (references), ==, 1);
  g_assert_false (gtk_widget_get_visible (f->window->drop_highlight));
}

static gboolean
history_folded (gpointer data)
{
  PeelWindow *window = data;

  return adw_flap_get_folded (window->history_flap);
}

static gboolean
not_folded (gpointer data)
{
  return !history_folded (data);
}

/* Every action a menu model names, its submenus' included. */
static void
collect_menu_actions (GMenuModel *model,
                      GPtrArray  *actions)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GMenuLinkIter) links = g_menu_model_iterate_item_links (model, i);
      char *action = NULL;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        g_ptr_array_add (actions, action);

      while (g_menu_link_iter_next (links))
        {
          g_autoptr(GMenuModel) link = g_menu_link_iter_get_value (links);
          collect_menu_actions (link, actions);
        }
    }
}

/* The mapped, sensitive button in @widget's tree whose label reads @text. */
static gboolean
find_sensitive_item (GtkWidget  *widget,
                     const char *text)
{
  if (GTK_IS_LABEL (widget) && g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text))
    return gtk_widget_is_sensitive (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_sensitive_item (child, text))
      return TRUE;

  return FALSE;
}

static gboolean
popover_shown (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  PeelWindow *window = f->window;
  GtkWidget *content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  PeelCanvas *canvas = peel_window_get_canvas (window);
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  const char *folded_actions[] = {
    "win.zoom-in", "win.zoom-out", "win.zoom-fit", "win.zoom-100", "win.compare-mode",
    "win.export-png", "win.show-details",
  };
  const char *folded_items[] = { "Zoom", "Compare", "Export as PNG…", "Details" };
  GtkPopover *menu;
  int width = 1100;
  int min;

  /* Wide, everything has its button. */
  g_assert_false (adw_flap_get_folded (window->history_flap));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->zoom_button)));

  /* Made narrower step by step, never below the minimum size the window asks for at each step
   * (as a window manager does), it folds the history away and reaches 360 px. */
  for (int step = 0; step < 40 && width > 360; step++)
    {
      gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1,
                          &min, NULL, NULL, NULL);
      width = MAX (MAX (width - 50, 360), min);
      gtk_window_set_default_size (GTK_WINDOW (window), width, 700);
      spin_for (100);
    }
  g_assert_cmpint (width, ==, 360);
  g_assert_true (adw_flap_get_folded (window->history_flap));
  gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_assert_cmpint (min, <=, 360);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_assert_cmpint (min, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (content), <=, 360);

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->zoom_button)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->compare_button)));
  g_assert_false (gtk_widget_get_visible (window->export_button));
  g_assert_false (gtk_widget_get_visible (window->details_button));

  /* What left the header bar is in the main menu, and works from there. */
  collect_menu_actions (gtk_menu_button_get_menu_model (window->primary_menu_button), actions);
  for (guint i = 0; i < G_N_ELEMENTS (folded_actions); i++)
    g_assert_true (g_ptr_array_find_with_equal_func (actions, folded_actions[i], g_str_equal,
                                                     NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (actions, "app.preferences", g_str_equal, NULL));

  menu = gtk_menu_button_get_popover (window->primary_menu_button);
  gtk_menu_button_popup (window->primary_menu_button);
  g_assert_true (wait_until (popover_shown, menu, 5000));
  for (guint i = 0; i < G_N_ELEMENTS (folded_items); i++)
    if (!find_sensitive_item (GTK_WIDGET (menu), folded_items[i]))
      g_error ("the main menu has no sensitive “%s”", folded_items[i]);
  gtk_menu_button_popdown (window->primary_menu_button);

  g_assert_false (adw_flap_get_reveal_flap (window->details_flap));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-details", NULL));
  g_assert_true (adw_flap_get_reveal_flap (window->details_flap));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-details", NULL));
  g_assert_false (adw_flap_get_reveal_flap (window->details_flap));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare-mode", "s",
                                             "split"));
  g_assert_cmpint (peel_canvas_get_compare_mode (canvas), ==, PEEL_CANVAS_COMPARE_SPLIT);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare-mode", "s",
                                             "none"));

  /* The session's name, cut short, still opens the rename popover. */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->rename_button)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.rename-session-popup",
                                             NULL));
  g_assert_true (wait_until (popover_shown, window->rename_popover, 5000));
  gtk_popover_popdown (window->rename_popover);

  /* Wide again, the buttons come back. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  g_assert_true (wait_until (not_folded, window, 5000));
  spin_for (200);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->zoom_button)));
  g_assert_true (gtk_widget_get_visible (window->details_button));
}

/* What the designer picks in the prompt bar is there again at the next start, with no
 * generation in between. */
static void
test_settings_kept (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const keys[] = {
    "model", "aspect-ratio", "image-size", "thinking-level", "show-thoughts",
    "search-grounding", "image-search",
  };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  PeelPromptBar *bar = peel_window_get_prompt_bar (f->window);
  PeelTurnSettings *turn = peel_prompt_bar_get_settings (bar);
  gboolean show_thoughts = !peel_turn_settings_get_show_thoughts (turn);

  /* The options menu's items, then the pickers, as a click on them does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "turn.thinking-level", "s",
                                             "high"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "turn.image-search", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "turn.show-thoughts", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "turn.model", "s",
                                             "gemini-3-pro-image"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "turn.search", NULL));
  peel_ratio_picker_set_aspect_ratio (bar->ratio_picker, "4:5");
  peel_size_picker_set_image_size (bar->size_picker, PEEL_IMAGE_SIZE_2K);
  g_assert_cmpstr (peel_turn_settings_get_aspect_ratio (turn), ==, "4:5");

  close_window (&f->window);
  f->window = peel_window_new (GTK_APPLICATION (app), peel_application_get_service (app));
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  bar = peel_window_get_prompt_bar (f->window);
  turn = peel_prompt_bar_get_settings (bar);

  g_assert_cmpstr (peel_turn_settings_get_model (turn), ==, "gemini-3-pro-image");
  g_assert_cmpstr (peel_ratio_picker_get_aspect_ratio (bar->ratio_picker), ==, "4:5");
  g_assert_cmpint (peel_size_picker_get_image_size (bar->size_picker), ==, PEEL_IMAGE_SIZE_2K);
  g_assert_cmpint (peel_turn_settings_get_thinking_level (turn), ==, PEEL_THINKING_HIGH);
  g_assert_cmpint (peel_turn_settings_get_show_thoughts (turn), ==, show_thoughts);
  g_assert_true (peel_turn_settings_get_search (turn));
  g_assert_true (peel_turn_settings_get_image_search (turn));

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  window_test_init (&argc, &argv);
  g_unsetenv ("GEMINI_API_KEY");

  app = peel_application_new_for_test (TRUE);
  peel_application_set_demo_start (app, peel_demo_server_new_started);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/Peel/Window/generate-edit-branch", test_generate_edit_branch);
  ADD ("/Peel/Window/failed-request", test_failed_request);
  ADD ("/Peel/Window/cancel", test_cancel);
  ADD ("/Peel/Window/drop", test_drop);
  ADD ("/Peel/Window/narrow", test_narrow);
  ADD ("/Peel/Window/settings-kept", test_settings_kept);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
