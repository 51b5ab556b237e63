#!/usr/bin/env bash
# One `ntm batch` (html+pdf, province report included, default workers) of N synthetic
# districts from two commits, interleaved A/B: each round's wall seconds and CPU seconds (of
# the batch's every process, kernels, zygote and fork server included: from a cpuacct cgroup
# when this user can make one, else the machine's busy time from /proc/stat, which counts
# anything else running too), then the medians and the median of each round's own ratio
# (this shared machine's speed drifts by a fifth within minutes: a round's A and B meet the
# same drift). For one lever at a time.
#   bench/ab_batch.sh OLD NEW [ROUNDS] [N]
# e.g. bench/ab_batch.sh HEAD~1 HEAD 4 8
set -euo pipefail
old=$1 new=$2 rounds=${3:-4} n=${4:-8}
py=$PWD/.venv/bin/python
. "$(dirname "$0")/ab_worktrees.sh"
ab_worktrees "$old" "$new"
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
    # from the side's own checkout (ab_worktrees.sh)
    cd "$work/$side"
    PYTHONPATH=$work/$side $py - "$side" "$work/data" "$work/out-$side" <<'PY'
import os, subprocess, sys, time
side, data, out = sys.argv[1:]
group = "/sys/fs/cgroup/cpuacct/ntm-bench"
try:
    os.makedirs(group, exist_ok=True)
    join = f"open({group + '/cgroup.procs'!r}, 'w').write(str(os.getpid()))"
except OSError:
    join = None


def busy() -> float:
    """CPU seconds of the batch (its cgroup), else of the whole machine."""
    if join is not None:
        with open(f"{group}/cpuacct.usage") as usage:
            return int(usage.read()) / 1e9
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    return sum(fields[i] for i in (0, 1, 2, 5, 6)) / os.sysconf("SC_CLK_TCK")


command = [sys.executable, "-m", "ntmlib.cli", "-q", "batch", "--year", "2023", "--province",
           "tinh-mau", "--data-dir", data, "--out-dir", out, "--formats", "html,pdf", "--force"]
if join:  # the batch's process joins the cgroup before it starts, so all its children do
    command = [sys.executable, "-c", f"import os; {join}; os.execv({sys.executable!r}, "
               f"{command!r})"]
cpu0, start = busy(), time.perf_counter()
subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
wall = time.perf_counter() - start
print(side, f"{wall:.2f}", f"{busy() - cpu0:.2f}", flush=True)
PY
  done
done | tee "$work/times"
$py - "$work/times" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
t = {"a": ([], []), "b": ([], [])}
for side, wall, cpu in rows:
    t[side][0].append(float(wall))
    t[side][1].append(float(cpu))
for i, what in ((0, "wall"), (1, "CPU ")):
    a, b = t["a"][i], t["b"][i]
    ratios = [x / y for x, y in zip(a, b)]
    print(f"{what}: old {statistics.median(a):.2f} s [{min(a):.2f}-{max(a):.2f}], new "
          f"{statistics.median(b):.2f} s [{min(b):.2f}-{max(b):.2f}]; old / new by round: "
          f"median {statistics.median(ratios):.3f} [{min(ratios):.3f}-{max(ratios):.3f}]")
PY
