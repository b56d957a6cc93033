#!/usr/bin/env bash
# `make soak`: the seed runbook, many times, against the simulated console at
# its worst. Two consoles serve every run (each run is a new browser session,
# so it starts from the console's initial state):
#
#   jitter    every API call waits 150 ms plus 0..1500 ms: every run must pass;
#   failing   every write answers "Operation failed.": every run must fail
#             (exit 1), and all of them at the same step.
#
# It prints, for each phase, the runs that passed and failed, the step that
# failed and how often, and the wall time of a run (browser start included),
# then exits 1 when an expectation was not met.
#
# Usage: bench/soak.sh path/to/docent
# Environment: SOAK_RUNS (runs per phase, 50), SOAK_JOBS (runs at a time, 2),
# SOAK_JITTER_MS (1500), SOAK_KEEP (a folder to keep every run's output in).
set -euo pipefail

docent=${1:?usage: bench/soak.sh path/to/docent}
runs=${SOAK_RUNS:-50}
jobs=${SOAK_JOBS:-2}
jitter=${SOAK_JITTER_MS:-1500}
runbook=$(dirname "$0")/../runbooks/mtd-create-tracker.yaml
# console_url: waiting for a console to say where it listens.
. "$(dirname "$0")/suite.sh"
if [ -n "${SOAK_KEEP:-}" ]; then
    mkdir -p "$SOAK_KEEP"
    work=$(cd "$SOAK_KEEP" && pwd)
else
    work=$(mktemp -d)
fi
consoles=()
cleanup() {
    for pid in "${consoles[@]}"; do
        kill "$pid" 2>/dev/null && { wait "$pid" 2>/dev/null || true; }
    done
    [ -z "${SOAK_KEEP:-}" ] && rm -rf "$work"
    return 0
}
trap cleanup EXIT

# Starts a console on a free port with the given knobs; sets `url`.
start_console() {
    local name=$1
    shift
    "$docent" console --port 0 "$@" >"$work/console-$name.log" 2>&1 &
    consoles+=("$!")
    console_url "$work/console-$name.log" "${consoles[-1]}"
}

# One run: its exit code, wall time, and the failed step (its `file:line`
# and description, from docent's own diagnosis), as one tab-separated line.
run_one() {
    local phase=$1 url=$2 n=$3 out=$work/$1/$3 started status=0
    started=$(date +%s.%N)
    CONSOLE_PASSWORD=docent-demo NO_COLOR=1 "$docent" run -q --url "$url" --out "$out" "$runbook" \
        >"$out.log" 2>&1 || status=$?
    local seconds step place failed=-
    seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
    step=$(sed -n 's/^error: step failed: //p' "$out.log" | head -n 1)
    place=$(sed -n 's/^  --> //p' "$out.log" | head -n 1)
    [ -n "$step" ] && failed="${place##*/} $step"
    printf '%s\t%s\t%s\n' "$status" "$seconds" "$failed" >"$out.result"
}

# Runs a phase `jobs` at a time; prints its summary; returns 1 when a run
# broke the phase's expectation.
phase() {
    local name=$1 url=$2 want=$3
    mkdir -p "$work/$name"
    local started
    started=$(date +%s)
    local active=()
    for n in $(seq -w "$runs"); do
        if [ "${#active[@]}" -ge "$jobs" ]; then
            # The consoles are jobs too: wait for a run, not for any job.
            wait -n "${active[@]}" || true
            local still=()
            for pid in "${active[@]}"; do kill -0 "$pid" 2>/dev/null && still+=("$pid"); done
            active=("${still[@]}")
        fi
        run_one "$name" "$url" "$n" &
        active+=("$!")
    done
    wait "${active[@]}" || true
    local elapsed=$(($(date +%s) - started))
    cat "$work/$name"/*.result >"$work/$name.tsv"
    local passed failed other steps
    passed=$(awk -F'\t' '$1 == 0' "$work/$name.tsv" | wc -l)
    failed=$(awk -F'\t' '$1 == 1' "$work/$name.tsv" | wc -l)
    other=$(awk -F'\t' '$1 != 0 && $1 != 1' "$work/$name.tsv" | wc -l)
    steps=$(awk -F'\t' '$1 == 1 { print $3 }' "$work/$name.tsv" | sort -u | wc -l)
    echo "$name: $runs runs, $jobs at a time, in ${elapsed}s — $passed passed, $failed failed, $other broke (exit 2, 3 or 130)"
    awk -F'\t' '$1 == 1 { print $3 }' "$work/$name.tsv" | sort | uniq -c |
        awk '{ count = $1; sub(/^ *[0-9]+ /, ""); printf "  %d× failed at %s\n", count, $0 }'
    cut -f2 "$work/$name.tsv" | sort -n | awk '
        { t[NR] = $1 }
        END { printf "  run time: min %.1fs, median %.1fs, max %.1fs\n", t[1], (NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2), t[NR] }'
    local ok=1
    if [ "$want" = pass ]; then
        [ "$passed" -eq "$runs" ] || ok=0
    else
        [ "$failed" -eq "$runs" ] && [ "$steps" -eq 1 ] || ok=0
    fi
    local expected="every run passes"
    [ "$want" = fail ] && expected="every run fails, at the same step"
    if [ "$ok" = 1 ]; then
        echo "  as expected: $expected"
        return 0
    fi
    echo "  NOT as expected ($expected); the runs' output is in $work/$name/" >&2
    # Keep the evidence of a broken soak.
    SOAK_KEEP=$work
    return 1
}

start_console jitter --jitter-ms "$jitter"
jitter_url=$url
start_console failing --failure-rate 1
failing_url=$url

verdict=0
phase jitter "$jitter_url" pass || verdict=1
phase failing "$failing_url" fail || verdict=1
exit $verdict
