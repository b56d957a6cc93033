#!/usr/bin/env bash
# `make bench`: the throughput of `docent run --workers`. Eight copies of the
# seed runbook (each in a folder of its own, so one command runs them all)
# against one simulated console with its default knobs, run once one at a
# time and once with `--workers 2`; prints both wall times and the speed-up.
# Every run must pass. Also written to target/bench/workers.json.
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

"$docent" console --port 0 >"$work/console.log" 2>&1 &
console=$!
url=
for _ in $(seq 100); do
    url=$(sed -n 's|^Simulated console: \(http://[^/]*\)/login$|\1|p' "$work/console.log")
    [ -n "$url" ] && break
    kill -0 "$console" || break
    sleep 0.1
done
[ -n "$url" ] || { cat "$work/console.log"; exit 1; }

for n in $(seq -w "$count"); do
    mkdir -p "$work/suite/$n"
    cp "$here/runbooks/mtd-create-tracker.yaml" "$work/suite/$n/"
done

# One `docent run` over the suite; prints its wall time in seconds.
timed() {
    local n=$1 started status=0
    started=$(date +%s.%N)
    CONSOLE_PASSWORD=docent-demo NO_COLOR=1 "$docent" run -q "$work/suite" --url "$url" \
        --out "$work/out-$n" --workers "$n" >"$work/run-$n.log" 2>&1 || status=$?
    if [ "$status" != 0 ]; then
        echo "docent run --workers $n exited $status:" >&2
        cat "$work/run-$n.log" >&2
        exit 1
    fi
    awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'
}

# The mean of the runs' own durations (results.json), in seconds: whether
# runs slow each other down, apart from what the command adds around them.
mean_run() {
    awk 'FNR == 1 { seen = 0 }
         !seen && /^  "duration_ms": / { gsub(/[^0-9.]/, "", $2); sum += $2; n++; seen = 1 }
         END { printf "%.1f", sum / n / 1000 }' "$work"/out-"$1"/*/results.json
}

serial=$(timed 1)
parallel=$(timed "$workers")
speedup=$(awk -v s="$serial" -v p="$parallel" 'BEGIN { printf "%.2f", s / p }')
echo "$count seed runbooks against one console ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg) at the end):"
echo "  one at a time:  ${serial}s (a run takes ${serial_run:=$(mean_run 1)}s on average)"
echo "  --workers $workers:    ${parallel}s (a run takes ${parallel_run:=$(mean_run "$workers")}s on average)"
echo "  speed-up:       ${speedup}x"
mkdir -p "$here/target/bench"
printf '{"runbooks": %s, "workers": %s, "serial_s": %s, "parallel_s": %s, "speedup": %s, "serial_run_s": %s, "parallel_run_s": %s}\n' \
    "$count" "$workers" "$serial" "$parallel" "$speedup" "$serial_run" "$parallel_run" >"$here/target/bench/workers.json"
