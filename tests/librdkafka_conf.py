#!/usr/bin/python3
"""Does kcat's configuration reader read back what the emitter meant?

    /usr/bin/python3 tests/librdkafka_conf.py INTENDED.json DIR

For every intended .conf output (see tests/intended.py): the file, read as
kcat -F (kcat 1.7, read_conf_file) reads it, has the intended tree's
entries, flattened with '.', each scalar as text (true/false, decimal
integers, strings as they are); the same keys, no more, no fewer.
tests/suite_clients.sh also gives every generated file to kcat itself.

kcat's rules, which this reader follows: fgets into a 512-byte buffer (a
line of more than 511 bytes, newline included, is read as two); isspace
trimmed at both ends; empty lines and lines starting with '#' skipped;
the key is everything before the first '=' (none: "expected
property=value"); in the value \\= and \\: stand for = and :.  librdkafka
keeps the last of a key given twice; here that is an error (asbgen's
emitter promises never to write one twice).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from intended import main  # noqa: E402
from properties import check as properties_check  # noqa: E402

SPACE = b" \t\n\v\f\r"
BUF = 512


def fgets_lines(data):
    """The pieces fgets(buf, 512, fp) returns, newline included."""
    i = 0
    while i < len(data):
        nl = data.find(b"\n", i, i + BUF - 1)
        end = nl + 1 if nl >= 0 else min(len(data), i + BUF - 1)
        yield data[i:end]
        i = end


def load_dict(data):
    out = {}
    for lineno, raw in enumerate(fgets_lines(data), 1):
        s = raw.strip(SPACE)
        if not s or s.startswith(b"#"):
            continue
        if b"=" not in s:
            raise ValueError(f"line {lineno}: expected property=value")
        k, v = s.split(b"=", 1)
        v = v.replace(b"\\=", b"=").replace(b"\\:", b":")
        key = k.decode("utf-8")
        if key in out:
            raise ValueError(f"line {lineno}: key {key!r} given twice")
        out[key] = v.decode("utf-8")
    return out


def check(path, want):
    return properties_check(path, want, load_dict)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], (".conf",), check, __doc__))
