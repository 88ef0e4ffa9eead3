#!/usr/bin/env python3
"""testid_limits.py - every name a test instance derives, at its limit.

    testid_limits.py ASBGEN CASES [--update]

CASES (tests/testid/limits.txt) holds cases: "=== NAME", "--- testid ID",
"--- spec" and the spec's lines, "--- expect" and what `asbgen validate
--testid ID NAME.yaml` gives (run in a temporary directory): "exit N", then
its standard error.  Each limit has a case exactly at it (exit 0) and one a
character over it (exit 1, the limit named, at the spec key's position).
Prints one "ok -" / "not ok -" line per case; --update rewrites the
expected parts (read every change before committing).
"""
import os
import subprocess
import sys
import tempfile


def parse(text):
    cases, cur, part = [], None, None
    for line in text.splitlines(keepends=True):
        if line.startswith("=== "):
            cur = {"name": line[4:].strip(), "testid": None, "spec": "", "expect": ""}
            cases.append(cur)
            part = None
        elif line.startswith("--- testid "):
            cur["testid"] = line[len("--- testid "):].strip()
        elif line.startswith("--- spec"):
            part = "spec"
        elif line.startswith("--- expect"):
            part = "expect"
        elif cur is not None and part:
            cur[part] += line
        elif line.strip() and not line.startswith("#"):
            raise SystemExit(f"testid_limits.py: stray line {line!r}")
    return cases


def main():
    asbgen, path = os.path.abspath(sys.argv[1]), sys.argv[2]
    update = "--update" in sys.argv[3:]
    text = open(path).read()
    head = text[: text.find("=== ")] if "=== " in text else text
    cases = parse(text)
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for c in cases:
            spec = os.path.join(tmp, c["name"] + ".yaml")
            with open(spec, "w") as f:
                f.write(c["spec"])
            r = subprocess.run([asbgen, "validate", "--testid", c["testid"], c["name"] + ".yaml"], cwd=tmp,
                               capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
            got = f"exit {r.returncode}\n" + r.stderr
            if update:
                c["expect"] = got.rstrip("\n") + "\n"
            if got.rstrip("\n") == c["expect"].rstrip("\n"):
                print(f"ok - testid limit: {c['name']} ({got.splitlines()[0]})")
            else:
                failed += 1
                print(f"not ok - testid limit: {c['name']}")
                for ln in ("want:\n" + c["expect"] + "got:\n" + got).splitlines()[:40]:
                    print("    " + ln)
    if update:
        with open(path, "w") as f:
            f.write(head)
            for c in cases:
                f.write(f"=== {c['name']}\n--- testid {c['testid']}\n--- spec\n{c['spec']}--- expect\n{c['expect']}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
