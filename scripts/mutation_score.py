"""Print the mutation score of modules from mutmut's results: `python scripts/mutation_score.py
ntmlib.formatting ntmlib.parsing` (run after `mutmut run`; see tests/README.md)."""

from __future__ import annotations

import collections
import subprocess
import sys
from pathlib import Path

# a timeout is a mutant the tests stopped (an endless loop): detected
DETECTED = {"killed", "timeout"}


def statuses() -> dict[str, str]:
    """Each mutant's status in mutmut's results (killed, survived, timeout, not checked...)."""
    mutmut = Path(sys.executable).with_name("mutmut")
    lines = subprocess.run([str(mutmut), "results", "--all", "true"], capture_output=True,
                           text=True, check=True).stdout.splitlines()
    out = {}
    for line in lines:
        name, _, status = line.strip().rpartition(": ")
        out[name] = status
    return out


def main(modules: list[str]) -> int:
    status = statuses()
    for module in modules:
        counts: collections.Counter[str] = collections.Counter()
        survivors = []
        for name, state in status.items():
            if name.startswith(module + ".x"):
                counts[state] += 1
                if state == "survived":
                    survivors.append(name)
        detected = sum(counts[s] for s in DETECTED)
        checked = detected + counts["survived"]
        score = f"{100 * detected / checked:.1f} %" if checked else "-"
        print(f"{module}: {score} killed ({detected} of {checked} checked; "
              f"{counts['not checked']} not checked; {counts['no tests']} without tests)")
        for name in survivors:
            print(f"  survived: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
