/* peel-prompt-bar-layout.c
 *
 * How the prompt bar lays out its references, prompt and controls, side by side or folded.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-prompt-bar-private.h"

#define BAR_MARGIN       12
#define BAR_SPACING      12
#define BAR_FOLD_WIDTH   400

/* Layout. Side by side the bar reads references, prompt, pickers and Generate; narrower than
 * BAR_FOLD_WIDTH it folds: the prompt takes the whole width, with the references and the
 * pickers under it.
 */

static int
child_size (GtkWidget      *child,
            GtkOrientation  orientation,
            int             for_size,
            gboolean        natural)
{
  int min = 0, nat = 0;

  if (!gtk_widget_should_layout (child))
    return 0;
  gtk_widget_measure (child, orientation, for_size, &min, &nat, NULL, NULL);
  return natural ? nat : min;
}

/* Folded below BAR_FOLD_WIDTH, and wherever the three would not fit side by side. */
static gboolean
peel_prompt_bar_folds_at (PeelPromptBar *self,
                          int            width)
{
  int side_by_side;

  if (width < 0)
    return FALSE;
  if (width < BAR_FOLD_WIDTH)
    return TRUE;

  side_by_side = 2 * BAR_MARGIN + 2 * BAR_SPACING +
                 child_size (GTK_WIDGET (self->strip), GTK_ORIENTATION_HORIZONTAL, -1, FALSE) +
                 child_size (self->prompt_overlay, GTK_ORIENTATION_HORIZONTAL, -1, FALSE) +
                 child_size (self->controls, GTK_ORIENTATION_HORIZONTAL, -1, FALSE);
  return width < side_by_side;
}

/* Widths side by side: the strip and the controls at their natural widths as far as the prompt
 * keeps its minimum, then down to their own minimums. */
static void
side_by_side_widths (PeelPromptBar *self,
                     int            inner,
                     int           *strip_width,
                     int           *controls_width)
{
  GtkWidget *strip = GTK_WIDGET (self->strip);
  int prompt_min = child_size (self->prompt_overlay, GTK_ORIENTATION_HORIZONTAL, -1, FALSE);
  int spare = inner - prompt_min - 2 * BAR_SPACING;
  int strip_min = child_size (strip, GTK_ORIENTATION_HORIZONTAL, -1, FALSE);
  int strip_nat = child_size (strip, GTK_ORIENTATION_HORIZONTAL, -1, TRUE);
  int controls_min = child_size (self->controls, GTK_ORIENTATION_HORIZONTAL, -1, FALSE);
  int controls_nat = child_size (self->controls, GTK_ORIENTATION_HORIZONTAL, -1, TRUE);

  *controls_width = CLAMP (spare - strip_min, controls_min, controls_nat);
  *strip_width = CLAMP (spare - *controls_width, strip_min, strip_nat);
}

GtkSizeRequestMode
peel_prompt_bar_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

void
peel_prompt_bar_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  PeelPromptBar *self = PEEL_PROMPT_BAR (widget);
  GtkWidget *strip = GTK_WIDGET (self->strip);
  GtkWidget *prompt = self->prompt_overlay;
  GtkWidget *controls = self->controls;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* At its narrowest the bar is folded; its natural width is side by side. */
      int row = child_size (strip, orientation, -1, FALSE) + BAR_SPACING +
                child_size (controls, orientation, -1, FALSE);

      *minimum = 2 * BAR_MARGIN + MAX (child_size (prompt, orientation, -1, FALSE), row);
      *natural = 2 * BAR_MARGIN + 2 * BAR_SPACING + child_size (strip, orientation, -1, TRUE) +
                 child_size (prompt, orientation, -1, TRUE) +
                 child_size (controls, orientation, -1, TRUE);
      *natural = MAX (*natural, *minimum);
    }
  else if (peel_prompt_bar_folds_at (self, for_size))
    {
      int inner = MAX (0, for_size - 2 * BAR_MARGIN);

      for (int nat = 0; nat < 2; nat++)
        {
          int row = MAX (child_size (strip, orientation, -1, nat),
                         child_size (controls, orientation, -1, nat));
          int height = 2 * BAR_MARGIN + child_size (prompt, orientation, inner, nat) +
                       BAR_SPACING + row;

          *(nat ? natural : minimum) = height;
        }
    }
  else
    {
      int inner = for_size < 0 ? -1 : for_size - 2 * BAR_MARGIN;
      int strip_width = -1, controls_width = -1, prompt_width = -1;

      if (inner >= 0)
        {
          side_by_side_widths (self, inner, &strip_width, &controls_width);
          prompt_width = MAX (0, inner - strip_width - controls_width - 2 * BAR_SPACING);
        }

      for (int nat = 0; nat < 2; nat++)
        {
          int height = MAX (child_size (strip, orientation, strip_width, nat),
                            child_size (prompt, orientation, prompt_width, nat));

          height = MAX (height, child_size (controls, orientation, controls_width, nat));
          *(nat ? natural : minimum) = 2 * BAR_MARGIN + height;
        }
    }
}

static void
allocate_child (GtkWidget *child,
                int        x,
                int        y,
                int        width,
                int        height)
{
  if (gtk_widget_should_layout (child))
    gtk_widget_size_allocate (child, &(GtkAllocation) { x, y, MAX (0, width), MAX (0, height) },
                              -1);
}

void
peel_prompt_bar_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  PeelPromptBar *self = PEEL_PROMPT_BAR (widget);
  GtkWidget *strip = GTK_WIDGET (self->strip);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int inner = MAX (0, width - 2 * BAR_MARGIN);
  int strip_width, controls_width, strip_x, controls_x, prompt_x;

  if (peel_prompt_bar_folds_at (self, width))
    {
      int prompt_height = child_size (self->prompt_overlay, GTK_ORIENTATION_VERTICAL, inner,
                                      TRUE);
      int row_y, row_height;

      prompt_height = MIN (prompt_height, height - 2 * BAR_MARGIN - BAR_SPACING -
                           MAX (child_size (strip, GTK_ORIENTATION_VERTICAL, -1, FALSE),
                                child_size (self->controls, GTK_ORIENTATION_VERTICAL, -1, FALSE)));
      row_y = BAR_MARGIN + prompt_height + BAR_SPACING;
      row_height = height - BAR_MARGIN - row_y;
      controls_width = MIN (inner, child_size (self->controls, GTK_ORIENTATION_HORIZONTAL, -1,
                                               TRUE));
      strip_width = CLAMP (inner - controls_width - BAR_SPACING,
                           child_size (strip, GTK_ORIENTATION_HORIZONTAL, -1, FALSE),
                           child_size (strip, GTK_ORIENTATION_HORIZONTAL, -1, TRUE));
      strip_x = rtl ? width - BAR_MARGIN - strip_width : BAR_MARGIN;
      controls_x = rtl ? BAR_MARGIN : width - BAR_MARGIN - controls_width;

      allocate_child (self->prompt_overlay, BAR_MARGIN, BAR_MARGIN, inner, prompt_height);
      allocate_child (strip, strip_x, row_y, strip_width,
                      MIN (row_height, child_size (strip, GTK_ORIENTATION_VERTICAL, strip_width,
                                                   TRUE)));
      allocate_child (self->controls, controls_x, row_y, controls_width,
                      MIN (row_height, child_size (self->controls, GTK_ORIENTATION_VERTICAL,
                                                   controls_width, TRUE)));
      return;
    }

  side_by_side_widths (self, inner, &strip_width, &controls_width);
  strip_x = rtl ? width - BAR_MARGIN - strip_width : BAR_MARGIN;
  controls_x = rtl ? BAR_MARGIN : width - BAR_MARGIN - controls_width;
  prompt_x = rtl ? controls_x + controls_width + BAR_SPACING
                 : strip_x + strip_width + BAR_SPACING;

  /* The strip and the controls keep to the top (valign start), the prompt fills the height. */
  allocate_child (strip, strip_x, BAR_MARGIN, strip_width,
                  MIN (height - 2 * BAR_MARGIN,
                       child_size (strip, GTK_ORIENTATION_VERTICAL, strip_width, TRUE)));
  allocate_child (self->prompt_overlay, prompt_x, BAR_MARGIN,
                  inner - strip_width - controls_width - 2 * BAR_SPACING,
                  height - 2 * BAR_MARGIN);
  allocate_child (self->controls, controls_x, BAR_MARGIN, controls_width,
                  MIN (height - 2 * BAR_MARGIN,
                       child_size (self->controls, GTK_ORIENTATION_VERTICAL, controls_width,
                                   TRUE)));
}
