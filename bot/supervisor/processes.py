"""The supervisor: starts each child in its own process group, restarts a crashed one (backing
off when it crashes quickly), and stops them all, grandchildren too."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from typing import IO

from bot.supervisor.children import Child

STOP_GRACE_SECONDS = 10.0
# A child that ran this long before crashing restarts at once; quicker crashes back off.
STABLE_SECONDS = 60.0
MAX_BACKOFF_SECONDS = 30.0


def _pump(stream: IO[bytes], prefix: str, out: IO[str]) -> None:
    """Copy a child's output line by line, each with the child's prefix."""
    for raw in iter(stream.readline, b""):
        out.write(f"[{prefix}] {raw.decode('utf-8', 'replace').rstrip()}\n")
        out.flush()


class Supervisor:
    """Starts the children in their own process groups, restarts crashed ones, stops them all."""

    def __init__(self, children: list[Child], out: IO[str] = sys.stdout) -> None:
        self.children = {child.name: child for child in children}
        self.out = out
        self.stopping = threading.Event()

    def say(self, text: str) -> None:
        self.out.write(f"[supervisor] {text}\n")
        self.out.flush()

    def start_child(self, name: str) -> None:
        child = self.children[name]
        child.held = False
        child.process = subprocess.Popen(
            child.argv,
            cwd=child.cwd,
            env=child.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stopping reaches its children
        )
        child.started_at = time.monotonic()
        child.restart_at = None
        assert child.process.stdout is not None
        reader = threading.Thread(
            target=_pump, args=(child.process.stdout, name, self.out), daemon=True
        )
        reader.start()
        child.readers = [reader]
        self.say(f"{name} started (pid {child.process.pid})")

    def stop_child(self, name: str, hold: bool = True) -> None:
        """Stop one child; held children are not restarted until `start_child`."""
        child = self.children[name]
        child.held = hold
        if child.process is None:
            return
        _terminate([child.process])
        child.process = None
        self.say(f"{name} stopped")

    def start(self) -> None:
        for name in self.children:
            self.start_child(name)

    def check(self) -> None:
        """Restart any child that exited, with a log line and a growing pause if it keeps failing."""
        now = time.monotonic()
        for child in self.children.values():
            if child.held or self.stopping.is_set():
                continue
            if child.process is not None and child.process.poll() is not None:
                code = child.process.returncode
                child.process = None
                ran = now - child.started_at
                child.failures = 0 if ran >= STABLE_SECONDS else child.failures + 1
                pause = min(MAX_BACKOFF_SECONDS, 2.0**child.failures - 1)
                child.restart_at = now + pause
                self.say(f"{child.name} exited with code {code}; restarting in {pause:.0f} s")
            if child.process is None and child.restart_at is not None and now >= child.restart_at:
                self.start_child(child.name)

    def stop(self) -> None:
        """Stop every child: SIGTERM to each process group, then SIGKILL after a grace period."""
        self.stopping.set()
        running = [c.process for c in self.children.values() if c.process is not None]
        _terminate(running)
        for child in self.children.values():
            child.process = None
        self.say("all stopped")

    def run_forever(self) -> None:
        self.start()
        try:
            while not self.stopping.is_set():
                self.check()
                self.stopping.wait(0.5)
        finally:
            self.stop()


def _terminate(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        # Grandchildren (e.g. Sanic workers) may outlive the leader: kill the whole group.
        _signal_group(process, signal.SIGKILL)
        process.wait()


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)
