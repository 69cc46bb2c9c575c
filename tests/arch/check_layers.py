#!/usr/bin/env python3
"""check_layers.py - Keep the source layout true to docs/ARCHITECTURE.md.

Reads the layer table of docs/ARCHITECTURE.md (the rows between the
'<!-- layers:begin -->' and '<!-- layers:end -->' markers: layer number,
folder, public headers) and checks:
  1. every folder under src/ has a row, and every header of include/govnet/
     belongs to exactly one row;
  2. every #include "..." of a file under src/<folder>/ names a header of
     its own folder or of a folder with a lower layer (public headers by
     their owner, internal ones by their folder);
  3. tools/ includes public headers and its own files only;
  4. with a build directory (argument 2, or $GN_BUILD_DIR): the object
     files' symbols, so a call counts like an include: no library file uses
     a symbol defined in a higher folder, and no two files (library or
     command) depend on each other, directly or through a cycle.
Usage: check_layers.py SOURCE_DIR [BUILD_DIR]. Prints one line per
violation, naming the file and the include or symbol; exit 1 if any.
"""
import os
import re
import subprocess
import sys

INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def read_layers(src):
    path = os.path.join(src, "docs", "ARCHITECTURE.md")
    text = open(path, encoding="utf-8").read()
    m = re.search(r"<!-- layers:begin -->(.*?)<!-- layers:end -->", text, re.S)
    if not m:
        sys.exit(f"{path}: no layer table between <!-- layers:begin --> and "
                 "<!-- layers:end -->")
    layer, owner, group = {}, {}, {}
    for line in m.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].isdigit():
            continue
        # one row may name several folders: they form one module
        folders = re.findall(r"src/([\w-]+)/", cells[1])
        if not folders:
            continue
        for f in folders:
            layer[f] = int(cells[0])
            group[f] = folders[0]
        for h in re.findall(r"[\w.]+\.h", cells[2]):
            if h in owner:
                print(f"{path}: header {h} listed for both {owner[h]} and "
                      f"{folders[0]}")
            owner[h] = folders[0]
    return layer, owner, group


def sources(root, exts=(".c", ".h")):
    for dirpath, _, files in os.walk(root):
        for f in sorted(files):
            if f.endswith(exts):
                yield os.path.join(dirpath, f)


def include_target(inc, layer, owner):
    """The folder an include belongs to, or None for a file of one's own."""
    if inc.startswith("govnet/"):
        return owner.get(inc[len("govnet/"):], "?" + inc)
    head = inc.split("/")[0]
    if "/" in inc:
        return head if head in layer else "?" + inc
    return None


def check_includes(src, layer, owner, group):
    errors = []
    srcdir = os.path.join(src, "src")
    for d in sorted(os.listdir(srcdir)):
        if os.path.isdir(os.path.join(srcdir, d)) and d not in layer:
            errors.append(f"src/{d}/: folder not in the layer table of "
                          "docs/ARCHITECTURE.md")
    for h in sorted(os.listdir(os.path.join(src, "include", "govnet"))):
        if h.endswith(".h") and h not in owner:
            errors.append(f"include/govnet/{h}: header not in the layer table")
    for path in sources(srcdir):
        rel = os.path.relpath(path, src)
        mod = rel.split(os.sep)[1]
        if mod not in layer:
            continue
        text = open(path, encoding="utf-8", errors="replace").read()
        for inc in INCLUDE_RE.findall(text):
            tgt = include_target(inc, layer, owner)
            if tgt is None or group.get(tgt, tgt) == group[mod]:
                continue
            if tgt.startswith("?"):
                errors.append(f"{rel}: #include \"{inc}\": unknown header")
            elif layer[tgt] > layer[mod]:
                errors.append(f"{rel}: #include \"{inc}\": {mod} (layer "
                              f"{layer[mod]}) must not include {tgt} (layer "
                              f"{layer[tgt]})")
    for path in sources(os.path.join(src, "tools")):
        rel = os.path.relpath(path, src)
        text = open(path, encoding="utf-8", errors="replace").read()
        for inc in INCLUDE_RE.findall(text):
            if "/" in inc and not inc.startswith("govnet/"):
                errors.append(f"{rel}: #include \"{inc}\": the command uses "
                              "public headers only")
    return errors


def nm(obj, defined):
    args = ["nm", "--defined-only" if defined else "-u", obj]
    out = subprocess.run(args, capture_output=True, text=True).stdout
    syms = set()
    for line in out.splitlines():
        parts = line.split()
        if defined and len(parts) == 3 and parts[1] in "TDBRC":
            syms.add(parts[2])
        elif not defined and len(parts) >= 2 and parts[-2] == "U":
            syms.add(parts[-1])
    return syms


def objects(build, target, src):
    """{source path relative to src: object file} of one CMake target."""
    base = os.path.join(build, "CMakeFiles", target + ".dir")
    found = {}
    for dirpath, _, files in os.walk(base):
        for f in files:
            if f.endswith(".c.o"):
                obj = os.path.join(dirpath, f)
                found[os.path.relpath(obj, base)[:-2]] = obj
    return found


def cycles(graph):
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def check_symbols(src, build, layer):
    errors = []
    for target in ("govnetlib", "govnet"):
        objs = objects(build, target, src)
        if not objs:
            errors.append(f"{build}: no object files of target {target}")
            continue
        defs = {f: nm(o, True) for f, o in objs.items()}
        where = {}
        for f, syms in defs.items():
            for s in syms:
                where.setdefault(s, f)
        graph = {}
        for f, o in objs.items():
            mod = f.split("/")[1] if f.startswith("src/") else None
            for s in nm(o, False):
                g = where.get(s)
                if not g or g == f:
                    continue
                graph.setdefault(f, set()).add(g)
                gmod = g.split("/")[1] if g.startswith("src/") else None
                if mod in layer and gmod in layer and layer[gmod] > layer[mod]:
                    errors.append(f"{f}: uses {s} from {g}: {mod} (layer "
                                  f"{layer[mod]}) must not depend on {gmod} "
                                  f"(layer {layer[gmod]})")
        for comp in cycles(graph):
            errors.append("files depend on each other: " + " <-> ".join(comp))
    return errors


def main():
    src = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
    build = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("GN_BUILD_DIR")
    layer, owner, group = read_layers(src)
    errors = check_includes(src, layer, owner, group)
    if build:
        errors += check_symbols(src, build, layer)
    for e in errors:
        print(e)
    print(f"check_layers: {len(set(group.values()))} modules, {len(owner)} public headers, "
          f"{len(errors)} violations")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
