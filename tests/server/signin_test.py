#!/usr/bin/env python3
"""Signing in over a real socket (docs/api.md, "Signing in"): runs the real `jcm serve` on a
database whose users are created through the CLI (`jcm user add/password/grant/totp/
token-issue`), computes TOTP codes here (RFC 6238, independently of jcm) and validates every
response against docs/api/openapi.json: sign-in and /me, the session cookie's attributes, wrong
password, wrong and replayed TOTP, the lock after five failures, strict body decoding, CSRF on
changes made with the cookie, bearer tokens, sign-out and forged session ids.

Usage: signin_test.py PATH_TO_JCM SOURCE_DIR
"""
import base64
import hashlib
import hmac
import http.client
import json
import os
import ssl
import struct
import subprocess
import sys
import tempfile
import time
import unittest

import contract_test
from contract_test import Contract, Server

PASSWORD = "Kiso-Fuji-2027!"


def cli(*args, stdin=None):
    out = subprocess.run([contract_test.JCM, *args, "--json"], check=True, capture_output=True,
                         text=True, input=stdin)
    return json.loads(out.stdout)


def totp(secret, offset_s=0):
    """The RFC 6238 SHA-256 code of `secret` (base32) for now + offset_s."""
    key = base64.b32decode(secret + "=" * ((8 - len(secret) % 8) % 8))
    step = int(time.time() + offset_s) // 30
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha256).digest()
    offset = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


class SignInTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="jcm-signin-")
        cls.db = os.path.join(cls.work, "registry.db")
        cli("init", "--db", cls.db, "--registries", "JP")
        cls.add_user("admin", "system_administrator")
        cls.admin_secret = cli("user", "totp", "--db", cls.db, "--name",
                               "admin")["totp"]["secret_base32"]
        cls.add_user("newadmin", "system_administrator")  # no TOTP enrolled
        for name in ("reader", "locky", "verifier", "tls"):
            cls.add_user(name, "auditor")
        cls.token = cli("user", "token-issue", "--db", cls.db, "--name", "reader", "--lifetime",
                        "3600")["token"]
        cls.contract = Contract(os.path.join(contract_test.SOURCE, "docs/api/openapi.json"))
        cls.server = Server(cls.db, cls.work)

    @classmethod
    def tearDownClass(cls):
        assert cls.server.stop() == 0

    @classmethod
    def add_user(cls, name, role):
        cli("user", "add", "--db", cls.db, "--name", name)
        cli("user", "password", "--db", cls.db, "--name", name, stdin=PASSWORD + "\n")
        cli("user", "grant", "--db", cls.db, "--name", name, "--role", role)

    # -- helpers ---------------------------------------------------------------------------

    def request(self, method, target, template, expect, body=None, headers=None):
        """One request over a fresh connection, validated against the contract (`template`
        None: any problem document). Returns (response, parsed body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        conn.request(method, target, body=data, headers=all_headers)
        response = conn.getresponse()
        raw = response.read()
        conn.close()
        self.assertEqual(response.status, expect, raw)
        self.contract.validate(template, response.status, response.getheader("Content-Type"),
                               raw, method.lower())
        return response, json.loads(raw)

    def sign_in(self, user, password=PASSWORD, code=None, expect=201):
        body = {"user": user, "password": password}
        if code is not None:
            body["totp"] = code
        return self.request("POST", "/api/v1/session", "/api/v1/session", expect, body)

    def session_of(self, user):
        """Signs `user` (an auditor, no TOTP) in: (cookie header value, csrf token)."""
        response, body = self.sign_in(user)
        cookie = response.getheader("Set-Cookie").split(";")[0]
        return cookie, body["csrf_token"]

    def assert_rejected(self, body, check, name):
        self.assertEqual((body["status"], body["check"], body["name"]), (401, check, name), body)

    def log_users(self):
        with open(self.server.log_path) as f:
            return [(r["user"], r["method"], r["path"], r["status"]) for r in map(json.loads, f)]

    # -- the tests -------------------------------------------------------------------------

    def test_admin_signs_in_with_totp_and_a_code_works_once(self):
        _, body = self.sign_in("admin", code="000000" if totp(self.admin_secret) != "000000"
                               else "111111", expect=401)
        self.assert_rejected(body, 313, "totp_invalid")
        _, body = self.sign_in("admin", expect=401)  # no code at all
        self.assert_rejected(body, 313, "totp_invalid")
        code = totp(self.admin_secret)
        response, body = self.sign_in("admin", code=code)
        self.assertEqual(body["user"], "admin")
        self.assertEqual(body["roles"], ["system_administrator"])
        self.assertEqual((body["idle_timeout_s"], body["absolute_timeout_s"]), (900, 28800))
        cookie = response.getheader("Set-Cookie")
        self.assertRegex(cookie, r"^jcm_session=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=/$")
        self.assertNotIn(body["csrf_token"], cookie)
        _, me = self.request("GET", "/api/v1/me", "/api/v1/me", 200,
                             headers={"Cookie": cookie.split(";")[0]})
        self.assertEqual(me, {"user": "admin", "roles": ["system_administrator"], "via": "session",
                              "csrf_token": body["csrf_token"]})
        _, body = self.sign_in("admin", code=code, expect=401)
        self.assert_rejected(body, 314, "totp_replayed")

    def test_a_user_who_may_change_things_needs_totp_enrolled(self):
        _, body = self.sign_in("newadmin", code="123456", expect=401)
        self.assert_rejected(body, 312, "totp_required")

    def test_the_cookie_is_secure_under_tls(self):
        cert, key = os.path.join(self.work, "cert.pem"), os.path.join(self.work, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                        "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True)
        server = Server(self.db, self.work, "--tls-cert", cert, "--tls-key", key)
        try:
            conn = http.client.HTTPSConnection(
                "127.0.0.1", server.port, context=ssl.create_default_context(cafile=cert),
                timeout=10)
            conn.request("POST", "/api/v1/session",
                         body=json.dumps({"user": "tls", "password": PASSWORD}),
                         headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            raw = response.read()
            conn.close()
            self.assertEqual(response.status, 201, raw)
            self.contract.validate("/api/v1/session", 201, response.getheader("Content-Type"), raw,
                                   "post")
            self.assertRegex(response.getheader("Set-Cookie"),
                             r"^jcm_session=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=/; Secure$")
        finally:
            self.assertEqual(server.stop(), 0)

    def test_wrong_password_and_unknown_user_answer_alike(self):
        _, wrong = self.sign_in("reader", password="not the password", expect=401)
        _, unknown = self.sign_in("nobody", expect=401)
        self.assert_rejected(wrong, 310, "sign_in_failed")
        self.assertEqual((wrong["check"], wrong["detail"]), (unknown["check"], unknown["detail"]))

    def test_five_failures_lock_even_the_right_password(self):
        for _ in range(5):
            _, body = self.sign_in("locky", password="wrong", expect=401)
            self.assert_rejected(body, 310, "sign_in_failed")
        _, body = self.sign_in("locky", expect=401)
        self.assert_rejected(body, 311, "account_locked")

    def test_strict_body_decoding(self):
        bodies = [
            json.dumps({"user": "reader", "password": PASSWORD, "role": "x"}).encode(),
            json.dumps({"user": "reader", "password": 12345678}).encode(),
            json.dumps({"user": "reader"}).encode(),
            json.dumps(["reader", PASSWORD]).encode(),
            b'{"user": "reader", "password": "Kiso-Fuji',  # truncated
            b'{"user": "read\xffer", "password": "x"}',  # invalid UTF-8
            b"",
        ]
        for body in bodies:
            _, problem = self.request("POST", "/api/v1/session", "/api/v1/session", 400, body)
            self.assertEqual(problem["code"], "bad_body", body)
        # A cross-site form's text/plain shaped as JSON (login CSRF) is refused unread.
        good = json.dumps({"user": "reader", "password": PASSWORD}).encode()
        for content_type in ("text/plain", "application/x-www-form-urlencoded", "json"):
            _, problem = self.request("POST", "/api/v1/session", "/api/v1/session", 415, good,
                                      headers={"Content-Type": content_type})
            self.assertEqual(problem["code"], "unsupported_media_type")
        self.request("POST", "/api/v1/session", "/api/v1/session", 201, good,
                     headers={"Content-Type": "application/json; charset=utf-8"})

    def test_me_without_a_principal_is_401(self):
        _, body = self.request("GET", "/api/v1/me", "/api/v1/me", 401)
        self.assertEqual(body["code"], "unauthorized")
        self.request("PUT", "/api/v1/me", None, 405)
        self.request("GET", "/api/v1/session", None, 405)

    def test_changes_with_the_cookie_need_the_csrf_token(self):
        cookie, csrf = self.session_of("verifier")
        for headers in ({}, {"X-CSRF-Token": "0" * 64}, {"X-CSRF-Token": csrf[:-1]}):
            _, body = self.request("DELETE", "/api/v1/session", "/api/v1/session", 403,
                                   headers={"Cookie": cookie, **headers})
            self.assertEqual(body["code"], "csrf_token_invalid")
            # Before routing: a change to any route is refused, whatever it would answer.
            _, body = self.request("POST", "/api/v1/projects", None, 403,
                                   headers={"Cookie": cookie, **headers})
            self.assertEqual(body["code"], "csrf_token_invalid")
        # Reading needs no token; the session is still alive after the refusals.
        self.request("GET", "/api/v1/me", "/api/v1/me", 200, headers={"Cookie": cookie})
        # With the token the request reaches the routing (405: projects are read-only).
        self.request("POST", "/api/v1/projects", None, 405,
                     headers={"Cookie": cookie, "X-CSRF-Token": csrf})

    def test_bearer_token_needs_no_csrf(self):
        auth = {"Authorization": "Bearer " + self.token}
        _, me = self.request("GET", "/api/v1/me", "/api/v1/me", 200, headers=auth)
        self.assertEqual(me, {"user": "reader", "roles": ["auditor"], "via": "token"})
        self.request("POST", "/api/v1/projects", None, 405, headers=auth)  # no 403: no CSRF
        self.request("GET", "/api/v1/registries", "/api/v1/registries", 200,
                     headers={**auth, "X-Request-Id": "bearer-registries"})
        self.assertIn(("reader", "GET", "/api/v1/registries", 200), self.log_users())
        forged = self.token[:-4] + ("0000" if not self.token.endswith("0000") else "1111")
        for value in ("Bearer " + forged, "Bearer jcm_nonsense", "Basic cmVhZGVyOng="):
            _, body = self.request("GET", "/api/v1/me", "/api/v1/me", 401,
                                   headers={"Authorization": value})
            self.assertEqual(body["status"], 401)

    def test_sign_out_ends_the_session(self):
        cookie, csrf = self.session_of("reader")
        self.request("GET", "/api/v1/me", "/api/v1/me", 200, headers={"Cookie": cookie})
        self.assertIn(("reader", "GET", "/api/v1/me", 200), self.log_users())
        response, body = self.request("DELETE", "/api/v1/session", "/api/v1/session", 200,
                                      headers={"Cookie": cookie, "X-CSRF-Token": csrf})
        self.assertEqual(body, {"user": "reader", "signed_out": True})
        self.assertIn("Max-Age=0", response.getheader("Set-Cookie"))
        _, body = self.request("GET", "/api/v1/me", "/api/v1/me", 401, headers={"Cookie": cookie})
        self.assertEqual(body["code"], "session_invalid")
        self.request("DELETE", "/api/v1/session", "/api/v1/session", 401,
                     headers={"Cookie": cookie, "X-CSRF-Token": csrf})

    def test_forged_session_id_is_401(self):
        for cookie in ("jcm_session=" + "ab" * 32, "jcm_session=", "jcm_session=../../etc"):
            response, body = self.request("GET", "/api/v1/me", "/api/v1/me", 401,
                                          headers={"Cookie": "theme=dark; " + cookie})
            self.assertEqual(body["code"], "session_invalid")
            self.assertIn("Max-Age=0", response.getheader("Set-Cookie"))
        # A public route with a dead cookie says so too, so the browser drops it.
        self.request("GET", "/api/v1/registries", None, 401,
                     headers={"Cookie": "jcm_session=" + "cd" * 32})
        # Other cookies alone leave the caller the public.
        self.request("GET", "/api/v1/registries", "/api/v1/registries", 200,
                     headers={"Cookie": "theme=dark"})


if __name__ == "__main__":
    contract_test.JCM, contract_test.SOURCE = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0], "-v"])
