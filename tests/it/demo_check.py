#!/usr/bin/env python3
"""demo_check.py - read `sock demo`'s outputs for the 082x tests.

  demo_check.py rows FILE      the text timeline as one row per call:
                               SIDE<TAB>CALL<TAB>CLIENT_STATE<TAB>SERVER_STATE
                               (states as shown: only where they change)
  demo_check.py mermaid FILE   exit 0 when FILE is a well-formed Mermaid
                               sequenceDiagram (else the bad line on stderr)
"""
import re
import sys

# the columns of the text timeline (tool/demo_text.c)
T, CALL, STATE = 8, 31, 13
C0 = T + 1
S1 = C0 + CALL + 1
S2 = S1 + STATE + 1
V0 = S2 + STATE + 1


def rows(path):
    out = []
    lines = open(path, encoding="utf-8").read().split("\n")[2:]
    for line in lines:
        if not line.strip() or line[T + 2:T + 3] in ("*",) and not line[:T].strip():
            continue
        if not line[:T + 4].strip() and line[T + 4:T + 5] != " ":
            continue  # a note's continuation (notes start at column 12)
        first = bool(line[:T].strip())
        client, server = line[C0:S1 - 1].strip(), line[V0:].strip()
        cst, sst = line[S1:S2 - 1].strip(), line[S2:V0 - 1].strip()
        if first:
            side = "client" if client else "server"
            out.append([side, client or server, cst, sst])
        elif out:
            more = client or server
            out[-1][1] += ("" if out[-1][1].endswith(("|", "(")) else " ") + more
    for r in out:
        r[1] = re.sub(r" +", " ", r[1]).replace("| ", "|")
        print("\t".join(r))


MSG = re.compile(r"^    ([A-Za-z]\w*)(->>|-->>|-x|--x|->|-->)([A-Za-z]\w*): (.+)$")
NOTE = re.compile(r"^    Note (over|left of|right of) ([A-Za-z]\w*)(,([A-Za-z]\w*))?: (.+)$")
PART = re.compile(r"^    participant ([A-Za-z]\w*)( as (.+))?$")


def mermaid(path):
    lines = open(path, encoding="utf-8").read().rstrip("\n").split("\n")
    if not lines or lines[0] != "sequenceDiagram":
        print("first line is not sequenceDiagram", file=sys.stderr)
        return 1
    parts = set()
    for n, line in enumerate(lines[1:], 2):
        m = PART.match(line)
        if m:
            if parts and any(True for _ in ()):
                pass
            parts.add(m.group(1))
            continue
        m = MSG.match(line)
        names = []
        text = None
        if m:
            names, text = [m.group(1), m.group(3)], m.group(4)
        else:
            m = NOTE.match(line)
            if m:
                names = [m.group(2)] + ([m.group(4)] if m.group(4) else [])
                text = m.group(5)
        bad = (text is None or any(x not in parts for x in names)
               or ";" in text or re.search(r"#(?!\d+;)", text))
        if bad:
            print(f"line {n}: {line!r}", file=sys.stderr)
            return 1
    if len(parts) < 2:
        print("fewer than two participants", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "rows":
        rows(sys.argv[2])
    else:
        sys.exit(mermaid(sys.argv[2]))
