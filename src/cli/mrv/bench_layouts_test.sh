#!/usr/bin/env bash
# `jcm bench mrv` in both layouts over the same readings: each reports identical results for 1
# and 2 threads, and both layouts give the same exact emission reductions.
# Usage: bench_layouts_test.sh JCM DIR
set -euo pipefail
jcm=$1 dir=$2
er() { sed -n 's/.*"emission_reductions_exact":"\([^"]*\)".*/\1/p'; }
wide=$("$jcm" bench mrv --layout wide --points 40 --repeat 1 --dir "$dir")
long=$("$jcm" bench mrv --layout long --points 40 --repeat 1 --dir "$dir")
for report in "$wide" "$long"; do
  grep -q '"identical_results_1_vs_2_threads":true' <<<"$report" || { echo "$report"; exit 1; }
done
grep -q '"layout":"long"' <<<"$long" || { echo "no layout field: $long"; exit 1; }
if [[ -z "$(er <<<"$wide")" || "$(er <<<"$wide")" != "$(er <<<"$long")" ]]; then
  echo "layouts differ: wide $(er <<<"$wide"), long $(er <<<"$long")"
  exit 1
fi
if "$jcm" bench mrv --layout tall --points 1 --dir "$dir" 2>/dev/null; then
  echo "--layout tall accepted"
  exit 1
fi
echo "ok: $(er <<<"$long")"
