#!/usr/bin/env python3
"""Faults a docent run must survive, measured.

Each fault is dealt to a real run (the built `docent` against a simulated console of this
script's own) while a step waits: the browser or its driver killed or frozen, docent signalled
or killed outright. For each, the table says what docent exited with, how long after the fault
it was gone, and whether any process of its run or its temporary folder outlived it. A fault
passes when the exit code is the documented one, docent is gone within the stated bound, and
nothing is left; the script exits 1 if any run did not pass.

Usage: bench/faults.py [--runs N] [--docent PATH]
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

TMP = tempfile.gettempdir()

# The waiting step's timeout. The faults come a moment after it starts, so a
# run that ignored a fault would fail the step at this timeout instead, or
# (frozen browser) hang.
STEP_TIMEOUT_S = 10
RUNBOOK = f"""name: faults
steps:
  - goto: /lab/form
  - expect: Never shown
    timeout: {STEP_TIMEOUT_S}s
"""


def marker(docent_pid):
    return os.path.join(TMP, f"docent-{docent_pid}-")


def run_processes(docent_pid):
    """The processes of one run: chromedriver, Chromium and its helpers, the watchdog.

    chromedriver carries the run's TMPDIR in its environment, Chromium's zygote children name the
    profile folder inside it on their command line, and the rest share chromedriver's process
    group (see tests/browser/common.rs, which counts them the same way).
    """
    mark = marker(docent_pid)
    own_group = os.getpgrp()
    live = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
            state, _ppid, group = stat.rsplit(")", 1)[1].split()[:3]
            if state == "Z":
                continue
            with open(f"/proc/{pid}/environ", "rb") as f:
                environ = f.read()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue  # it ended between two reads
        marked = (b"TMPDIR=" + mark.encode()) in environ or mark in command
        live.append((pid, command, int(group), marked))
    groups = {g for _, _, g, m in live if m and g != own_group}
    return [(pid, command) for pid, command, g, m in live if m or g in groups]


def temp_folders(docent_pid):
    name = os.path.basename(marker(docent_pid))
    return [e for e in os.listdir(TMP) if e.startswith(name)]


def signal_all(processes, sig):
    for pid, _ in processes:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def browser(processes):
    return [p for p in processes if p[1].startswith("/usr/lib/chromium/chromium")]


def driver(processes):
    return [p for p in processes if "chromedriver" in p[1]]


def main_browser(processes):
    return [p for p in browser(processes) if "--type=" not in p[1]]


# name, what is done, the exit code docent must give (None: killed by a
# signal), and how long after the fault it may take to be gone.
FAULTS = [
    ("Chromium's browser process killed", lambda d, ps: signal_all(main_browser(ps), signal.SIGKILL), 3, 10),
    ("the tab's renderer killed", lambda d, ps: signal_all([p for p in ps if "--type=renderer" in p[1]], signal.SIGKILL), 3, 10),
    ("chromedriver killed", lambda d, ps: signal_all(driver(ps), signal.SIGKILL), 3, 10),
    ("Chromium frozen (SIGSTOP)", lambda d, ps: signal_all(browser(ps), signal.SIGSTOP), 3, STEP_TIMEOUT_S + 10),
    ("chromedriver frozen (SIGSTOP)", lambda d, ps: signal_all(driver(ps), signal.SIGSTOP), 3, STEP_TIMEOUT_S + 10),
    ("Ctrl-C (SIGINT)", lambda d, ps: os.kill(d, signal.SIGINT), 130, 10),
    ("SIGTERM", lambda d, ps: os.kill(d, signal.SIGTERM), 130, 10),
    ("kill -9 of docent", lambda d, ps: os.kill(d, signal.SIGKILL), None, 5),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_run(docent, url, folder, fault):
    name, deal, expected, bound = fault
    runbook = os.path.join(folder, "faults.yaml")
    with open(runbook, "w") as f:
        f.write(RUNBOOK)
    env = dict(os.environ, CONSOLE_PASSWORD="docent-demo", NO_COLOR="1")
    child = subprocess.Popen(
        [docent, "run", runbook, "--url", url, "--out", os.path.join(folder, "out")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    # The fault comes while the second step waits.
    for line in child.stdout:
        if "✓ goto" in line:
            break
    processes = run_processes(child.pid)
    dealt = time.monotonic()
    deal(child.pid, processes)
    try:
        child.stdout.read()
        code = child.wait(timeout=bound + 60)
    except subprocess.TimeoutExpired:
        child.kill()
        code = "hung"
    took = time.monotonic() - dealt
    # Chromium's helpers exit just after their browser: give them a moment.
    settle = time.monotonic() + 3
    left = run_processes(child.pid)
    while left and time.monotonic() < settle:
        time.sleep(0.05)
        left = run_processes(child.pid)
    folders = temp_folders(child.pid)
    # Never leave a fault's leftovers behind this script either.
    signal_all(left, signal.SIGKILL)
    got = -code if isinstance(code, int) and code < 0 else code
    exit_ok = (code == expected) if expected is not None else (got == signal.SIGKILL)
    ok = exit_ok and took <= bound and not left and not folders
    return {"code": code, "took": took, "left": len(left), "folders": len(folders), "ok": ok}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per fault")
    parser.add_argument("--docent", default=os.environ.get("DOCENT", "target/debug/docent"))
    args = parser.parse_args()
    port = free_port()
    console = subprocess.Popen(
        [args.docent, "console", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or console.poll() is not None:
                sys.exit("the simulated console did not start")
            time.sleep(0.05)
    failed = 0
    print(f"{'fault':36} {'runs':>4} {'exit':>6} {'gone after (s)':>16} {'left':>5}  verdict")
    try:
        for fault in FAULTS:
            results = []
            for _ in range(args.runs):
                with tempfile.TemporaryDirectory() as folder:
                    results.append(one_run(args.docent, url, folder, fault))
            codes = sorted({str(r["code"]) for r in results})
            times = [r["took"] for r in results]
            left = sum(r["left"] + r["folders"] for r in results)
            ok = all(r["ok"] for r in results)
            failed += not ok
            span = f"{min(times):.1f}–{max(times):.1f}"
            print(
                f"{fault[0]:36} {len(results):>4} {','.join(codes):>6} {span:>16} {left:>5}  "
                f"{'ok' if ok else 'FAILED'} (expected {fault[2] if fault[2] is not None else 'SIGKILL'}, gone within {fault[3]}s)",
                flush=True,
            )
    finally:
        console.terminate()
        console.wait()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
