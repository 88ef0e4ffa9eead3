#!/usr/bin/python3
"""Do the files asbgen wrote say what it meant?  Independent parsers decide.

    /usr/bin/python3 tests/outputs_check.py INTENDED.json ENVDIR [HCL.json]

INTENDED.json is what `build/tools/outputs_json SPEC .tfvars .properties
.yaml` printed: {"env": NAME, "outputs": {PATH: TREE}}, the trees the emitters
were given.  ENVDIR is out/NAME.  HCL.json is what `node tests/hcl2json.js
ENVDIR/**/*.tfvars` printed (HashiCorp's HCL parser): {FILE: VALUE}.

For each kind of file, one line "ok - ..." or "not ok - ..." with the files
that fail and why:

  .yaml        read with PyYAML's SafeLoader (YAML 1.1 resolution, pure
               Python): one document, equal to the tree with the same types
               (a string read back as a bool, number, null or date fails),
               the same mapping key order and the same strings.
  .tfvars      HashiCorp's parser: equal to the tree.  Normalised: hcl2json
               returns plain JSON for tfvars attributes, but writes every
               string as a Terraform JSON template, so the intended strings
               (and keys) get "${" -> "$${" and "%{" -> "%%{" first; object
               keys compare as sets (it sorts them); numbers compare as
               JavaScript numbers (doubles), the precision both sides have.
  .properties  tests/properties.py (java.util.Properties.load semantics):
               the tree flattened with '.' (as the emitter documents), each
               scalar as Java would see it: true/false, decimal integers,
               strings as they are; the same keys, no more, no fewer.

Also fails for a file in ENVDIR with one of those extensions that is not an
intended output, and for an intended output that is not in ENVDIR.
Exit 1 when anything failed.
"""
import json
import math
import os
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import properties  # noqa: E402  (tests/properties.py)


class Map(list):
    """An ordered mapping as JSON wrote it: a list of (key, value) pairs."""


def ordered(pairs):
    return Map(pairs)


def kind(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "string"
    if isinstance(v, (Map, dict)):
        return "mapping"
    if isinstance(v, list):
        return "sequence"
    return type(v).__name__


def show(v):
    s = json.dumps(v if not isinstance(v, Map) else dict(v), default=str)
    return s if len(s) <= 80 else s[:77] + "..."


# --- YAML: exact types and order ---------------------------------------------

def same_yaml(got, want, where):
    if isinstance(want, Map):
        if not isinstance(got, dict):
            return f"{where}: want a mapping, got {kind(got)} {show(got)}"
        gk = list(got.keys())
        wk = [k for k, _ in want]
        if gk != wk:
            return f"{where}: want keys {wk}, got {gk}"
        for k, wv in want:
            d = same_yaml(got[k], wv, f"{where}.{k}")
            if d:
                return d
        return None
    if isinstance(want, list):
        if not isinstance(got, list):
            return f"{where}: want a sequence, got {kind(got)} {show(got)}"
        if len(got) != len(want):
            return f"{where}: want {len(want)} items, got {len(got)}"
        for i, (g, w) in enumerate(zip(got, want)):
            d = same_yaml(g, w, f"{where}[{i}]")
            if d:
                return d
        return None
    if kind(got) != kind(want):
        return f"{where}: want {kind(want)} {show(want)}, got {kind(got)} {show(got)}"
    if isinstance(want, float) and math.isnan(want):
        return None if math.isnan(got) else f"{where}: want NaN, got {got!r}"
    if got != want:
        return f"{where}: want {show(want)}, got {show(got)}"
    return None


def check_yaml(path, want):
    with open(path, encoding="utf-8") as f:
        docs = list(yaml.safe_load_all(f))
    if len(docs) != 1:
        return f"{len(docs)} documents, want 1"
    return same_yaml(docs[0], want, "$")


# --- HCL: hcl2json's view -----------------------------------------------------

def template(s):
    return s.replace("${", "$${").replace("%{", "%%{")


def same_hcl(got, want, where):
    if isinstance(want, Map):
        if not isinstance(got, dict):
            return f"{where}: want an object, got {kind(got)} {show(got)}"
        wmap = {template(k): v for k, v in want}
        if len(wmap) != len(want):
            return f"{where}: two intended keys are the same once escaped"
        if set(got) != set(wmap):
            return f"{where}: want keys {sorted(wmap)}, got {sorted(got)}"
        for k, wv in wmap.items():
            d = same_hcl(got[k], wv, f"{where}.{k}")
            if d:
                return d
        return None
    if isinstance(want, list):
        if not isinstance(got, list):
            return f"{where}: want a list, got {kind(got)} {show(got)}"
        if len(got) != len(want):
            return f"{where}: want {len(want)} items, got {len(got)}"
        for i, (g, w) in enumerate(zip(got, want)):
            d = same_hcl(g, w, f"{where}[{i}]")
            if d:
                return d
        return None
    if isinstance(want, str):
        if not isinstance(got, str) or got != template(want):
            return f"{where}: want string {show(template(want))}, got {kind(got)} {show(got)}"
        return None
    if isinstance(want, bool) or want is None:
        if kind(got) != kind(want) or got != want:
            return f"{where}: want {show(want)}, got {kind(got)} {show(got)}"
        return None
    # numbers: JavaScript has one number type, a double
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        return f"{where}: want number {show(want)}, got {kind(got)} {show(got)}"
    if float(got) != float(want):
        return f"{where}: want {want!r}, got {got!r}"
    return None


# --- properties: Java's view --------------------------------------------------

def java_text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    return v


def flatten(tree, prefix, out, where):
    for k, v in tree:
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, Map):
            flatten(v, key, out, where)
        elif isinstance(v, list) or v is None:
            raise ValueError(f"{where}: intended tree has a {kind(v)} at {key}")
        else:
            if key in out:
                raise ValueError(f"intended tree flattens to {key!r} twice")
            out[key] = v


def check_properties(path, want):
    with open(path, "rb") as f:
        got = properties.load_dict(f.read())
    if not isinstance(want, Map):
        return f"intended tree is a {kind(want)}, not a mapping"
    flat = {}
    flatten(want, "", flat, "$")
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


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as f:
        intended = json.load(f, object_pairs_hook=ordered)
    envdir = argv[1].rstrip("/")
    hcl = {}
    if len(argv) == 3:
        with open(argv[2], encoding="utf-8") as f:
            hcl = {os.path.normpath(k): v for k, v in json.load(f).items()}
    outputs = dict(intended)["outputs"]
    # per kind of file: (parser, files checked, problems)
    kinds = {".yaml": ["PyYAML", 0, []], ".tfvars": ["HashiCorp HCL (hcl2json)", 0, []],
             ".properties": ["Java Properties reader", 0, []]}
    for rel, want in outputs:
        ext = os.path.splitext(rel)[1]
        if ext not in kinds:
            continue
        path = os.path.join(envdir, rel)
        kinds[ext][1] += 1
        if not os.path.isfile(path):
            kinds[ext][2].append(f"{path}: intended output is not on disk")
            continue
        try:
            if ext == ".yaml":
                why = check_yaml(path, want)
            elif ext == ".tfvars":
                got = hcl.get(os.path.normpath(path))
                why = "HCL parser gave nothing (see its error above)" if got is None else \
                    same_hcl(got, want, "$")
            else:
                why = check_properties(path, want)
        except (yaml.YAMLError, properties.PropertiesError, ValueError, UnicodeDecodeError) as e:
            why = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else e!r}"
        if why:
            kinds[ext][2].append(f"{path}: {why}")
    intended_paths = {os.path.normpath(os.path.join(envdir, rel)) for rel, _ in outputs}
    for root, _, files in os.walk(envdir):
        for fn in sorted(files):
            p = os.path.normpath(os.path.join(root, fn))
            ext = os.path.splitext(fn)[1]
            if ext in kinds and p not in intended_paths:
                kinds[ext][2].append(f"{p}: on disk but not an output of the spec")
    failed = 0
    for ext, (parser, n, problems) in kinds.items():
        name = f"{parser} reads every {ext} file of {envdir} as intended ({n} files)"
        if problems:
            failed += 1
            print(f"not ok - {name}")
            for pr in problems:
                print(f"  {pr}")
        else:
            print(f"ok - {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
