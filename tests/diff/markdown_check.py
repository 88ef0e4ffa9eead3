#!/usr/bin/env python3
"""markdown_check.py MARKDOWN JSON

Structural checks of `asbgen diff --format markdown` (what GitHub needs to
render it as meant), against the same diff in JSON:
  - every <details> closes, none nests, each opens with one
    <summary>...</summary> on its line, then a blank line;
  - every code fence closes with a fence of the same length, and nothing
    else in the text looks like a fence inside one;
  - outside fences, the only HTML is <details>, <summary>, <code> (and
    their closing tags), and & < > appear only as entities;
  - the dangers section (when the JSON has dangers) comes before the
    first <details>, with one list item per danger;
  - one <details> section per object part: per object without causes,
    per (cause, object) with them.
Prints ok/not ok lines; exits 1 on a failure.
"""
import json
import re
import sys


def main():
    text = open(sys.argv[1]).read()
    doc = json.load(open(sys.argv[2]))
    problems = []
    lines = text.split("\n")
    fence = None
    open_details = 0
    ndetails = 0
    first_details = None
    danger_head = None
    danger_items = 0
    in_dangers = False
    for n, line in enumerate(lines, 1):
        if fence:
            if line == fence:
                fence = None
            elif re.match(r"^`{3,}", line):
                problems.append(f"line {n}: a fence inside the block of line {fence_line}")
            continue
        m = re.match(r"^(`{3,})(\w*)$", line)
        if m:
            if not open_details:
                problems.append(f"line {n}: a code block outside <details>")
            fence, fence_line = m.group(1), n
            continue
        if line.startswith("<details>"):
            if open_details:
                problems.append(f"line {n}: <details> inside <details>")
            open_details += 1
            ndetails += 1
            first_details = first_details or n
            if not re.match(r"^<details><summary>[^<>]*(<code>[^<>]*</code>[^<>]*)*</summary>$", line):
                problems.append(f"line {n}: <details> without one <summary> on its line: {line}")
            if n < len(lines) and lines[n] != "":
                problems.append(f"line {n}: no blank line after <summary> (GitHub would not render Markdown)")
            continue
        if line == "</details>":
            if not open_details:
                problems.append(f"line {n}: </details> without <details>")
            open_details -= 1
            continue
        for tag in re.findall(r"</?([a-zA-Z]+)[^>]*>", line):
            if tag not in ("details", "summary", "code"):
                problems.append(f"line {n}: HTML <{tag}> outside a code block")
        stripped = re.sub(r"</?(details|summary|code)>", "", line)
        stripped = re.sub(r"&(lt|gt|amp);", "", stripped)
        if re.search(r"[<>]|&(?!#?\w+;)", stripped.replace("\\<", "").replace("\\>", "")):
            problems.append(f"line {n}: a raw < > or & outside a code block: {line}")
        if line.startswith("#### ") and "Dangerous change" in line:
            danger_head = n
            in_dangers = True
        elif line.startswith("#"):
            in_dangers = False
        elif in_dangers and line.startswith("- "):
            danger_items += 1
    if fence:
        problems.append(f"line {fence_line}: code block never closed")
    if open_details:
        problems.append("a <details> never closed")
    dangers = doc["dangers"]
    if dangers:
        if danger_head is None:
            problems.append("no dangers section")
        elif first_details and danger_head > first_details:
            problems.append("the dangers section is not first")
        if danger_items != len(dangers):
            problems.append(f"{danger_items} danger items for {len(dangers)} dangers")
    if "changes" in doc:
        parts = set()
        for i, o in enumerate(doc["objects"]):
            if o["change"] == "changed":
                parts.update((f["cause"], i) for f in o["fields"])
            else:
                parts.add((o["cause"], i))
        want = len(parts)
    else:
        want = len(doc["objects"])
    if ndetails != want:
        problems.append(f"{ndetails} <details> sections for {want} object parts")
    for p in problems:
        print(f"not ok - {sys.argv[1]}: {p}")
    if not problems:
        print(f"ok - {sys.argv[1]}: {ndetails} sections, {len(dangers)} dangers, fences and tags balanced")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
