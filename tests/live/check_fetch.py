#!/usr/bin/python3
"""check_fetch.py - check what livefetch made of the recorded cluster.

    check_fetch.py LIVEFETCH_OUTPUT MANIFEST_DIR

The recorded cluster (tests/live/minimal, see record.py) holds the minimal
render with server fields and defaults added, one image changed, one
ServiceAccount missing, one stale KafkaUser and a Strimzi-made Deployment.
Prints "ok - ..." / "not ok - ..." lines.
"""
import glob
import json
import os
import sys

import yaml

out_path, manifest_dir = sys.argv[1], sys.argv[2]
rendered = {}
for p in sorted(glob.glob(os.path.join(manifest_dir, "*.yaml"))):
    with open(p, encoding="utf-8") as f:
        o = yaml.safe_load(f)
    if o["kind"] != "Kustomization":
        rendered[(o["kind"], o["metadata"]["name"])] = o
lines = []
with open(out_path, encoding="utf-8") as f:
    for line in f:
        lines.append(json.loads(line))
failed = 0


def check(name, cond, detail=""):
    global failed
    if cond:
        print("ok - " + name)
    else:
        failed += 1
        print("not ok - " + name)
        if detail:
            print(detail)


live = {(l["live"]["kind"], l["live"]["name"]): l for l in lines if "live" in l}
absent = [(l["absent"]["kind"], l["absent"]["name"]) for l in lines if "absent" in l]
prune = [(l["prune"]["kind"], l["prune"]["name"]) for l in lines if "prune" in l]
changed = ("Deployment", "alert-database-server")
missing = ("ServiceAccount", "alert-database-writer")

check("live: every rendered object is fetched or absent (%d)" % len(rendered),
      set(live) | set(absent) == set(rendered), "live %s absent %s" % (sorted(live), absent))
check("live: the object the cluster lacks (404) is absent, and only it", absent == [missing], str(absent))
same = [k for k in live if k != changed and live[k]["object"] == rendered[k]]
diff = [k for k in live if k != changed and live[k]["object"] != rendered[k]]
check("live: server fields, status, last-applied and server defaults removed: %d unchanged objects equal "
      "their manifests" % len(same), not diff and len(same) == len(rendered) - 2,
      "\n".join("%s %s:\n  live     %s\n  rendered %s" % (k[0], k[1], json.dumps(live[k]["object"], sort_keys=True),
                                                      json.dumps(rendered[k], sort_keys=True)) for k in diff[:3]))
if changed in live:
    got = live[changed]["object"]
    want = rendered[changed]
    img_live = got["spec"]["template"]["spec"]["containers"][0]["image"]
    img_want = want["spec"]["template"]["spec"]["containers"][0]["image"]
    got["spec"]["template"]["spec"]["containers"][0]["image"] = img_want
    check("live: the changed Deployment differs in its image only (%s, rendered %s)" % (img_live, img_want),
          img_live != img_want and got == want)
else:
    check("live: the changed Deployment is fetched", False)
check("live: the prune candidates are the stale KafkaUser and the unowned leftover Service "
      "(the Strimzi Deployment, owned by the Kafka resource, is not)",
      sorted(prune) == [("KafkaUser", "old-user"), ("Service", "alert-stream-broker-legacy")], str(prune))
pl = [l for l in lines if "prune" in l and l["prune"]["kind"] == "KafkaUser"]
if pl:
    o = pl[0]["object"]
    check("live: the prune candidate is stripped and has its apiVersion and kind",
          "status" not in o and "uid" not in o["metadata"] and "managedFields" not in o["metadata"]
          and o.get("apiVersion") == "kafka.strimzi.io/v1" and o.get("kind") == "KafkaUser")
sys.exit(1 if failed else 0)
