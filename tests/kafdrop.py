#!/usr/bin/env python3
"""kafdrop.py - Kafdrop's client settings as Kafdrop's JVM reads them.

    python3 tests/kafdrop.py KUBERNETES_DIR...

For each rendered kubernetes/ folder that runs Kafdrop: the properties file
its Deployment points KAFKA_PROPERTIES_FILE at is taken from the ConfigMap
mounted there, and read by the JDK (tests/ClientProps.java: Properties.load
and the JAAS parser, as Kafka's clients read --command-config files).  Then
each setting is compared with the objects Strimzi acts on:

- bootstrap.servers is the Kafka cluster's bootstrap Service on a listener
  of the Kafka CR whose authentication is scram-sha-512, and
  security.protocol fits that listener's tls (SASL_SSL or SASL_PLAINTEXT);
- the JAAS line is ScramLoginModule, username the KafkaUser of Kafdrop,
  whose authentication is scram-sha-512, and its password is
  ${env:KAFKA_PASSWORD}, an env var of the container read from the same
  secret key as the KafkaUser's password;
- the env provider is configured and allowed by the JVM system property
  Kafka 3.8+ clients require (org.apache.kafka.automatic.config.providers);
- the KafkaUser's ACLs allow what Kafdrop does: Read and Describe on every
  topic and group, DescribeConfigs on topics, and nothing that changes data.

Prints "ok - ..." / "not ok - ..." lines; exits 1 on any failure.
"""
import json
import os
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
failures = 0


def report(good, name, why=""):
    global failures
    if good:
        print(f"ok - {name}")
    else:
        failures += 1
        print(f"not ok - {name}")
        for line in str(why).splitlines():
            print(f"#   {line}")


def objects(folder):
    for f in sorted(os.listdir(folder)):
        if f.endswith(".yaml") and f != "kustomization.yaml":
            with open(os.path.join(folder, f), encoding="utf-8") as fh:
                for doc in yaml.safe_load_all(fh):
                    if isinstance(doc, dict):
                        yield doc


def env_of(container):
    return {e["name"]: e for e in container.get("env", [])}


def java_read(path):
    out = subprocess.run(["java", os.path.join(HERE, "ClientProps.java"), path],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(out.stderr or out.stdout)
    return json.loads(out.stdout)[path]


def acl_ops(user):
    """{(type, name, pattern): set(operations)} of a KafkaUser."""
    got = {}
    for a in user["spec"].get("authorization", {}).get("acls", []):
        r = a["resource"]
        key = (r["type"], r.get("name"), r.get("patternType", "literal"))
        got.setdefault(key, set()).update(a.get("operations", [a.get("operation")]))
    return got


def check_folder(folder, tmp):
    objs = list(objects(folder))
    by_kind = {}
    for o in objs:
        by_kind.setdefault(o["kind"], {})[o["metadata"]["name"]] = o
    deps = [d for n, d in by_kind.get("Deployment", {}).items() if n.endswith("-kafdrop")]
    if not deps:
        return False
    dep = deps[0]
    name = f"kafdrop: {folder}"
    pod = dep["spec"]["template"]["spec"]
    c = pod["containers"][0]
    env = env_of(c)
    path = env["KAFKA_PROPERTIES_FILE"]["value"]
    mount = next(m for m in c["volumeMounts"] if path.startswith(m["mountPath"] + "/"))
    vol = next(v for v in pod["volumes"] if v["name"] == mount["name"])
    cm = by_kind["ConfigMap"][vol["configMap"]["name"]]
    text = cm["data"][path[len(mount["mountPath"]) + 1:]]
    local = os.path.join(tmp, os.path.basename(os.path.dirname(folder)) + "-kafka.properties")
    with open(local, "w", encoding="utf-8") as fh:
        fh.write(text)
    read = java_read(local)
    if "error" in read:
        report(False, f"{name}: the JDK reads kafka.properties", read["error"])
        return True
    props = read["properties"]
    report(True, f"{name}: the JDK reads kafka.properties and its JAAS line")

    kafka = next(iter(by_kind["Kafka"].values()))
    cluster = kafka["metadata"]["name"]
    host, _, port = props.get("bootstrap.servers", "").rpartition(":")
    lst = [l for l in kafka["spec"]["kafka"]["listeners"] if str(l["port"]) == port]
    ok = (host == f"{cluster}-kafka-bootstrap" and len(lst) == 1
          and lst[0].get("authentication", {}).get("type") == "scram-sha-512"
          and props.get("security.protocol") == ("SASL_SSL" if lst[0].get("tls") else "SASL_PLAINTEXT")
          and props.get("sasl.mechanism") == "SCRAM-SHA-512"
          and env["KAFKA_BROKERCONNECT"]["value"] == props["bootstrap.servers"])
    report(ok, f"{name}: bootstrap {props.get('bootstrap.servers')} is a SCRAM listener of {cluster}, "
           f"protocol {props.get('security.protocol')}", json.dumps([props, lst], indent=1))

    jaas = read["jaas"].get("sasl.jaas.config", [])
    opts = jaas[0]["options"] if len(jaas) == 1 else {}
    user = by_kind.get("KafkaUser", {}).get(opts.get("username"))
    secret = env.get("KAFKA_PASSWORD", {}).get("valueFrom", {}).get("secretKeyRef")
    upw = (user or {}).get("spec", {}).get("authentication", {}).get("password", {})
    ok = (len(jaas) == 1 and jaas[0]["module"].endswith(".ScramLoginModule")
          and jaas[0]["flag"].lower() == "required" and user is not None
          and user["spec"]["authentication"]["type"] == "scram-sha-512"
          and opts.get("password") == "${env:KAFKA_PASSWORD}"
          and secret == upw.get("valueFrom", {}).get("secretKeyRef"))
    report(ok, f"{name}: JAAS user {opts.get('username')} is a SCRAM KafkaUser whose password "
           f"secret key the container reads into KAFKA_PASSWORD", json.dumps([jaas, secret, upw], indent=1))

    provider = "org.apache.kafka.common.config.provider.EnvVarConfigProvider"
    jvm = env.get("JVM_OPTS", {}).get("value", "")
    ok = (props.get("config.providers") == "env"
          and props.get("config.providers.env.class") == provider
          and f"-Dorg.apache.kafka.automatic.config.providers={provider}" in jvm.split())
    report(ok, f"{name}: the env config provider is configured and allowed (JVM_OPTS)",
           json.dumps([props, jvm], indent=1))

    if user is not None:
        got = acl_ops(user)
        want = {("topic", "*", "literal"): {"Read", "Describe", "DescribeConfigs"},
                ("group", "*", "literal"): {"Read", "Describe"}}
        report(got == want, f"{name}: KafkaUser {user['metadata']['name']} reads and describes every "
               "topic and group, and may change nothing", json.dumps({str(k): sorted(v) for k, v in got.items()}))
    return True


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    tmp = os.environ.get("TMPDIR", "/tmp")
    seen = 0
    for folder in argv[1:]:
        seen += check_folder(folder.rstrip("/"), tmp)
    report(seen > 0, f"kafdrop: {seen} of {len(argv) - 1} folders run Kafdrop, at least one")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
