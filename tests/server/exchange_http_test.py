#!/usr/bin/env python3
"""Transfers between two registries served by two real `jcm serve` processes (docs/exchange.md,
"Between two servers"; docs/api.md, "Transfers between registries"):

- POST /api/v1/exchange/messages: every answer validated against docs/api/openapi.json — 200
  with the receipt, 422 with the exchange check for a replayed (803), mis-signed (802) or
  malformed (804) message, 409 on a server without an exchange key, 413 above 1 MiB;
- the delivery loop: a transfer MN -> JP and one back JP -> MN complete with no command but the
  proposal, through the HTTP transport;
- mutual TLS (`--tls-client-ca`, certificates made here with the openssl CLI): a request without
  a client certificate gets 403, one whose certificate another CA issued fails the handshake,
  and the two servers exchange over https presenting their client certificates.

Usage: exchange_http_test.py PATH_TO_JCM SOURCE_DIR
"""
import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract_test  # noqa: E402  (Contract)
import exchange_harness as xh  # noqa: E402

ROUTE = "/api/v1/exchange/messages"


def post(port, body, tls_context=None, headers=None):
    if tls_context is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    else:
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=20, context=tls_context)
    conn.request("POST", ROUTE, body=body,
                 headers={"Content-Type": "text/plain", "Idempotency-Key": "test-" + os.urandom(
                     8).hex(), **(headers or {})})
    response = conn.getresponse()
    raw = response.read()
    conn.close()
    return response.status, response.getheader("Content-Type"), raw


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def make_certificates(work):
    """A CA, a server certificate for 127.0.0.1 and a client certificate per registry, all
    issued by it; and a rogue CA with a client certificate of its own."""
    paths = {}

    def ca(name):
        key, cert = os.path.join(work, name + ".key"), os.path.join(work, name + ".pem")
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", f"/CN={name}")
        paths[name] = (cert, key)

    def issued(name, by, extension):
        key, csr = os.path.join(work, name + ".key"), os.path.join(work, name + ".csr")
        cert, ext = os.path.join(work, name + ".pem"), os.path.join(work, name + ".ext")
        with open(ext, "w") as f:
            f.write(extension)
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", csr, "-subj", f"/CN={name}")
        openssl("x509", "-req", "-in", csr, "-CA", paths[by][0], "-CAkey", paths[by][1],
                "-CAcreateserial", "-out", cert, "-days", "2", "-extfile", ext)
        paths[name] = (cert, key)

    ca("exchange-ca")
    ca("rogue-ca")
    issued("server", "exchange-ca", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    for name in ("client-jp", "client-mn"):
        issued(name, "exchange-ca", "extendedKeyUsage=clientAuth\n")
    issued("client-rogue", "rogue-ca", "extendedKeyUsage=clientAuth\n")
    return paths


class ExchangeHttpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="jcm-xhttp-")
        cls.contract = contract_test.Contract(os.path.join(xh.SOURCE_DIR[0],
                                                           "docs/api/openapi.json"))
        seed = os.path.join(cls.work, "seed")
        os.mkdir(seed)
        cls.seed_mn = xh.Registry("MN", seed)
        cls.seed_mn.init(seed_units=True)
        cls.seed_jp = xh.Registry("JP", seed)
        cls.seed_jp.init()
        cls.certs = make_certificates(cls.work)
        cls.running = []

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def tearDown(self):
        for registry in self.running:
            registry.kill()
        self.running = []

    def validate(self, status, content_type, raw, expect):
        self.assertEqual(status, expect, raw)
        self.contract.validate(ROUTE, status, content_type, raw, method="post")
        return json.loads(raw)

    def pair(self, name, mn_extra=(), jp_extra=()):
        """Fresh copies of the seeded registries in their own directory (not yet peers)."""
        work = os.path.join(self.work, name)
        os.mkdir(work)
        mn, jp = self.seed_mn.copy_to(work), self.seed_jp.copy_to(work)
        mn.extra, jp.extra = list(mn_extra), list(jp_extra)
        return mn, jp

    def start(self, *registries):
        for registry in registries:
            registry.start()
            self.running.append(registry)

    def wait_final(self, registries, count, timeout_s=60):
        def done():
            for registry in registries:
                transfers = registry.transfers()
                if len(transfers) < count or any(t["state"] not in xh.FINAL for t in transfers):
                    return False
            return True
        self.assertTrue(xh.wait_until(done, timeout_s),
                        [r.transfers() for r in registries])

    def test_route_answers_and_refusals_follow_the_contract(self):
        mn, jp = self.pair("route")
        proxy = xh.Proxy("MN->JP")  # records the wires MN sends
        try:
            self.start(jp)
            proxy.target_port = jp.port
            mn.add_peer(jp, proxy.url)
            jp.add_peer(mn, f"http://127.0.0.1:1")  # JP's answers wait: MN is not reachable
            self.start(mn)
            proposed = mn.transfer(jp.holding, 5, 3600)
            self.assertTrue(xh.wait_until(lambda: proxy.counts["forwarded"] >= 1, 20))
            proposal = proxy.wires[0]
            self.assertEqual(xh.wire_fields(proposal)["kind"], "proposal")
            self.assertEqual(xh.wire_fields(proposal)["transaction"], proposed["transaction"])
            incoming = [t for t in jp.transfers() if t["transaction"] == proposed["transaction"]]
            self.assertEqual(incoming[0]["state"], "pending")
            # The same message again: replayed (803), which the sender counts as delivered.
            problem = self.validate(*post(jp.port, proposal), 422)
            self.assertEqual((problem["check"], problem["name"]), (803, "message_replayed"))
            # One changed byte of the signed part: the signature no longer verifies (802).
            tampered = proposal.replace(b"seq=1\n", b"seq=9\n")
            self.assertNotEqual(tampered, proposal)
            problem = self.validate(*post(jp.port, tampered), 422)
            self.assertEqual((problem["check"], problem["name"]), (802, "signature_invalid"))
            problem = self.validate(*post(jp.port, b"protocol=jcm-exchange/1\nfrom=MN\n"), 422)
            self.assertEqual(problem["check"], 804)
            self.validate(*post(jp.port, b"x" * (1024 * 1024 + 1)), 413)
            status, content_type, raw = post(jp.port, proposal, headers={"Idempotency-Key": ""})
            self.validate(status, content_type, raw, 400)
        finally:
            proxy.close()

    def test_a_server_without_a_key_answers_409(self):
        mn, _ = self.pair("nokey")
        os.remove(mn.db + ".exchange-key.pem")
        self.start(mn)
        problem = self.validate(*post(mn.port, b"protocol=jcm-exchange/1\n"), 409)
        self.assertEqual(problem["code"], "failed_precondition")

    def test_transfers_both_ways_complete_through_the_delivery_loops(self):
        mn, jp = self.pair("both")
        self.start(mn, jp)
        mn.add_peer(jp, f"http://127.0.0.1:{jp.port}")
        jp.add_peer(mn, f"http://127.0.0.1:{mn.port}")
        there = mn.transfer(jp.holding, 40, 3600)
        self.wait_final([mn, jp], 1)
        jp.source = jp.holding  # what it received
        back = jp.transfer(mn.holding, 15, 3600)
        self.wait_final([mn, jp], 2)
        for registry in (mn, jp):
            states = {t["transaction"]: t["state"] for t in registry.transfers()}
            self.assertEqual(states, {there["transaction"]: "completed",
                                      back["transaction"]: "completed"})
        self.assertEqual(sum(c for r, _, c in jp.live_blocks() if r == "MN"), 25)
        for registry in (mn, jp):
            ok, report = registry.audit_ok()
            self.assertTrue(ok, report)
        # The loop writes what its rounds did to the access log.
        with open(jp.log_path) as f:
            rounds = [json.loads(line) for line in f if '"exchange.round"' in line]
        self.assertTrue(any(r.get("delivered", 0) > 0 for r in rounds), rounds)
        # SIGTERM stops the server and its delivery loop; it exits 0.
        self.assertEqual((mn.stop(), jp.stop()), (0, 0))

    def test_mutual_tls(self):
        server_cert, server_key = self.certs["server"]
        ca = self.certs["exchange-ca"][0]

        def serve_args(client):
            cert, key = self.certs[client]
            return ["--tls-cert", server_cert, "--tls-key", server_key, "--tls-client-ca", ca,
                    "--exchange-ca", ca, "--exchange-client-cert", cert,
                    "--exchange-client-key", key]
        mn, jp = self.pair("mtls", serve_args("client-mn"), serve_args("client-jp"))
        self.start(mn, jp)
        self.assertEqual((mn.scheme, jp.scheme), ("https", "https"))

        def context(client=None):
            tls = ssl.create_default_context(cafile=ca)
            if client:
                tls.load_cert_chain(*self.certs[client])
            return tls
        # No client certificate: served (a browser presents none), but the route refuses.
        problem = self.validate(*post(jp.port, b"protocol=jcm-exchange/1\n", context()), 403)
        self.assertEqual(problem["code"], "client_certificate_required")
        conn = http.client.HTTPSConnection("127.0.0.1", jp.port, timeout=20, context=context())
        conn.request("GET", "/healthz")
        self.assertEqual(conn.getresponse().status, 200)
        conn.close()
        # A certificate of another CA: the handshake fails.
        with self.assertRaises((ssl.SSLError, ConnectionResetError, BrokenPipeError,
                                http.client.RemoteDisconnected)):
            post(jp.port, b"protocol=jcm-exchange/1\n", context("client-rogue"))
        # The CA's client certificate reaches the gate (804: not a message).
        problem = self.validate(*post(jp.port, b"protocol=jcm-exchange/1\n",
                                      context("client-mn")), 422)
        self.assertEqual(problem["check"], 804)
        # Both servers exchange over https with their client certificates.
        mn.add_peer(jp, f"https://127.0.0.1:{jp.port}")
        jp.add_peer(mn, f"https://127.0.0.1:{mn.port}")
        proposed = mn.transfer(jp.holding, 7, 3600)
        self.wait_final([mn, jp], 1)
        self.assertEqual([t["state"] for t in jp.transfers()], ["completed"])
        self.assertEqual(proposed["transaction"], jp.transfers()[0]["transaction"])

    def test_a_peer_without_a_client_certificate_is_retried_not_refused(self):
        server_cert, server_key = self.certs["server"]
        ca = self.certs["exchange-ca"][0]
        mn, jp = self.pair("nocert", ["--exchange-ca", ca],
                           ["--tls-cert", server_cert, "--tls-key", server_key,
                            "--tls-client-ca", ca])
        self.start(mn, jp)
        mn.add_peer(jp, f"https://127.0.0.1:{jp.port}")
        jp.add_peer(mn, f"http://127.0.0.1:{mn.port}")
        mn.transfer(jp.holding, 3, 3600)
        # JP answers 403 to every delivery; the proposal stays owed (proposed), never refused.
        def refused_403():
            with open(jp.log_path) as f:
                return any(json.loads(line).get("status") == 403 for line in f)
        self.assertTrue(xh.wait_until(refused_403, 20))
        self.assertEqual([t["state"] for t in mn.transfers()], ["proposed"])
        self.assertEqual(jp.transfers(), [])


if __name__ == "__main__":
    xh.JCM = sys.argv[1]
    xh.SOURCE_DIR[0] = sys.argv[2]
    contract_test.JCM, contract_test.SOURCE = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
