#!/usr/bin/env bash
# `make bench`: the throughput of `docent run --workers`. Eight copies of the
# seed runbook (each in a folder of its own, so one command runs them all)
# against one simulated console with its default knobs, run once one at a
# time and once with `--workers 2`; prints both wall times and the speed-up.
# Every run must pass. Also written to target/bench/workers.json.
# bench/grid.sh does the same through a Selenium Grid.
#
# Usage: bench/workers.sh path/to/docent
# Environment: WORKERS_RUNBOOKS (8), WORKERS (2).
set -euo pipefail

docent=${1:?usage: bench/workers.sh path/to/docent}
count=${WORKERS_RUNBOOKS:-8}
workers=${WORKERS:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
console=
cleanup() {
    if [ -n "$console" ]; then
        kill "$console" 2>/dev/null && { wait "$console" 2>/dev/null || true; }
    fi
    rm -rf "$work"
}
trap cleanup EXIT
. "$here/bench/suite.sh"

start_console
make_suite
serial=$(timed 1 1)
parallel=$(timed "$workers" "$workers")
speedup=$(ratio "$serial" "$parallel")
echo "$count seed runbooks against one console ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg) at the end):"
echo "  one at a time:  ${serial}s (a run takes ${serial_run:=$(mean_run 1)}s on average)"
echo "  --workers $workers:    ${parallel}s (a run takes ${parallel_run:=$(mean_run "$workers")}s on average)"
echo "  speed-up:       ${speedup}x"
mkdir -p "$here/target/bench"
printf '{"runbooks": %s, "workers": %s, "serial_s": %s, "parallel_s": %s, "speedup": %s, "serial_run_s": %s, "parallel_run_s": %s}\n' \
    "$count" "$workers" "$serial" "$parallel" "$speedup" "$serial_run" "$parallel_run" >"$here/target/bench/workers.json"
