#!/usr/bin/env bash
# `make bench`, second part: docent's own peak memory (VmHWM of the docent
# process, not the browser's) while it records demo.gif, for a short and a
# long runbook of the same step. Demo frames are spooled to the output
# folder and streamed into the GIF encoder, so the two peaks should be
# about the same; a peak that grows with the runbook's length means frames
# are held in memory again.
#
# Usage: bench/demo-memory.sh path/to/docent
set -euo pipefail

docent=${1:?usage: bench/demo-memory.sh path/to/docent}
work=$(mktemp -d)
console_pid=
cleanup() {
    [ -n "$console_pid" ] && kill "$console_pid" 2>/dev/null && { wait "$console_pid" 2>/dev/null || true; }
    rm -rf "$work"
}
trap cleanup EXIT

# A free loopback port, chosen by the kernel.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$docent" console --port "$port" >"$work/console.log" 2>&1 &
console_pid=$!
for _ in $(seq 100); do
    grep -q "Simulated console" "$work/console.log" && break
    kill -0 "$console_pid" || { cat "$work/console.log"; exit 1; }
    sleep 0.1
done

runbook() {
    local steps=$1 file=$work/long-$1.yaml
    {
        echo "name: Demo memory $steps"
        echo "url: http://127.0.0.1:$port"
        echo "steps:"
        echo "  - goto: /lab/form"
        for ((i = 0; i < steps / 2; i++)); do
            echo "  - check: { role: checkbox, text: Send SMS }"
            echo "  - uncheck: { role: checkbox, text: Send SMS }"
        done
    } >"$file"
    echo "$file"
}

printf '%-8s %12s %12s %10s\n' steps 'peak (KiB)' 'demo.gif' seconds
for steps in 50 400; do
    file=$(runbook "$steps")
    started=$(date +%s.%N)
    "$docent" run --demo -q --out "$work/out-$steps" "$file" >"$work/run-$steps.log" 2>&1 &
    pid=$!
    peak=0
    # VmHWM is the process's own high-water mark, so sampling only has to
    # catch it before the process exits.
    while kill -0 "$pid" 2>/dev/null; do
        now=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
        [ -n "$now" ] && peak=$now
        sleep 0.2
    done
    if ! wait "$pid"; then
        cat "$work/run-$steps.log"
        exit 1
    fi
    seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
    printf '%-8s %12s %12s %10.1f\n' "$steps" "$peak" "$(stat -c %s "$work/out-$steps/demo.gif")" "$seconds"
done
