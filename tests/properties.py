#!/usr/bin/python3
"""A faithful reader of Java .properties files, for the tests.

    /usr/bin/python3 tests/properties.py FILE...

prints, for each FILE, its entries as a JSON object ({FILE: {key: value}}),
exactly as java.util.Properties.load(InputStream) would read them (Java 9 and
later): the bytes are ISO-8859-1; a natural line ends at \\n, \\r or \\r\\n;
blank lines and lines whose first non-blank character is '#' or '!' are
comments (a comment never continues); a line ending in an odd number of
backslashes continues on the next, whose leading blanks are dropped; the key
ends at the first unescaped '=', ':' or blank (' ', '\\t', '\\f'), then blanks
and one '=' or ':' are skipped; in keys and values \\t \\n \\r \\f and \\uXXXX
are escapes (a malformed \\u is an error, as in Java) and a backslash before
any other character stands for that character.  Strings are UTF-16 in Java,
so \\uD83D\\uDE00 pairs form one character; a lone surrogate is an error.

A key given twice is an error here (Java keeps the last; asbgen's emitter
promises never to write one twice).  Exit 1 when a file cannot be read that
way, with "FILE: why" on stderr.
"""
import json
import sys

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


def main(argv):
    if not argv:
        print("usage: properties.py FILE...", file=sys.stderr)
        return 2
    rc = 0
    result = {}
    for path in argv:
        try:
            with open(path, "rb") as f:
                result[path] = load_dict(f.read())
        except (OSError, PropertiesError) as e:
            print(f"{path}: {e}", file=sys.stderr)
            rc = 1
    json.dump(result, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
