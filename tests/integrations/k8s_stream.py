#!/usr/bin/python3
"""k8s_stream.py STREAM [EXPECTED_COUNT] - what `kubectl create -f -` asks
of its input before it talks to a server: every YAML document of the
stream (PyYAML, the safe loader) is an object with apiVersion, kind and
metadata.name (else kubectl says "Object 'Kind' is missing").  Prints one
`ok -` or `not ok -` line; with EXPECTED_COUNT, the number of objects must
be that."""
import sys

import yaml


def main():
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d is not None]
    bad = []
    for i, d in enumerate(docs):
        if not isinstance(d, dict) or not d.get("apiVersion") or not d.get("kind") or \
                not isinstance(d.get("metadata"), dict) or not d["metadata"].get("name"):
            bad.append("document %d: %s" % (i + 1, repr(d)[:120]))
    want = int(sys.argv[2]) if len(sys.argv) > 2 else None
    if bad:
        print("not ok - %s: %d documents are not Kubernetes objects" % (path, len(bad)))
        for b in bad[:10]:
            print("    " + b)
        return 1
    if want is not None and len(docs) != want:
        print("not ok - %s: %d objects, expected %d" % (path, len(docs), want))
        return 1
    print("ok - %s: %d Kubernetes objects" % (path, len(docs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
