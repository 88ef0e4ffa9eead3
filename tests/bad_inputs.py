#!/usr/bin/python3
"""Run the bad-input cases of tests/bad-inputs.txt against `asbgen validate`.

    /usr/bin/python3 tests/bad_inputs.py ASBGEN [CASES_FILE] [--command CMD] [--update]

CASES_FILE (default tests/bad-inputs.txt) holds many cases:

    === case-name
    --- args --format json        optional; default: --format text
    --- spec                      the spec, every line up to the next marker
    name: x
    ...
    --- exit 1
    --- expect                    standard output, then standard error
    case-name.yaml:3:1: error: ...

`--- spec-hex` instead of `--- spec` gives the spec as hexadecimal bytes
(whitespace ignored), for binary junk.  A spec block is written with a final
newline; `--- spec-nonl` is the same without it.  Lines starting with "# " before
the first case are comments.  Marker lines are exactly "=== NAME" or
"--- args|spec|spec-hex|spec-nonl|exit|expect", so a YAML "---" line is spec text.

`--- operand DIR` gives an empty directory DIR as the operand instead of
the file (asbgen import of an empty folder).

Each case runs `ASBGEN CMD ARGS case-name.yaml` (CMD: --command, default
validate; tests/import-bad-inputs.txt is run with --command import) in a fresh temporary
directory (so file names in diagnostics are stable), with LC_ALL=C, NO_COLOR=1
and nothing else from the caller's environment except PATH and the
sanitizers' options.  Exit status and output must match exactly; a mismatch
prints a unified diff.  One "ok - bad input NAME" / "not ok - ..." per case.

--update rewrites the exit and expect blocks from what the binary does now
(to write new cases; read every result before committing it).
"""
import difflib
import os
import re
import subprocess
import sys
import tempfile

MARK = re.compile(r"^(=== (?P<case>\S+)|--- (?P<key>args|operand|spec|spec-hex|spec-nonl|exit|expect)(?: (?P<arg>.*))?)$")


def parse(text):
    cases = []
    cur = None
    key = None
    for line in text.split("\n"):
        m = MARK.match(line)
        if m and m.group("case"):
            cur = {"name": m.group("case"), "blocks": {}, "inline": {}}
            cases.append(cur)
            key = None
            continue
        if m and cur is not None:
            key = m.group("key")
            if m.group("arg") is not None:
                cur["inline"][key] = m.group("arg")
            else:
                cur["blocks"][key] = []
            continue
        if cur is None:
            if line and not line.startswith("#"):
                raise SystemExit(f"bad_inputs: text before the first case: {line!r}")
            continue
        if key is None or key not in cur["blocks"]:
            if line.strip():
                raise SystemExit(f"bad_inputs: {cur['name']}: text outside a block: {line!r}")
            continue
        cur["blocks"][key].append(line)
    for c in cases:
        for k, v in c["blocks"].items():
            while v and v[-1] == "":  # blank lines before the next marker
                v.pop()
    return cases


def spec_bytes(c):
    b = c["blocks"]
    if "spec-hex" in b:
        return bytes.fromhex("".join("".join(b["spec-hex"]).split()))
    if "spec-nonl" in b:
        return "\n".join(b["spec-nonl"]).encode()
    if "spec" in b:
        return ("\n".join(b["spec"]) + "\n").encode() if b["spec"] else b""
    if "operand" in c["inline"]:
        return None
    raise SystemExit(f"bad_inputs: {c['name']}: no spec")


def run(asbgen, c, command):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "NO_COLOR": "1"}
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    args = c["inline"].get("args", "--format text").split()
    with tempfile.TemporaryDirectory() as d:
        data = spec_bytes(c)
        if data is None:
            fn = c["inline"]["operand"]
            os.mkdir(os.path.join(d, fn))
        else:
            fn = c["name"] + ".yaml"
            with open(os.path.join(d, fn), "wb") as f:
                f.write(data)
        p = subprocess.run([asbgen, command, *args, fn], cwd=d, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    out = p.stdout.decode("utf-8", "backslashreplace") + p.stderr.decode("utf-8", "backslashreplace")
    return p.returncode, out


def render_case(c, rc, out):
    lines = [f"=== {c['name']}"]
    for k in ("args", "operand"):
        if k in c["inline"]:
            lines.append(f"--- {k} {c['inline'][k]}")
    for k in ("spec", "spec-hex", "spec-nonl"):
        if k in c["blocks"]:
            lines.append(f"--- {k}")
            lines += c["blocks"][k]
    lines.append(f"--- exit {rc}")
    lines.append("--- expect")
    lines += out.rstrip("\n").split("\n") if out else []
    return lines


def main(argv):
    update = "--update" in argv
    argv = [a for a in argv if a != "--update"]
    command = "validate"
    if "--command" in argv:
        i = argv.index("--command")
        command = argv[i + 1]
        del argv[i:i + 2]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    asbgen = os.path.abspath(argv[0])
    path = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(__file__), "bad-inputs.txt")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    cases = parse(text)
    names = [c["name"] for c in cases]
    dups = {n for n in names if names.count(n) > 1}
    if dups:
        raise SystemExit(f"bad_inputs: cases named twice: {sorted(dups)}")
    failed = 0
    new = []
    header = []
    for line in text.split("\n"):
        if MARK.match(line) and line.startswith("==="):
            break
        header.append(line)
    for c in cases:
        rc, out = run(asbgen, c, command)
        if update:
            new += render_case(c, rc, out) + [""]
            continue
        want_rc = c["inline"].get("exit")
        want = "\n".join(c["blocks"].get("expect", []))
        got = out.rstrip("\n")
        problems = []
        if want_rc is None or str(rc) != want_rc.strip():
            problems.append(f"exit status {rc}, want {want_rc}")
        if got != want:
            diff = difflib.unified_diff(want.split("\n"), got.split("\n"), "expected", "got", lineterm="")
            problems += list(diff)
        if problems:
            failed += 1
            print(f"not ok - bad input {c['name']}")
            for p in problems:
                print(f"  {p}")
        else:
            print(f"ok - bad input {c['name']}")
    if update:
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(header).rstrip("\n") + "\n\n" + "\n".join(new).rstrip("\n") + "\n")
        print(f"bad_inputs: rewrote {len(cases)} cases in {path}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
