#!/usr/bin/env python3
"""annotations.py BASE NEW GITHUB_OUT JSON_OUT

Checks `asbgen diff NEW --base REV --format github` (GITHUB_OUT) against
the same diff in JSON (JSON_OUT): one ::error workflow command per danger,
titled with its rule id, on the file NEW, and at a line of NEW that the
edit from BASE to NEW touched: a changed or inserted line, or, for lines
deleted, the key line above them that holds them (the nearest line before
with less indentation).  Prints ok/not ok lines; exits 1 on a failure.
"""
import difflib
import json
import re
import sys


def indent(line):
    return len(line) - len(line.lstrip(" "))


def touched_lines(base, new):
    """1-based lines of new an annotation may point at."""
    ok = set()
    sm = difflib.SequenceMatcher(a=base, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag in ("replace", "insert"):
            ok.update(range(j1 + 1, j2 + 1))
        if tag == "delete":
            # the parent of the deleted lines: the nearest line of new
            # before them that is indented less
            depth = indent(base[i1])
            for k in range(j1 - 1, -1, -1):
                if new[k].strip() and indent(new[k]) < depth:
                    ok.add(k + 1)
                    break
    return ok


def main():
    base_path, new_path, gh_path, json_path = sys.argv[1:5]
    base = open(base_path).read().split("\n")
    new = open(new_path).read().split("\n")
    dangers = json.load(open(json_path))["dangers"]
    lines = [l for l in open(gh_path).read().split("\n") if l.startswith("::")]
    allowed = touched_lines(base, new)
    failed = 0
    pat = re.compile(r"^::error file=([^,]*),line=(\d+),col=(\d+),title=([^:]*)::(.*)$")
    if len(lines) != len(dangers):
        print(f"not ok - {len(lines)} annotations for {len(dangers)} dangers")
        failed += 1
    for line, danger in zip(lines, dangers):
        m = pat.match(line)
        if not m:
            print(f"not ok - not an ::error annotation with file, line, col and title: {line}")
            failed += 1
            continue
        f, ln, col, title, msg = m.group(1), int(m.group(2)), int(m.group(3)), m.group(4), m.group(5)
        what = f"{title} at {f}:{ln}:{col}"
        if title != danger["id"] or f != new_path.split("/")[-1]:
            print(f"not ok - {what}: want {danger['id']} on {new_path}")
            failed += 1
        elif ln not in allowed:
            print(f"not ok - {what}: line {ln} ({new[ln - 1].strip()!r}) is not one the edit touched "
                  f"(touched: {sorted(allowed)})")
            failed += 1
        elif not (1 <= col <= len(new[ln - 1]) + 1):
            print(f"not ok - {what}: column {col} is outside the line")
            failed += 1
        else:
            print(f"ok - {what}: {new[ln - 1].strip()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
