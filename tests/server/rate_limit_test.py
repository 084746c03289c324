#!/usr/bin/env python3
"""Rate limits over a real socket (docs/api.md, "Rate limits"): the real `jcm serve` with low
limits answers sign-in attempts beyond the client address's bucket, and requests beyond the
public's, with 429 too_many_requests and a Retry-After header, validated against
docs/api/openapi.json. The buckets themselves are unit-tested with a moved clock
(tests/server/rate_limit_test.cc); here no test sleeps: the limits are far below what a burst of
requests reaches within a second.

Usage: rate_limit_test.py PATH_TO_JCM SOURCE_DIR
"""
import http.client
import json
import os
import sys
import tempfile
import unittest

import contract_test
from contract_test import Contract, Server, run_cli


class RateLimitTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="jcm-ratelimit-")
        cls.db = os.path.join(cls.work, "registry.db")
        run_cli("init", "--db", cls.db, "--registries", "JP")
        cls.contract = Contract(os.path.join(contract_test.SOURCE, "docs/api/openapi.json"))
        cls.server = Server(cls.db, cls.work, "--signin-rate-per-min", "1", "--signin-burst", "2",
                            "--request-rate-per-s", "1", "--request-burst", "3")

    @classmethod
    def tearDownClass(cls):
        assert cls.server.stop() == 0

    def request(self, method, target, template, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        conn.request(method, target, body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        raw = response.read()
        conn.close()
        self.contract.validate(template, response.status, response.getheader("Content-Type"), raw,
                               method.lower())
        return response, raw

    def test_sign_in_attempts_beyond_the_burst_get_429_with_retry_after(self):
        body = json.dumps({"user": "nobody", "password": "not the password"})
        statuses = [self.request("POST", "/api/v1/session", "/api/v1/session", body)[0].status
                    for _ in range(2)]
        self.assertEqual(statuses, [401, 401])
        response, raw = self.request("POST", "/api/v1/session", "/api/v1/session", body)
        self.assertEqual(response.status, 429, raw)
        problem = json.loads(raw)
        self.assertEqual((problem["code"], problem["status"]), ("too_many_requests", 429))
        # One attempt a minute: the next comes back in up to 60 s.
        self.assertTrue(1 <= int(response.getheader("Retry-After")) <= 60)

    def test_public_requests_beyond_the_burst_get_429(self):
        statuses, retry_after = [], None
        for _ in range(8):
            response, _ = self.request("GET", "/api/v1/registries", "/api/v1/registries")
            statuses.append(response.status)
            if response.status == 429:
                retry_after = response.getheader("Retry-After")
        self.assertEqual(statuses[:3], [200, 200, 200])
        self.assertIn(429, statuses)
        self.assertEqual(retry_after, "1")


if __name__ == "__main__":
    contract_test.JCM, contract_test.SOURCE = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0], "-v"])
