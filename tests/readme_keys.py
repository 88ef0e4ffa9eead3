#!/usr/bin/env python3
"""readme_keys.py - README.md's "Every key" table, generated from the schema.

    readme_keys.py SCHEMA                    print the table
    readme_keys.py --check README SCHEMA     exit 1 with a unified diff when
                                             the README's table differs
    readme_keys.py --write README SCHEMA     rewrite that table in place

The table is the part of README between the line "Generated from
`schemas/environment.schema.json`." and the next heading.  One row per key,
walking `properties` (children as `parent.key`), object `items` (children as
`key[].child`), local `$ref`s (the referring node's own words win), object
branches of `oneOf`/`anyOf`, and `patternProperties` that are a plain prefix
(`^x-` is the row `x-*`).  A row is

    | `key` | type | **required** description (one of `a`, `b`; default `a`) |

Type words: string, integer, number, boolean, mapping, null, "list of
strings" (of the items' type), alternatives joined with "or" (null last).
Defaults are written as YAML flow (`{kafka: ok}`, `[kafka-admin]`); an empty
mapping default whose keys have defaults of their own is followed by those
(`{}`: key `kafka`, value `ok`).  Exit 0 ok, 1 differs, 2 usage or I/O error.
"""
import difflib
import json
import re
import sys

MARKER = "Generated from `schemas/environment.schema.json`."

TYPE_WORDS = {"object": "mapping", "array": "list"}
PLURALS = {"object": "mappings", "string": "strings", "integer": "integers",
           "number": "numbers", "boolean": "booleans", "array": "lists", "null": "nulls"}


def resolve(node, root):
    """The node with its local $ref merged in (the node's own keys win)."""
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return node
    if not ref.startswith("#/"):
        raise SystemExit("readme_keys.py: only local $refs are supported, not %s" % ref)
    target = root
    for part in ref[2:].split("/"):
        target = target[part.replace("~1", "/").replace("~0", "~")]
    merged = dict(resolve(target, root))
    merged.update({k: v for k, v in node.items() if k != "$ref"})
    return merged


def branches(node, root):
    """The node's oneOf/anyOf alternatives, resolved; [] when it has none."""
    out = []
    for key in ("oneOf", "anyOf"):
        for b in node.get(key, []):
            if isinstance(b, dict):
                out.append(resolve(b, root))
    return out


def types_of(node, root):
    """The JSON types a node allows, in schema order."""
    t = node.get("type")
    if isinstance(t, str):
        return [t]
    if isinstance(t, list):
        return list(t)
    out = []
    for b in branches(node, root):
        for x in types_of(b, root):
            if x not in out:
                out.append(x)
    if not out and "properties" in node:
        out = ["object"]
    return out


def type_word(node, root):
    types = types_of(node, root)
    if not types:
        return "any"
    types = [t for t in types if t != "null"] + [t for t in types if t == "null"]
    words = []
    for t in types:
        if t == "array":
            items = node.get("items")
            item_types = types_of(resolve(items, root), root) if isinstance(items, dict) else []
            if len(item_types) == 1:
                words.append("list of " + PLURALS.get(item_types[0], item_types[0]))
            else:
                words.append("list")
        else:
            words.append(TYPE_WORDS.get(t, t))
    return " or ".join(words)


PLAIN = re.compile(r"^[A-Za-z0-9_./+-][A-Za-z0-9 _./+:@-]*$")


def flow(value, top=False):
    """A value as YAML flow; scalars at the top are written bare."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        if top:
            return value
        plain = (PLAIN.match(value) and not value.endswith(" ") and ": " not in value
                 and value not in ("true", "false", "null", "yes", "no", "on", "off", "~")
                 and not re.match(r"^[-+.0-9]", value))
        return value if plain else json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join("%s: %s" % (flow(k), flow(v)) for k, v in value.items()) + "}"
    raise SystemExit("readme_keys.py: cannot write default %r" % (value,))


def object_parts(node, root):
    """The node itself and its object branches: where its keys are declared."""
    parts = [node] + [b for b in branches(node, root) if "object" in types_of(b, root)]
    return [p for p in parts if "properties" in p or "patternProperties" in p]


def child_defaults(node, root):
    """(key, default) of the keys of an object node that have a default."""
    out = []
    for part in object_parts(node, root):
        for key, sub in part.get("properties", {}).items():
            sub = resolve(sub, root)
            if "default" in sub:
                out.append((key, sub["default"]))
    return out


def suffix(node, root):
    parts = []
    enum = node.get("enum")
    if enum is None:
        for b in branches(node, root):
            if "enum" in b:
                enum = (enum or []) + [v for v in b["enum"] if v not in (enum or [])]
    if enum is not None:
        parts.append("one of " + ", ".join("`%s`" % flow(v, top=True) for v in enum))
    if "default" in node:
        d = node["default"]
        text = "default `%s`" % flow(d, top=True)
        if d == {}:
            kids = child_defaults(node, root)
            if kids:
                text += ": " + ", ".join("%s `%s`" % (k, flow(v, top=True)) for k, v in kids)
        parts.append(text)
    return " (" + "; ".join(parts) + ")" if parts else ""


def cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def row(key, node, root, required):
    meaning = node.get("description", "")
    if required:
        meaning = ("**required** " + meaning).rstrip()
    meaning += suffix(node, root)
    return "| `%s` | %s | %s |" % (key, type_word(node, root), cell(meaning))


def walk(node, root, prefix, rows):
    """Rows for the keys of an object node (and of its object branches)."""
    for part in object_parts(node, root):
        required = part.get("required", [])
        for key, sub in part.get("properties", {}).items():
            sub = resolve(sub, root)
            path = prefix + key
            rows.append(row(path, sub, root, key in required))
            descend(sub, root, path, rows)
        for pattern, sub in part.get("patternProperties", {}).items():
            m = re.match(r"^\^([A-Za-z0-9_-]+)$", pattern)
            if not m:
                continue  # a key pattern that is not a plain prefix says nothing a reader can use
            sub = resolve(sub, root)
            path = prefix + m.group(1) + "*"
            rows.append(row(path, sub, root, False))
            descend(sub, root, path, rows)


def descend(node, root, path, rows):
    walk(node, root, path + ".", rows)
    items = node.get("items")
    if isinstance(items, dict) and "array" in types_of(node, root):
        walk(resolve(items, root), root, path + "[].", rows)


def table(schema):
    rows = ["| key | type | meaning |", "|---|---|---|"]
    walk(schema, schema, "", rows)
    return "\n".join(rows) + "\n"


def split_readme(text):
    """(before, table part, after): the table part runs from after the marker
    line to the next heading outside a code fence."""
    lines = text.splitlines(keepends=True)
    start = None
    for i, line in enumerate(lines):
        if line.rstrip("\n") == MARKER:
            start = i + 1
            break
    if start is None:
        raise SystemExit("readme_keys.py: no line %r in the README" % MARKER)
    end = len(lines)
    fence = False
    for i in range(start, len(lines)):
        if lines[i].startswith("```"):
            fence = not fence
        elif not fence and lines[i].startswith("#"):
            end = i
            break
    return "".join(lines[:start]), "".join(lines[start:end]), "".join(lines[end:])


def main(argv):
    mode = None
    args = []
    for a in argv[1:]:
        if a in ("--check", "--write"):
            if mode:
                return usage()
            mode = a
        elif a.startswith("-"):
            return usage()
        else:
            args.append(a)
    if (mode and len(args) != 2) or (not mode and len(args) != 1):
        return usage()
    try:
        with open(args[-1], encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, ValueError) as e:
        print("readme_keys.py: %s: %s" % (args[-1], e), file=sys.stderr)
        return 2
    want = "\n" + table(schema) + "\n"
    if not mode:
        sys.stdout.write(want[1:-1])
        return 0
    readme = args[0]
    try:
        with open(readme, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        print("readme_keys.py: %s" % e, file=sys.stderr)
        return 2
    before, have, after = split_readme(text)
    if have == want:
        return 0
    if mode == "--write":
        try:
            with open(readme, "w", encoding="utf-8") as f:
                f.write(before + want + after)
        except OSError as e:
            print("readme_keys.py: %s" % e, file=sys.stderr)
            return 2
        return 0
    sys.stdout.writelines(difflib.unified_diff(
        have.splitlines(keepends=True), want.splitlines(keepends=True),
        "%s (Every key)" % readme, "%s (from %s)" % (readme, args[1])))
    print("%s: the Every key table is not the schema's; run: python3 tests/readme_keys.py --write %s %s"
          % (readme, readme, args[1]))
    return 1


def usage():
    print("usage: readme_keys.py [--check|--write README] SCHEMA", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
