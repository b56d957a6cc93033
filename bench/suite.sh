# Sourced by bench/workers.sh and bench/grid.sh (and, for console_url
# alone, by bench/soak.sh): what both throughput
# benches share. Eight (or $count) copies of the seed runbook, each in a
# folder of its own so one `docent run` runs them all, against one
# simulated console with its default knobs; a pass over them timed from
# command to exit; the runs' own mean duration.
#
# The sourcing script sets `docent`, `count`, `here` (the repository) and
# `work` (a temporary folder it removes), and stops `$console` on exit.

# Waits for the console with PID $2, which logs to $1, to say where it
# listens; sets `url`, or prints the log and exits when it never does.
console_url() {
    url=
    for _ in $(seq 100); do
        url=$(sed -n 's|^Simulated console: \(http://[^/]*\)/login$|\1|p' "$1")
        [ -n "$url" ] && return
        kill -0 "$2" || break
        sleep 0.1
    done
    cat "$1"
    exit 1
}

# Starts the console on a free port; sets `console` (its PID) and `url`.
start_console() {
    "$docent" console --port 0 >"$work/console.log" 2>&1 &
    console=$!
    console_url "$work/console.log" "$console"
}

# $count copies of the seed runbook in $work/suite/01 … $work/suite/NN.
make_suite() {
    for n in $(seq -w "$count"); do
        mkdir -p "$work/suite/$n"
        cp "$here/runbooks/mtd-create-tracker.yaml" "$work/suite/$n/"
    done
}

# One `docent run` over the suite with --workers $2 and the further
# arguments, its output in $work/out-$1; prints its wall time in seconds.
# A run that does not pass fails the bench, printing docent's output.
timed() {
    local name=$1 n=$2 started status=0
    shift 2
    started=$(date +%s.%N)
    CONSOLE_PASSWORD=docent-demo NO_COLOR=1 "$docent" run -q "$work/suite" --url "$url" \
        --out "$work/out-$name" --workers "$n" "$@" >"$work/run-$name.log" 2>&1 || status=$?
    if [ "$status" != 0 ]; then
        echo "docent run --workers $n $* exited $status:" >&2
        cat "$work/run-$name.log" >&2
        exit 1
    fi
    awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'
}

# The mean of the runs' own durations (results.json) in $work/out-$1, in
# seconds: whether runs slow each other down, apart from what the command
# adds around them.
mean_run() {
    awk 'FNR == 1 { seen = 0 }
         !seen && /^  "duration_ms": / { gsub(/[^0-9.]/, "", $2); sum += $2; n++; seen = 1 }
         END { printf "%.1f", sum / n / 1000 }' "$work"/out-"$1"/*/results.json
}

# $1 / $2 to two decimals.
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}
