#!/usr/bin/env bash
# One cold `ntm report` (html+pdf) from two commits, interleaved A/B, on the same data: prints
# each round's seconds, both medians and their ratio. For one lever at a time.
#   bench/ab_commits.sh OLD NEW [ROUNDS] [DATA_DIR] [UNIT] [YEAR]
# e.g. bench/ab_commits.sh HEAD~1 HEAD 6        (Trà Cú 2023 from the bundled data)
set -euo pipefail
old=$1 new=$2 rounds=${3:-6} data=${4:-$PWD/data} unit=${5:-tra-cu} year=${6:-2023}
py=$PWD/.venv/bin/python
. "$(dirname "$0")/ab_worktrees.sh"
ab_worktrees "$old" "$new"
for r in $(seq "$rounds"); do
  order="a b"; [ $((r % 2)) -eq 0 ] && order="b a"
  for side in $order; do
    rm -rf "$work/out-$side"
    start=$(date +%s.%N)
    # from the side's own checkout (ab_worktrees.sh)
    (cd "$work/$side" && PYTHONPATH=$work/$side $py -m ntmlib.cli -q report --year "$year" \
      --unit "$unit" --data-dir "$data" --out-dir "$work/out-$side" --formats html,pdf \
      >/dev/null)
    echo "$side $(echo "$(date +%s.%N) - $start" | bc)"
  done
done | tee "$work/times"
$py - "$work/times" <<'PY'
import statistics, sys
t = {"a": [], "b": []}
for line in open(sys.argv[1]):
    side, s = line.split()
    t[side].append(float(s))
a, b = statistics.median(t["a"]), statistics.median(t["b"])
print(f"old {a:.2f} s, new {b:.2f} s (medians); old / new = {a / b:.3f}")
PY
