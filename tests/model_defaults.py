#!/usr/bin/env python3
"""model_defaults.py - the schema's defaults and `asbgen model` agree.

    model_defaults.py ASBGEN SCHEMA TMPDIR

Walks schemas/environment.schema.json on its own (not with asbgen's code)
for every `default`, then renders the model of two smallest specs (the
bare-metal environments/minimal.yaml, and a GKE spec with only its required
keys) with `asbgen model --sources`.  Every default must reach the model:
each leaf of it appears once or more as `... = VALUE  # default PATH (...)`
with exactly the schema's value.  Defaults under platform.gke are checked
with the GKE spec, the others with the bare-metal one.  Prints one
"ok - ..." or "not ok - ..." line per default.
"""
import json
import os
import re
import subprocess
import sys

GKE_SPEC = """name: smallgke
platform:
  type: gke
  gke: {project: example-project}
registry:
  hostname: schemas.example.org
"""

# One item of each list whose items have defaults, each leaving them out:
# "[]" in a default's path is checked here as "[0]".
ITEMS_SPEC = """name: items
platform:
  type: bare-metal
  bareMetal: {addressPool: default, addressRange: 192.0.2.0/24, storageClass: standard}
registry: {hostname: schemas.example.org}
kafka:
  listeners: [{name: plain, port: 9092, authentication: scram-sha-512},
              {name: tls, port: 9093, tls: true, authentication: tls}]
superusers: [{name: admin}]
topics: [{name: t1}]
users: [{name: u1, produces: [t1]}]
"""


def schema_defaults(node, path, root, out):
    """(spec path, default) for every default along properties, items, refs and branches."""
    if not isinstance(node, dict):
        return
    if "default" in node and path:
        out.append((path, node["default"]))
    ref = node.get("$ref", "")
    if ref.startswith("#/"):
        target = root
        for part in ref[2:].split("/"):
            target = target[part]
        schema_defaults(target, path, root, out)
    for key, sub in node.get("properties", {}).items():
        schema_defaults(sub, f"{path}.{key}" if path else key, root, out)
    if isinstance(node.get("items"), dict):
        schema_defaults(node["items"], path + "[]", root, out)
    for word in ("allOf", "anyOf", "oneOf"):
        for sub in node.get(word, []):
            schema_defaults(sub, path, root, out)


def leaves(path, value):
    """The scalar leaves of a default, as (path, value)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(f"{path}.{k}", v)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from leaves(f"{path}[{i}]", v)
    else:
        yield path, value


def sources(asbgen, spec):
    out = subprocess.run([asbgen, "model", "--sources", spec], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"asbgen model --sources {spec}: exit {out.returncode}\n{out.stderr}")
    seen = {}
    for line in out.stdout.splitlines():
        m = re.match(r"^(\S+) = (.*)  # default (\S+) \(", line)
        if m:
            seen.setdefault(m.group(3), []).append(json.loads(m.group(2)))
    return seen


def positions(asbgen):
    """A written value names its line and column; a computed one says derived."""
    spec = "environments/minimal.yaml"
    with open(spec, encoding="utf-8") as f:
        lines = f.read().split("\n")
    row = next(i for i, l in enumerate(lines) if l.startswith("name:")) + 1
    col = lines[row - 1].index(":") + 3
    out = subprocess.run([asbgen, "model", "--sources", spec], capture_output=True, text=True).stdout
    want = [f'env.name = "minimal"  # {spec}:{row}:{col}', 'strimzi.apiVersion = "kafka.strimzi.io/v1"  # derived']
    bad = [w for w in want if w not in out.split("\n")]
    print(("not ok" if bad else "ok") + " - model --sources: a written value's position, a derived value" +
          (f"\n    missing: {bad}" if bad else ""))
    return 1 if bad else 0


def main():
    asbgen, schema_path, tmp = sys.argv[1:4]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    found = []
    schema_defaults(schema, "", schema, found)
    gke_spec = os.path.join(tmp, "smallgke.yaml")
    with open(gke_spec, "w", encoding="utf-8") as f:
        f.write(GKE_SPEC)
    items_spec = os.path.join(tmp, "items.yaml")
    with open(items_spec, "w", encoding="utf-8") as f:
        f.write(ITEMS_SPEC)
    seen = {"bare-metal": sources(asbgen, "environments/minimal.yaml"), "gke": sources(asbgen, gke_spec),
            "items": sources(asbgen, items_spec)}
    failed = 0
    for path, value in found:
        if "[]" in path:
            # Filled per item: the first item of ITEMS_SPEC's list leaves it out.
            if path.count("[]") != 1:
                print(f"not ok - model defaults: {path}: defaults in nested list items are not checked")
                failed += 1
                continue
            path = path.replace("[]", "[0]")
            platform = "items"
        else:
            platform = "gke" if path.startswith("platform.gke.") else "bare-metal"
        want = list(leaves(path, value))
        missing = [(p, v) for p, v in want if v not in seen[platform].get(p, [])]
        name = f"model defaults: {path} = {json.dumps(value)} reaches the {platform} model"
        if not want and value == []:
            # An empty list has no leaves: the list itself reaches the model.
            missing = [] if [] in seen[platform].get(path, []) else [(path, value)]
        elif not want:
            # An empty mapping ({}) is filled by its own keys' defaults.
            name += " (through its keys)"
            missing = [] if any(k.startswith(path + ".") for k in seen[platform]) else [(path, value)]
        if missing:
            failed += 1
            got = {p: seen[platform].get(p) for p, _ in missing}
            print(f"not ok - {name}\n    missing: {missing}\n    model has: {got}")
        else:
            print(f"ok - {name}")
    failed += positions(asbgen)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
