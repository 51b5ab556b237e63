"""Print the mutation score of modules from mutmut's results: `python scripts/mutation_score.py
ntmlib.formatting ntmlib.parsing` (run after `mutmut run`; see tests/README.md)."""

from __future__ import annotations

import collections
import subprocess
import sys
from pathlib import Path


def main(modules: list[str]) -> int:
    mutmut = Path(sys.executable).with_name("mutmut")
    lines = subprocess.run([str(mutmut), "results", "--all", "true"], capture_output=True,
                           text=True, check=True).stdout.splitlines()
    for module in modules:
        counts: collections.Counter[str] = collections.Counter()
        survivors = []
        for line in lines:
            name, _, status = line.strip().rpartition(": ")
            if name.startswith(module + ".x"):
                counts[status] += 1
                if status == "survived":
                    survivors.append(name)
        # a timeout is a mutant the tests stopped (an endless loop): detected
        detected = counts["killed"] + counts["timeout"]
        checked = detected + counts["survived"]
        score = f"{100 * detected / checked:.1f} %" if checked else "-"
        print(f"{module}: {score} killed ({detected} of {checked} checked; "
              f"{counts['not checked']} not checked; {counts['no tests']} without tests)")
        for name in survivors:
            print(f"  survived: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
