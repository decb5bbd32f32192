#!/usr/bin/env python3
# Fails when the files under a source tree include each other in a cycle.
#
# A module is a file pair: X.c and X.h are one node, since X.c including
# X.h is the module speaking to itself. A header without a .c of its own
# name (gk-session-private.h, …) belongs to no module: its declarations
# are attributed to the .c files that define them, found by GNU style
# (a function's name starts its line at column 0 in the file that
# defines it), so including it depends on those modules. A header that
# declares nothing defined anywhere (types and macros only) is a node of
# its own.
#
# Usage: check-include-cycles.py [--quiet] [--known FILE] DIR…
# Prints every cycle as "a → b → a" and exits 1 when there is one.
#
# --known FILE lists tangles that exist and are to go, one per line as the
# modules of the tangle separated by spaces (# starts a comment). They are
# reported but pass; a tangle that grows, shrinks or is new fails, and so
# does a listed one that is gone, so the list can only get shorter.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
COMMENT = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)
# A prototype: a name followed by "(" with a type before it on the line,
# in the header's top level (not a macro, not a call in a macro body).
PROTOTYPE = re.compile(r'^[A-Za-z_][\w \t\*]*?[\s\*]([A-Za-z_]\w*)\s*\(', re.M)
KEYWORDS = {'if', 'while', 'for', 'switch', 'return', 'sizeof', 'G_DEFINE_AUTOPTR_CLEANUP_FUNC',
            'G_DECLARE_FINAL_TYPE', 'G_DECLARE_DERIVABLE_TYPE', 'G_DECLARE_INTERFACE'}


def source_files(roots):
    files = []
    for root in roots:
        for directory, _, names in os.walk(root):
            for name in names:
                if name.endswith(('.c', '.h')):
                    files.append(os.path.normpath(os.path.join(directory, name)))
    return sorted(files)


def read(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        return f.read()


def stem(path):
    return os.path.splitext(path)[0]


def declared_functions(header_text):
    text = COMMENT.sub(' ', header_text)
    text = re.sub(r'^\s*#.*?(?<!\\)$', ' ', text, flags=re.M | re.S)
    return {name for name in PROTOTYPE.findall(text) if name not in KEYWORDS}


def defines(c_text, name):
    return re.search(r'^' + re.escape(name) + r'\s*\(', c_text, re.M) is not None


def build_graph(files):
    by_name = {}
    for path in files:
        by_name.setdefault(os.path.basename(path), []).append(path)
    c_files = [p for p in files if p.endswith('.c')]
    stems_with_c = {stem(p) for p in c_files}
    texts = {p: read(p) for p in files}

    # Which node(s) an included file stands for.
    owners = {}
    for path in files:
        if path.endswith('.c') or stem(path) in stems_with_c:
            owners[path] = {stem(path)}
            continue
        names = declared_functions(texts[path])
        defining = {stem(c) for c in c_files for n in names if defines(texts[c], n)}
        owners[path] = defining if defining else {stem(path)}

    def resolve(including, name):
        local = os.path.normpath(os.path.join(os.path.dirname(including), name))
        if local in texts:
            return local
        candidates = by_name.get(os.path.basename(name), [])
        return candidates[0] if len(candidates) == 1 else None

    graph = {}
    for path in files:
        for node in ({stem(path)} if path.endswith('.c') or stem(path) in stems_with_c
                     else owners[path]):
            graph.setdefault(node, {})
        source = stem(path) if (path.endswith('.c') or stem(path) in stems_with_c) else None
        sources = {source} if source else owners[path]
        for name in INCLUDE.findall(texts[path]):
            target = resolve(path, name)
            if target is None:
                continue
            for src in sources:
                for dst in owners[target]:
                    if dst != src:
                        graph.setdefault(src, {}).setdefault(dst, (path, name))
                        graph.setdefault(dst, {})
    return graph


def strongly_connected(graph):
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        # Iterative Tarjan: the graph of a big tree would pass Python's
        # recursion limit.
        work = [(v, iter(sorted(graph[v])))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        while work:
            node, children = work[-1]
            advanced = False
            for w in children:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    advanced = True
                    break
                if w in on_stack:
                    low[node] = min(low[node], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == node:
                        break
                result.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return result


def one_cycle(graph, component):
    """A shortest cycle through the component's first module, by BFS."""
    members = set(component)
    start = min(component)
    previous = {start: None}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node]):
            if nxt == start:
                path = [node]
                while previous[path[-1]] is not None:
                    path.append(previous[path[-1]])
                return list(reversed(path)) + [start]
            if nxt in members and nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return sorted(component)


def read_known(path):
    known = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].split()
            if line:
                known.append(frozenset(line))
    return known


def main(argv):
    quiet = '--quiet' in argv
    known = []
    args = [a for a in argv if a != '--quiet']
    if '--known' in args:
        i = args.index('--known')
        if i + 1 >= len(args):
            print('--known needs a file', file=sys.stderr)
            return 2
        known = read_known(os.path.abspath(args[i + 1]))
        del args[i:i + 2]
    if len(args) != 1:
        print('usage: check-include-cycles.py [--quiet] [--known FILE] DIR', file=sys.stderr)
        return 2
    # Modules are named from the tree's own folder down ("src/core/…"),
    # wherever the tree is, so the known list holds for every checkout.
    root = os.path.abspath(args[0])
    os.chdir(os.path.dirname(root))
    graph = build_graph(source_files([os.path.basename(root)]))
    tangles = [c for c in strongly_connected(graph) if len(c) > 1]
    failed = False
    for component in sorted(tangles, key=min):
        cycle = one_cycle(graph, component)
        listed = frozenset(component) in known
        failed = failed or not listed
        print(('known include cycle, to go: ' if listed else 'include cycle: ') + ' → '.join(cycle))
        for a, b in zip(cycle, cycle[1:]):
            path, name = graph[a][b]
            print(f'  {path} includes "{name}"')
        if len(component) > len(cycle) - 1:
            print('  and, tangled with it: ' + ', '.join(sorted(set(component) - set(cycle))))
    for gone in known:
        if gone not in [frozenset(c) for c in tangles]:
            failed = True
            print('no longer a cycle (take it off the known list): ' + ' '.join(sorted(gone)))
    if not quiet:
        print(f'{len(graph)} modules, {sum(len(v) for v in graph.values())} include edges, '
              f'{len(tangles)} cycle(s)')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
