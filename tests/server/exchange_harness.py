"""Two registries as separate `jcm serve` processes (docs/exchange.md, "Between two servers"),
with a fault-injecting proxy in front of each, for exchange_http_test.py and
exchange_fault_test.py.

- Registry: one SQLite file, its exchange key, its `jcm serve` (started, SIGKILLed, restarted on
  the same database and port).
- Proxy: an asyncio HTTP/1.1 proxy in a thread, one per direction (what MN sends to JP goes
  through MN->JP's proxy). Per request it can drop the request (the client sees the connection
  close), delay it, forward it twice (a duplicate), keep a copy and forward it again later after
  the next message (a late duplicate: reordered), or forward it and drop the answer (the
  receiver has it, the sender does not know). Hooks see every message (its wire fields) and may
  kill a process before or after it is forwarded.
- Checks shared by the tests: every transfer final on both sides, the units of every serial live
  exactly once across the two registries, both audits pass.
"""
import asyncio
import csv
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import threading
import time

JCM = None  # set by the test


def run_cli(*args, expect=0):
    out = subprocess.run([JCM, *args, "--json"], capture_output=True, text=True, timeout=120)
    assert out.returncode == expect, f"{args}: exit {out.returncode}: {out.stdout} {out.stderr}"
    return json.loads(out.stdout) if out.stdout.strip() else None


def wire_fields(wire):
    """The envelope's Record lines as a dict (values left escaped: only names are compared)."""
    fields = {}
    for line in wire.decode("utf-8", "replace").split("\n"):
        key, sep, value = line.partition("=")
        if sep:
            fields[key] = value
    return fields


FINAL = {"completed", "failed", "rejected", "terminated"}


class Registry:
    """One registry: its database, key and `jcm serve` process."""

    def __init__(self, code, work, extra_serve_args=()):
        self.code = code
        self.work = work
        self.db = os.path.join(work, f"{code.lower()}.db")
        self.log_path = os.path.join(work, f"{code.lower()}-access.log")
        self.extra = list(extra_serve_args)
        self.proc = None
        self.port = 0
        self.scheme = "http"
        self.public_key = None
        self.kills = 0

    def init(self, seed_units=False):
        """A database holding only this registry, its exchange key and a holding account (where
        transfers to it go). With `seed_units`, this registry's side of the public data set's
        issuances (as exchange_transfer_cli_test.sh seeds one): its government holding account,
        the one holding them, is where its transfers come from; otherwise its holding is."""
        run_cli("init", "--db", self.db, "--registries", self.code)
        self.public_key = run_cli("exchange", "keygen", "--db", self.db)["public_key"]
        self.holding = self.source = self.open_holding(f"{self.code} Holder")
        if not seed_units:
            return
        data = os.path.join(self.work, f"data-{self.code}")
        os.makedirs(data, exist_ok=True)
        source = os.path.join(SOURCE_DIR[0], "data", "jcm")
        for name in os.listdir(source):
            if name.endswith(".csv") or name == "README.md":
                shutil.copy2(os.path.join(source, name), data)
        country = {"MN": "Mongolia", "JP": "Japan"}[self.code]
        with open(os.path.join(source, "issuance_records.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        with open(os.path.join(data, "issuance_records.csv"), "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
            writer.writeheader()
            writer.writerows(r for r in rows if r["country"] == country and r["issued_amount"])
        run_cli("import", "jcm-data", "--db", self.db, "--dir", data)
        accounts = run_cli("account", "list", "--db", self.db)
        self.source = max(accounts, key=lambda a: a.get("total", 0))["id"]

    def open_holding(self, name):
        return run_cli("account", "open", "--db", self.db, "--registry", self.code, "--type",
                       "holding", "--holder-name", name)["account"]["id"]

    def copy_to(self, work):
        """A copy of this (stopped) registry's files in `work`, for another run."""
        other = Registry(self.code, work, self.extra)
        for suffix in ("", "-wal", "-shm", ".exchange-key.pem"):
            if os.path.exists(self.db + suffix):
                shutil.copy2(self.db + suffix, other.db + suffix)
        other.public_key, other.holding, other.source = (self.public_key, self.holding,
                                                         self.source)
        return other

    def add_peer(self, other, url):
        run_cli("exchange", "peer", "add", "--db", self.db, "--code", other.code, "--url", url,
                "--public-key", other.public_key)

    def start(self, interval_ms=200):
        listen = f"127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [JCM, "serve", "--db", self.db, "--listen", listen, "--access-log", self.log_path,
             "--json", "--exchange-interval-ms", str(interval_ms), "--request-rate-per-s", "0",
             "--threads", "2", *self.extra,
             # The daily reconciliation only where a test asks for it (exchange_schedule_test).
             *([] if "--reconcile-at" in self.extra else ["--reconcile-at", "off"])],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.code}: jcm serve did not start: " + self.proc.stderr.read())
        listening = json.loads(line)["listening"]
        self.port = listening["port"]
        self.scheme = listening["url"].split(":")[0]

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        """kill -9: no shutdown, whatever was in flight is lost but what was committed."""
        if self.alive():
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=20)
            self.kills += 1
        self._close_pipes()

    def stop(self):
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            status = self.proc.wait(timeout=30)
            self._close_pipes()
            return status
        self._close_pipes()
        return 0

    def _close_pipes(self):
        if self.proc is not None:
            for pipe in (self.proc.stdout, self.proc.stderr):
                if pipe and not pipe.closed:
                    pipe.close()

    def transfer(self, to_account, quantity, time_limit_s, key=None):
        args = ["exchange", "transfer", "--db", self.db, "--from", self.source, "--to",
                to_account, "--quantity", str(quantity), "--time-limit-hours",
                f"{time_limit_s / 3600:.6f}"]
        if key:
            args += ["--idempotency-key", key]
        return run_cli(*args)

    def transfers(self):
        return run_cli("exchange", "status", "--db", self.db)["transfers"]

    def audit_ok(self):
        out = subprocess.run([JCM, "audit", "verify", "--db", self.db, "--json"],
                             capture_output=True, text=True, timeout=120)
        return out.returncode == 0 and json.loads(out.stdout).get("ok") is True, out.stdout

    def reconcile_ok(self, peer):
        """`jcm exchange reconcile` of this registry with `peer` (its snapshot built from the
        peer's database and key): True when consistent (exit 0), with the report."""
        out = subprocess.run([JCM, "exchange", "reconcile", "--db", self.db, "--peer-db", peer.db,
                              "--json"], capture_output=True, text=True, timeout=120)
        return out.returncode == 0, out.stdout + out.stderr

    def live_blocks(self):
        """(registry, serial_first, unit_count) of every live block, read from the database."""
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30)
        try:
            return list(conn.execute(
                "SELECT registry, serial_first, unit_count FROM blocks WHERE ended_seq = 0"))
        finally:
            conn.close()


SOURCE_DIR = [None]


def seeded_registries(work):
    """MN (its side of the public data set's issuances) and JP (a holding account only),
    initialised once in WORK/seed: each test runs on its own copies (Registry.copy_to)."""
    seed = os.path.join(work, "seed")
    os.mkdir(seed)
    mn = Registry("MN", seed)
    mn.init(seed_units=True)
    jp = Registry("JP", seed)
    jp.init()
    return mn, jp


def all_final(registries, count):
    """Each registry lists at least `count` transfers and every one is final."""
    for registry in registries:
        transfers = registry.transfers()
        if len(transfers) < count or any(t["state"] not in FINAL for t in transfers):
            return False
    return True


def transfer_both_ways(mn, jp, there, back, wait_final):
    """MN sends `there` units to JP's holding, then JP sends `back` of them to MN's, each waited
    for with `wait_final(count)`; the two proposals. JP's source is its holding from then on."""
    sent = mn.transfer(jp.holding, there, 3600)
    wait_final(1)
    jp.source = jp.holding  # what it received
    returned = jp.transfer(mn.holding, back, 3600)
    wait_final(2)
    return sent, returned


class Faults:
    """Per-message fault probabilities of a proxy (0: never)."""

    def __init__(self, drop_request=0.0, drop_response=0.0, duplicate=0.0, late_copy=0.0,
                 delay_max_s=0.0):
        self.drop_request = drop_request
        self.drop_response = drop_response
        self.duplicate = duplicate
        self.late_copy = late_copy
        self.delay_max_s = delay_max_s


class Proxy:
    """An HTTP/1.1 proxy for the exchange route of one direction, on its own event loop."""

    def __init__(self, name, seed=0):
        self.name = name
        self.target_port = None
        self.faults = Faults()
        self.rng = random.Random(seed)
        self.hooks = []  # hook(phase, fields) with phase "before" or "after"; True: remove it
        self.seen = []  # (kind, transaction) of every message that arrived
        self.wires = []  # every wire that arrived, in order
        self.late = []  # (head, body) to forward again after the next message
        self.counts = {"forwarded": 0, "dropped_requests": 0, "dropped_responses": 0,
                       "duplicates": 0, "late_copies": 0, "target_down": 0}
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        self.ready.wait(10)

    def _run(self):
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self.server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()

    def close(self):
        def stop():
            self.server.close()
            self.loop.stop()
        self.loop.call_soon_threadsafe(stop)
        self.thread.join(10)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def _run_hooks(self, phase, fields):
        for hook in list(self.hooks):
            if hook(phase, fields):
                self.hooks.remove(hook)

    async def _read_message(self, reader):
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        body = await reader.readexactly(length) if length else b""
        return head, body

    async def _forward(self, head, body):
        """Sends one request to the target; its whole answer, or None when it is down."""
        if self.target_port is None:
            return None
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", self.target_port), 3)
        except (OSError, asyncio.TimeoutError):
            return None
        try:
            writer.write(head + body)
            await writer.drain()
            answer_head, answer_body = await asyncio.wait_for(self._read_message(reader), 15)
            return answer_head + answer_body
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError,
                asyncio.LimitOverrunError):
            return None
        finally:
            writer.close()

    async def _handle(self, reader, writer):
        try:
            head, body = await self._read_message(reader)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            writer.close()
            return
        fields = wire_fields(body)
        self.seen.append((fields.get("kind"), fields.get("transaction")))
        self.wires.append(body)
        f, rng = self.faults, self.rng
        self._run_hooks("before", fields)
        if rng.random() < f.drop_request:
            self.counts["dropped_requests"] += 1
            writer.close()
            return
        if f.delay_max_s:
            await asyncio.sleep(rng.random() * f.delay_max_s)
        answer = await self._forward(head, body)
        if answer is None:
            self.counts["target_down"] += 1
            writer.close()
            return
        self.counts["forwarded"] += 1
        late, self.late = self.late, []
        for old_head, old_body in late:  # older messages after this one: out of order
            await self._forward(old_head, old_body)
        if rng.random() < f.duplicate:
            self.counts["duplicates"] += 1
            await self._forward(head, body)
        if rng.random() < f.late_copy:
            self.counts["late_copies"] += 1
            self.late.append((head, body))
        self._run_hooks("after", fields)
        if rng.random() < f.drop_response:
            self.counts["dropped_responses"] += 1
            writer.close()
            return
        try:
            writer.write(answer)
            await writer.drain()
        except OSError:
            pass
        writer.close()


def serial_overlaps(blocks):
    """Pairs of live blocks (of one registry's serials) that share a serial."""
    overlaps = []
    by_registry = {}
    for registry, first, count in blocks:
        by_registry.setdefault(registry, []).append((first, first + count - 1))
    for registry, ranges in by_registry.items():
        ranges.sort()
        for (a_first, a_last), (b_first, b_last) in zip(ranges, ranges[1:]):
            if b_first <= a_last:
                overlaps.append((registry, (a_first, a_last), (b_first, b_last)))
    return overlaps


def free_port():
    """A port nothing listens on now (for a server whose URL must be known before it starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def record_fields(text):
    """A journal body (core/record.h: key=value lines, values escaped) as (key, value) pairs."""
    pairs = []
    for line in text.split("\n"):
        key, sep, value = line.partition("=")
        if not sep:
            continue
        out, i = [], 0
        while i < len(value):
            if value[i] == "\\" and i + 1 < len(value):
                out.append("\n" if value[i + 1] == "n" else value[i + 1])
                i += 2
            else:
                out.append(value[i])
                i += 1
        pairs.append((key, "".join(out)))
    return pairs


def journal(db, kind):
    """(seq, fields as a dict of lists) of every journal entry of `kind`, oldest first."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        rows = list(conn.execute("SELECT seq, body FROM journal WHERE kind = ? ORDER BY seq",
                                 (kind,)))
    finally:
        conn.close()
    entries = []
    for seq, body in rows:
        fields = {}
        for key, value in record_fields(body):
            fields.setdefault(key, []).append(value)
        entries.append((seq, fields))
    return entries


def snapshot_request_headers(key_pem, from_code, to_code, at_s, work):
    """The headers of a request for `to_code`'s snapshot, signed with `from_code`'s exchange key
    (exchange/peer_auth.h: jcm-snapshot-request/1, then the Record lines from, to, at), signed
    with the openssl CLI."""
    message = os.path.join(work, "snapshot-request.txt")
    signature = os.path.join(work, "snapshot-request.sig")
    with open(message, "w") as f:
        f.write(f"jcm-snapshot-request/1\nfrom={from_code}\nto={to_code}\nat={at_s}\n")
    subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", key_pem, "-rawin", "-in", message,
                    "-out", signature], check=True, capture_output=True)
    with open(signature, "rb") as f:
        return {"Jcm-Exchange-Time": str(at_s), "Jcm-Exchange-Signature": f.read().hex()}


def wait_until(predicate, timeout_s, step_s=0.25):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step_s)
    return predicate()
