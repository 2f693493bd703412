#!/usr/bin/python3
# Walks the accessibility tree of one process, as Orca reads it over AT-SPI, and reports every
# element a user can act on (a button, an entry, a list, a row, a slider…) that has no usable
# name: none at all, a toolkit type name such as "GtkTextView" (GTK 4.8 falls back to it, and a
# screen reader reads it aloud), or a mnemonic's underscore leaking in ("_Generate Generate").
#
# usage: a11y-tree.py PID STATE [busy|idle [STATUS]]
# With busy or idle, the window must (or must not) say it is busy; with STATUS, a status element
# (the progress card) must say STATUS.
# Exit status: 0 nothing of Peel's own unnamed; 1 something is; 77 no pyatspi or no such app.
# Elements GTK or libadwaita make inside their own widgets, which Peel cannot name, are listed
# with a "# toolkit:" prefix and do not fail the walk.

import re
import sys
import time

try:
    import pyatspi
except ImportError:
    print("# pyatspi is missing (python3-pyatspi): skipped")
    sys.exit(77)

ACTIONABLE = {
    "push button", "toggle button", "check box", "radio button", "menu item",
    "check menu item", "radio menu item", "entry", "password text", "combo box", "slider",
    "spin button", "link", "list", "list item", "tree", "tree table", "tree item",
    "table row", "page tab", "switch", "toggle", "text",
}
TYPE_NAME = re.compile(r"^(Gtk|Adw|Peel)[A-Z][A-Za-z]*$")
LEAKED = re.compile(r"(^|\s)_[^\s_]")

# Toolkit internals, which Peel has no handle on: (where, role, name) as regular expressions on
# the element's path, role and name, with who makes them.
TOOLKIT = [
    # GtkScrolledWindow's scrollbars (not focusable, so never reached anyway).
    (r"", r"scroll bar", r".*"),
    # AdwComboRow's popover: a GtkListView of unnamed list items (GTK 4.8 cannot name one).
    (r"> combo box ", r"list|list item", r".*"),
    # AdwPasswordEntryRow's "show text" peek button.
    (r"> text '[^']*' >$|> text '[^']*'$", r"push button", r"GtkImage"),
    # AdwToast's button (GTK 4.8 names a button "_Retry Retry" from its mnemonic label and its
    # child label) and its close button.
    (r"'AdwToastWidget'", r"push button", r"_.*|GtkImage"),
    # AdwPreferencesWindow's own search entry and its results list.
    (r"frame 'Preferences' 'AdwLeaflet' 'GtkStackPage'", r"entry", r"GtkSearchEntry"),
    (r"frame 'Preferences' 'AdwLeaflet' 'GtkStackPage' 'GtkStackPage' > scroll pane", r"list",
     r"GtkListBox"),
]


def is_toolkit(path, role, name):
    path = re.sub(r" > (panel|filler)", "", path)
    for where, t_role, t_name in TOOLKIT:
        if (re.search(where, path) and re.fullmatch(t_role, role)
                and re.fullmatch(t_name, name)):
            return True
    return False


def find_app(pid, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            try:
                if app is not None and app.get_process_id() == pid:
                    return app
            except Exception:
                pass
        time.sleep(0.2)
    return None


STATUSES = []


def walk(acc, path, problems, toolkit, depth=0):
    if depth > 60:
        return
    try:
        role = acc.getRoleName()
        name = acc.name or ""
        states = acc.getState()
    except Exception:
        return
    focusable = states.contains(pyatspi.STATE_FOCUSABLE)
    if role == "status bar":
        STATUSES.append(name)
    here = f"{path} > {role}"
    actionable = (role in ACTIONABLE and (focusable or role in ("list", "list item", "tree item"))
                  or (role == "panel" and focusable))
    if role == "text" and not states.contains(pyatspi.STATE_EDITABLE):
        actionable = False
    if actionable:
        bad = None
        if name.strip() == "":
            bad = "no name"
        elif TYPE_NAME.match(name):
            bad = f"only its type name {name!r}"
        elif LEAKED.search(name):
            bad = f"a mnemonic's underscore in {name!r}"
        if bad:
            line = re.sub(r" > (panel|filler)", "", f"{here} [{name}]: {bad}")
            (toolkit if is_toolkit(path, role, name) else problems).append(line)
    label = name
    for i in range(acc.childCount):
        try:
            child = acc.getChildAtIndex(i)
        except Exception:
            continue
        if child is not None:
            walk(child, f"{path} > {role}" + (f" '{label[:24]}'" if label else ""), problems,
                 toolkit, depth + 1)


def main():
    pid = int(sys.argv[1])
    state = sys.argv[2] if len(sys.argv) > 2 else "?"
    app = find_app(pid)
    if app is None:
        print(f"# {state}: process {pid} is not on the accessibility bus: skipped")
        return 77
    problems, toolkit = [], []
    busy = False
    for i in range(app.childCount):
        window = app.getChildAtIndex(i)
        if window is not None:
            if window.getRoleName() == "frame" and window.name.startswith("Peel"):
                busy = window.getState().contains(pyatspi.STATE_BUSY)
            walk(window, state, problems, toolkit)
    expect = sys.argv[3] if len(sys.argv) > 3 else ""
    if expect in ("busy", "idle") and busy != (expect == "busy"):
        problems.append(f"{state}: the window says it is {'busy' if busy else 'not busy'}")
    if len(sys.argv) > 4 and sys.argv[4] not in STATUSES:
        problems.append(f"{state}: no status says {sys.argv[4]!r} (statuses: {STATUSES})")
    for line in toolkit:
        print(f"# toolkit: {line}")
    for line in problems:
        print(f"unnamed: {line}")
    print(f"# {state}: {len(problems)} of Peel's own without a usable name, "
          f"{len(toolkit)} inside the toolkit")
    return 1 if problems else 0


sys.exit(main())
