"""A mutation score for each core module from a random sample of its mutants:
`make mutation-sample` (SAMPLE=40 mutants a module, SEED=1; 20 a module took 34 min on 2
cores). `make mutation` checks every mutant instead, which takes many hours.

mutmut makes every mutant of ntmlib, the sample is drawn from them with a fixed seed, and
mutmut runs the sampled ones with the tests that reach each (its own selection, from the
tests that start no kernel). A score is killed / sampled with its 95 % Wilson interval; a
mutant no such test reaches counts as not killed. Survivors are printed by name, for
`mutmut show <name>` (see tests/README.md, "Mutation testing")."""

from __future__ import annotations

import argparse
import math
import random
import re
import subprocess
import sys
from pathlib import Path

from mutation_score import DETECTED, statuses  # beside this script

MODULES = ("formatting", "parsing", "indicators", "tables", "validate", "render", "charts",
           "io", "yearly", "batch", "runner")
# mutmut's own first step of `run` (mutmut 3.8, pinned in requirements.lock): copy the
# sources and make every file's mutants, skipping files unchanged since their mutants
_GENERATE = """
import os
from mutmut.__main__ import create_mutants
from mutmut.mutation.trampoline import set_mutant_under_test
from mutmut.utils.file_utils import copy_also_copy_files, copy_src_dir, setup_source_paths
set_mutant_under_test("mutant_generation")
os.makedirs("mutants", exist_ok=True)
copy_src_dir()
copy_also_copy_files()
setup_source_paths()
create_mutants(os.cpu_count() or 2)
"""


def mutant_names(root: Path, module: str) -> list[str]:
    """Every mutant mutmut made of `module`, by the name `mutmut run` takes (functions
    `x_name__mutmut_3`, methods `xǁClassǁname__mutmut_3`)."""
    source = (root / "mutants" / "ntmlib" / f"{module}.py").read_text(encoding="utf-8")
    found = set(re.findall(r"^\s*def (x[\wǁ]*?__mutmut_\d+)\(", source, re.M))
    return sorted(f"ntmlib.{module}.{name}" for name in found)


def wilson(detected: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion (sound at 0 and at n, unlike p ± 2σ)."""
    if n == 0:
        return 0.0, 1.0
    p = detected / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _mutmut(mutmut: Path, *args: str) -> None:
    """Run mutmut; when it fails, show the end of what it printed (its own progress lines
    otherwise fill the screen) and stop."""
    done = subprocess.run([str(mutmut), *args], capture_output=True, text=True)
    if done.returncode:
        tail = (done.stdout + done.stderr).replace("\r", "\n").strip().splitlines()[-20:]
        sys.exit("mutmut failed:\n" + "\n".join(tail))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=40, help="mutants a module")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("modules", nargs="*", default=list(MODULES))
    args = parser.parse_args(argv)
    root = Path.cwd()
    mutmut = Path(sys.executable).with_name("mutmut")
    # the sample is drawn from the mutants, which `mutmut run` makes only as the first step
    # of a run (before a whole run of the tests): that step alone, as mutmut 3 does it
    done = subprocess.run([sys.executable, "-c", _GENERATE], capture_output=True, text=True)
    if done.returncode:
        sys.exit("mutmut could not make the mutants:\n" + done.stderr[-2000:])
    rng = random.Random(args.seed)
    sample = {m: sorted(rng.sample(names, min(args.sample, len(names))))
              for m in args.modules for names in [mutant_names(root, m)]}
    _mutmut(mutmut, "run", *[n for names in sample.values() for n in names])
    status = statuses()
    print(f"Mutation score by sample (seed {args.seed}), 95 % interval:")
    for module, names in sample.items():
        detected = sum(status.get(n) in DETECTED for n in names)
        low, high = wilson(detected, len(names))
        print(f"ntmlib.{module}: {detected} of {len(names)} killed, "
              f"{100 * detected / max(1, len(names)):.0f} % [{100 * low:.0f}-{100 * high:.0f}] "
              f"({len(mutant_names(root, module))} mutants in all)")
        for n in names:
            if status.get(n) not in DETECTED:
                print(f"  {status.get(n, 'not run')}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
