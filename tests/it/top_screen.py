#!/usr/bin/env python3
"""Read sock top's screen as tmux's capture-pane printed it (tests 112x).

  top_screen.py row SCREEN REGEX TITLE
      the cell under column TITLE of the first table row that REGEX
      matches (re.search); exit 1 when there is no such row
  top_screen.py column SCREEN TITLE
      every table row's cell under TITLE, one a line, in screen order
  top_screen.py bytes TEXT
      sock top's size ("999", "1.5K", "12M": powers of 1024) in bytes

Lines are read as display cells (a wide character takes two), so that
the columns are where the terminal shows them.  Numbers are right-aligned under their title (a cell ends where the title
ends, the sort mark included), words left-aligned (a cell starts where
its title starts).
"""
import re
import sys
import unicodedata

RIGHT = {"Age", "Recv-Q", "Send-Q", "Send/s", "Recv/s", "Sent", "Recvd",
         "Retr/s", "RTT ms"}
MARKS = "\u25bc\u25b2^v"


def header(lines):
    for i, l in enumerate(lines):
        if "Local Address" in l or "Remote Address" in l or \
                l.startswith("Proto "):
            return i
    sys.exit("no column titles on the screen")


def span(head, title):
    s = head.find(title)
    if s < 0:
        sys.exit("no column %r on the screen" % title)
    e = s + len(title)
    if e < len(head) and head[e] in MARKS:
        e += 1
    return s, e


def cell(row, head, title):
    s, e = span(head, title)
    if title in RIGHT:
        j = e
        while j > 0 and j <= len(row) and row[j - 1] != " ":
            j -= 1
        return row[j:e].strip()
    j = s
    while j < len(row) and row[j] != " ":
        j += 1
    return row[s:j]


def rows(lines):
    h = header(lines)
    # the table ends before the status line (the last line)
    return lines[h], [l for l in lines[h + 1:-1] if l.strip()]


def cells(line):
    """A wide character is followed by a NUL: one index per cell."""
    out = []
    for ch in line:
        out.append(ch)
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            out.append("\0")
    return "".join(out)


def to_bytes(text):
    mult = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3, "T": 1024 ** 4}
    if text and text[-1] in mult:
        return float(text[:-1]) * mult[text[-1]]
    return float(text)


def main(argv):
    if len(argv) == 3 and argv[1] == "bytes":
        print("%.0f" % to_bytes(argv[2]))
        return 0
    if len(argv) < 4:
        sys.exit(__doc__)
    text = open(argv[2], encoding="utf-8", errors="replace").read()
    lines = [cells(l) for l in text.split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    head, table = rows(lines)
    if argv[1] == "row" and len(argv) == 5:
        for r in table:
            if re.search(argv[3], r.replace("\0", "")):
                print(cell(r, head, argv[4]).replace("\0", ""))
                return 0
        return 1
    if argv[1] == "column":
        for r in table:
            print(cell(r, head, argv[3]).replace("\0", ""))
        return 0
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
