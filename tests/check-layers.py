#!/usr/bin/env python3
# Checks that Peel's libraries depend on each other one way only (docs/architecture.md):
#
#   includes  a file in one library folder includes no header of a library it may not use, and no
#             GTK header below the GUI, and no libsoup header in base or the session;
#   private   a *-private.h is included only from its own folder (tests may look inside the
#             part they test, as GTK's own tests do);
#   tests     no tests/**/meson.build compiles a source file from outside tests/;
#   calls     from the built objects (nm: a file's undefined symbols defined by another file mean
#             "file A calls file B"), no file calls into a library it may not use;
#   circles   no circle of files calling each other crosses folders, and no folder holds more
#             than two circles. Every circle found is printed.
#
# Today's known violations are in ALLOWED below, each with its reason and the change that
# removes it. An entry that no longer occurs fails the check too, so the list only shrinks:
# delete the entry in the commit that removes the violation.
#
# usage: check-layers.py SOURCE_ROOT BUILD_ROOT
#        check-layers.py --list-objects SOURCE_ROOT BUILD_ROOT   (the objects it reads, to build)
import json
import os
import re
import shutil
import subprocess
import sys

# Which library a folder belongs to. src/session/store/ is part of the session until its
# meson.build makes it a library of its own; then it is "store".
FOLDERS = {
    "src/base": "base",
    "src/gemini": "gemini",
    "src/session": "session",
    "src/session/store": "session",
    "src/engine": "engine",
    "src/demo": "demo",
    "src/gui": "gui",
    "src/gui/board": "gui",
    "src/gui/canvas": "gui",
    "src/gui/panels": "gui",
    "src/gui/prompt-bar": "gui",
    "src/gui/variations": "gui",
    "src/gui/window": "gui",
    "src/gui/presenters": "presenters",
    "src/cli": "cli",
}

# The window's program is main.c in the GUI's folder. Like peel-cli it may link the demo server,
# which the programs that offer offline mode link (the GUI's library does not).
FILES = {
    "src/gui/main.c": "peel",
}

# The arrows: what each library may include and call. "gtk" and "soup" stand for those headers.
ARROWS = {
    "base": set(),
    "gemini": {"base", "soup"},
    "demo": {"base", "soup"},
    "session": {"base"},
    "store": {"session", "base"},
    "engine": {"session", "store", "gemini", "base", "soup"},
    "presenters": {"session", "base"},
    "gui": {"presenters", "engine", "session", "store", "gemini", "base", "soup", "gtk"},
    "cli": {"engine", "session", "store", "gemini", "demo", "base", "soup"},
    "peel": {"gui", "presenters", "engine", "session", "store", "gemini", "demo", "base", "soup",
             "gtk"},
}

SYSTEM_HEADERS = {
    "gtk": re.compile(r"^(gtk|gdk|gsk)/|^adwaita\.h$"),
    "soup": re.compile(r"^libsoup/"),
}

MAX_CIRCLES_IN_FOLDER = 2

# Today's violations: (check, file or files, what it reaches, the change that removes it, why).
# "circle" entries name the folders a circle crosses, "circles" a folder holding more than two.
# Issue 12 removed them all: each widget class split over files has a folder of its own in
# src/gui (window, canvas, board, prompt bar), and the application no longer calls the window
# back (the window is given its service).
ALLOWED = [
]

def rel(path, root):
    return os.path.relpath(path, root).replace(os.sep, "/")


class Tree:
    def __init__(self, top):
        self.top = top
        self.sources = []          # every .c and .h under src/, relative to top
        self.headers = {}          # basename -> relative path
        store_build = os.path.join(top, "src/session/store/meson.build")
        self.folders = dict(FOLDERS)
        if os.path.exists(store_build):
            with open(store_build, encoding="utf-8") as f:
                if "static_library" in f.read():
                    self.folders["src/session/store"] = "store"
        for dirpath, dirnames, filenames in os.walk(os.path.join(top, "src")):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith((".c", ".h")):
                    path = rel(os.path.join(dirpath, name), top)
                    self.sources.append(path)
                    if name.endswith(".h"):
                        self.headers.setdefault(name, path)

    def folder(self, path):
        return os.path.dirname(path)

    def library(self, path):
        return FILES.get(path) or self.folders.get(self.folder(path))


def includes(top, path):
    """(line number, header, is_system) for each #include in a file."""
    found = []
    with open(os.path.join(top, path), encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            m = re.match(r'\s*#\s*include\s*([<"])([^>"]+)[>"]', line)
            if m:
                found.append((number, m.group(2), m.group(1) == "<"))
    return found


def check_includes(tree, problems):
    for path in tree.sources:
        lib = tree.library(path)
        if lib is None:
            continue
        for number, header, system in includes(tree.top, path):
            if system:
                for name, pattern in SYSTEM_HEADERS.items():
                    if pattern.search(header) and name not in ARROWS[lib]:
                        problems.append(("includes", path, header, number,
                                         "%s → %s is not an arrow" % (lib, name)))
                continue
            target = tree.headers.get(os.path.basename(header))
            if target is None:
                continue
            target_lib = tree.library(target)
            if target_lib not in (None, lib) and target_lib not in ARROWS[lib]:
                problems.append(("includes", path, os.path.basename(header), number,
                                 "%s → %s is not an arrow (%s is in %s)"
                                 % (lib, target_lib, os.path.basename(header),
                                    tree.folder(target))))


def check_private(tree, problems):
    for path in tree.sources:
        for number, header, system in includes(tree.top, path):
            name = os.path.basename(header)
            if system or not name.endswith("-private.h"):
                continue
            target = tree.headers.get(name)
            if target is not None and tree.folder(target) != tree.folder(path):
                problems.append(("private", path, name, number,
                                 "%s is private to %s" % (name, tree.folder(target))))


def check_tests(top, problems):
    tests = os.path.join(top, "tests")
    for dirpath, dirnames, filenames in os.walk(tests):
        dirnames.sort()
        if "meson.build" not in filenames:
            continue
        build = os.path.join(dirpath, "meson.build")
        with open(build, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                code = line.split("#", 1)[0]
                bad = []
                for literal in re.findall(r"'([^']*)'", code):
                    if not literal.endswith((".c", ".h")) or "/" not in literal:
                        continue
                    where = os.path.normpath(os.path.join(dirpath, literal))
                    if not (where + os.sep).startswith(tests + os.sep):
                        bad.append(literal)
                if re.search(r"project_source_root\s*\(\s*\)\s*/\s*'src", code):
                    bad.append("project_source_root() / 'src'")
                for literal in bad:
                    problems.append(("tests", rel(build, top), literal, number,
                                     "a test compiles %s, which is outside tests/; link the "
                                     "library that holds it" % literal))


def objects(top, build):
    """Source path -> object file (relative to build), for every C source of src/ that a target
    of the build compiles now. Meson names an object after its source's path from the folder of
    the target's meson.build, '/' made '_'."""
    info = os.path.join(build, "meson-info", "intro-targets.json")
    with open(info, encoding="utf-8") as f:
        targets = json.load(f)
    found = {}
    for target in targets:
        if target["type"] not in ("static library", "shared library", "executable"):
            continue
        folder = os.path.dirname(target["defined_in"])
        for filename in target["filename"]:
            pdir = rel(filename + ".p", build)
            for group in target.get("target_sources", []):
                for source in group.get("sources", []):
                    path = rel(source, top)
                    if path.startswith("src/") and path.endswith(".c"):
                        name = rel(source, folder).replace("/", "_") + ".o"
                        found[path] = pdir + "/" + name
    return found


def symbols(nm, objs):
    """Object -> (defined, undefined) global symbols, from one run of nm over every object."""
    table = {obj: (set(), set()) for obj in objs}
    out = subprocess.run([nm, "-P", "-A"] + sorted(objs), check=True, capture_output=True,
                         text=True).stdout
    for line in out.splitlines():
        obj, _, rest = line.partition(": ")
        fields = rest.split()
        if obj not in table or len(fields) < 2:
            continue
        name, kind = fields[0], fields[1]
        if kind == "U":
            table[obj][1].add(name)
        elif kind.isupper():
            table[obj][0].add(name)
    return table


def first_line(top, path, word):
    with open(os.path.join(top, path), encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            if re.search(r"\b%s\b" % re.escape(word), line):
                return number
    return 0


def call_graph(tree, build):
    nm = shutil.which("nm") or shutil.which("llvm-nm")
    if nm is None:
        sys.exit("check-layers: no nm to read the built objects with (install binutils)")
    objs = {source: os.path.join(build, obj) for source, obj in objects(tree.top, build).items()
            if os.path.exists(os.path.join(build, obj))}
    if not objs:
        sys.exit("check-layers: no objects of src/ in %s: build first (meson compile)" % build)
    table = symbols(nm, objs.values())
    defs, undefs, owner = {}, {}, {}
    for source, obj in objs.items():
        defs[source], undefs[source] = table[obj]
        for name in defs[source]:
            owner.setdefault(name, source)
    if not owner:
        sys.exit("check-layers: the objects in %s define no symbols (built with LTO?); "
                 "the check reads plain objects" % build)
    calls = {}
    for source in objs:
        for name in sorted(undefs[source]):
            callee = owner.get(name)
            if callee is not None and callee != source:
                calls.setdefault(source, {}).setdefault(callee, name)
    return sorted(objs), calls


def check_calls(tree, calls, problems):
    for caller, callees in sorted(calls.items()):
        lib = tree.library(caller)
        for callee, name in sorted(callees.items()):
            target_lib = tree.library(callee)
            if lib and target_lib and target_lib != lib and target_lib not in ARROWS[lib]:
                line = (first_line(tree.top, caller, name)
                        or first_line(tree.top, caller, os.path.basename(callee)[:-2] + ".h"))
                problems.append(("calls", caller, callee, line,
                                 "calls %s, %s → %s is not an arrow"
                                 % (name, lib, target_lib)))


def circles(nodes, calls):
    """Strongly connected components of more than one file (Tarjan, iterative)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for start in nodes:
        if start in index:
            continue
        work = [(start, iter(sorted(calls.get(start, {}))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            advanced = False
            for succ in edges:
                if succ not in index:
                    index[succ] = low[succ] = counter
                    counter += 1
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(calls.get(succ, {})))))
                    advanced = True
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def check_circles(tree, nodes, calls, problems):
    per_folder = {}
    for component in circles(nodes, calls):
        folders = sorted({tree.folder(p) for p in component})
        print("circle of %d files in %s:" % (len(component), " + ".join(folders)))
        for member in component:
            inside = sorted(c for c in calls.get(member, {}) if c in component)
            print("    %s → %s" % (member, ", ".join(os.path.basename(c) for c in inside)))
        if len(folders) > 1:
            problems.append(("circle", " + ".join(folders), "", 0,
                             "a circle of %d files crosses folders: %s"
                             % (len(component), ", ".join(component))))
        else:
            per_folder.setdefault(folders[0], []).append(component)
    for folder, found in sorted(per_folder.items()):
        if len(found) > MAX_CIRCLES_IN_FOLDER:
            problems.append(("circles", folder, "", 0,
                             "%d circles inside one folder, at most %d"
                             % (len(found), MAX_CIRCLES_IN_FOLDER)))


def main():
    args = sys.argv[1:]
    listing = args[:1] == ["--list-objects"]
    if listing:
        args = args[1:]
    if len(args) != 2:
        sys.exit("usage: check-layers.py [--list-objects] SOURCE_ROOT BUILD_ROOT")
    top, build = os.path.abspath(args[0]), os.path.abspath(args[1])
    if listing:
        for obj in sorted(objects(top, build).values()):
            print(obj)
        return 0
    tree = Tree(top)
    problems = []
    check_includes(tree, problems)
    check_private(tree, problems)
    check_tests(top, problems)
    nodes, calls = call_graph(tree, build)
    check_calls(tree, calls, problems)
    check_circles(tree, nodes, calls, problems)

    allowed = {}
    for kind, files, what, part, reason in ALLOWED:
        for path in [files] if isinstance(files, str) else files:
            allowed[(kind, path, what)] = (part, reason)
    seen = set()
    failed = False
    for kind, where, what, line, why in problems:
        key = (kind, where, what)
        place = "%s:%d" % (where, line) if line else where
        if key in allowed:
            seen.add(key)
            part, reason = allowed[key]
            print("allowed  %s: %s [%s: %s]" % (place, why, part, reason))
        else:
            failed = True
            print("FAIL     %s: %s" % (place, why))
    for key, (part, reason) in allowed.items():
        if key not in seen:
            failed = True
            print("FAIL     allowed %s %s %s no longer occurs (removed by %s?): delete its "
                  "entry in tests/check-layers.py" % (key[0], key[1], key[2], part))
    print("checked %d files of src/, %d objects" % (len(tree.sources), len(nodes)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
