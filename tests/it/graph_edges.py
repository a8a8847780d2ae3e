#!/usr/bin/env python3
"""Reads sock list --graph dot output (stdin) and prints its peer edges,
one a line, sorted: "NAME(PROTO) -- NAME(PROTO) STATE", each end named by
its socket's owner (the process name of "PID/NAME", or "?" for the unknown
owner) and protocol, ends in sorted order; a remote host end is
"host(ADDR)".  With --listeners, prints the listening sockets instead:
"NAME PROTO ADDRESS".  A small DOT reader: exactly the statements sock
writes (node statements, "a -- b" edges with attributes, graph/node/edge
defaults), quoted IDs with backslash escapes; anything else fails.
"""
import re
import sys

QUOTED = r'"((?:[^"\\]|\\.)*)"'
ATTRS = r'(?:\s*\[(.*)\])?'
NODE = re.compile(r'^\s*' + QUOTED + ATTRS + r';$')
EDGE = re.compile(r'^\s*' + QUOTED + r'\s*--\s*' + QUOTED + ATTRS + r';$')
ATTR = re.compile(r'(\w+)=(?:' + QUOTED + r'|([\w.-]+))')


def unquote(s):
    # DOT: \" is a quote; sock writes \\ for a backslash in a label
    return re.sub(r'\\(.)', lambda m: m.group(1) if m.group(1) in '"\\' else '\\' + m.group(1), s)


def attrs(text):
    return {m.group(1): unquote(m.group(2)) if m.group(2) is not None else m.group(3)
            for m in ATTR.finditer(text or "")}


def main():
    lines = sys.stdin.read().splitlines()
    if not lines or lines[0] != "graph sock {" or lines[-1] != "}":
        sys.exit("not a sock graph")
    nodes, edges = {}, []
    for line in lines[1:-1]:
        if re.match(r'^\s*(graph|node|edge) \[', line):
            continue
        m = EDGE.match(line)
        if m:
            edges.append((unquote(m.group(1)), unquote(m.group(2)), attrs(m.group(3))))
            continue
        m = NODE.match(line)
        if not m:
            sys.exit("unexpected DOT line: %r" % line)
        nodes[unquote(m.group(1))] = attrs(m.group(2))
    owner = {}
    for a, b, at in edges:
        if a in nodes and nodes[a].get("shape") == "box":
            label = nodes[a]["label"]
            owner.setdefault(b, []).append("?" if a == "unknown" else label.split("/", 1)[1])

    def end(n):
        if n.startswith("h:"):
            return "host(%s)" % n[2:]
        proto = nodes[n]["label"].split(" ")[0]
        return "%s(%s)" % ("+".join(sorted(owner.get(n, ["?"]))), proto)

    out = []
    if "--listeners" in sys.argv:
        for n, at in nodes.items():
            if at.get("shape") == "diamond":
                lines = at["label"].split("\\n")
                proto, addr = lines[0].split(" ", 1)
                if proto == "unix":
                    addr = lines[1]
                out.append("%s %s %s" % ("+".join(sorted(owner.get(n, ["?"]))), proto, addr))
    else:
        for a, b, at in edges:
            if nodes.get(a, {}).get("shape") == "box":
                continue
            x, y = sorted([end(a), end(b)])
            out.append("%s -- %s %s" % (x, y, at.get("label", "").split(" ")[0]))
    for line in sorted(out):
        print(line)


main()
