#!/usr/bin/python3
"""Does `asbgen check --crds` agree with crdcheck.py?

Usage: crd_agree.py [--per-file] LABEL CRDCHECK_OUT ASBGEN_JSON ASBGEN_SUMMARY FILE...

CRDCHECK_OUT is crdcheck.py's output (one line per problem, then its
summary); ASBGEN_JSON is `asbgen check --format json` (the diagnostics);
ASBGEN_SUMMARY is the summary line of `asbgen check` in text format.
FILE... are the manifest files both were run on.

Compared: the summaries (checked, invalid, not covered); per file, the
invalid documents (by Kind/name); per invalid document, the number of
problems where the two count alike.  They do not when crdcheck.py reports
several unknown keys of one object as one problem ("'a', 'b' were
unexpected": asbgen reports each key at its line), or several problems at
one path (a wrong type fails the enum too: asbgen reports the type only).
Prints "ok - ..." / "not ok - ..." lines for tests/run.sh.
"""
import collections
import json
import re
import sys

SUMMARY = re.compile(r"(\d+) checked, (\d+) invalid, (\d+) not covered")


def crdcheck_problems(text):
    """{file: {doc: [(where, message)]}} and the summary triple."""
    probs = collections.defaultdict(lambda: collections.defaultdict(list))
    summary = None
    for line in text.splitlines():
        if line.startswith("crdcheck: "):
            m = SUMMARY.search(line)
            summary = m.groups() if m else None
            continue
        if line.endswith(": a document that is not a mapping"):
            probs[line[: -len(": a document that is not a mapping")]]["(not a mapping)"].append(("", ""))
            continue
        parts = line.split(": ", 3)
        if len(parts) == 4:
            path, doc, where, msg = parts
            probs[path][doc].append((where, msg))
        else:
            probs["(unparsed)"][line].append(("", line))
    return probs, summary


def asbgen_problems(diags):
    probs = collections.defaultdict(lambda: collections.defaultdict(list))
    for d in diags:
        if d["severity"] != "error":
            continue
        if d["id"] == "check-not-mapping":
            probs[d["file"]]["(not a mapping)"].append(d)
            continue
        doc, _, rest = d["message"].partition(": ")
        probs[d["file"]][doc].append(d)
    return probs


def comparable(lines):
    wheres = [w for w, _ in lines]
    if len(set(wheres)) != len(wheres):
        return False
    return not any("were unexpected" in msg for _, msg in lines)


def main(argv):
    per_file = False
    if argv and argv[0] == "--per-file":
        per_file = True
        argv = argv[1:]
    label, cc_path, ab_path, ab_summary = argv[:4]
    files = argv[4:]
    with open(cc_path, encoding="utf-8") as f:
        cc, cc_sum = crdcheck_problems(f.read())
    with open(ab_path, encoding="utf-8") as f:
        ab = asbgen_problems(json.load(f))
    m = SUMMARY.search(ab_summary)
    ab_sum = m.groups() if m else None
    failed = 0
    if cc_sum is None or cc_sum != ab_sum:
        failed += 1
        print(f"not ok - {label}: summaries differ")
        print(f"    crdcheck.py: {cc_sum}  asbgen check: {ab_sum}")
    elif not per_file:
        print(f"ok - {label}: same counts ({cc_sum[0]} checked, {cc_sum[1]} invalid, {cc_sum[2]} not covered)")
    for path in sorted(set(files) | set(cc) | set(ab)):
        c, a = cc.get(path, {}), ab.get(path, {})
        why = []
        if set(c) != set(a):
            why.append(f"invalid documents: crdcheck.py {sorted(c)}, asbgen check {sorted(a)}")
        counted = 0
        for doc in sorted(set(c) & set(a)):
            if comparable(c[doc]):
                counted += 1
                if len(c[doc]) != len(a[doc]):
                    why.append(f"{doc}: {len(c[doc])} problems (crdcheck.py) vs {len(a[doc])} (asbgen check)")
        verdict = "invalid" if c else "valid"
        nprob = sum(len(v) for v in c.values())
        if why:
            failed += 1
            print(f"not ok - {label}: {path}: verdicts or counts differ")
            for w in why:
                print(f"    {w}")
            for doc in sorted(c):
                for where, msg in c[doc]:
                    print(f"    crdcheck.py: {doc}: {where}: {msg}")
            for doc in sorted(a):
                for d in a[doc]:
                    print(f"    asbgen: {d['line']}:{d['column']}: {d['message']}")
        elif per_file:
            detail = f"{verdict}, {nprob} problem{'s' if nprob != 1 else ''}" if c else "valid"
            if c and counted < len(c):
                detail += f" (count not comparable for {len(c) - counted} document(s))"
            print(f"ok - {label}: {path}: both {detail}")
    if not per_file and not failed:
        print(f"ok - {label}: same verdict for each of {len(files)} files")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
