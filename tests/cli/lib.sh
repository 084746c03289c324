# Helpers shared by the command-line tests (sourced, not run). Each test sets `jcm` first.
#   fail MESSAGE            stop the test with MESSAGE
#   field PATH              print PATH (a Python subscript such as '["account"]["id"]') of the
#                           JSON document on stdin
#   expect_rejection STATUS NAME COMMAND…
#                           run COMMAND --json; its exit status must be STATUS and, for 3 (a
#                           rejection), the check's name must be NAME; the document is left in $out
#   totp BASE32 [OFFSET_S]  the RFC 6238 SHA-256 code for now + OFFSET_S, computed here,
#                           independently of jcm

fail() { echo "FAIL: $*" >&2; exit 1; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }

expect_rejection() {
  local want=$1 name=$2; shift 2
  set +e; out=$("$@" --json); status=$?; set -e
  [ "$status" -eq "$want" ] || fail "$* exited $status, not $want: $out"
  if [ "$want" -eq 3 ]; then
    [ "$(echo "$out" | field '["rejected"]["name"]')" = "$name" ] || fail "$*: $out"
  fi
}

totp() {
  python3 - "$1" "${2:-0}" <<'PY'
import base64, hashlib, hmac, struct, sys, time
secret = sys.argv[1]
key = base64.b32decode(secret + "=" * ((8 - len(secret) % 8) % 8))
step = int(time.time() + int(sys.argv[2])) // 30
mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha256).digest()
offset = mac[-1] & 15
print("%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000))
PY
}
