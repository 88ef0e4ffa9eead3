#!/usr/bin/python3
"""Check that PyYAML (a YAML 1.1 parser) reads back what the emitter meant.

    /usr/bin/python3 tests/emit_roundtrip.py YAML JSON [YAML JSON ...]

Each YAML file holds one document; JSON holds the expected value.  The YAML is
loaded with PyYAML's SafeLoader (pure Python) and, when built, CSafeLoader
(libyaml); the result must equal the JSON value exactly: same types (a string
that comes back as a bool, int, float, null, date or merge is a failure),
same mapping key order, same strings.  JSON may use NaN, Infinity, -Infinity.
Prints "ok - FILE" or "not ok - FILE: why" per pair; exits 1 on any failure.
"""
import json
import math
import sys

import yaml


class Map(list):
    """An ordered list of (key, value) pairs: a mapping as written."""


def from_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, object_pairs_hook=Map)


def same(got, want, where):
    """Return None when equal, else a description of the first difference."""
    if isinstance(want, Map):
        if not isinstance(got, dict):
            return f"{where}: want a mapping, got {type(got).__name__} {got!r}"
        gitems = list(got.items())
        if len(gitems) != len(want):
            return f"{where}: want {len(want)} keys, got {len(gitems)}: {list(got)!r}"
        for (gk, gv), (wk, wv) in zip(gitems, want):
            if type(gk) is not str or gk != wk:
                return f"{where}: want key {wk!r}, got {gk!r} ({type(gk).__name__})"
            d = same(gv, wv, f"{where}.{wk}")
            if d:
                return d
        return None
    if isinstance(want, list):
        if not isinstance(got, list):
            return f"{where}: want a sequence, got {type(got).__name__} {got!r}"
        if len(got) != len(want):
            return f"{where}: want {len(want)} items, got {len(got)}"
        for i, (g, w) in enumerate(zip(got, want)):
            d = same(g, w, f"{where}[{i}]")
            if d:
                return d
        return None
    if type(got) is not type(want):
        return f"{where}: want {type(want).__name__} {want!r}, got {type(got).__name__} {got!r}"
    if isinstance(want, float) and math.isnan(want) and math.isnan(got):
        return None
    if got != want:
        return f"{where}: want {want!r}, got {got!r}"
    if isinstance(want, float) and math.copysign(1, got) != math.copysign(1, want):
        return f"{where}: want {want!r}, got {got!r} (sign of zero)"
    return None


def check(ypath, jpath):
    want = from_json(jpath)
    with open(ypath, "rb") as f:
        text = f.read()
    loaders = [("SafeLoader", yaml.SafeLoader)]
    if getattr(yaml, "__with_libyaml__", False):
        loaders.append(("CSafeLoader", yaml.CSafeLoader))
    for name, loader in loaders:
        try:
            docs = list(yaml.load_all(text, Loader=loader))
        except yaml.YAMLError as e:
            return f"{name}: {str(e)!r}"
        if len(docs) != 1:
            return f"{name}: want 1 document, got {len(docs)}"
        d = same(docs[0], want, "$")
        if d:
            return f"{name}: {d}"
    return None


def main(argv):
    if len(argv) < 3 or len(argv) % 2 == 0:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    failed = 0
    for ypath, jpath in zip(argv[1::2], argv[2::2]):
        try:
            why = check(ypath, jpath)
        except Exception as e:  # a broken expectation file is a failure too
            why = f"{type(e).__name__}: {e}"
        if why:
            failed += 1
            print(f"not ok - {ypath}: {why}")
        else:
            print(f"ok - {ypath}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
