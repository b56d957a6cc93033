#!/usr/bin/env bash
# `make bench`, through a Selenium Grid: the eight seed runbooks of
# bench/workers.sh, against one simulated console, each session asked of a
# hub with two Chromium nodes of two sessions each (grid/grid.sh, on free
# loopback ports, in a folder of this bench's own). One `docent run
# --webdriver` one at a time, then with --workers 2, then with --workers 4
# (every slot of both nodes); prints the wall times, the runs' mean
# duration, the speed-ups and how many sessions each node created in each
# pass (from the nodes' logs). Right before each pass through the Grid, the
# same pass with local chromedriver, so that the two meet the same load on a
# shared machine and their ratio is the Grid's cost. Every run must pass.
# Also written to target/bench/grid.json. The Grid is stopped when the
# bench ends, however it ends.
#
# Usage: bench/grid.sh path/to/docent
# Environment: GRID_RUNBOOKS (8), GRID_LOCAL (1; 0 leaves out the local
# passes), GRID_UP_TIMEOUT (seconds the Grid may take to start, 180 here).
set -euo pipefail

docent=${1:?usage: bench/grid.sh path/to/docent}
count=${GRID_RUNBOOKS:-8}
local_too=${GRID_LOCAL:-1}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
grid_run="$work/grid"
console=
cleanup() {
    # grid.sh stops what its PID files name; it does nothing when the Grid
    # never started.
    "$here/grid/grid.sh" down "$grid_run" || true
    if [ -n "$console" ]; then
        kill "$console" 2>/dev/null && { wait "$console" 2>/dev/null || true; }
    fi
    rm -rf "$work"
}
trap cleanup EXIT
# Ctrl-C and SIGTERM end the bench through the EXIT trap too.
trap 'exit 130' INT
trap 'exit 143' TERM
. "$here/bench/suite.sh"

# Five free loopback ports, so the bench never meets a Grid of `make
# grid-up` or of a test: the kernel picks them, they are released at once.
read -r GRID_HUB_PORT GRID_PUBLISH_PORT GRID_SUBSCRIBE_PORT GRID_NODE1_PORT GRID_NODE2_PORT < <(
    node -e 'const net = require("net");
        Promise.all([0, 1, 2, 3, 4].map(() => new Promise(up => {
            const server = net.createServer();
            server.listen(0, "127.0.0.1", () => up(server));
        }))).then(servers => {
            console.log(servers.map(s => s.address().port).join(" "));
            servers.forEach(s => s.close());
        })'
)
export GRID_HUB_PORT GRID_PUBLISH_PORT GRID_SUBSCRIBE_PORT GRID_NODE1_PORT GRID_NODE2_PORT
export GRID_UP_TIMEOUT=${GRID_UP_TIMEOUT:-180}
hub="http://127.0.0.1:$GRID_HUB_PORT"

started=$(date +%s.%N)
"$here/grid/grid.sh" up "$grid_run" >/dev/null
grid_up=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
start_console
make_suite

# Sessions node $1 has created so far: it logs each before handing it out.
created() {
    grep -c "Session created by the Node" "$grid_run/node-$1.log" || true
}

declare -A wall run split local_wall local_run
# One pass with --workers $1: its wall time, the runs' mean duration and
# the sessions per node ("node 1/node 2"); before it, the same pass with
# local chromedriver.
pass() {
    local n=$1 before1 before2
    if [ "$local_too" = 1 ]; then
        local_wall[$n]=$(timed "local-$n" "$n")
        local_run[$n]=$(mean_run "local-$n")
    fi
    before1=$(created 1)
    before2=$(created 2)
    wall[$n]=$(timed "$n" "$n" --webdriver "$hub")
    run[$n]=$(mean_run "$n")
    split[$n]="$(($(created 1) - before1))/$(($(created 2) - before2))"
}
pass 1
pass 2
pass 4
speedup2=$(ratio "${wall[1]}" "${wall[2]}")
speedup4=$(ratio "${wall[1]}" "${wall[4]}")
echo "$count seed runbooks through a loopback Grid, hub and two nodes of two sessions ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg) at the end; the Grid took ${grid_up}s to start):"
for n in 1 2 4; do
    case $n in
    1) label="one at a time:" ;;
    *) label="--workers $n:  " ;;
    esac
    line="  $label  ${wall[$n]}s (a run takes ${run[$n]}s on average; sessions per node ${split[$n]})"
    [ "$n" = 2 ] && line="$line, speed-up ${speedup2}x"
    [ "$n" = 4 ] && line="$line, speed-up ${speedup4}x"
    if [ "$local_too" = 1 ]; then
        line="$line; locally just before: ${local_wall[$n]}s (a run ${local_run[$n]}s), Grid/local $(ratio "${wall[$n]}" "${local_wall[$n]}")"
    fi
    echo "$line"
done
local_json=
if [ "$local_too" = 1 ]; then
    local_json=$(printf ', "local_serial_s": %s, "local_workers_2_s": %s, "local_workers_4_s": %s, "local_serial_run_s": %s, "local_workers_2_run_s": %s, "local_workers_4_run_s": %s' \
        "${local_wall[1]}" "${local_wall[2]}" "${local_wall[4]}" "${local_run[1]}" "${local_run[2]}" "${local_run[4]}")
fi
mkdir -p "$here/target/bench"
printf '{"runbooks": %s, "grid_up_s": %s, "serial_s": %s, "workers_2_s": %s, "workers_4_s": %s, "speedup_2": %s, "speedup_4": %s, "serial_run_s": %s, "workers_2_run_s": %s, "workers_4_run_s": %s, "sessions_per_node": {"serial": [%s], "workers_2": [%s], "workers_4": [%s]}%s}\n' \
    "$count" "$grid_up" "${wall[1]}" "${wall[2]}" "${wall[4]}" "$speedup2" "$speedup4" \
    "${run[1]}" "${run[2]}" "${run[4]}" "${split[1]/\//, }" "${split[2]/\//, }" "${split[4]/\//, }" "$local_json" \
    >"$here/target/bench/grid.json"
