#!/usr/bin/python3
"""status_fixture.py - a cluster's state for `asbgen status --live` tests.

    status_fixture.py RENDERED_DIR SCENARIO OUT_DIR

Reads the Kubernetes objects of a rendered environment (out/ENV/kubernetes)
and writes OUT_DIR/discovery.json and OUT_DIR/objects.json for
tests/kube_server.py: the objects as an API server would hold them after
the operators did their work (status conditions, the pods, claims and
load-balancer Services Strimzi makes, the Deployment the registry operator
makes, the Secrets VaultSecret fills), as a real cluster's objects look.

SCENARIO "healthy": everything Ready, every pinned address assigned.
SCENARIO "degraded": one of each failure the troubleshooting chapter
describes (see the DEGRADED list below); the test checks each is found.
"""
import copy
import json
import sys

import yaml

DEGRADED = [
    "Kafka NotReady",
    "a KafkaUser Ready False",
    "a KafkaTopic the spec dropped, stuck deleting on its finalizer",
    "a broker crash looping (OOMKilled)",
    "a controller Pending (untolerated taint)",
    "a broker claim smaller than asked (FileSystemResizePending)",
    "a broker claim asking for less than the spec",
    "a broker Service without an external address",
    "the bootstrap Service with another address than the pinned one",
    "the schema sync Job failed",
    "a password Secret without one user's key",
    "a rendered ServiceAccount missing",
    "the registry Deployment missing",
    "a Deployment with 0 of 1 replicas available",
]

PLURALS = {}


def plural(kind):
    p = kind.lower()
    return p + ("es" if p.endswith("s") else "ies" if p.endswith("y") else "s")


def ready(obj, status="True", typ="Ready", reason=None, message=None):
    c = {"type": typ, "status": status, "lastTransitionTime": "2026-12-01T10:00:00Z"}
    if reason:
        c["reason"] = reason
    if message:
        c["message"] = message
    obj.setdefault("status", {})["conditions"] = [c]
    obj["status"]["observedGeneration"] = 1
    obj["metadata"]["generation"] = 1


def pins(kafka):
    """(listener, broker id or None, ip, where) of every pinned address."""
    out = []
    for lst in kafka["spec"]["kafka"].get("listeners", []):
        conf = lst.get("configuration", {})
        def ip_of(x):
            ann = x.get("annotations", {})
            return x.get("loadBalancerIP") or ann.get("metallb.io/loadBalancerIPs") or \
                ann.get("metallb.universe.tf/loadBalancerIPs")
        b = conf.get("bootstrap", {})
        if ip_of(b):
            out.append((lst["name"], None, ip_of(b), b))
        for br in conf.get("brokers", []):
            if ip_of(br):
                out.append((lst["name"], br["broker"], ip_of(br), br))
    return out


def main():
    rendered, scenario, out = sys.argv[1], sys.argv[2], sys.argv[3]
    import glob
    objs = []
    for f in sorted(glob.glob(rendered + "/*.yaml")):
        for d in yaml.safe_load_all(open(f, encoding="utf-8")):
            if d and d.get("kind") and d["kind"] != "Kustomization":
                objs.append(d)
    bad = scenario == "degraded"
    live = []
    kafka = next(o for o in objs if o["kind"] == "Kafka")
    ns, cluster = kafka["metadata"]["namespace"], kafka["metadata"]["name"]
    for o in objs:
        o = copy.deepcopy(o)
        kind, name = o["kind"], o["metadata"]["name"]
        group = o["apiVersion"].split("/")[0] if "/" in o["apiVersion"] else ""
        if bad and kind == "ServiceAccount" and name == sorted(x["metadata"]["name"] for x in objs
                                                              if x["kind"] == "ServiceAccount")[0]:
            continue
        if group in ("kafka.strimzi.io", "cert-manager.io"):
            ready(o)
        if bad and kind == "Kafka":
            ready(o, "True", "NotReady", "ReconciliationException",
                  "Pod alert-broker-kafka-6 is not ready after 300000ms")
        if bad and kind == "KafkaUser" and name == "kafka-admin":
            ready(o, "False", "Ready", "InvalidResourceException", "Secret alert-stream-broker-secrets not found")
        if kind == "Deployment":
            want = o["spec"].get("replicas", 1)
            o["status"] = {"replicas": want, "availableReplicas": 0 if bad and "ingester" in name else want}
        if kind == "Job":
            if bad:
                o["status"] = {"failed": 6, "conditions": [{"type": "Failed", "status": "True", "reason":
                               "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit"}]}
            else:
                o["status"] = {"succeeded": 1, "conditions": [{"type": "Complete", "status": "True"}]}
        live.append(o)
        if kind == "StrimziSchemaRegistry" and not bad:
            live.append({"apiVersion": "apps/v1", "kind": "Deployment",
                         "metadata": {"name": name, "namespace": ns, "ownerReferences": [{"kind": kind, "name": name}]},
                         "spec": {"replicas": 1}, "status": {"replicas": 1, "availableReplicas": 1}})
        # The Deployment's pods.
        if kind == "Deployment":
            labels = o["spec"]["selector"]["matchLabels"]
            live.append({"apiVersion": "v1", "kind": "Pod",
                         "metadata": {"name": name + "-5d9c7b-x2x", "namespace": ns, "labels": dict(labels)},
                         "status": {"phase": "Running", "containerStatuses": [
                             {"name": name, "ready": True, "restartCount": 0, "state": {"running": {}}}]}})
    # What Strimzi makes: pods and claims per node, Services per pinned address.
    pools = [o for o in objs if o["kind"] == "KafkaNodePool"]
    ids = {}
    nxt = 0
    for p in pools:
        rng = p["metadata"].get("annotations", {}).get("strimzi.io/next-node-ids", "")
        start = int(rng.strip("[]").split("-")[0]) if rng else nxt
        ids[p["metadata"]["name"]] = list(range(start, start + p["spec"]["replicas"]))
        nxt = start + p["spec"]["replicas"]
    first_broker = True
    for p in pools:
        pool = p["metadata"]["name"]
        broker = "broker" in p["spec"]["roles"]
        for i, node in enumerate(ids[pool]):
            labels = {"strimzi.io/cluster": cluster, "strimzi.io/pool-name": pool, "strimzi.io/kind": "Kafka"}
            pod = {"apiVersion": "v1", "kind": "Pod",
                   "metadata": {"name": "%s-%s-%d" % (cluster, pool, node), "namespace": ns, "labels": labels},
                   "status": {"phase": "Running", "containerStatuses": [
                       {"name": "kafka", "ready": True, "restartCount": 0, "state": {"running": {}}}]}}
            if bad and broker and i == 0:
                pod["status"]["containerStatuses"][0].update(
                    {"ready": False, "restartCount": 17, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                     "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137}}})
            if bad and not broker and i == 0:
                pod["status"] = {"phase": "Pending", "conditions": [
                    {"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                     "message": "0/5 nodes are available: 5 node(s) had untolerated taint {dedicated: kafka}."}]}
            live.append(pod)
            st = p["spec"]["storage"]
            vols = st.get("volumes") if st.get("type") == "jbod" else [dict(st, id=None)]
            for v in vols:
                pvc = ("data-%s-" % v["id"] if v.get("id") is not None else "data-") + "%s-%s-%d" % (cluster, pool, node)
                size, cap = v["size"], v["size"]
                if bad and broker and i == 1:
                    cap = "1Ti"
                if bad and broker and i == 2:
                    size = cap = "1Ti"
                claim = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                         "metadata": {"name": pvc, "namespace": ns, "labels": labels},
                         "spec": {"resources": {"requests": {"storage": size}}},
                         "status": {"phase": "Bound", "capacity": {"storage": cap}}}
                if cap != size:
                    claim["status"]["conditions"] = [{"type": "FileSystemResizePending", "status": "True"}]
                live.append(claim)
    pool_of = {node: pool for pool, nodes in ids.items() for node in nodes}
    for k, (listener, broker_id, ip, where) in enumerate(pins(kafka)):
        name = "%s-kafka-%s-bootstrap" % (cluster, listener) if broker_id is None else \
            "%s-kafka-%s-%d" % (cluster, listener, broker_id)
        # As Strimzi selects: the brokers, or one broker's pod (StrimziPodSet).
        selector = {"strimzi.io/cluster": cluster, "strimzi.io/broker-role": "true"} if broker_id is None else \
            {"strimzi.io/pod-name": "%s-%s-%d" % (cluster, pool_of.get(broker_id, "kafka"), broker_id)}
        svc = {"apiVersion": "v1", "kind": "Service",
               "metadata": {"name": name, "namespace": ns,
                            "labels": {"strimzi.io/cluster": cluster, "strimzi.io/kind": "Kafka"},
                            "annotations": dict(where.get("annotations", {}))},
               "spec": {"type": "LoadBalancer", "selector": selector},
               "status": {"loadBalancer": {"ingress": [{"ip": ip, "ipMode": "VIP"}]}}}
        if where.get("loadBalancerIP"):
            svc["spec"]["loadBalancerIP"] = where["loadBalancerIP"]
        if bad and broker_id is None:
            svc["status"]["loadBalancer"]["ingress"][0]["ip"] = "192.0.2.99"
        if bad and k == 1:
            svc["status"]["loadBalancer"] = {}
        live.append(svc)
    # The Secrets VaultSecret fills: every secretKeyRef's key.
    keys = {}
    def refs(v):
        if isinstance(v, dict):
            for key, val in v.items():
                if key == "secretKeyRef" and isinstance(val, dict):
                    keys.setdefault(val["name"], set()).add(val["key"])
                else:
                    refs(val)
        elif isinstance(v, list):
            for x in v:
                refs(x)
    for o in objs:
        refs(o)
    for sname, ks in sorted(keys.items()):
        ks = sorted(ks)
        if bad:
            ks = [x for x in ks if x != ks[0]]
        live.append({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": sname, "namespace": ns},
                     "type": "Opaque", "data": {x: "c2VjcmV0LXZhbHVlLW5vdC1zaG93bg==" for x in ks}})
    if bad:
        live.append({"apiVersion": kafka["apiVersion"], "kind": "KafkaTopic",
                     "metadata": {"name": "old-alerts", "namespace": ns, "labels": {"strimzi.io/cluster": cluster},
                                  "deletionTimestamp": "2026-12-01T09:00:00Z",
                                  "finalizers": ["strimzi.io/topic-operator"]},
                     "spec": {"partitions": 1, "replicas": 1}})
    # Discovery: every kind held, in its group/version.
    disc = {}
    for o in live + objs:
        av = o["apiVersion"]
        path = "/api/" + av if "/" not in av else "/apis/" + av
        d = disc.setdefault(path, {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": av,
                                   "resources": []})
        if not any(r["kind"] == o["kind"] for r in d["resources"]):
            d["resources"].append({"name": plural(o["kind"]), "singularName": o["kind"].lower(),
                                   "namespaced": True, "kind": o["kind"], "verbs": ["get", "list"]})
    with open(out + "/discovery.json", "w", encoding="utf-8") as f:
        json.dump(disc, f, indent=1, sort_keys=True)
    with open(out + "/objects.json", "w", encoding="utf-8") as f:
        json.dump(live, f, indent=1)


if __name__ == "__main__":
    main()
