#!/usr/bin/python3
"""The client files of one environment, read by the clients that use them.

    /usr/bin/python3 tests/clients.py SPEC OUT_ENV_DIR [SPEC OUT_ENV_DIR]...

Prints "ok - ..." / "not ok - ..." lines (details indented).  What the files
must say comes from the spec (users, the external bootstrap address) and
from what the broker side deploys (out/ENV/kubernetes: the external
listener's port, TLS and authentication, each KafkaUser's group ACLs, the
registry's ingress host), never from the client files themselves:

- Java client and Kafka Connect worker files (USER.properties,
  connect/USER.properties): read by java.util.Properties and the JDK's JAAS
  parser (tests/ClientProps.java, run once with `java`); bootstrap,
  protocol, SCRAM-SHA-512, the JAAS login module with the user's name and
  the password left to EnvVarConfigProvider (whose version, 3.5, the header
  names), the group id inside the user's group ACL (Connect: the
  consumer.-prefixed SASL settings and group id, the Avro converter with
  the registry's URL, the standalone offsets file).
- librdkafka files (USER.conf): the README's own Python lines are run to
  read each file; Debian's confluent-kafka builds a Consumer (no
  configuration warning) and an AdminClient from it with a password set as
  an application would; pointed at a closed local port, both fail only to
  connect (_TRANSPORT).  `kcat -F FILE -X dump` shows the values librdkafka
  took; the README's kcat line, run with the bootstrap pointed at that
  port, fails only with "Broker transport failure", never a configuration
  error.  No Java-only key and no password is in the file.
- README.md: a section per user with the kcat and Python lines, and every
  file of clients/ named in it.
"""
import concurrent.futures
import json
import logging
import os
import re
import socket
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "not-the-password"  # what an application would set
SCRAM = "org.apache.kafka.common.security.scram.ScramLoginModule"
ENVVAR = "org.apache.kafka.common.config.provider.EnvVarConfigProvider"
JAVA_ONLY = ("sasl.jaas.config", "config.providers", "schema.registry.url")

results = []


def report(name, why=None):
    results.append((name, why))


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def broker_side(out):
    """What the deployment says: listener, group ACLs per user, registry."""
    kafka = load_yaml(os.path.join(out, "kubernetes", "kafka.yaml"))
    ext = [x for x in kafka["spec"]["kafka"]["listeners"] if x["name"] == "external"][0]
    acls = {}
    kdir = os.path.join(out, "kubernetes")
    for fn in sorted(os.listdir(kdir)):
        if fn.startswith("kafkauser-"):
            u = load_yaml(os.path.join(kdir, fn))
            groups = [a["resource"] for a in u["spec"].get("authorization", {}).get("acls", [])
                      if a["resource"]["type"] == "group"]
            acls[u["metadata"]["name"]] = groups
    path = os.path.join(kdir, "ingress-schema-registry.yaml")
    if not os.path.exists(path):  # an environment without a schema registry
        return ext, acls, None
    ing = load_yaml(path)
    return ext, acls, "https://" + ing["spec"]["rules"][0]["host"]


def in_acl(group, resources):
    return any(group.startswith(r["name"]) if r.get("patternType") == "prefix"
               else r["name"] in (group, "*") for r in resources)


def header(path):
    lines = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                break
            lines.append(line)
    return "".join(lines)


def java_files(paths):
    """tests/ClientProps.java over every file, once."""
    r = subprocess.run(["java", os.path.join(ROOT, "tests", "ClientProps.java"), *paths],
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise RuntimeError(f"java exit {r.returncode}: {r.stderr.strip()[:2000]}")
    return json.loads(r.stdout)


def check_sasl(got, prefix, user, protocol):
    """Problems with the prefix-ed SASL settings of a Java file, as a list."""
    p, jaas = got["properties"], got["jaas"]
    bad = []
    for k, want in ((prefix + "security.protocol", protocol), (prefix + "sasl.mechanism", "SCRAM-SHA-512")):
        if p.get(k) != want:
            bad.append(f"{k}: want {want!r}, got {p.get(k)!r}")
    entries = jaas.get(prefix + "sasl.jaas.config")
    want = [{"module": SCRAM, "flag": "required",
             "options": {"password": "${env:KAFKA_PASSWORD}", "username": user}}]
    if entries != want:
        bad.append(f"{prefix}sasl.jaas.config as JAAS: want {want}, got {entries}")
    return bad


def check_java(path, got, user, want):
    bad = []
    if "error" in got:
        return [got["error"]]
    p = got["properties"]
    if p.get("bootstrap.servers") != want["bootstrap"]:
        bad.append(f"bootstrap.servers: want {want['bootstrap']!r}, got {p.get('bootstrap.servers')!r}")
    bad += check_sasl(got, "", user, want["protocol"])
    if "env" not in p.get("config.providers", "").split(",") or p.get("config.providers.env.class") != ENVVAR:
        bad.append("the password's config provider (config.providers=env, EnvVarConfigProvider) is missing")
    if "3.5" not in header(path):
        bad.append("the header does not say that EnvVarConfigProvider needs Kafka clients 3.5 or later")
    return bad, p


def check_user_java(clients, user, want, props):
    path = os.path.join(clients, f"{user}.properties")
    if path not in props or os.path.join(clients, "connect", f"{user}.properties") not in props:
        report(f"{path}: Java reads the user's Java and Connect files", "not on disk")
        return
    bad, p = check_java(path, props[path], user, want)
    if not bad:
        if not in_acl(p.get("group.id", ""), want["acls"]):
            bad.append(f"group.id {p.get('group.id')!r} is outside the user's group ACLs {want['acls']}")
        if p.get("schema.registry.url") != want["registry"]:
            bad.append(f"schema.registry.url: want {want['registry']!r}, got {p.get('schema.registry.url')!r}")
    report(f"{path}: java.util.Properties and the JDK's JAAS parser find the Java client settings", "; ".join(bad))

    path = os.path.join(clients, "connect", f"{user}.properties")
    bad, p = check_java(path, props[path], user, want)
    if not bad:
        bad += check_sasl(props[path], "consumer.", user, want["protocol"])
        g = p.get("consumer.group.id", "")
        if not in_acl(g, want["acls"]):
            bad.append(f"consumer.group.id {g!r} is outside the user's group ACLs {want['acls']}")
        avro = want["registry"] is not None  # else the values pass as bytes
        for k, w in (("value.converter", "io.confluent.connect.avro.AvroConverter" if avro
                      else "org.apache.kafka.connect.converters.ByteArrayConverter"),
                     ("value.converter.schema.registry.url", want["registry"])):
            if p.get(k) != w:
                bad.append(f"{k}: want {w!r}, got {p.get(k)!r}")
        if not p.get("offset.storage.file.filename"):
            bad.append("connect-standalone needs offset.storage.file.filename")
    report(f"{path}: java.util.Properties finds a Connect worker with the sink consumer's own SASL, "
           "a group id inside the ACL and the Avro converter's registry", "; ".join(bad))


def readme_blocks(readme, user):
    """The user's section of the README: its sh and python code blocks."""
    m = re.search(r"^## " + re.escape(user) + r"\n(.*?)(?=^## |\Z)", readme, re.S | re.M)
    if not m:
        return None, None
    blocks = dict(re.findall(r"^```(\w+)\n(.*?)^```$", m.group(1), re.S | re.M))
    return blocks.get("sh"), blocks.get("python")


def check_user_rdkafka(clients, user, want, readme, closed, got):
    from confluent_kafka import Consumer, KafkaException
    from confluent_kafka.admin import AdminClient

    def rep(name, why=None):
        got.append((name, why))

    path = os.path.join(clients, f"{user}.conf")
    sh, py = readme_blocks(readme, user)
    if not sh or not py:
        rep(f"{clients}/README.md: a section for {user} with a sh and a python block", "missing")
        return
    rep(f"{clients}/README.md: a section for {user} with a sh and a python block")

    # The README's Python lines, up to the consumer, read the file as an
    # application would; what follows (list_topics) is done below against
    # a closed port, with a short timeout: the real broker is not
    # reachable from the tests.
    lines = py.splitlines()
    upto = next((i for i, line in enumerate(lines) if "Consumer(conf)" in line), None)
    # "Run the lines below from this directory": open() of the README's
    # line resolves in clients/ (threads share one working directory).
    ns = {"open": lambda name, *a, **k: open(os.path.join(clients, name), *a, **k)}
    warnings = []

    class Catch(logging.Handler):
        def emit(self, record):
            warnings.append(record.getMessage())

    log = logging.getLogger(f"rdkafka.{user}")
    log.addHandler(Catch())
    log.propagate = False
    try:
        if upto is None:
            raise ValueError("the Python block builds no Consumer(conf)")
        exec("\n".join(lines[:upto]), ns)
        conf = ns["conf"]
        bad = [f"{k} is a Java-only key" for k in conf if k in JAVA_ONLY or k.startswith("config.providers")]
        with open(path, encoding="utf-8") as f:
            if any(line.strip().startswith("sasl.password") for line in f):
                bad.append("the file holds sasl.password")
        for k, w in (("bootstrap.servers", want["bootstrap"]), ("sasl.username", user),
                     ("security.protocol", want["protocol"]), ("sasl.mechanism", "SCRAM-SHA-512")):
            if conf.get(k) != w:
                bad.append(f"{k}: want {w!r}, got {conf.get(k)!r}")
        if want["protocol"] == "SASL_SSL" and "ssl.ca.location" not in conf:
            bad.append("TLS without ssl.ca.location: a statically linked librdkafka finds no CA")
        if not in_acl(conf.get("group.id", ""), want["acls"]):
            bad.append(f"group.id {conf.get('group.id')!r} is outside the user's group ACLs")
        c = Consumer(dict(conf, logger=log))
        c.close()
        if any("CONFWARN" in w or "onfiguration" in w for w in warnings):
            bad.append(f"the Consumer warns about its configuration: {warnings}")
        AdminClient(dict(conf, logger=log))  # its warnings (consumer keys) are not asserted on
        rep(f"{path}: the README's Python lines read it; confluent-kafka builds a Consumer (no "
               "configuration warning) and an AdminClient", "; ".join(bad))
        # The same configuration at a closed port: only the connection fails.
        local = dict(conf, **{"bootstrap.servers": f"127.0.0.1:{closed}"})
        for kind in (Consumer, AdminClient):
            client = kind(dict(local, logger=log))
            try:
                client.list_topics(timeout=1)
                rep(f"{path}: {kind.__name__} at a closed port fails to connect", "it connected")
            except KafkaException as e:
                err = e.args[0]
                rep(f"{path}: {kind.__name__} at a closed port fails only to connect (_TRANSPORT)",
                       None if err.name() == "_TRANSPORT" else f"{err.name()}: {err.str()}")
            if kind is Consumer:
                client.close()
    except Exception as e:  # a config the library refuses is the file's failure
        rep(f"{path}: the README's Python lines and confluent-kafka accept it", f"{type(e).__name__}: {e}")

    # kcat: what librdkafka took from the file, then the README's line.
    r = subprocess.run(["kcat", "-F", f"{user}.conf", "-X", "dump"], cwd=clients,
                       capture_output=True, text=True, timeout=60)
    dump = dict(re.findall(r"^(\S+) = (.*)$", r.stdout, re.M))
    bad = [] if r.returncode == 0 else [f"exit {r.returncode}: {r.stderr.strip()}"]
    for k, w in (("metadata.broker.list", want["bootstrap"]), ("sasl.username", user),
                 ("security.protocol", want["protocol"].lower()), ("sasl.mechanisms", "SCRAM-SHA-512")):
        if dump.get(k) != w:
            bad.append(f"{k}: want {w!r}, got {dump.get(k)!r}")
    rep(f"{path}: kcat -F reads it (-X dump shows the bootstrap, protocol, mechanism and user)",
           "; ".join(bad))
    kline = next((line for line in sh.splitlines() if line.startswith("kcat ")), None)
    if not kline or f"-F {user}.conf" not in kline:
        rep(f"{clients}/README.md: {user}'s kcat line reads {user}.conf", f"got {kline!r}")
        return
    r = subprocess.run(f"{kline} -X bootstrap.servers=127.0.0.1:{closed} -m 1", shell=True, cwd=clients,
                       env=dict(os.environ, KAFKA_PASSWORD=PASSWORD), capture_output=True, text=True,
                       timeout=60)
    errors = [line for line in r.stderr.splitlines() if line.startswith("% ERROR")]
    ok = r.returncode == 1 and len(errors) == 1 and "Broker transport failure" in errors[0]
    rep(f"{path}: the README's kcat line accepts the file and fails only to connect",
           None if ok else f"exit {r.returncode}: {r.stderr.strip()[-1500:]}")


def main(argv):
    if not argv or len(argv) % 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    envs = [(argv[i], argv[i + 1]) for i in range(0, len(argv), 2)]
    # Java starts once for every environment's files (compiling the
    # source program is most of its time).
    jpaths = sorted(os.path.join(r, f) for _, out in envs for r, _, fs in os.walk(os.path.join(out, "clients"))
                    for f in fs if f.endswith(".properties"))
    try:
        props = java_files(jpaths) if jpaths else {}
    except Exception as e:
        report("java tests/ClientProps.java reads the Java and Connect files", str(e))
        props = None
    # One closed port for the whole run: bound, never listening, so a
    # connection to it is refused and no other process can take it.
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    os.environ["KAFKA_PASSWORD"] = PASSWORD  # as the README says to set it
    for spec_path, out in envs:
        check_env(spec_path, out, props, closed.getsockname()[1])
    closed.close()
    return finish()


def check_env(spec_path, out, props, port):
    spec = load_yaml(spec_path)
    ext_spec = (spec.get("external") or {}).get("bootstrap") or {}
    host = ext_spec.get("host") or ext_spec.get("ip")
    users = [u["name"] for u in spec.get("users") or []]
    clients = os.path.join(out, "clients")
    if not host or not users:
        report(f"{out}: no clients/ without an external bootstrap address or users",
               "clients/ exists" if os.path.exists(clients) else None)
        return
    ext, acls, registry = broker_side(out)
    if ext.get("authentication", {}).get("type") != "scram-sha-512":
        report(f"{out}: the external listener authenticates with SCRAM-SHA-512", str(ext.get("authentication")))
        return
    wants = {u: {"bootstrap": f"{host}:{ext['port']}", "protocol": "SASL_SSL" if ext.get("tls") else "SASL_PLAINTEXT",
                 "acls": acls.get(u, []), "registry": registry} for u in users}

    expected = {"README.md"}
    for u in users:
        expected |= {f"{u}.properties", f"{u}.conf", f"connect/{u}.properties"}
    on_disk = {os.path.relpath(os.path.join(r, f), clients) for r, _, fs in os.walk(clients) for f in fs}
    report(f"{clients}: the three files of each user and README.md, nothing else",
           None if on_disk == expected else f"missing {sorted(expected - on_disk)}, extra {sorted(on_disk - expected)}")
    with open(os.path.join(clients, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    unnamed = [p for p in sorted(on_disk - {"README.md"})
               if os.path.basename(p) not in readme]
    report(f"{clients}/README.md names every file", f"not named: {unnamed}" if unnamed else None)
    if props is not None:
        for u in users:
            check_user_java(clients, u, wants[u], props)
    # kcat runs in its own process; confluent-kafka calls release the GIL.
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        per_user = list(pool.map(lambda u: check_user_rdkafka_safe(clients, u, wants[u], readme, port), users))
    for got in per_user:  # in the spec's order, whatever order the threads ran
        results.extend(got)


def check_user_rdkafka_safe(clients, user, want, readme, port):
    got = []
    try:
        check_user_rdkafka(clients, user, want, readme, port, got)
    except Exception as e:
        got.append((f"{clients}/{user}.conf: checked", f"{type(e).__name__}: {e}"))
    return got


def finish():
    failed = 0
    for name, why in results:
        if why:
            failed += 1
            print(f"not ok - {name}")
            for line in str(why).splitlines()[:40]:
                print(f"    {line}")
        else:
            print(f"ok - {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
