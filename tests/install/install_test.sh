#!/usr/bin/env bash
# The installed jcm (docs/install.md) finds its methodologies relative to its own location: it is
# installed into a temporary prefix (`prefix`: cmake --install) or extracted from the Debian
# package (`deb`: cpack -G DEB, then dpkg-deb -x), and run from an unrelated working directory
# with neither JCM_SOURCE_DIR nor JCM_METHODOLOGIES set, so nothing points it at the source tree.
# Usage: install_test.sh prefix|deb BUILD_DIR SOURCE_DIR
set -euo pipefail
mode="$1"
build="$2"
root="$3"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }

case "$mode" in
  prefix)
    cmake --install "$build" --prefix "$work/prefix" >/dev/null
    prefix="$work/prefix"
    ;;
  deb)
    (cd "$build" && cpack -G DEB -B "$work/package" >/dev/null 2>&1) || fail "cpack -G DEB"
    deb=$(ls "$work/package"/jcm_*.deb)
    dpkg-deb -x "$deb" "$work/root"
    prefix="$work/root/usr"
    depends=$(dpkg-deb -f "$deb" Depends)
    grep -q libsqlite3 <<<"$depends" || fail "Depends lacks libsqlite3: $depends"
    [ -n "$(dpkg-deb -f "$deb" Maintainer)" ] || fail "no Maintainer"
    ;;
  *) fail "mode $mode" ;;
esac

jcm="$prefix/bin/jcm"
[ -x "$jcm" ] || fail "no $jcm"
[ -f "$prefix/share/jcm/methodologies/MN_AM003/v2.0.jcmm" ] || fail "methodologies not installed"
[ -f "$prefix/share/doc/jcm/README.md" ] || fail "README.md not installed"

# Copies of the inputs, so the run reads nothing below the source tree.
mkdir "$work/elsewhere"
cp "$root/src/mrv/testdata/pv_params.txt" "$root/src/mrv/testdata/pv_long.csv" "$work/elsewhere/"
cd "$work/elsewhere"
run() { env -u JCM_SOURCE_DIR -u JCM_METHODOLOGIES "$jcm" "$@"; }

out=$(run mrv methodologies --json)
python3 -c 'import json,sys; ids={m["id"] for m in json.load(sys.stdin)}; sys.exit(0 if "MN_AM003" in ids else 1)' \
  <<<"$out" || fail "mrv methodologies: $out"
out=$(run mrv calc --params pv_params.txt --data pv_long.csv --json)
methodology=$(python3 -c 'import json,sys; print([i["path"] for i in json.load(sys.stdin)["inputs"] if i["role"] == "methodology"][0])' <<<"$out")
[[ "$methodology" == "$prefix/share/jcm/methodologies/"* ]] ||
  fail "methodology read from $methodology, not from the installed share/jcm"
# The PV example's figure, computed with the installed copy of MN_AM003 v2.0 (PE = 0).
[ "$(echo "$out" | field '["emission_reductions_tco2e"]')" = 1049 ] || fail "mrv calc: $out"
# The build tree mirrors the layout (src/app/CMakeLists.txt links src/share/jcm/methodologies),
# so the jcm built there finds them by the same rule.
if [ "$mode" = prefix ]; then
  out=$(env -u JCM_SOURCE_DIR -u JCM_METHODOLOGIES "$build/src/app/jcm" mrv calc \
    --params pv_params.txt --data pv_long.csv --json)
  methodology=$(python3 -c 'import json,sys; print([i["path"] for i in json.load(sys.stdin)["inputs"] if i["role"] == "methodology"][0])' <<<"$out")
  [[ "$methodology" == "$build/src/share/jcm/methodologies/"* ]] ||
    fail "the build tree's jcm read $methodology"
fi
# A registry works from there too.
run init --db "$work/registry.db" --registries JP >/dev/null
run audit verify --db "$work/registry.db" >/dev/null
echo "ok: $mode"
