#!/usr/bin/python3
"""Does a Java Properties reader read back what the emitter meant?

    /usr/bin/python3 tests/properties.py INTENDED.json DIR

For every intended .properties output (see tests/intended.py): the file,
read as java.util.Properties.load does, has the intended tree's entries,
flattened with '.' (as the emitter documents), each scalar as Java would see
it (true/false, decimal integers, strings as they are); the same keys, no
more, no fewer.

The reader reads the file exactly as java.util.Properties.load(InputStream)
would (Java 9 and later): the bytes are ISO-8859-1; a natural line ends at \\n, \\r or \\r\\n;
blank lines and lines whose first non-blank character is '#' or '!' are
comments (a comment never continues); a line ending in an odd number of
backslashes continues on the next, whose leading blanks are dropped; the key
ends at the first unescaped '=', ':' or blank (' ', '\\t', '\\f'), then blanks
and one '=' or ':' are skipped; in keys and values \\t \\n \\r \\f and \\uXXXX
are escapes (a malformed \\u is an error, as in Java) and a backslash before
any other character stands for that character.  Strings are UTF-16 in Java,
so \\uD83D\\uDE00 pairs form one character; a lone surrogate is an error.

A key given twice is an error here (Java keeps the last; asbgen's emitter
promises never to write one twice).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from intended import Map, kind, main  # noqa: E402  (tests/intended.py)

BLANK = " \t\f"


class PropertiesError(ValueError):
    pass


def logical_lines(text):
    """Yield (line number, logical line) as Java's LineReader does."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    while i < len(lines):
        lineno = i + 1
        line = lines[i].lstrip(BLANK)
        i += 1
        if not line or line[0] in "#!":
            continue
        while True:
            k = len(line) - len(line.rstrip("\\"))
            if k % 2 == 0:
                break
            line = line[:-1]  # the continuation backslash
            if i >= len(lines):
                break
            line += lines[i].lstrip(BLANK)
            i += 1
        yield lineno, line


def unescape(s, lineno):
    units = []
    i = 0
    while i < len(s):
        c = s[i]
        i += 1
        if c != "\\":
            units.append(c)
            continue
        if i >= len(s):
            break  # a lone trailing backslash (end of file) is dropped
        c = s[i]
        i += 1
        if c == "u":
            h = s[i:i + 4]
            if len(h) != 4 or any(ch not in "0123456789abcdefABCDEF" for ch in h):
                raise PropertiesError(f"line {lineno}: malformed \\uxxxx encoding")
            units.append(chr(int(h, 16)))
            i += 4
        else:
            units.append({"t": "\t", "n": "\n", "r": "\r", "f": "\f"}.get(c, c))
    joined = "".join(units)
    try:
        return joined.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError:
        raise PropertiesError(f"line {lineno}: unpaired UTF-16 surrogate") from None


def split_entry(line):
    """Java's Properties.load0: key end, separator, value start."""
    n = len(line)
    key_len = 0
    value_start = n
    has_sep = False
    preceding_backslash = False
    while key_len < n:
        c = line[key_len]
        if c in "=:" and not preceding_backslash:
            value_start = key_len + 1
            has_sep = True
            break
        if c in BLANK and not preceding_backslash:
            value_start = key_len + 1
            break
        preceding_backslash = (not preceding_backslash) if c == "\\" else False
        key_len += 1
    while value_start < n:
        c = line[value_start]
        if c not in BLANK:
            if not has_sep and c in "=:":
                has_sep = True
            else:
                break
        value_start += 1
    return line[:key_len], line[value_start:]


def load(data):
    """bytes -> list of (key, value) in file order."""
    text = data.decode("latin-1")
    entries = []
    for lineno, line in logical_lines(text):
        k, v = split_entry(line)
        entries.append((unescape(k, lineno), unescape(v, lineno), lineno))
    return entries


def load_dict(data):
    out = {}
    for k, v, lineno in load(data):
        if k in out:
            raise PropertiesError(f"line {lineno}: key {k!r} given twice")
        out[k] = v
    return out


# --- the round-trip check: what the emitter was given, as Java reads it ----

def java_text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    return v


def flatten(tree, prefix, out):
    for k, v in tree:
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, Map):
            flatten(v, key, out)
        elif isinstance(v, list) or v is None:
            raise ValueError(f"intended tree has a {kind(v)} at {key}")
        else:
            if key in out:
                raise ValueError(f"intended tree flattens to {key!r} twice")
            out[key] = v


def check(path, want, reader=None):
    """reader: bytes -> dict (default: Java's rules; tests/librdkafka_conf.py
    passes kcat's)."""
    with open(path, "rb") as f:
        got = (reader or load_dict)(f.read())
    if not isinstance(want, Map):
        return f"intended tree is a {kind(want)}, not a mapping"
    flat = {}
    flatten(want, "", flat)
    if set(got) != set(flat):
        extra = sorted(set(got) - set(flat))
        lost = sorted(set(flat) - set(got))
        return f"keys differ: not intended {extra}, missing {lost}"
    for k, w in flat.items():
        g = got[k]
        if isinstance(w, float):
            try:
                ok = float(g) == w
            except ValueError:
                ok = False
        else:
            ok = g == java_text(w)
        if not ok:
            return f"{k}: want {java_text(w)!r}, got {g!r}"
    return None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], (".properties",), check, __doc__))
