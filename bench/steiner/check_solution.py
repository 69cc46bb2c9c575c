#!/usr/bin/env python3
"""check_solution.py - independent checker for a PACE 2018 Steiner tree
solution against its STP instance.

usage: check_solution.py INSTANCE.stp SOLUTION.txt
Checks: the first line is 'VALUE <v>', every other line 'u v' names an
edge of the instance (the cheapest one if there are parallel edges), no
edge twice, the edges form a tree (connected, no cycle) containing every
terminal, and VALUE equals the sum of the edge weights (relative 1e-9).
Prints 'OK <value>' and exits 0, or prints the first problem and exits 1.
Written separately from the C reader on purpose: it shares no code.
"""
import sys


def read_stp(path):
    edges, terms, nodes = {}, set(), None
    section = None
    with open(path) as f:
        for line in f:
            tok = line.split('#', 1)[0].split()
            if not tok:
                continue
            key = tok[0].lower()
            if key == 'section':
                section = tok[1].lower()
            elif key == 'end':
                section = None
            elif section == 'graph' and key == 'nodes':
                nodes = int(tok[1])
            elif section == 'graph' and key in ('e', 'a'):
                u, v, w = int(tok[1]), int(tok[2]), float(tok[3])
                k = (min(u, v), max(u, v))
                if k not in edges or w < edges[k]:
                    edges[k] = w
            elif section == 'terminals' and key in ('t', 'root'):
                terms.add(int(tok[1]))
    return nodes, edges, terms


def check(stp, sol):
    nodes, edges, terms = read_stp(stp)
    with open(sol) as f:
        lines = [l.split() for l in f if l.strip()]
    if not lines or len(lines[0]) != 2 or lines[0][0] != 'VALUE':
        return 'first line is not "VALUE <cost>"'
    value = float(lines[0][1])
    parent, used, total = {}, set(), 0.0

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for i, l in enumerate(lines[1:], start=2):
        if len(l) != 2:
            return 'line %d: expected "u v"' % i
        u, v = int(l[0]), int(l[1])
        k = (min(u, v), max(u, v))
        if k not in edges:
            return 'line %d: %d-%d is not an edge of the instance' % (i, u, v)
        if k in used:
            return 'line %d: edge %d-%d given twice' % (i, u, v)
        used.add(k)
        total += edges[k]
        a, b = find(u), find(v)
        if a == b:
            return 'line %d: edge %d-%d closes a cycle' % (i, u, v)
        parent[a] = b
    if len(terms) > 1 or used:
        tree_nodes = {x for k in used for x in k}
        missing = [t for t in terms if t not in tree_nodes]
        if len(terms) > 1 and missing:
            return 'terminal %d not in the tree' % missing[0]
        roots = {find(x) for x in tree_nodes}
        if len(roots) > 1:
            return 'the edges form %d components, not one tree' % len(roots)
    if abs(total - value) > 1e-9 * max(1.0, abs(total)):
        return 'VALUE %.17g but the edges sum to %.17g' % (value, total)
    print('OK %.17g' % total)
    return None


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit('usage: check_solution.py INSTANCE.stp SOLUTION.txt')
    err = check(sys.argv[1], sys.argv[2])
    if err:
        print('INVALID: ' + err)
        sys.exit(1)
