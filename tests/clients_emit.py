#!/usr/bin/python3
"""The librdkafka emitter's edge cases, read back by kcat itself.

    /usr/bin/python3 tests/clients_emit.py ASBGEN SPEC TMPDIR

Each case puts one client.id value into a copy of templates/ (the
librdkafka template of the clients), renders SPEC with it, and either
(`ok` cases) gives the written .conf to `kcat -F FILE -X dump`, whose
client.id must be exactly the value, or (`refused` cases) expects render
to fail with the case's rule id, naming the template's line.  Prints
"ok - ..." / "not ok - ..." lines.
"""
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINE = len("client.id=")
CASES = [
    # (name, value, None or the rule id render must report)
    ("separators and comment starters inside", "a=b:c #d !e", None),
    ("a backslash not before = or :", "C:x\\y\\\\z \\", None),
    ("UTF-8", "caf\u00e9 \u2603 \U0001f600", None),
    ("a '#' first in a value", "#not-a-comment", None),
    ("an empty value", "", None),
    ("a line of 511 bytes, kcat's longest", "x" * (511 - LINE), None),
    ("a line of 512 bytes", "x" * (512 - LINE), "emit-librdkafka-line"),
    ("a leading blank", " x", "emit-librdkafka-text"),
    ("a trailing blank", "x ", "emit-librdkafka-text"),
    ("a tab", "a\tb", "emit-librdkafka-text"),
    ("a line break", "a\nb", "emit-librdkafka-text"),
    ("a backslash before '='", "a\\=b", "emit-librdkafka-text"),
    ("a backslash before ':'", "a\\:b", "emit-librdkafka-text"),
]


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    asbgen, spec, tmp = argv
    failed = 0
    for i, (name, value, rule) in enumerate(CASES):
        tpl = os.path.join(tmp, f"tpl{i}")
        shutil.copytree(os.path.join(ROOT, "templates"), tpl)
        path = os.path.join(tpl, "clients", "librdkafka.conf.yaml")
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"client.id: {json.dumps(value)}\n")  # JSON is YAML
        with open(path, encoding="utf-8") as f:
            lineno = f.read().count("\n")
        out = os.path.join(tmp, f"out{i}")
        r = subprocess.run([asbgen, "render", spec, "-o", out, "--templates", tpl, "--quiet"],
                           capture_output=True, text=True)
        why = None
        if rule:
            want = f"librdkafka.conf.yaml:{lineno}:"
            if r.returncode == 0:
                why = "render accepted it"
            elif f"[{rule}]" not in r.stderr or want not in r.stderr:
                why = f"exit {r.returncode}, want [{rule}] at {want}: {r.stderr.strip()[:1500]}"
            if not why and os.path.exists(out):
                why = "render failed but wrote files"
            title = f"clients: librdkafka emitter refuses {name} ({rule})"
        else:
            confs = [os.path.join(dp, f) for dp, _, fs in os.walk(out) for f in fs if f.endswith(".conf")]
            if r.returncode != 0 or not confs:
                why = f"render exit {r.returncode}: {r.stderr.strip()[:1500]}"
            for conf in sorted(confs):
                d = subprocess.run(["kcat", "-F", conf, "-X", "dump"], capture_output=True)
                got = re.findall(rb"^client\.id = (.*)$", d.stdout, re.M)
                if d.returncode != 0:
                    why = f"kcat exit {d.returncode}: {d.stderr.decode(errors='replace').strip()}"
                elif got != [value.encode()] and not (value == "" and got == [b"rdkafka"]):
                    why = f"{conf}: kcat read client.id {got!r}, want {value.encode()!r}"
            title = f"clients: kcat reads {name} as written ({len(confs)} files)"
        if why:
            failed += 1
            print(f"not ok - {title}\n    {why}")
        else:
            print(f"ok - {title}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
