#!/usr/bin/python3
"""kube_server.py - a Kubernetes API server stand-in for the live tests.

    /usr/bin/python3 tests/kube_server.py --cert S.pem --key S.key FIXTURES [options]

Serves HTTPS on 127.0.0.1 at a free port (printed as "port N" on the first
line of stdout) from recorded API objects: FIXTURES/discovery.json (API
path -> APIResourceList) and FIXTURES/objects.json (the objects).  GET
only: discovery, one object (404 when absent), and lists of a resource in
a namespace with an optional labelSelector of `key=value` terms.

Options:
  --token T         require "Authorization: Bearer T" (else 401)
  --client-ca CA    require a client certificate signed by CA (TLS)
  --mode M          ok (default); 401, 403 (every request answered so);
                    403get (discovery allowed, objects and lists 403);
                    403echo (a 403 whose message quotes the Authorization
                    header, as a careless proxy might); junk (an HTML page
                    with status 200); notfound (404 with a web server's
                    HTML page); timeout (accept, read the request, never
                    answer); echo (a 403 whose message echoes every
                    --echo secret in the forms below), echojunk (200 with
                    an HTML page and a content type that start with them),
                    echo404 (a 404 HTML page that starts with them)
  --echo S          a secret for the echo modes, repeatable: echoed raw, as
                    "Bearer S", base64 of S, of "Bearer S" and of
                    "tester:S" (basic auth), URL-safe base64,
                    percent-encoded, its first 8 and last 8 characters
  --log FILE        append one line per request: "METHOD PATH auth=yes|no"

Python standard library only (http.server, ssl), so it runs anywhere the
tests do.
"""
import argparse
import base64
import json
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def status(code, reason, message):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}


def echo_forms(secret):
    """What a careless server or proxy may say about a credential it got."""
    raw = secret.encode()
    b64 = lambda b: base64.b64encode(b).decode()
    return ["raw=" + secret, "bearer=Bearer " + secret, "b64=" + b64(raw), "b64bearer=" + b64(b"Bearer " + raw),
            "basic=" + b64(b"tester:" + raw), "b64url=" + base64.urlsafe_b64encode(raw).decode(),
            "pct=" + urllib.parse.quote(secret, safe=""), "prefix=" + secret[:8] + "...",
            "suffix=..." + secret[-8:]]


def echo_text(secrets):
    return " ".join(f for s in secrets for f in echo_forms(s))


class Store:
    def __init__(self, fixtures):
        with open(fixtures + "/discovery.json", encoding="utf-8") as f:
            self.discovery = json.load(f)
        with open(fixtures + "/objects.json", encoding="utf-8") as f:
            self.objects = json.load(f)
        # plural -> kind, per API path
        self.kinds = {}
        for path, doc in self.discovery.items():
            for r in doc["resources"]:
                if "/" not in r["name"]:
                    self.kinds[(path, r["name"])] = r["kind"]

    def route(self, path, query):
        """(code, body) for a GET."""
        if path in self.discovery:
            return 200, self.discovery[path]
        if path.startswith("/apis/") and path.count("/") == 2:
            group = path[len("/apis/"):]
            versions = [{"groupVersion": d["groupVersion"], "version": d["groupVersion"].split("/")[1]}
                        for d in self.discovery.values() if d["groupVersion"].startswith(group + "/")]
            if versions:
                return 200, {"kind": "APIGroup", "apiVersion": "v1", "name": group, "versions": versions,
                             "preferredVersion": versions[0]}
        parts = path.strip("/").split("/")
        # /api/v1/namespaces/NS/PLURAL[/NAME] or /apis/G/V/namespaces/NS/PLURAL[/NAME]
        n = 2 if parts[0] == "api" else 3
        base, rest = "/" + "/".join(parts[:n]), parts[n:]
        if base not in self.discovery or len(rest) < 3 or rest[0] != "namespaces":
            return 404, status(404, "NotFound", "the server could not find the requested resource")
        ns, plural, name = rest[1], rest[2], (rest[3] if len(rest) > 3 else None)
        kind = self.kinds.get((base, plural))
        if kind is None or len(rest) > 4:
            return 404, status(404, "NotFound", "the server could not find the requested resource")
        api_version = self.discovery[base]["groupVersion"]
        matches = [o for o in self.objects
                   if o["kind"] == kind and o["apiVersion"] == api_version
                   and o["metadata"].get("namespace") == ns]
        if name is not None:
            for o in matches:
                if o["metadata"]["name"] == name:
                    return 200, o
            return 404, status(404, "NotFound", '%s "%s" not found' % (plural, name))
        selector = query.get("labelSelector", [""])[0]
        for term in filter(None, selector.split(",")):
            key, _, value = term.partition("=")
            matches = [o for o in matches if o["metadata"].get("labels", {}).get(key) == value]
        items = []
        for o in matches:
            # Lists of built-in types carry apiVersion and kind on the list only.
            item = dict(o)
            if "/" not in api_version or api_version.split("/")[0].endswith("k8s.io") or \
                    api_version.split("/")[0] in ("apps", "batch"):
                item.pop("apiVersion", None)
                item.pop("kind", None)
            items.append(item)
        return 200, {"kind": kind + "List", "apiVersion": api_version,
                     "metadata": {"resourceVersion": "5000"}, "items": items}


def make_handler(store, args):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out at once

        def log_message(self, fmt, *a):
            pass

        def send_body(self, code, content_type, data):
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def send_json(self, code, body):
            self.send_body(code, "application/json", json.dumps(body).encode())

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            auth = self.headers.get("Authorization")
            if args.log:
                with open(args.log, "a", encoding="utf-8") as f:
                    f.write("GET %s auth=%s\n" % (self.path, "yes" if auth else "no"))
            if args.mode == "timeout":
                time.sleep(3600)
                return
            if args.mode in ("echojunk", "echo404"):
                # A short body: the first bytes are what gets quoted.
                t = args.echo[0]
                data = ("%s %s %s" % (t[:8], base64.b64encode(t.encode()).decode(), t)).encode()
                self.send_response(200 if args.mode == "echojunk" else 404)
                self.send_header("Content-Type", "text/html; charset=" + t)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            if args.mode == "echo":
                self.send_json(403, status(403, "Forbidden", "forbidden: " + echo_text(args.echo)))
                return
            if args.mode == "junk":
                self.send_body(200, "text/html", b"<html><body>Please log in</body></html>\n")
                return
            if args.mode == "401" or (args.token and auth != "Bearer " + args.token):
                self.send_json(401, status(401, "Unauthorized", "Unauthorized"))
                return
            if args.mode == "notfound":
                self.send_body(404, "text/html", b"<html><body>404 Not Found</body></html>\n")
                return
            if args.mode == "403get" and "/namespaces/" in url.path:
                self.send_json(403, status(403, "Forbidden", "forbidden: RBAC: access denied"))
                return
            if args.mode == "403echo":
                self.send_json(403, status(403, "Forbidden", "forbidden: request with %s" % auth))
                return
            if args.mode == "403":
                self.send_json(403, status(403, "Forbidden",
                                           'forbidden: User "system:serviceaccount:ci:reader" cannot get '
                                           'path "%s"' % url.path))
                return
            code, body = store.route(url.path, urllib.parse.parse_qs(url.query))
            self.send_json(code, body)

    return Handler


def main():
    p = argparse.ArgumentParser()
    p.add_argument("fixtures")
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--client-ca")
    p.add_argument("--token")
    p.add_argument("--mode", default="ok", choices=["ok", "401", "403", "403get", "403echo", "junk", "notfound", "timeout",
                                                    "echo", "echojunk", "echo404"])
    p.add_argument("--echo", action="append", default=[])
    p.add_argument("--log")
    args = p.parse_args()
    store = Store(args.fixtures)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    if args.client_ca:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(args.client_ca)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(store, args))
    server.daemon_threads = True
    # Failed handshakes (the wrong-CA and no-client-certificate tests) are
    # expected: no tracebacks.
    server.handle_error = lambda request, client_address: None
    server.socket = ctx.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    print("port %d" % server.server_address[1], flush=True)
    # Handshakes happen in the handler threads (do_handshake_on_connect is
    # off), so a client that fails TLS cannot stall the accept loop.
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        while t.is_alive():
            t.join(1)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
