#!/usr/bin/env python3
# Checks the colours Peel sets itself (ui/style.css, and the DEMO badge the demo server paints
# into its images) against the backgrounds they sit on, in libadwaita 1.2's light and dark
# styles: every text must keep WCAG's 4.5:1.
#
# usage: check-contrast.py SOURCE_ROOT
import colorsys
import re
import sys

MINIMUM = 4.5

# libadwaita 1.2's named colours (src/stylesheet/_colors.scss and _defaults.scss).
THEMES = {
    "light": {
        "window_bg": (0xfa, 0xfa, 0xfa, 1), "window_fg": (0, 0, 0, 0.8),
        "popover_bg": (0xff, 0xff, 0xff, 1), "card_bg": (0xff, 0xff, 0xff, 1),
        "accent_color": (0x1c, 0x71, 0xd8, 1), "accent_bg": (0x35, 0x84, 0xe4, 1),
    },
    "dark": {
        "window_bg": (0x24, 0x24, 0x24, 1), "window_fg": (0xff, 0xff, 0xff, 1),
        "popover_bg": (0x38, 0x38, 0x38, 1), "card_bg": (0xff, 0xff, 0xff, 0.08),
        "accent_color": (0x78, 0xae, 0xed, 1), "accent_bg": (0x35, 0x84, 0xe4, 1),
    },
}
# .navigation-sidebar > row:selected:hover is alpha(currentColor, 0.13) over the sidebar.
SELECTED_TINT = 0.13


def over(top, bottom):
    """Composites top (r, g, b, a) over an opaque bottom."""
    a = top[3]
    return tuple(top[i] * a + bottom[i] * (1 - a) for i in range(3)) + (1,)


def with_alpha(color, factor):
    return color[:3] + (color[3] * factor,)


def luminance(color):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in color[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(fg, bg):
    fg = over(fg, bg)
    l1, l2 = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (l1 + 0.05) / (l2 + 0.05)


def rule(css, selector):
    """The declarations of every rule whose selector list holds selector, in order."""
    bodies = []
    for match in re.finditer(r"([^{}]+)\{([^}]*)\}", css):
        selectors = [s.strip() for s in re.sub(r"/\*.*?\*/", "", match.group(1),
                                                flags=re.S).split(",")]
        if selector in selectors:
            bodies.append(match.group(2))
    return "\n".join(bodies) if bodies else None


def main():
    root = sys.argv[1]
    css = open(f"{root}/ui/style.css").read()
    painter = open(f"{root}/src/demo/peel-demo-painter.c").read()
    failures = []
    checks = []

    def check(name, fg, bg):
        value = ratio(fg, bg)
        checks.append(f"{value:5.2f}  {name}")
        if value < MINIMUM:
            failures.append(f"{name}: {value:.2f}:1, below {MINIMUM}:1")

    for selector in ("historyrow label.dim-label", ".size-row label.dim-label",
                     ".ratio-cell label.dim-label", ".sessions-popover label.dim-label",
                     ".peel-progress-card label.dim-label"):
        body = rule(css, selector)
        if body is None or not re.search(r"opacity:\s*([0-9.]+)", body):
            failures.append(f"{selector}: no opacity of Peel's own (libadwaita's 0.55 is 3.2:1)")
    caption_rule = rule(css, "historyrow label.dim-label") or ""
    opacity = re.search(r"opacity:\s*([0-9.]+)", caption_rule)
    opacity = float(opacity.group(1)) if opacity else 0.55

    checked_rule = rule(css, ".ratio-cell:checked") or ""
    if "background-color: @popover_bg_color" not in (rule(css, ".peel-progress-card") or ""):
        failures.append(".peel-progress-card: not opaque, so its text is read against the image")
    selected_title = rule(css, "listview.history-list > row:selected "
                               "historyrow.current-branch .history-title") or ""

    for theme, c in THEMES.items():
        caption = with_alpha(c["window_fg"], opacity)
        window, popover = c["window_bg"], c["popover_bg"]
        tinted = over(with_alpha(c["accent_bg"], 0.15), popover)
        selected = over(with_alpha(c["window_fg"][:3] + (1,), SELECTED_TINT), window)
        check(f"{theme}: history caption", caption, window)
        check(f"{theme}: history caption, selected row", caption, selected)
        check(f"{theme}: size caption", caption, popover)
        check(f"{theme}: size caption, checked row", caption, tinted)
        check(f"{theme}: ratio caption, checked cell",
              c["accent_color"] if "@accent_color" in checked_rule else c["window_fg"], tinted)
        check(f"{theme}: thoughts in the progress card", caption, popover)
        check(f"{theme}: current branch's title", c["accent_color"], window)
        check(f"{theme}: current turn's title, selected row",
              c["window_fg"] if "inherit" in selected_title else c["accent_color"], selected)

    # The DEMO badge: white text over a pill of any hue, laid over a white or a black image.
    m = re.search(r"hsl_to_rgb \(seed->hue \+ 180, ([0-9.]+), ([0-9.]+), &badge", painter)
    a = re.search(r"badge\[3\] = ([0-9.]+);", painter)
    d = re.search(r"dark\[4\] = \{ ([0-9.]+), ([0-9.]+), ([0-9.]+), ([0-9.]+) \}", painter)
    if not (m and a and d):
        failures.append("peel-demo-painter.c: the badge's colours were not found")
    else:
        sat, light, alpha = float(m.group(1)), float(m.group(2)), float(a.group(1))
        text = (255, 255, 255, 0.96)
        worst = min(ratio(text, over((*(255 * v for v in colorsys.hls_to_rgb(h / 360, light, sat)),
                                      alpha), image))
                    for h in range(360) for image in ((255, 255, 255, 1), (0, 0, 0, 1)))
        checks.append(f"{worst:5.2f}  DEMO badge, worst hue")
        if worst < MINIMUM:
            failures.append(f"DEMO badge: {worst:.2f}:1 at its worst hue")
        pill = tuple(float(d.group(i)) * 255 for i in (1, 2, 3)) + (float(d.group(4)),)
        value = ratio(text, over(pill, (255, 255, 255, 1)))
        checks.append(f"{value:5.2f}  demo info pill over white")
        if value < MINIMUM:
            failures.append(f"demo info pill: {value:.2f}:1 over a white image")

    for line in checks:
        print(f"# {line}")
    for line in failures:
        print(f"not enough contrast: {line}")
    return 1 if failures else 0


sys.exit(main())
