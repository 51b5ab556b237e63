# Sourced by the A/B scripts: `ab_worktrees OLD NEW` checks out each commit in a worktree of a
# new temporary folder, $work/a and $work/b, removed with the folder when the script exits.
# Run each side from its own worktree: `python -m` puts the current folder before PYTHONPATH.
ab_worktrees() {
  work=$(mktemp -d)
  trap 'git worktree remove --force "$work/a" >/dev/null 2>&1 || true;
        git worktree remove --force "$work/b" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
  git worktree add -q --detach "$work/a" "$1"
  git worktree add -q --detach "$work/b" "$2"
}
