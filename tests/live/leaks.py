#!/usr/bin/python3
"""leaks.py - does any form of a secret appear in asbgen's output?

    /usr/bin/python3 tests/live/leaks.py [--secret S]... [--pem FILE]... FILE...

The property README.md's diff --live section promises, checked from the
outside: no run of RUN (6) or more consecutive characters of a secret in
any form asbgen redacts appears in FILE.  Forms: the secret; its base64,
standard and URL-safe, at each of the three alignments it can have in a
longer base64 text (only the characters that depend on the secret alone);
percent-encoded; with '/' written '\\/'.  For a PEM file (a client key):
each line of its body, and the base64 of the whole text (client-key-data).
Prints every leak found ("FILE: FORM: TEXT") and exits 1 if there is one.
"""
import argparse
import base64
import re
import sys
import urllib.parse

RUN = 6


def b64_cores(raw):
    """The base64 characters of raw that do not depend on its neighbours."""
    out = []
    for shift in range(3):
        enc = base64.b64encode(b"\0" * shift + raw).decode().rstrip("=")
        start, end = (8 * shift + 5) // 6, 8 * (shift + len(raw)) // 6
        core = enc[start:end]
        out.append(("base64+%d" % shift, core))
        out.append(("base64url+%d" % shift, core.replace("+", "-").replace("/", "_")))
    return out


def forms(name, text):
    raw = text.encode()
    pct = urllib.parse.quote(text, safe="")
    f = [(name, text), (name + " percent", pct),
         (name + " percent, lower-case hex", re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), pct)),
         (name + " json", text.replace("/", "\\/"))]
    f += [(name + " " + n, c) for n, c in b64_cores(raw)]
    return f


def pem_forms(path):
    text = open(path, encoding="ascii").read()
    f = [(path + " base64 of the file " + n, c) for n, c in b64_cores(text.encode())]
    for i, line in enumerate(text.splitlines()):
        if line and not line.startswith("-----"):
            f += forms("%s line %d" % (path, i + 1), line.strip())
    return f


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--secret", action="append", default=[])
    p.add_argument("--pem", action="append", default=[])
    p.add_argument("files", nargs="+")
    args = p.parse_args()
    all_forms = [f for s in args.secret for f in forms("secret", s)] + [f for x in args.pem for f in pem_forms(x)]
    found = 0
    for path in args.files:
        data = open(path, encoding="utf-8", errors="replace").read()
        for name, form in all_forms:
            for i in range(0, max(len(form) - RUN + 1, 0)):
                w = form[i:i + RUN]
                if w in data:
                    print("%s: %s: %r (at %d of the form)" % (path, name, w, i))
                    found += 1
                    break
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
