#!/usr/bin/env bash
# End-to-end test of `jcm user …` (docs/cli.md, "Users"): an operator creates the first
# administrator with a password from stdin, enrols TOTP and signs in with a code computed here
# (RFC 6238, independently of jcm); a code works once; five wrong passwords lock; passwords are
# never accepted in argv; tokens are shown once and revocable; the journal holds no secret.
# Usage: user_cli_test.sh PATH_TO_JCM
set -euo pipefail
jcm="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/registry.db"
"$jcm" init --db "$db" --registries "" >/dev/null
source "$(dirname "$0")/lib.sh"
password='Kiso-Fuji-2027!'

"$jcm" user add --db "$db" --name admin --json | field '["name"]' | grep -qx admin || fail "user add"
expect_rejection 3 user_exists "$jcm" user add --db "$db" --name admin
expect_rejection 3 user_name_invalid "$jcm" user add --db "$db" --name "Admin User"
# A password is never an argument.
expect_rejection 2 - "$jcm" user password --db "$db" --name admin --password "$password"
echo short | { expect_rejection 3 password_too_short "$jcm" user password --db "$db" --name admin; }
echo 1qaz2wsx3edc | { expect_rejection 3 password_common "$jcm" user password --db "$db" --name admin; }
echo "$password" | "$jcm" user password --db "$db" --name admin >/dev/null
"$jcm" user grant --db "$db" --name admin --role system_administrator >/dev/null
expect_rejection 3 role_already_granted "$jcm" user grant --db "$db" --name admin --role system_administrator
expect_rejection 2 - "$jcm" user grant --db "$db" --name admin --role root

# An administrator changes things: TOTP is required before signing in.
echo "$password" | { expect_rejection 3 totp_required "$jcm" user signin-check --db "$db" --name admin; }
secret=$("$jcm" user totp --db "$db" --name admin --json | field '["totp"]["secret_base32"]')
code=$(totp "$secret")
out=$(echo "$password" | "$jcm" user signin-check --db "$db" --name admin --totp "$code" --json)
[ "$(echo "$out" | field '["principal"]["roles"]')" = "['system_administrator']" ] ||
  fail "signin-check: $out"
# The same code again is a replay, even from another process.
export JCM_TEST_PW="$password"
expect_rejection 3 totp_replayed "$jcm" user signin-check --db "$db" --name admin --password-env JCM_TEST_PW \
  --totp "$code"

# Unknown user and wrong password: the same answer. Five failures lock, even the right password.
"$jcm" user add --db "$db" --name reader >/dev/null
echo "$password" | "$jcm" user password --db "$db" --name reader >/dev/null
"$jcm" user grant --db "$db" --name reader --role auditor >/dev/null
unknown=$(echo "$password" | "$jcm" user signin-check --db "$db" --name nobody --json || true)
for i in 1 2 3 4 5; do
  wrong=$(echo "wrong password $i" | "$jcm" user signin-check --db "$db" --name reader --json || true)
  [ "$(echo "$wrong" | field '["rejected"]["check"]')" = 310 ] || fail "failure $i: $wrong"
done
[ "$(echo "$unknown" | field '["rejected"]')" = "$(echo "$wrong" | field '["rejected"]')" ] ||
  fail "unknown user ($unknown) and wrong password ($wrong) differ"
echo "$password" | { expect_rejection 3 account_locked "$jcm" user signin-check --db "$db" --name reader; }
locked=$("$jcm" user list --db "$db" --json |
  python3 -c 'import json,sys; print([u["locked_until"] for u in json.load(sys.stdin)["users"] if u["name"]=="reader"][0])')
[ "$locked" != None ] || fail "reader not listed as locked"

# Tokens: shown once, stored hashed, revocable.
out=$("$jcm" user token-issue --db "$db" --name reader --lifetime 3600 --json)
token=$(echo "$out" | field '["token"]')
token_id=$(echo "$out" | field '["id"]')
[[ "$token" =~ ^jcm_${token_id}_[0-9a-f]{64}$ ]] || fail "token-issue: $out"
expect_rejection 3 token_scope_not_held "$jcm" user token-issue --db "$db" --name reader --scope tpe:ORG-7
expect_rejection 3 token_lifetime_invalid "$jcm" user token-issue --db "$db" --name reader --lifetime 0
[ "$("$jcm" user token-revoke --db "$db" --token-id "$token_id" --json | field '["revoked_at"]')" != None ] ||
  fail "token-revoke"
expect_rejection 3 token_invalid "$jcm" user token-revoke --db "$db" --token-id 0000000000000000

# The journal records every event and no secret; the audit is clean.
journal=$(sqlite3 "$db" "SELECT kind || ' ' || body FROM journal WHERE kind LIKE 'identity.%'")
for secret_text in "$password" "$secret" "${token#jcm_*_}" argon2id; do
  if grep -qF -- "$secret_text" <<<"$journal"; then fail "the journal holds a secret: $secret_text"; fi
done
for kind in user_created password_set role_granted totp_enrolled signin_succeeded signin_failed \
  locked token_issued token_revoked; do
  grep -q "^identity.$kind " <<<"$journal" || fail "no identity.$kind in the journal"
done
[ "$("$jcm" audit verify --db "$db" --json | field '["ok"]')" = True ] || fail "audit"
echo "user_cli_test: ok"
