#!/usr/bin/env python3
"""Every .tfvars under out/ read by the Terraform module that consumes it.

    terraform_consumers.py TFCHECK ASBGEN OUTPUTS_JSON REFERENCE TMP

TFCHECK is tests/tfcheck built (HashiCorp's HCL parser and cty's type
conversion: what Terraform does with a module's variables and -var-files).
For each environment of environments/:
  - alertdb.tfvars against lsst/idf_deploy's alertdb module (REFERENCE/
    terraform/alertdb): every key declared, every required variable set,
    every value of its type; and the buckets the module's main.tf then names
    (prefix_name-lower(location)-suffix_name, the cloud-storage module's
    rule) are exactly the ones the alert database's Deployments use;
  - static-addresses, dns, metallb and s3-buckets tfvars against asbgen's own
    modules under terraform/ (whose var.* references are all declared);
  - a file merged into the cluster's var file against the GKE module's
    variables, as Terraform reads it in place of the cluster's file;
  - any other .tfvars fails: it would feed no module.
Then the node pool on both real cluster files of REFERENCE/terraform/env/
(with and without a Kafka pool): every other pool, label and taint entry
stays as it was and in its order, every comment stays, the Kafka pool is
the spec's; and the old way (a file setting node_pools to the pool alone)
is shown to drop the other pools.  Prints ok/not ok lines; exit 1 on a
failure.
"""
import glob
import json
import os
import re
import subprocess
import sys

TFCHECK, ASBGEN, OUTPUTS_JSON, REF, TMP = sys.argv[1:6]
MODULES = {  # asbgen's own modules, by output file name
    "static-addresses.tfvars": "terraform/static-addresses",
    "dns.tfvars": "terraform/dns",
    "metallb.tfvars": "terraform/metallb",
    "s3-buckets.tfvars": "terraform/s3-buckets",
}
ALERTDB = os.path.join(REF, "terraform/alertdb")
GKE = os.path.join(REF, "terraform/gke-module")
CLUSTERS = [os.path.join(REF, "terraform/env", f) for f in
            ("integration-gke-with-kafka-pool.tfvars", "integration-new-gke.tfvars")]
failed = 0


def report(name, why=None):
    global failed
    if why:
        failed += 1
        print(f"not ok - {name}")
        for line in str(why).splitlines()[:40]:
            print("    " + line)
    else:
        print(f"ok - {name}")


def tfcheck(*args):
    r = subprocess.run([TFCHECK, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr.strip() or f"tfcheck exit {r.returncode}")
    return json.loads(r.stdout)


def root_vars():
    # What idf_deploy's root passes to the GKE module beside the env file.
    p = os.path.join(TMP, "gke-root.tfvars")
    with open(p, "w") as f:
        f.write('project_id = "science-platform-int-dc5d"\nnetwork = "net"\nsubnetwork = "subnet"\n')
    return p


def gke(*files):
    return tfcheck("-undeclared-warn", "vars", GKE, root_vars(), *files)


for m in sorted(set(MODULES.values())):
    try:
        names = tfcheck("refs", m)
        report(f"{m}: every var.* it uses is declared and every variable used ({len(names)})")
    except Exception as e:
        report(f"{m}: references", e)


def alertdb_buckets(tfvars):
    mods = tfcheck("modules", ALERTDB, tfvars)
    out = {}
    for name in ("alert_packet_bucket", "alert_schema_bucket"):
        m = mods[name]
        out[name] = [f'{m["prefix_name"]}-{m["location"].lower()}-{s}' for s in m["suffix_name"]]
    return out


for spec in sorted(glob.glob("environments/*.yaml")):
    env = os.path.splitext(os.path.basename(spec))[0]
    outdir = os.path.join("out", env, "terraform")
    intended = json.loads(subprocess.run([OUTPUTS_JSON, spec], capture_output=True, text=True, check=True).stdout)
    merged = intended.get("merged", {})
    for f in sorted(glob.glob(os.path.join(outdir, "*.tfvars"))):
        rel = os.path.relpath(f, os.path.join("out", env))
        base = os.path.basename(f)
        try:
            if base == "alertdb.tfvars":
                tfcheck("vars", ALERTDB, f)
                got = alertdb_buckets(f)
                used = set()
                for d in glob.glob(os.path.join("out", env, "kubernetes", "deployment-alert-database-*.yaml")):
                    used |= set(re.findall(r"--gcp-bucket-(?:alerts|schemas)=([^\"\s]+)", open(d).read()))
                made = set(got["alert_packet_bucket"] + got["alert_schema_bucket"])
                if not used or made != used:
                    raise RuntimeError(f"the module creates {sorted(made)}, the alert database uses {sorted(used)}")
                report(f"{f}: lsst/idf_deploy alertdb accepts it and creates exactly the buckets the alert database uses {sorted(made)}")
            elif base in MODULES:
                v = tfcheck("vars", MODULES[base], f)
                report(f"{f}: terraform module {MODULES[base]} accepts it ({len(v)} variables)")
            elif rel in merged:
                v = gke(f)
                report(f"{f}: the GKE module accepts it ({len(v['node_pools'])} node pools)")
            else:
                report(f"{f}: a consumer", "no Terraform module reads this file")
        except Exception as e:
            report(f"{f}: its Terraform module accepts it", e)

# The checker refuses what Terraform would refuse (it can fail).
bad = os.path.join(TMP, "bad-alertdb.tfvars")
for name, text in (("an undeclared variable (alert_bucket)", 'project_id = "p"\nenvironment = "int"\nalert_bucket = "b"\n'),
                   ("a value of the wrong type", 'project_id = "p"\nenvironment = "int"\npurge_old_alerts = "maybe"\n'),
                   ("a required variable left out (project_id)", 'environment = "int"\n')):
    with open(bad, "w") as f:
        f.write(text)
    try:
        tfcheck("vars", ALERTDB, bad)
        report(f"alertdb: refused: {name}", "accepted")
    except RuntimeError as e:
        report(f"alertdb: refused: {name} ({str(e).splitlines()[0]})")

# The node pool on both real cluster files.
COMMENT = re.compile(r"^\s*(#|//).*$", re.M)
model = json.loads(subprocess.run([ASBGEN, "model", "environments/idfint.yaml"], capture_output=True, text=True,
                                  check=True).stdout)
pool = model["platform"]["nodePool"]
name = pool["name"]
spec_text = open("environments/idfint.yaml").read()
for cluster in CLUSTERS:
    label = os.path.basename(cluster)
    try:
        spec = os.path.join(TMP, "tf-" + label + ".yaml")
        with open(spec, "w") as f:
            f.write(re.sub(r"varFile: .*", "varFile: " + os.path.abspath(cluster), spec_text))
        r = subprocess.run([ASBGEN, "render", spec, "-o", os.path.join(TMP, "tfout")], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        out = os.path.join(TMP, "tfout", "idfint", "terraform", label)
        before, after = gke(cluster), gke(out)
        bp = [p for p in before["node_pools"] if p["name"] != name]
        ap = [p for p in after["node_pools"] if p["name"] != name]
        if bp != ap:
            raise RuntimeError(f"other pools changed: {[p['name'] for p in bp]} -> {[p['name'] for p in ap]}")
        mine = [p for p in after["node_pools"] if p["name"] == name]
        want = {"machine_type": pool["machineType"], "disk_size_gb": str(pool["diskSizeGb"]),
                "disk_type": pool["diskType"], "min_count": str(pool["minNodes"]),
                "max_count": str(pool["maxNodes"]), "node_locations": model["platform"]["zone"]}
        if len(mine) != 1 or any(mine[0].get(k) != v for k, v in want.items()):
            raise RuntimeError(f"the Kafka pool is {mine}, the spec says {want}")
        for var in ("node_pools_labels", "node_pools_taints"):
            b = {k: v for k, v in before[var].items() if k != name}
            a = {k: v for k, v in after[var].items() if k != name}
            if b != a or list(b) != list(a):
                raise RuntimeError(f"{var}: other entries changed: {b} -> {a}")
        if after["node_pools_labels"].get(name) != pool["labels"]:
            raise RuntimeError(f"labels {after['node_pools_labels'].get(name)}, the spec says {pool['labels']}")
        t = pool["taint"]
        if after["node_pools_taints"].get(name) != [{"key": t["key"], "value": t["value"], "effect": t["terraformEffect"]}]:
            raise RuntimeError(f"taints {after['node_pools_taints'].get(name)}")
        for k in before:
            if k not in ("node_pools", "node_pools_labels", "node_pools_taints") and before[k] != after[k]:
                raise RuntimeError(f"{k} changed")
        if COMMENT.findall(open(cluster).read()) != COMMENT.findall(open(out).read()):
            raise RuntimeError("comments were lost or moved")
        had = any(p["name"] == name for p in before["node_pools"])
        same = open(cluster).read() == open(out).read()
        report(f"node pool into {label} ({'had' if had else 'without'} {name}): the GKE module keeps the other "
               f"{len(bp)} pools in order, their labels, taints and every comment; {name} is the spec's"
               + ("; the file is unchanged byte for byte" if same and had else ""))
        # What a separate node_pools file did: Terraform replaces the list.
        alone = os.path.join(TMP, "alone.tfvars")
        with open(alone, "w") as f:
            f.write(re.sub(r"(?s)^(.*?\n)(node_pools_labels)", r"\1", "node_pools = [{ name = \"%s\" }]\n" % name))
        left = [p["name"] for p in gke(cluster, alone)["node_pools"]]
        if left != [name]:
            raise RuntimeError(f"a node_pools-only file after the cluster's left {left}")
        report(f"node pool into {label}: a file setting node_pools to {name} alone, given after it, would leave "
               f"only {left} (the whole list is replaced)")
    except Exception as e:
        report(f"node pool into {label}", e)

sys.exit(1 if failed else 0)
