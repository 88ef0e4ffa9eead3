#!/usr/bin/python3
"""Does PyYAML (a YAML 1.1 parser) read back what the YAML emitter meant?

    /usr/bin/python3 tests/yaml_roundtrip.py INTENDED.json DIR

For every intended .yaml/.yml output (see tests/intended.py for
INTENDED.json, DIR and the output): the file is loaded with PyYAML's
SafeLoader (pure Python) and, when built, CSafeLoader (libyaml); it must hold
one document, equal to the intended tree exactly: the same types (a string
that comes back as a bool, int, float, null, date or merge key fails), the
same mapping keys (strings) in the same order, the same strings, the same
sign of zero.
"""
import math
import os
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from intended import Map, kind, main, show  # noqa: E402  (tests/intended.py)

EXTS = (".yaml", ".yml")


def same(got, want, where):
    """None when equal, else where and how they first differ."""
    if isinstance(want, Map):
        if not isinstance(got, dict):
            return f"{where}: want a mapping, got {kind(got)} {show(got)}"
        gk = list(got.keys())
        wk = [k for k, _ in want]
        if gk != wk or any(type(k) is not str for k in gk):
            return f"{where}: want keys {wk}, got {gk}"
        for k, wv in want:
            d = same(got[k], wv, f"{where}.{k}")
            if d:
                return d
        return None
    if isinstance(want, list):
        if not isinstance(got, list):
            return f"{where}: want a sequence, got {kind(got)} {show(got)}"
        if len(got) != len(want):
            return f"{where}: want {len(want)} items, got {len(got)}"
        for i, (g, w) in enumerate(zip(got, want)):
            d = same(g, w, f"{where}[{i}]")
            if d:
                return d
        return None
    if kind(got) != kind(want):
        return f"{where}: want {kind(want)} {show(want)}, got {kind(got)} {show(got)}"
    if isinstance(want, float) and math.isnan(want):
        return None if math.isnan(got) else f"{where}: want NaN, got {got!r}"
    if got != want:
        return f"{where}: want {show(want)}, got {show(got)}"
    if isinstance(want, float) and math.copysign(1, got) != math.copysign(1, want):
        return f"{where}: want {want!r}, got {got!r} (sign of zero)"
    return None


def check(path, want):
    with open(path, "rb") as f:
        text = f.read()
    loaders = [("SafeLoader", yaml.SafeLoader)]
    if getattr(yaml, "__with_libyaml__", False):
        loaders.append(("CSafeLoader", yaml.CSafeLoader))
    for name, loader in loaders:
        try:
            docs = list(yaml.load_all(text, Loader=loader))
        except yaml.YAMLError as e:
            return f"{name}: {' '.join(str(e).split())}"
        if len(docs) != 1:
            return f"{name}: {len(docs)} documents, want 1"
        d = same(docs[0], want, "$")
        if d:
            return f"{name}: {d}"
    return None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], EXTS, check, __doc__))
