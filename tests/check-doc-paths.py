#!/usr/bin/env python3
# Checks that the docs map files as they are: every path (src/gui/canvas/peel-canvas.c,
# tests/fuzz/) and every peel-*.c/.h/.ui name a Markdown file of the repository gives exists in
# the tree, and no
# doc or code comment cites ../shared/, which is not part of the repository. Globs
# (tests/fuzz/fuzz-*.c) must match a file; paths in _build/ and placeholders in capitals
# (tests/regressions/TARGET/) are left alone, and so are paths git ignores (node_modules/).
#
# usage: check-doc-paths.py SOURCE_ROOT
import fnmatch
import os
import re
import subprocess
import sys

TOP_FOLDERS = ("src", "tests", "build-aux", "docs", "data", "ui", "po", "flatpak", ".ci")
SUFFIXES = ("c", "h", "ui", "py", "sh", "md", "build", "json", "xml", "in", "supp", "css")

PATH = re.compile(r"(?<![\w./*-])((?:%s)/[\w./*-]*)" % "|".join(re.escape(f) for f in TOP_FOLDERS))
NAME = re.compile(r"(?<![\w./*-])(peel[\w*-]*\.(?:%s))(?![\w-])" % "|".join(SUFFIXES))
SHARED = re.compile(r"\.\./shared/")
IGNORED_FOLDERS = ("node_modules", "subprojects")


def tree_files(top):
    """The files of the tree: git's list, or (outside a checkout) a walk without build folders."""
    try:
        listing = subprocess.run(["git", "-C", top, "ls-files", "--cached", "--others",
                                  "--exclude-standard"], capture_output=True, text=True)
        if listing.returncode == 0:
            return [f for f in listing.stdout.splitlines()
                    if os.path.exists(os.path.join(top, f))]
    except OSError:
        pass
    found = []
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = [d for d in dirnames if d != ".git" and not os.path.exists(
            os.path.join(dirpath, d, "meson-private")) and d not in IGNORED_FOLDERS]
        found += [os.path.relpath(os.path.join(dirpath, f), top) for f in filenames]
    return found


def ignored(top):
    """Names .gitignore gives (node_modules, _build*): paths through them are never in git."""
    try:
        with open(os.path.join(top, ".gitignore"), encoding="utf-8") as f:
            return [line.strip().strip("/") for line in f
                    if line.strip() and not line.startswith(("#", "!"))]
    except OSError:
        return []


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check-doc-paths.py SOURCE_ROOT")
    top = os.path.abspath(sys.argv[1])
    files = tree_files(top)
    patterns = ignored(top)
    names = {os.path.basename(f) for f in files}
    folders = {os.path.dirname(f) for f in files}
    for f in list(folders):
        while f:
            f = os.path.dirname(f)
            folders.add(f)

    def exists(path):
        path = path.rstrip("/")
        if "*" in path:
            return any(fnmatch.fnmatch(f, path) for f in files)
        if path in files or path in folders:
            return True
        for pattern in patterns:
            if "/" in pattern:
                if fnmatch.fnmatch(path, pattern) or path.startswith(pattern + "/"):
                    return True
            elif any(fnmatch.fnmatch(part, pattern) for part in path.split("/")):
                return True
        return False

    failed = False
    docs = [f for f in files if f.endswith(".md")]
    for doc in sorted(docs):
        with open(os.path.join(top, doc), encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                for m in PATH.finditer(line):
                    path = m.group(1).rstrip(".,:;")
                    if re.search(r"[A-Z]{3,}", path) or exists(path):
                        continue
                    failed = True
                    print("%s:%d: names %s, which is not in the tree" % (doc, number, path))
                for m in NAME.finditer(line):
                    name = m.group(1)
                    if name in names or ("*" in name and any(fnmatch.fnmatch(n, name)
                                                             for n in names)):
                        continue
                    failed = True
                    print("%s:%d: names %s, which no file of the tree is called" % (doc, number,
                                                                                   name))
    for path in sorted(files):
        if not path.endswith((".c", ".h", ".md", ".py", ".sh", ".build", ".ui")):
            continue
        if path == "tests/check-doc-paths.py":
            continue
        with open(os.path.join(top, path), encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, 1):
                if SHARED.search(line):
                    failed = True
                    print("%s:%d: cites ../shared/, which is not part of this repository: cite "
                          "the public source or say the fact" % (path, number))
    print("checked %d docs" % len(docs))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
