"""The round-trip checkers' common part: intended trees against files.

Each checker (tests/yaml_roundtrip.py, tests/properties.py, and
tests/hcl_roundtrip.js in JavaScript) is called the same way:

    CHECKER INTENDED.json DIR

INTENDED.json is {"outputs": {PATH: TREE, ...}, "must_fail": [PATH, ...]}:
what `build/tools/outputs_json` prints for a spec (the trees the emitters
were given; DIR is out/NAME), or what `build/tools/emit_cases` writes for
the emitters' own cases (DIR is where it wrote the files; "must_fail" lists
the files written wrong on purpose, which the checker must reject).  For
every PATH with one of the checker's extensions it prints "ok - DIR/PATH"
or "not ok - DIR/PATH: why"; a file in DIR with one of those extensions
that is not a PATH, and a PATH that is not in DIR, are failures too.
Exit 1 when anything failed, 2 on a usage error.
"""
import json
import os
import sys


class Map(list):
    """An ordered mapping as JSON wrote it: a list of (key, value) pairs."""


def kind(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "string"
    if isinstance(v, (Map, dict)):
        return "mapping"
    if isinstance(v, list):
        return "sequence"
    return type(v).__name__


def show(v):
    s = json.dumps(v if not isinstance(v, Map) else dict(v), default=str)
    return s if len(s) <= 80 else s[:77] + "..."


def load(path):
    """INTENDED.json: (outputs as a Map, the set of must-fail paths).  JSON
    may use NaN, Infinity and -Infinity (Python's json reads them)."""
    with open(path, encoding="utf-8") as f:
        top = dict(json.load(f, object_pairs_hook=Map))
    return top["outputs"], set(top.get("must_fail") or [])


def first_line(e):
    s = str(e)
    return f"{type(e).__name__}: {s.splitlines()[0] if s else repr(e)}"


def main(argv, exts, check, usage):
    """Run check(path, tree) -> None or why over the intended outputs."""
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        print(usage.strip(), file=sys.stderr)
        return 2
    outputs, must_fail = load(argv[0])
    envdir = argv[1].rstrip("/") or "/"
    failed = 0

    def report(path, why):
        nonlocal failed
        if why:
            failed += 1
            print(f"not ok - {path}: {why}")
        else:
            print(f"ok - {path}")

    intended = set()
    for rel, want in outputs:
        if os.path.splitext(rel)[1] not in exts:
            continue
        path = os.path.normpath(os.path.join(envdir, rel))
        intended.add(path)
        if not os.path.isfile(path):
            report(path, "intended output is not on disk")
            continue
        try:
            why = check(path, want)
        except Exception as e:  # a parser's error is the file's failure
            why = first_line(e)
        if rel in must_fail:
            report(path, None if why else "wrong on purpose, but the checker accepted it")
            if why:
                print(f"    rejected as it must be: {why}")
        else:
            report(path, why)
    for root, dirs, files in os.walk(envdir):
        dirs.sort()
        for fn in sorted(files):
            p = os.path.normpath(os.path.join(root, fn))
            if os.path.splitext(fn)[1] in exts and p not in intended:
                report(p, "on disk but not an intended output")
    return 1 if failed else 0
