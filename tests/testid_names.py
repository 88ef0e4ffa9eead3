#!/usr/bin/env python3
"""testid_names.py - a test instance shares no name with production.

    testid_names.py PROD_MODEL.json TEST_MODEL.json TEST_DIR TESTID

PROD_MODEL.json is `asbgen model SPEC`, TEST_MODEL.json `asbgen model
--testid TESTID SPEC`, TEST_DIR what `asbgen render --testid TESTID SPEC`
wrote.  Checks, one "ok -" / "not ok -" line each:

  - no production host, pinned IP, bucket or Vault path (from the
    production model) appears in any file of TEST_DIR, as a whole token
    (rubin-alert-archive inside rubin-alert-archive-t1 is not one);
  - every Kubernetes object's namespace (or, cluster-scoped, its name) and
    the kustomization's namespace contain the testid, and so does every host
    an object names (Ingress rules and TLS, the Kafka listener's advertised
    hosts and alternative names, Certificate dnsNames) and every DNS name
    in the Helm values and client files;
  - every Terraform resource name (static addresses, DNS records, MetalLB
    pinned Services and pool, S3 buckets, the alertdb environment) contains
    it, and the GKE node pool merged into the cluster's file is the test's.
"""
import json
import os
import re
import sys

import yaml

HOST = re.compile(r"(?<![A-Za-z0-9_.-])[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)+\.(cloud|edu|org|com|net|io)(?![A-Za-z0-9/-])")


def walk(v, path=""):
    if isinstance(v, dict):
        for k, x in v.items():
            yield from walk(x, f"{path}.{k}" if path else k)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from walk(x, f"{path}[{i}]")
    else:
        yield path, v


def production_values(m):
    """(what, value) of every production host, address, bucket and Vault path."""
    out = []
    ext = m.get("external") or {}
    for b in [ext.get("bootstrap") or {}] + list(ext.get("brokers") or []):
        for k in ("host", "ip"):
            if b.get(k):
                out.append((f"external {k}", b[k]))
    reg = m.get("registry") or {}
    if reg.get("hostname"):
        out.append(("registry host", reg["hostname"]))
    if reg.get("ingressIp"):
        out.append(("registry ip", reg["ingressIp"]))
    adb = m.get("alertDatabase") or {}
    for b in adb.get("buckets") or []:
        out.append(("bucket", b))
    ing = adb.get("ingress") or {}
    if ing.get("host"):
        out.append(("ingress host", ing["host"]))
    sec = m.get("secrets") or {}
    if sec.get("vaultPath"):
        out.append(("vault path", sec["vaultPath"]))
    return out


def files(top):
    for d, _, names in os.walk(top):
        for n in sorted(names):
            p = os.path.join(d, n)
            yield os.path.relpath(p, top), p


results = []


def check(name, problems):
    results.append((name, problems))


def main():
    prod = json.load(open(sys.argv[1]))
    test = json.load(open(sys.argv[2]))
    top, tid = sys.argv[3], sys.argv[4]
    texts = {rel: open(p, encoding="utf-8").read() for rel, p in files(top)}

    prodvals = production_values(prod)
    found = []
    # The test's own Vault path may name production's Phalanx environment
    # (secret/k8s_operator/data-int.lsst.cloud/APP-ID): a path, not a host.
    vault = (test.get("secrets") or {}).get("vaultPath")
    scan = {rel: t.replace(vault, "VAULT-PATH") if vault else t for rel, t in texts.items()}
    for what, v in prodvals:
        pat = re.compile(r"(?<![A-Za-z0-9_.-])" + re.escape(v) + r"(?![A-Za-z0-9_-])")
        for rel, t in scan.items():
            for ln, line in enumerate(t.splitlines(), 1):
                if pat.search(line):
                    found.append(f"{rel}:{ln}: production {what} {v}: {line.strip()}")
    check(f"no production host, address, bucket or Vault path ({len(prodvals)} of them) in {len(texts)} files", found)

    # Hosts the test instance shares with production on purpose: the S3
    # service (its buckets are the test's own).
    shared = set()
    if (test.get("platform") or {}).get("s3Endpoint"):
        shared.add(re.sub(r"^https?://([^/:]+).*$", r"\1", test["platform"]["s3Endpoint"]))

    bad, nobj, nhost = [], 0, 0
    for rel, t in texts.items():
        if not rel.startswith("kubernetes/"):
            continue
        for doc in yaml.safe_load_all(t):
            if not isinstance(doc, dict):
                continue
            md = doc.get("metadata") or {}
            if doc.get("kind") == "Kustomization":
                if tid not in (doc.get("namespace") or ""):
                    bad.append(f"{rel}: kustomization namespace {doc.get('namespace')!r}")
                continue
            nobj += 1
            ns = md.get("namespace")
            if ns is not None and tid not in ns:
                bad.append(f"{rel}: {doc.get('kind')} {md.get('name')} in namespace {ns!r}")
            if ns is None and tid not in md.get("name", ""):
                bad.append(f"{rel}: cluster-scoped {doc.get('kind')} {md.get('name')!r}")
            if md.get("labels", {}).get("asbgen.lsst.io/environment", tid).find(tid) < 0:
                bad.append(f"{rel}: label asbgen.lsst.io/environment {md['labels']['asbgen.lsst.io/environment']!r}")
            for path, v in walk(doc.get("spec") or {}):
                if not isinstance(v, str):
                    continue
                if re.search(r"(^|\.)(host|hosts\[\d+\]|advertisedHost|alternativeNames\[\d+\]|dnsNames\[\d+\])$", path) and v != "*":
                    nhost += 1
                    if tid not in v:
                        bad.append(f"{rel}: spec.{path} = {v!r}")
    check(f"every object's namespace and host names the testid ({nobj} objects, {nhost} hosts)", bad)

    bad, n = [], 0
    for rel, t in scan.items():
        if rel.startswith("kubernetes/") or rel.endswith(".tfvars") or rel == ".asbgen-files":
            continue
        for ln, line in enumerate(t.splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue
            for mt in HOST.finditer(line):
                h = mt.group(0)
                if h in shared:
                    continue
                n += 1
                if tid not in h:
                    bad.append(f"{rel}:{ln}: host {h}")
    check(f"every DNS name in the Helm values and client files names the testid ({n})", bad)

    bad, n = [], 0
    pool = ((test.get("platform") or {}).get("nodePool") or {}).get("name")
    own_pool = tid in ((test.get("platform") or {}).get("addressPool") or "")
    for rel, t in texts.items():
        if not rel.endswith(".tfvars"):
            continue
        if pool and (test["platform"]["nodePool"].get("varFile") or {}).get("name") == os.path.basename(rel):
            n += 1
            if f'"{pool}"' not in t or tid not in pool:
                bad.append(f"{rel}: the test's node pool {pool!r} is not merged in")
            continue
        for ln, line in enumerate(t.splitlines(), 1):
            mt = re.match(r'\s*(name|service|environment)\s*=\s*"([^"]*)"', line)
            if not mt:
                continue
            # Without its own address range the test instance draws from
            # production's MetalLB pool, named but not redefined.
            if rel.endswith("metallb.tfvars") and mt.group(1) == "name" and not own_pool:
                continue
            n += 1
            if tid not in mt.group(2):
                bad.append(f"{rel}:{ln}: {line.strip()}")
    check(f"every Terraform resource name names the testid ({n})", bad)

    failed = 0
    for name, problems in results:
        if problems:
            failed += 1
            print(f"not ok - {name}")
            for p in problems[:40]:
                print(f"    {p}")
        else:
            print(f"ok - {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
