#!/usr/bin/env bash
# One `ntm batch` (html+pdf, province report included, default workers) of N synthetic
# districts from two commits, interleaved A/B: each round's wall seconds and the CPU seconds
# of the batch and all its processes, both medians and their ratios. For one lever at a time.
#   bench/ab_batch.sh OLD NEW [ROUNDS] [N]
# e.g. bench/ab_batch.sh HEAD~1 HEAD 4 8
set -euo pipefail
old=$1 new=$2 rounds=${3:-4} n=${4:-8}
py=$PWD/.venv/bin/python
work=$(mktemp -d)
trap 'git worktree remove --force "$work/a" >/dev/null 2>&1 || true;
      git worktree remove --force "$work/b" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add -q --detach "$work/a" "$old"
git worktree add -q --detach "$work/b" "$new"
$py - "$work/data" "$n" <<'PY' >/dev/null
import sys
from pathlib import Path
sys.path.insert(0, "bench")
import bench
bench.synthetic_root(int(sys.argv[2]), Path(sys.argv[1]))
PY
for r in $(seq "$rounds"); do
  order="a b"; [ $((r % 2)) -eq 0 ] && order="b a"
  for side in $order; do
    rm -rf "$work/out-$side"
    PYTHONPATH=$work/$side $py - "$side" "$work/data" "$work/out-$side" <<'PY'
import resource, subprocess, sys, time
side, data, out = sys.argv[1:]
start = time.perf_counter()
subprocess.run([sys.executable, "-m", "ntmlib.cli", "-q", "batch", "--year", "2023",
                "--province", "tinh-mau", "--data-dir", data, "--out-dir", out,
                "--formats", "html,pdf", "--force"], check=True, stdout=subprocess.DEVNULL)
wall = time.perf_counter() - start
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(side, f"{wall:.2f}", f"{children.ru_utime + children.ru_stime:.2f}", flush=True)
PY
  done
done | tee "$work/times"
$py - "$work/times" <<'PY'
import statistics, sys
t = {"a": ([], []), "b": ([], [])}
for line in open(sys.argv[1]):
    side, wall, cpu = line.split()
    t[side][0].append(float(wall))
    t[side][1].append(float(cpu))
(aw, ac), (bw, bc) = ([statistics.median(x) for x in t[s]] for s in "ab")
print(f"wall: old {aw:.2f} s, new {bw:.2f} s (medians); old / new = {aw / bw:.3f}")
print(f"CPU:  old {ac:.2f} s, new {bc:.2f} s (medians); old / new = {ac / bc:.3f}")
PY
