#!/usr/bin/env python3
"""Transfers between two registries served by two real `jcm serve` processes (docs/exchange.md,
"Between two servers"; docs/api.md, "Transfers between registries"):

- POST /api/v1/exchange/messages: every answer validated against docs/api/openapi.json — 200
  with the receipt, 422 with the exchange check for a replayed (803), mis-signed (802) or
  malformed (804) message, 409 on a server without an exchange key, 413 above 1 MiB;
- the delivery loop: a transfer MN -> JP and one back JP -> MN complete with no command but the
  proposal, through the HTTP transport;
- GET /api/v1/exchange/snapshot: a request signed with the peer's key gets its snapshot (text),
  the refusals are 403 problems with their checks (800, 802, 804, 837), all validated against
  the contract;
- mutual TLS (`--tls-client-ca`, certificates made here with the openssl CLI, each client's
  commonName its registry's code): a request without a client certificate gets 403, one whose
  certificate another CA issued fails the handshake, and the two servers exchange over https
  presenting their client certificates; a message or a snapshot request of MN's on JP's
  certificate is 403 with check 836 (the message's refusal journaled), on MN's own it is served.

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
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract_test  # noqa: E402  (Contract)
import exchange_harness as xh  # noqa: E402

ROUTE = "/api/v1/exchange/messages"
SNAPSHOT = "/api/v1/exchange/snapshot"


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


def get_snapshot(port, peer, headers, tls_context=None):
    if tls_context is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    else:
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=60, context=tls_context)
    conn.request("GET", f"{SNAPSHOT}?peer={peer}" if peer else SNAPSHOT, headers=headers)
    response = conn.getresponse()
    raw = response.read()
    conn.close()
    return response.status, response.getheader("Content-Type"), raw


def last_queued_wire(db):
    """The signed wire of the last message `db`'s registry queued (exchange.message_queued)."""
    return xh.journal(db, "exchange.message_queued")[-1][1]["wire"][0].encode()


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

    def issued(name, by, extension, common_name=None):
        key, csr = os.path.join(work, name + ".key"), os.path.join(work, name + ".csr")
        cert, ext = os.path.join(work, name + ".pem"), os.path.join(work, name + ".ext")
        with open(ext, "w") as f:
            f.write(extension)
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", csr, "-subj", f"/CN={common_name or name}")
        openssl("x509", "-req", "-in", csr, "-CA", paths[by][0], "-CAkey", paths[by][1],
                "-CAcreateserial", "-out", cert, "-days", "2", "-extfile", ext)
        paths[name] = (cert, key)

    ca("exchange-ca")
    ca("rogue-ca")
    issued("server", "exchange-ca", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    # A client certificate names its registry by its commonName (docs/exchange.md, check 836).
    for code in ("JP", "MN"):
        issued("client-" + code.lower(), "exchange-ca", "extendedKeyUsage=clientAuth\n", code)
    issued("client-rogue", "rogue-ca", "extendedKeyUsage=clientAuth\n")
    return paths


class ExchangeHttpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="jcm-xhttp-")
        cls.contract = contract_test.Contract(os.path.join(xh.SOURCE_DIR[0],
                                                           "docs/api/openapi.json"))
        cls.seed_mn, cls.seed_jp = xh.seeded_registries(cls.work)
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
        self.assertTrue(xh.wait_until(lambda: xh.all_final(registries, count), timeout_s),
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

    def validate_snapshot(self, status, content_type, raw, expect):
        self.assertEqual(status, expect, raw)
        self.contract.validate(SNAPSHOT, status, content_type, raw, method="get")
        return raw.decode() if status == 200 else json.loads(raw)

    def test_the_snapshot_route_serves_only_the_peer_it_is_for(self):
        mn, jp = self.pair("snapshot")
        self.start(mn, jp)
        jp.add_peer(mn, f"http://127.0.0.1:{mn.port}")
        mn_key = mn.db + ".exchange-key.pem"
        now = int(time.time())

        def signed(at_s=None, key=mn_key, to="JP"):
            return xh.snapshot_request_headers(key, "MN", to, now if at_s is None else at_s,
                                               self.work)
        text = self.validate_snapshot(*get_snapshot(jp.port, "MN", signed()), 200)
        self.assertTrue(text.startswith("protocol=jcm-reconcile/1\nregistry=JP\npeer=MN\n"),
                        text[:80])
        self.assertIn("\nsignature=", text)
        # Without the signed request's headers: 804; signed 400 s ago: 837; by JP's key, or for
        # another registry: 802; a registry that is no peer: 800; no peer: 400.
        problem = self.validate_snapshot(*get_snapshot(jp.port, "MN", {}), 403)
        self.assertEqual((problem["check"], problem["code"]), (804, "forbidden"))
        problem = self.validate_snapshot(*get_snapshot(jp.port, "MN", signed(now - 400)), 403)
        self.assertEqual((problem["check"], problem["name"]), (837, "snapshot_request_stale"))
        forged = signed(key=jp.db + ".exchange-key.pem")
        problem = self.validate_snapshot(*get_snapshot(jp.port, "MN", forged), 403)
        self.assertEqual((problem["check"], problem["name"]), (802, "signature_invalid"))
        problem = self.validate_snapshot(*get_snapshot(jp.port, "MN", signed(to="TH")), 403)
        self.assertEqual(problem["check"], 802)
        problem = self.validate_snapshot(*get_snapshot(jp.port, "TH", signed()), 403)
        self.assertEqual((problem["check"], problem["name"]), (800, "peer_unknown"))
        self.validate_snapshot(*get_snapshot(jp.port, None, signed()), 400)
        # A read: nothing of it is journaled.
        self.assertEqual(xh.journal(jp.db, "exchange.message_refused"), [])

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
        there, back = xh.transfer_both_ways(mn, jp, 40, 15,
                                            lambda count: self.wait_final([mn, jp], count))
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
        # The certificate is bound to its registry (836): MN's snapshot request on JP's
        # certificate is refused, on MN's own it is served.
        request = xh.snapshot_request_headers(mn.db + ".exchange-key.pem", "MN", "JP",
                                              int(time.time()), self.work)
        problem = self.validate_snapshot(*get_snapshot(jp.port, "MN", request,
                                                       context("client-jp")), 403)
        self.assertEqual((problem["check"], problem["name"]), (836, "client_certificate_not_peer"))
        self.validate_snapshot(*get_snapshot(jp.port, "MN", request, context("client-mn")), 200)
        # MN's next message (its server stopped, so it stays in MN's outbox) on JP's certificate:
        # refused with 836 and journaled; on MN's own it is received.
        self.assertEqual(mn.stop(), 0)
        mn.transfer(jp.holding, 2, 3600)
        wire = last_queued_wire(mn.db)
        self.assertIn(b"kind=proposal\n", wire)
        problem = self.validate(*post(jp.port, wire, context("client-jp")), 403)
        self.assertEqual((problem["check"], problem["name"]), (836, "client_certificate_not_peer"))
        refused = xh.journal(jp.db, "exchange.message_refused")
        self.assertEqual((refused[-1][1]["check"], refused[-1][1]["sender"]), (["836"], ["MN"]))
        receipt = self.validate(*post(jp.port, wire, context("client-mn")), 200)
        self.assertEqual(receipt["effect"], "pending")

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
