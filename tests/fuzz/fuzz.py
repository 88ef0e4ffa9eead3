#!/usr/bin/python3
"""Mutation fuzzing of asbgen's input readers (a Python loop, no libFuzzer).

    /usr/bin/python3 tests/fuzz/fuzz.py TARGET [--asbgen build-san/asbgen]
        [--seconds 300] [--seed 1] [--findings DIR]

TARGET is one of:
  spec       `asbgen validate` and `asbgen render --stdout` on mutated specs
             (seeds: environments/*.yaml, the cases of tests/bad-inputs.txt
             and tests/semantic-checks.txt)
  manifest   `asbgen check --crds` on mutated out/*/kubernetes/*.yaml
  against    `asbgen diff SPEC --against DIR` where DIR is a copy of an out/
             environment with one .tfvars, .properties, Helm values or
             .asbgen-files mutated
  kubeconfig `asbgen diff --live --kubeconfig FILE` on mutated kubeconfigs
             (the server is 127.0.0.1:1: nothing listens, no request leaves)
  templates  `asbgen render --stdout --templates DIR` with one template of
             a copy of templates/ mutated
  specname   `asbgen render` and `validate` of environments/minimal.yaml
             copied under a mutated file name (the name goes into every
             output's header and the record)
  record     `asbgen render` into a copy of out/minimal whose .asbgen-files
             is mutated (paths out of the directory, through a link planted
             there, absolute, ...)

For specname and record, a run is also a finding when anything outside the
output directory changed (a sentinel file and a linked directory beside it),
or when a written output has a header line with a control character.

Each run has a 10 s timeout.  A finding is: a sanitizer report, a signal,
an exit status other than 0/1/2/3, a timeout, or (for the YAML readers) an
error diagnostic without FILE:LINE:COL.  Findings are written to
--findings (default /tmp/asbgen-fuzz/TARGET) as the input plus a .txt with
the command and its output; the closing line is
"TARGET: N runs in S s, N findings".
"""
import argparse
import glob
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import bad_inputs  # noqa: E402

CONF = os.path.join(os.path.dirname(ROOT), "shared", "conformance")
SAN = re.compile(rb"(AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:)")
# A diagnostic line: "FILE:LINE:COL: error: ..." (text format).
# Errors that rightly have no position: the connection to a server; a key
# missing from every kubeconfig file.
UNPOSITIONED_OK = re.compile(rb"\[kube-connect\]$|no current-context is set|: connection refused|Could not resolve|cannot resolve")
POSITIONED = re.compile(rb"^.+:\d+:\d+: (error|warning): ")

# ------------------------------------------------------------------ mutations

INTERESTING = [
    b"", b"~", b"null", b"yes", b"no", b"on", b"0", b"-0", b"-1", b"0x10", b"0o17", b"1e999",
    b"-1e999", b".inf", b"-.inf", b".nan", b"9223372036854775807", b"9223372036854775808",
    b"-9223372036854775809", b"18446744073709551616", b"99999999999999999999999999999",
    b"1.7976931348623157e309", b"4.9e-325", b"[]", b"{}", b"[[[[[[[[]]]]]]]]", b"''", b'""',
    b"!!binary aGVsbG8=", b"!!str", b"!!int x", b"!!float", b"!!map", b"!!seq", b"!custom x",
    b"&a x", b"*a", b"*nosuch", b"<<: *a", b"? complex\n: key", b"|", b">-", b"|+\n  x\n\n",
    b"'unterminated", b'"unterminated', b'"\\x00"', b'"\\uD800"', b'"\\U0010FFFF"',
    "\u202e".encode(), "\ufeff".encode(), "\u200b".encode(), "é".encode(), "\U0001F600".encode(),
    b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xff\xfe", b"\x00", b"\t", b"\r", b"\r\n",
    b"%YAML 1.1", b"%TAG ! tag:x,2000:", b"---", b"...", b"#", b"- ", b": ", b",", b"{", b"[", b"}", b"]",
    b"${", b"{{", b"}}", b"{{ .x }}", b"$(", b"%", b"\\", b"1Ti", b"-5Gi", b"1e3", b"1.5Gi", b"500m",
    b"0.0.0.0/0", b"::1", b"256.1.1.1/33", b"a" * 300, b"x" * 5000,
]


def mut_flip(d, r):
    if not d:
        return d
    i = r.randrange(len(d))
    return d[:i] + bytes([d[i] ^ (1 << r.randrange(8))]) + d[i + 1:]


def mut_byte(d, r):
    i = r.randrange(len(d) + 1)
    return d[:i] + bytes([r.randrange(256)]) + d[i + 1:]


def mut_truncate(d, r):
    return d[:r.randrange(len(d) + 1)]


def mut_lines(d, r):
    lines = d.split(b"\n")
    if len(lines) < 2:
        return d
    i = r.randrange(len(lines))
    op = r.randrange(4)
    if op == 0:
        del lines[i]
    elif op == 1:
        lines.insert(i, lines[r.randrange(len(lines))])
    elif op == 2:
        j = r.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    else:  # re-indent
        lines[i] = b" " * r.choice([0, 1, 2, 3, 4, 8]) + lines[i].lstrip(b" ")
    return b"\n".join(lines)


def mut_token(d, r):
    """Replace a scalar-ish token (a word after ': ' or '- ' or a number) with an interesting one."""
    spots = [m.span(1) for m in re.finditer(rb"(?:: |- |\[|, )([^\s,\[\]{}#:]+)", d)]
    tok = r.choice(INTERESTING)
    if not spots:
        i = r.randrange(len(d) + 1)
        return d[:i] + tok + d[i:]
    a, b = r.choice(spots)
    return d[:a] + tok + d[b:]


def mut_insert(d, r):
    i = r.randrange(len(d) + 1)
    return d[:i] + r.choice(INTERESTING) + d[i:]


def mut_number(d, r):
    spots = [m.span() for m in re.finditer(rb"\d+", d)]
    if not spots:
        return mut_insert(d, r)
    a, b = r.choice(spots)
    return d[:a] + r.choice([b"9" * r.randrange(10, 400), b"0" * 50 + b"1", b"-" + d[a:b],
                             b"2147483648", b"4294967296", b"9223372036854775808",
                             d[a:b] + b"." + b"9" * 30, d[a:b] + b"e308"]) + d[b:]


def mut_nest(d, r):
    depth = r.choice([50, 200, 1000, 5000, 20000])
    kind = r.randrange(3)
    if kind == 0:
        blob = b"[" * depth + b"]" * depth
    elif kind == 1:
        blob = b"{a: " * depth + b"1" + b"}" * depth
    else:
        blob = b"".join(b"  " * k + b"k:\n" for k in range(min(depth, 400))) + b"  " * min(depth, 400) + b"x"
    spots = [m.end() for m in re.finditer(rb": ", d)]
    i = r.choice(spots) if spots else len(d)
    return d[:i] + blob + d[i:]


def mut_anchor(d, r):
    lines = d.split(b"\n")
    cand = [k for k, l in enumerate(lines) if re.match(rb"^\s*[\w.-]+:\s*\S", l)]
    if not cand:
        return mut_insert(d, r)
    k = r.choice(cand)
    m = re.match(rb"^(\s*[\w.-]+:\s*)(.*)$", lines[k])
    op = r.randrange(4)
    if op == 0:
        lines[k] = m.group(1) + b"&x " + m.group(2)
        j = r.choice(cand)
        mj = re.match(rb"^(\s*[\w.-]+:\s*)(.*)$", lines[j])
        lines[j] = mj.group(1) + b"*x"
    elif op == 1:
        lines[k] = m.group(1) + b"*undefined"
    elif op == 2:  # a small alias bomb
        bomb = [b"a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for n in range(1, r.randrange(2, 9)):
            bomb.append(b"a%d: &a%d [" % (n, n) + b", ".join([b"*a%d" % (n - 1)] * 10) + b"]")
        lines = bomb + lines
    else:  # merge key
        ind = re.match(rb"^(\s*)", lines[k]).group(1)
        lines.insert(k, ind + b"<<: {" + m.group(2)[:20] + b": 1}")
    return b"\n".join(lines)


def mut_splice(d, r, seeds):
    o = r.choice(seeds)
    a = r.randrange(len(o) + 1)
    b = min(len(o), a + r.randrange(200))
    i = r.randrange(len(d) + 1)
    return d[:i] + o[a:b] + d[i:]


EXPRS = [
    b"x", b"kafka", b"a.b.c.d.e", b"topics[999999999999]", b"topics[-1]", b"topics['x']", b"env['name']",
    b"9223372036854775807 + 1", b"-9223372036854775807 - 2", b"-(-9223372036854775807 - 1)",
    b"99999999999999999999999", b"'a' + 1", b"1 < 'a'", b"len(null)", b"len(1)", b"str(null)", b"str(env)",
    b"join(topics, 1)", b"join(1, ',')", b"keys(1)", b"has(1, 2)", b"default()", b"default(a.b.c, 1, 2)",
    b"files(1)", b"files('')", b"include('files.yaml')", b"include('kubernetes/kafkatopic.yaml')",
    b"include('../README.md')", b"include('/etc/passwd')", b"include(null)", b"include('')",
    b"include('common/labels.yaml')", b"nosuchfn(1)", b"upper(1)", b"lower('\\xff')", b"'\\u0000'",
    b"'unterminated", b"(" * 3000 + b"1" + b")" * 3000, b"not " * 3000 + b"true", b"-" * 3000 + b"1",
    b"a" + b".a" * 3000, b"[", b"]", b"", b" ", b"a..b", b"a.", b"1 == ", b"== 1", b"a[", b"${", b"}",
    b"'$${'", b"env.name + env.name", b"topics == topics", b"env < env",
]


def mut_expr(d, r):
    """Replace or mangle a ${...} expression, a $if/$for/$each directive or an index key."""
    spots = [m.span(1) for m in re.finditer(rb"\$\{([^}]*)\}", d)]
    spots += [m.span(1) for m in re.finditer(rb"\$(?:if|for|each|else) ?([^:\n]*):", d)]
    spots += [m.span(1) for m in re.finditer(rb"(?:for|if|path|template): (.*)", d)]
    if not spots:
        return mut_insert(d, r)
    a, b = r.choice(spots)
    op = r.randrange(3)
    if op == 0:
        return d[:a] + r.choice(EXPRS) + d[b:]
    if op == 1:  # mangle one character of the expression
        i = r.randrange(a, b + 1)
        return d[:i] + bytes([r.choice(b"()[]{}'\".+-=<>!,$ ")]) + d[i:]
    directive = r.choice([b"$if x:", b"$else:", b"$for x in topics:", b"$each:", b"$bogus:", b"$iff a:",
                          b"$for i, x in env:", b"$for x in 1:", b"$else nope:"])
    return d[:a] + d[a:b] + b"\n" + directive + b" " + d[b:]


VALUES = [None, True, False, 0, -1, 1, 2, 3, 7, 255, 65535, 65536, 2**31 - 1, 2**31, 2**32, 2**53 + 1,
          2**63 - 1, 2**63, -2**63, -2**63 - 1, 10**30, 0.5, -0.0, 1e308, float("inf"), float("nan"), "", " ", "x",
          "a" * 64, "a" * 300, "-", "0", "1Ti", "0Gi", "-1Gi", "1e3", "99999999999Ei", "500m", "1.5", "yes", "null",
          "192.0.2.0/24", "192.0.2.5", "10.0.0.0/8", "::1", "2001:db8::/32", "0.0.0.0/0", "256.0.0.0/33",
          "example.org", "*.example.org", "a..b", "UPPER", "é", "\u202e", "\u0000", "\ud7ff", "lsst-alerts-v10.0",
          [], {}, [1, 2], {"a": 1}, ["x"] * 50, [{"name": "n"}], {"name": "n", "topics": ["x"]}]


def mut_tree(d, r):
    """Structure-aware: load the YAML, change one node, dump it again."""
    # PyYAML expands aliases: an alias bomb (a seed) would take all memory.
    if b"*" in d or len(d) > 100000:
        return mut_token(d, r)
    try:
        import yaml
        doc = yaml.safe_load(d)
    except Exception:
        return mut_token(d, r)
    if not isinstance(doc, (dict, list)):
        return mut_token(d, r)
    nodes = []

    def walk(n, depth):
        if isinstance(n, dict):
            for k in list(n):
                nodes.append((n, k))
                walk(n[k], depth + 1)
        elif isinstance(n, list):
            for i in range(len(n)):
                nodes.append((n, i))
                walk(n[i], depth + 1)
    walk(doc, 0)
    if not nodes:
        return mut_token(d, r)
    for _ in range(r.choice([1, 1, 2, 4])):
        parent, k = r.choice(nodes)
        op = r.randrange(6)
        try:
            if op <= 2:
                parent[k] = r.choice(VALUES)
            elif op == 3:  # copy another subtree here
                p2, k2 = r.choice(nodes)
                parent[k] = p2[k2]
            elif op == 4 and isinstance(parent, list):
                parent.extend([parent[k]] * r.choice([1, 2, 10, 200]))
            elif op == 4:
                parent[r.choice(["name", "count", "topics", "users", "replicas", "partitions", "extra"])] = parent[k]
            else:
                del parent[k]
        except (IndexError, KeyError, TypeError):
            pass
    try:
        out = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True).encode()
    except Exception:
        return d
    return out if len(out) <= 1000000 else d


def mutate(d, r, seeds, expr=False, tree=False):
    if tree and r.random() < 0.4:
        return mut_tree(d, r)
    if expr and r.random() < 0.6:
        return mut_expr(d, r) if r.random() < 0.8 else mut_expr(mut_expr(d, r), r)
    ops = [mut_flip, mut_byte, mut_truncate, mut_lines, mut_lines, mut_token, mut_token, mut_token,
           mut_insert, mut_number, mut_nest, mut_anchor, mut_anchor]
    for _ in range(r.choice([1, 1, 1, 2, 3, 5])):
        if r.random() < 0.08:
            d = mut_splice(d, r, seeds)
        else:
            d = r.choice(ops)(d, r)
    return d

# -------------------------------------------------------------------- targets


def read(p):
    with open(p, "rb") as f:
        return f.read()


def spec_seeds():
    seeds = [read(p) for p in sorted(glob.glob(os.path.join(ROOT, "environments", "*.yaml")))]
    for cases in ("bad-inputs.txt", "semantic-checks.txt"):
        for c in bad_inputs.parse(open(os.path.join(ROOT, "tests", cases)).read()):
            seeds.append(bad_inputs.spec_bytes(c))
    return seeds


def strimzi_crds():
    vers = sorted(os.listdir(os.path.join(CONF, "strimzi")))
    return ["--crds", os.path.join(CONF, "strimzi", vers[-1]), "--crds", os.path.join(CONF, "strimzi-registry-operator"),
            "--crds", os.path.join(CONF, "cert-manager")]


KUBECONFIG_SEEDS = [
    b"""apiVersion: v1
kind: Config
current-context: test
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:1
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUI=
users:
- name: tester
  user:
    token: abc123
contexts:
- name: test
  context: {cluster: local, user: tester, namespace: alert-stream-broker}
""",
    b"""apiVersion: v1
kind: Config
current-context: b
preferences: {}
clusters:
- cluster:
    server: https://127.0.0.1:1/prefix
    insecure-skip-tls-verify: true
  name: k
contexts:
- context:
    cluster: k
    user: u
  name: a
- context: {cluster: k, user: v}
  name: b
users:
- name: u
  user:
    client-certificate-data: Y2VydA==
    client-key-data: a2V5
- name: v
  user:
    tokenFile: token.txt
""",
    b"""apiVersion: v1
kind: Config
current-context: c
contexts:
  - name: c
    context: {cluster: k, user: u}
clusters:
  - name: k
    cluster: {server: "https://127.0.0.1:1", certificate-authority: ca.pem}
users:
  - name: u
    user: {client-certificate: c.pem, client-key: c.key}
""",
    b"""{"apiVersion": "v1", "kind": "Config", "current-context": "c",
 "contexts": [{"name": "c", "context": {"cluster": "k", "user": "u"}}],
 "clusters": [{"name": "k", "cluster": {"server": "https://127.0.0.1:1"}}],
 "users": [{"name": "u", "user": {"exec": {"command": "x", "args": ["a"]}}}]}
""",
]


RECORD_TOKENS = [b"../outside/precious.txt", b"link/precious.txt", b"/tmp/precious.txt", b"./x", b"a//b",
                 b"link", b".", b"..", b"kubernetes/../../outside/precious.txt", b"\x00", b"NOTES.md",
                 b".asbgen-files", b"kubernetes", b"terraform/.metallb.tfvars.asbgen-tmp.0123456789abcdef"]
NAME_TOKENS = [b"\n", b"\r", b"\x1b[2K", b"\x00", b"\xff", b"\xc3\x28", "\u202e".encode(), b"%", b"\\", b"'", b'"',
               b"${env:X}", b"\nssl.endpoint.identification.algorithm=\n", b"#", b" ", b"a" * 200]


def outside_state(work):
    """What must never change: a sentinel beside out/ and in a directory that out/minimal/link points at."""
    return {p: read(p) for p in (os.path.join(work, "outside", "precious.txt"), os.path.join(work, "precious.txt"))
            if os.path.exists(p)}


class Target:
    """Builds one run: (input bytes) -> (argv, files to write, file whose errors need positions)."""

    def __init__(self, name, asbgen, work):
        self.name, self.asbgen, self.work = name, asbgen, work
        self.spec = os.path.join(ROOT, "environments", "usdfdev.yaml")
        if name == "spec":
            self.seeds = spec_seeds()
        elif name == "manifest":
            self.seeds = [read(p) for p in sorted(glob.glob(os.path.join(ROOT, "out", "*", "kubernetes", "*.yaml")))]
            self.crds = strimzi_crds()
        elif name == "against":
            self.files = {}
            for env in ("usdfdev", "idfint"):
                base = os.path.join(ROOT, "out", env)
                for p in sorted(glob.glob(base + "/**/*", recursive=True)) + [base + "/.asbgen-files"]:
                    if os.path.isfile(p) and (p.endswith((".tfvars", ".properties", ".asbgen-files")) or "/helm/" in p):
                        self.files[(env, os.path.relpath(p, base))] = read(p)
            self.keys = sorted(self.files)
            self.seeds = [self.files[k] for k in self.keys]
            for env in ("usdfdev", "idfint"):
                shutil.copytree(os.path.join(ROOT, "out", env), os.path.join(work, "pristine", env))
        elif name == "kubeconfig":
            self.seeds = KUBECONFIG_SEEDS
            with open(os.path.join(work, "token.txt"), "w") as f:
                f.write("t0ken\n")
            for n in ("ca.pem", "c.pem", "c.key"):
                with open(os.path.join(work, n), "w") as f:
                    f.write("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
        elif name in ("specname", "record"):
            os.makedirs(os.path.join(work, "outside"))
            for p in (os.path.join(work, "outside", "precious.txt"), os.path.join(work, "precious.txt")):
                open(p, "w").write("precious\n")
            self.sentinel = outside_state(work)
            self.min = read(os.path.join(ROOT, "environments", "minimal.yaml"))
            if name == "specname":
                self.seeds = [b"minimal.yaml", b"idf.yaml", b"a b.yaml"]
            else:
                self.seeds = [read(os.path.join(ROOT, "out", "minimal", ".asbgen-files"))]
        elif name == "templates":
            src = os.path.join(ROOT, "templates")
            self.tfiles = sorted(os.path.relpath(p, src) for p in glob.glob(src + "/**/*.yaml", recursive=True))
            self.seeds = [read(os.path.join(src, t)) for t in self.tfiles]
            shutil.copytree(src, os.path.join(work, "tpl"))
        else:
            raise SystemExit(f"fuzz: unknown target {name}")

    def prepare(self, r):
        """Pick a seed, mutate it, write the files; return (argvs, input path, positioned)."""
        k = r.randrange(len(self.seeds))
        w = self.work
        if self.name in ("specname", "record"):
            return self.prepare_out(r, k)
        data = mutate(self.seeds[k], r, self.seeds, expr=self.name == "templates",
                      tree=self.name in ("spec", "manifest", "kubeconfig"))
        if self.name == "spec":
            p = os.path.join(w, "fuzz.yaml")
            open(p, "wb").write(data)
            argvs = [[self.asbgen, "validate", p], [self.asbgen, "render", "--stdout", p]]
            return argvs, p, data, True
        if self.name == "manifest":
            p = os.path.join(w, "fuzz.yaml")
            open(p, "wb").write(data)
            return [[self.asbgen, "check"] + self.crds + [p]], p, data, True
        if self.name == "against":
            env, rel = self.keys[k]
            d = os.path.join(w, "against", env)
            if os.path.exists(d):
                shutil.rmtree(d)
            shutil.copytree(os.path.join(w, "pristine", env), d)
            p = os.path.join(d, rel)
            open(p, "wb").write(data)
            spec = os.path.join(ROOT, "environments", env + ".yaml")
            return [[self.asbgen, "diff", spec, "--against", d]], p, data, rel.endswith((".tfvars", ".properties", ".yaml"))
        if self.name == "kubeconfig":
            p = os.path.join(w, "kubeconfig")
            open(p, "wb").write(data)
            spec = os.path.join(ROOT, "environments", "minimal.yaml")
            return [[self.asbgen, "diff", spec, "--live", "--kubeconfig", p, "--request-timeout", "2s"]], p, data, True
        # templates
        rel = self.tfiles[k]
        p = os.path.join(w, "tpl", rel)
        self.restore = (p, self.seeds[k])
        open(p, "wb").write(data)
        return [[self.asbgen, "render", "--stdout", "--templates", os.path.join(w, "tpl"), self.spec]], p, data, True

    def prepare_out(self, r, k):
        """specname / record: a fresh out/ (with a link to outside/ in it) and one mutated input."""
        w, seed = self.work, self.seeds[k]
        tokens = NAME_TOKENS if self.name == "specname" else RECORD_TOKENS
        data = seed
        for _ in range(r.randrange(1, 4)):
            i = r.randrange(len(data) + 1)
            data = data[:i] + r.choice(tokens) + data[i + r.randrange(3):] if r.randrange(2) else mutate(data, r, self.seeds)
        out = os.path.join(w, "out")
        if os.path.exists(out):
            shutil.rmtree(out)
        shutil.copytree(os.path.join(ROOT, "out", "minimal"), os.path.join(out, "minimal"))
        os.symlink(os.path.join(w, "outside"), os.path.join(out, "minimal", "link"))
        if self.name == "record":
            p = os.path.join(out, "minimal", ".asbgen-files")
            open(p, "wb").write(data)
            spec = os.path.join(w, "minimal.yaml")
            open(spec, "wb").write(self.min)
            return [[self.asbgen, "render", spec, "-o", out], [self.asbgen, "render", "--check", spec, "-o", out],
                    [self.asbgen, "diff", spec, "-o", out]], p, data, False
        name = data.replace(b"/", b"_")[:200] or b"x"
        spec = os.path.join(w, "specs", os.fsdecode(name))
        if os.path.exists(os.path.join(w, "specs")):
            shutil.rmtree(os.path.join(w, "specs"))
        os.makedirs(os.path.join(w, "specs"))
        try:
            open(spec, "wb").write(self.min)
        except (OSError, ValueError):
            spec = os.path.join(w, "specs", "minimal.yaml")
            open(spec, "wb").write(self.min)
        return [[self.asbgen, "render", spec, "-o", out], [self.asbgen, "validate", spec],
                [self.asbgen, "model", spec]], spec, data, False

    def escaped(self):
        """specname / record: why the last run is a finding beyond its exit status, or None."""
        if self.name not in ("specname", "record"):
            return None
        if outside_state(self.work) != self.sentinel:
            return "a file outside the output directory changed"
        for p in glob.glob(os.path.join(self.work, "out", "minimal", "**", "*"), recursive=True):
            if os.path.isfile(p) and not os.path.islink(p):
                head = read(p)[:400].split(b"\n")[:2]
                if any(re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", l) for l in head):
                    return "a control character in the header of " + os.path.relpath(p, self.work)
        return None

    def cleanup(self):
        if self.name == "templates":
            p, orig = self.restore
            open(p, "wb").write(orig)


def verdict(rc, err, path, positioned):
    """None, or why this run is a finding."""
    if rc is None:
        return "timeout (10 s)"
    if SAN.search(err):
        return "sanitizer report"
    if rc < 0:
        return f"signal {-rc}"
    if rc not in (0, 1, 2, 3):
        return f"exit status {rc}"
    if positioned and rc in (1, 2):
        for line in err.split(b"\n"):
            if (b"error: " in line and not line.startswith(b"  ") and not POSITIONED.match(line)
                    and not (UNPOSITIONED_OK.search(line) and b"illegal format" not in line)):
                return "an error without FILE:LINE:COL: " + line[:200].decode("utf-8", "replace")
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("target")
    ap.add_argument("--asbgen", default=os.path.join(ROOT, "build-san", "asbgen"))
    ap.add_argument("--seconds", type=float, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--findings")
    a = ap.parse_args()
    findings = a.findings or os.path.join(tempfile.gettempdir(), "asbgen-fuzz", a.target)
    os.makedirs(findings, exist_ok=True)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "NO_COLOR": "1", "TZ": "UTC",
           "HOME": "/nonexistent", "ASAN_OPTIONS": "halt_on_error=1:detect_leaks=1:abort_on_error=0",
           "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1"}
    r = random.Random(a.seed)
    runs = found = 0
    seen = set()
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="asbgen-fuzz.") as work:
        t = Target(a.target, os.path.abspath(a.asbgen), work)
        while time.time() - t0 < a.seconds:
            argvs, path, data, positioned = t.prepare(r)
            for argv in argvs:
                try:
                    p = subprocess.run(argv, cwd=work, env=env, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=10)
                    rc, err = p.returncode, p.stderr
                except subprocess.TimeoutExpired as e:
                    rc, err = None, e.stderr or b""
                runs += 1
                why = verdict(rc, err, path, positioned) or t.escaped()
                if why:
                    # one finding per distinct first stack frame / reason
                    key = why.split(":")[0] + (re.search(rb"#[0-3] .*? in (\S+)", err).group(1).decode()
                                               if re.search(rb"#[0-3] .*? in (\S+)", err) else why[:60])
                    if key not in seen:
                        seen.add(key)
                        found += 1
                        stem = os.path.join(findings, f"{a.target}-{found}")
                        open(stem + os.path.splitext(path)[1], "wb").write(data)
                        with open(stem + ".txt", "wb") as f:
                            f.write(f"{why}\n{' '.join(argv)}\nexit {rc}\n".encode() + err[-20000:])
                        print(f"finding {stem}: {why}", flush=True)
            t.cleanup()
    print(f"{a.target}: {runs} runs in {time.time() - t0:.0f} s, {found} findings")


if __name__ == "__main__":
    main()
