#!/usr/bin/python3
"""schema_suite.py - the official JSON-Schema-Test-Suite (draft-07) through
`asbgen check --schema`, one case per process, as a user runs it.

    schema_suite.py ASBGEN SUITE_DIR SKIPS TMPDIR

SUITE_DIR is the suite's root (tests/draft7 and remotes/ below it: Debian's
/usr/share/json-schema-test-suite).  Every file of tests/draft7, optional
ones included, is run except what SKIPS (tests/schema-suite-skips.txt)
lists; each case's schema and data are written as JSON files and checked
with

    asbgen check --format json --schema SCHEMA.json \\
        --ref http://localhost:1234/=SUITE_DIR/remotes/ \\
        --ref http://json-schema.org/draft-07/schema=tests/unit/data/json-schema-draft-07.json \\
        DATA.json

A valid case must exit 0 without a diagnostic; an invalid one must exit 1
with a schema error (an id schema-*) and no other error, so a file asbgen
cannot read never counts as a rejected instance.  Prints "ok - FILE: GROUP:
TEST" or "not ok - ..." for each case, "# skip - ...: WHY" for each skipped
one, then the skip table and the counts.  A skip entry that matches no case
is a failure.
"""
import concurrent.futures
import glob
import json
import os
import subprocess
import sys

META = "tests/unit/data/json-schema-draft-07.json"


def read_skips(path):
    skips = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split(" | ")]
            if len(parts) != 5 or parts[3] not in ("both", "check"):
                raise SystemExit(f"{path}:{n}: want FILE | GROUP | TEST | both|check | WHY")
            skips.append({"file": parts[0], "group": parts[1], "test": parts[2], "why": parts[4], "used": 0})
    return skips


def find_skip(skips, rel, group, test):
    for s in skips:
        if s["file"] == rel and s["group"] in ("*", group) and s["test"] in ("*", test):
            return s
    return None


def write_json(path, doc):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
        f.write("\n")


def verdict(asbgen, suite, schema_path, data_path, want_valid):
    """None when asbgen agrees, else why not."""
    cmd = [asbgen, "check", "--format", "json", "--schema", schema_path,
           "--ref", "http://localhost:1234/=" + os.path.join(suite, "remotes") + "/",
           "--ref", "http://json-schema.org/draft-07/schema=" + os.path.abspath(META),
           data_path]
    r = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    try:
        diags = json.loads(r.stdout) if r.stdout.strip() else []
    except ValueError:
        return f"exit {r.returncode}, stdout is not JSON: {r.stdout[:500]!r} {r.stderr[:500]!r}"
    errors = [d for d in diags if d.get("severity") == "error"]
    text = "; ".join(f"{d.get('id')}: {d.get('message')}" for d in diags)[:800]
    if want_valid:
        if r.returncode == 0 and not diags:
            return None
        return f"expected valid; exit {r.returncode}: {text}{r.stderr[:300]}"
    other = [d for d in errors if not str(d.get("id", "")).startswith("schema-")
             or d.get("id") in ("schema-load", "schema-ref")]
    if r.returncode == 1 and errors and not other:
        return None
    return f"expected invalid; exit {r.returncode}: {text}{r.stderr[:300]}"


def main():
    if len(sys.argv) != 5:
        raise SystemExit("usage: schema_suite.py ASBGEN SUITE_DIR SKIPS TMPDIR")
    asbgen, suite, skips_path, tmp = sys.argv[1:]
    root = os.path.join(suite, "tests", "draft7")
    files = sorted(os.path.relpath(p, root) for p in glob.glob(os.path.join(root, "**", "*.json"), recursive=True))
    if not files:
        print(f"not ok - JSON-Schema-Test-Suite draft7 at {suite}: no files (install json-schema-test-suite)")
        return 1
    skips = read_skips(skips_path)
    # (name, want_valid, schema path, data path) of every case to run, in order
    cases, skipped, lines = [], 0, []
    for fi, rel in enumerate(files):
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            groups = json.load(f)
        for gi, g in enumerate(groups):
            schema_path = None
            for ti, t in enumerate(g["tests"]):
                name = f"{rel}: {g['description']}: {t['description']}"
                sk = find_skip(skips, rel, g["description"], t["description"])
                if sk:
                    sk["used"] += 1
                    skipped += 1
                    lines.append((len(cases), f"# skip - {name}: {sk['why']}"))
                    continue
                if schema_path is None:
                    schema_path = os.path.join(tmp, f"s{fi}-{gi}.json")
                    write_json(schema_path, g["schema"])
                data_path = os.path.join(tmp, f"d{fi}-{gi}-{ti}.json")
                write_json(data_path, t["data"])
                cases.append((name, t["valid"], schema_path, data_path))
    # The processes are independent: two at a time per core.
    with concurrent.futures.ThreadPoolExecutor(max_workers=2 * (os.cpu_count() or 1)) as pool:
        whys = list(pool.map(lambda c: verdict(asbgen, suite, c[2], c[3], c[1]), cases))
    passed = failed = 0
    li = 0
    for i, (name, _, _, _) in enumerate(cases):
        while li < len(lines) and lines[li][0] == i:
            print(lines[li][1])
            li += 1
        if whys[i] is None:
            passed += 1
            print(f"ok - {name}")
        else:
            failed += 1
            print(f"not ok - {name}\n    {whys[i]}")
    for _, text in lines[li:]:
        print(text)
    for s in skips:
        if not s["used"]:
            failed += 1
            print(f"not ok - skip entry matches no case: {s['file']} | {s['group']} | {s['test']}")
    print("# skipped, by entry of " + skips_path + ":")
    for s in skips:
        print(f"#   {s['file']} | {s['group']} | {s['test']} ({s['used']} case{'' if s['used'] == 1 else 's'}): {s['why']}")
    print(f"# JSON-Schema-Test-Suite draft7 through asbgen check, one case per process: "
          f"{passed} passed, {failed} failed, {skipped} skipped, {len(files)} files")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
