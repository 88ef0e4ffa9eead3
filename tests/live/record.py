#!/usr/bin/python3
"""record.py - (re)make the recorded API objects of tests/live/minimal/.

    /usr/bin/python3 tests/live/record.py out/minimal/kubernetes tests/live/minimal

What an API server would hold after `out/minimal/kubernetes` was applied
some time ago: every object with the fields the server adds (uid,
resourceVersion, generation, creationTimestamp, managedFields, status, the
last-applied annotation on some, defaults in Deployments, Services and
Jobs), plus the differences the live tests look for:

  - deployment alert-database-server runs an older image (a change);
  - serviceaccount alert-database-writer was never created (a 404);
  - kafkauser old-user, labelled managed-by asbgen, is no longer rendered
    (a prune candidate);
  - deployment alert-broker-entity-operator (made by Strimzi: owned by the
    Kafka resource) is in the namespace too, and must not be a prune
    candidate;
  - service alert-stream-broker-legacy (left by the Phalanx charts: no
    owner, no asbgen label) is a prune candidate.

Writes discovery.json (API path -> APIResourceList) and objects.json.
Run it again when the minimal render changes.
"""
import copy
import glob
import json
import os
import sys

import yaml

PLURALS = {"Ingress": "ingresses", "StrimziSchemaRegistry": "strimzischemaregistries"}
CHANGED = ("Deployment", "alert-database-server")
MISSING = ("ServiceAccount", "alert-database-writer")


def plural(kind):
    return PLURALS.get(kind, kind.lower() + "s")


def add_server_fields(obj, n):
    meta = obj["metadata"]
    meta["uid"] = "00000000-0000-4000-8000-%012d" % n
    meta["resourceVersion"] = str(1000 + n)
    meta["generation"] = 2
    meta["creationTimestamp"] = "2026-10-01T12:00:00Z"
    meta["managedFields"] = [{"manager": "argocd-controller", "operation": "Update",
                              "apiVersion": obj["apiVersion"], "fieldsType": "FieldsV1",
                              "fieldsV1": {"f:metadata": {"f:labels": {}}}}]
    if n % 2 == 0:
        applied = copy.deepcopy(obj)
        for k in ("uid", "resourceVersion", "generation", "creationTimestamp", "managedFields"):
            applied["metadata"].pop(k, None)
        meta.setdefault("annotations", {})["kubectl.kubernetes.io/last-applied-configuration"] = \
            json.dumps(applied, sort_keys=True, separators=(",", ":")) + "\n"
    kind = obj["kind"]
    spec = obj.get("spec")
    if kind == "Deployment":
        spec.update({"progressDeadlineSeconds": 600, "revisionHistoryLimit": 10,
                     "strategy": {"type": "RollingUpdate",
                                  "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}})
        pod = spec["template"]["spec"]
        pod.update({"dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "schedulerName": "default-scheduler",
                    "securityContext": {}, "terminationGracePeriodSeconds": 30})
        spec["template"].setdefault("metadata", {})["creationTimestamp"] = None
        for c in pod.get("containers", []):
            for k, v in {"imagePullPolicy": "IfNotPresent", "resources": {},
                      "terminationMessagePath": "/dev/termination-log",
                      "terminationMessagePolicy": "File"}.items():
                c.setdefault(k, v)
        obj["status"] = {"replicas": 1, "readyReplicas": 1, "observedGeneration": 2}
    elif kind == "Service":
        spec.update({"clusterIP": "10.96.12.34", "clusterIPs": ["10.96.12.34"], "ipFamilies": ["IPv4"],
                     "ipFamilyPolicy": "SingleStack", "sessionAffinity": "None",
                     "internalTrafficPolicy": "Cluster"})
        obj["status"] = {"loadBalancer": {}}
    elif kind == "Job":
        spec.update({"completionMode": "NonIndexed", "parallelism": 1, "completions": 1, "suspend": False})
        obj["status"] = {"succeeded": 1}
    elif kind == "ServiceAccount":
        obj["secrets"] = [{"name": meta["name"] + "-token-abcde"}]
    else:
        obj["status"] = {"conditions": [{"type": "Ready", "status": "True"}], "observedGeneration": 2}
    return obj


def main():
    src, dst = sys.argv[1], sys.argv[2]
    objects, kinds = [], {}
    n = 0
    for path in sorted(glob.glob(os.path.join(src, "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            obj = yaml.safe_load(f)
        if obj["kind"] == "Kustomization":
            continue
        kinds[(obj["apiVersion"], obj["kind"])] = True
        if (obj["kind"], obj["metadata"]["name"]) == MISSING:
            continue
        n += 1
        obj = add_server_fields(obj, n)
        if (obj["kind"], obj["metadata"]["name"]) == CHANGED:
            c = obj["spec"]["template"]["spec"]["containers"][0]
            c["image"] = c["image"].rsplit(":", 1)[0] + ":v3.9.0"
        objects.append(obj)
    user = next(o for o in objects if o["kind"] == "KafkaUser")
    kafka = next(o for o in objects if o["kind"] == "Kafka")
    old = copy.deepcopy(user)
    old["metadata"]["name"] = "old-user"
    old["metadata"]["uid"] = "00000000-0000-4000-8000-999999999999"
    objects.append(old)
    objects.append(add_server_fields({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "alert-broker-entity-operator", "namespace": user["metadata"]["namespace"],
                     "labels": {"app.kubernetes.io/managed-by": "strimzi-cluster-operator"},
                     "ownerReferences": [{"apiVersion": kafka["apiVersion"], "kind": "Kafka",
                                          "name": kafka["metadata"]["name"], "uid": kafka["metadata"]["uid"],
                                          "controller": True, "blockOwnerDeletion": False}]},
        "spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "topic-operator",
                                                                       "image": "strimzi/operator"}]}}}}, 99))
    objects.append(add_server_fields({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "alert-stream-broker-legacy", "namespace": user["metadata"]["namespace"],
                     "labels": {"app.kubernetes.io/instance": "alert-stream-broker"}},
        "spec": {"ports": [{"name": "http", "port": 8080}], "selector": {"app": "legacy"}}}, 100))
    discovery = {}
    for api_version, kind in sorted(kinds):
        path = "/api/" + api_version if "/" not in api_version else "/apis/" + api_version
        doc = discovery.setdefault(path, {"kind": "APIResourceList", "apiVersion": "v1",
                                          "groupVersion": api_version, "resources": []})
        doc["resources"].append({"name": plural(kind), "singularName": kind.lower(), "namespaced": True,
                                 "kind": kind, "verbs": ["get", "list", "watch"]})
        doc["resources"].append({"name": plural(kind) + "/status", "singularName": "", "namespaced": True,
                                 "kind": kind, "verbs": ["get"]})
    os.makedirs(dst, exist_ok=True)
    with open(os.path.join(dst, "discovery.json"), "w", encoding="utf-8") as f:
        json.dump(discovery, f, indent=1, sort_keys=True)
        f.write("\n")
    with open(os.path.join(dst, "objects.json"), "w", encoding="utf-8") as f:
        json.dump(objects, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
