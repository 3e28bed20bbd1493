"""Stoplight Prism for the contract tests: installed with npm, run one process per spec.

Prism serves one OpenAPI document per process, so a :class:`PrismFleet` starts the specs
in batches on consecutive loopback ports, waits until each accepts TCP connections, and
stops every process it started by its PID: when the next batch is needed, at
:meth:`PrismFleet.close`, and (as a last resort) when the interpreter exits. On Linux each
process is also told to end when the test process dies, even by a signal.
"""

from __future__ import annotations

import atexit
import ctypes
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs

__all__ = [
    "PRISM_DIR",
    "PRISM_PACKAGE",
    "PRISM_VERSION",
    "PrismError",
    "PrismFleet",
    "PrismServer",
    "ensure_prism",
    "find_free_ports",
]

PRISM_PACKAGE = "@stoplight/prism-cli"
PRISM_VERSION = "5.16.0"
PRISM_DIR = Path(__file__).resolve().parent / ".prism"
HOST = "127.0.0.1"
_FIRST_PORT = 41000
_PORT_ATTEMPTS = 3
_PR_SET_PDEATHSIG = 1

# Every process ever started here, so an interpreter exit after a crash still stops them.
_LIVE: dict[int, subprocess.Popen[bytes]] = {}


class PrismError(Exception):
    """Prism could not be installed, or a Prism process did not come up."""


def _installed_version(root: Path) -> str | None:
    manifest = root / "node_modules" / "@stoplight" / "prism-cli" / "package.json"
    try:
        return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return None


def ensure_prism(root: Path = PRISM_DIR, *, version: str = PRISM_VERSION) -> Path:
    """Return Prism's executable, installing the pinned version into ``root`` if needed.

    Raises:
        PrismError: npm is missing or the install failed (npm's output is included).
    """
    executable = root / "node_modules" / ".bin" / "prism"
    if executable.exists() and _installed_version(root) == version:
        return executable
    npm = shutil.which("npm")
    if npm is None:
        raise PrismError("npm is not on PATH; the contract tests install Prism with it")
    root.mkdir(parents=True, exist_ok=True)
    # Two test runs installing at once would interleave npm's writes; one waits.
    with (root / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if executable.exists() and _installed_version(root) == version:
            return executable
        return _npm_install(npm, root, version, executable)


def _npm_install(npm: str, root: Path, version: str, executable: Path) -> Path:
    command = [
        npm,
        "install",
        "--prefix",
        str(root),
        "--no-audit",
        "--no-fund",
        "--save-exact",
        f"{PRISM_PACKAGE}@{version}",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0 or _installed_version(root) != version:
        output = (done.stdout + done.stderr).strip()[-2000:]
        raise PrismError(f"installing {PRISM_PACKAGE}@{version} failed:\n{output}")
    return executable


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def find_free_ports(count: int, *, start: int = _FIRST_PORT, stop: int = 60000) -> int:
    """Return the first port of ``count`` consecutive loopback ports that are free now.

    Raises:
        PrismError: no such run of ports exists in ``[start, stop)``.
    """
    port = start
    while port + count <= stop:
        busy = next((p for p in range(port, port + count) if not _port_free(p)), None)
        if busy is None:
            return port
        port = busy + 1
    raise PrismError(f"no {count} consecutive free loopback ports in [{start}, {stop})")


@attrs.define
class PrismServer:
    """One Prism process serving one spec."""

    name: str
    spec: Path
    port: int
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        """The base URL the process serves on."""
        return f"http://{HOST}:{self.port}"

    def log_tail(self, chars: int = 1500) -> str:
        """The end of the process's output, for error messages."""
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def log_size(self) -> int:
        """How many bytes of output the process has written so far."""
        try:
            return self.log.stat().st_size
        except OSError:
            return 0

    def log_since(self, offset: int) -> str:
        """The output written after ``offset`` bytes."""
        try:
            with self.log.open("rb") as handle:
                handle.seek(offset)
                return handle.read().decode("utf-8", errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the process by its PID: terminate, then kill if it lingers."""
        _LIVE.pop(self.process.pid, None)
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def _die_with_parent() -> None:
    """In the child: ask Linux to SIGTERM it when the test process dies, however it dies."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _start(executable: Path, name: str, spec: Path, port: int, log_dir: Path) -> PrismServer:
    log = log_dir / f"{name}.log"
    env = dict(os.environ, SCARF_ANALYTICS="false", DO_NOT_TRACK="1", NO_COLOR="1")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(executable), "mock", "-p", str(port), "-h", HOST, str(spec)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    _LIVE[process.pid] = process
    return PrismServer(name=name, spec=spec, port=port, log=log, process=process)


def _wait_ready(servers: Sequence[PrismServer], deadline: float) -> None:
    waiting = list(servers)
    while waiting:
        for server in list(waiting):
            code = server.process.poll()
            if code is not None:
                raise PrismError(
                    f"Prism for {server.name} exited with {code} before serving:\n"
                    f"{server.log_tail()}"
                )
            try:
                with socket.create_connection((HOST, server.port), timeout=0.5):
                    waiting.remove(server)
            except OSError:
                pass
        if waiting and time.monotonic() > deadline:
            names = ", ".join(s.name for s in waiting)
            raise PrismError(f"Prism did not accept connections in time for: {names}")
        if waiting:
            time.sleep(0.1)


class PrismFleet:
    """Serves specs in batches, one Prism process per spec.

    ``order`` lists the spec names in the order they will be asked for; batches are
    consecutive runs of ``batch_size`` of them, so asking in that order starts each batch
    once. A name outside ``order`` gets a batch of its own. ``locate`` gives the spec file
    to serve for a name. Asking for a spec outside the running batch stops the batch first.
    """

    def __init__(
        self,
        executable: Path,
        order: Sequence[str],
        locate: Callable[[str], Path],
        log_dir: Path,
        *,
        batch_size: int = 8,
        ready_timeout: float = 120.0,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        self._executable = executable
        self._locate = locate
        self._log_dir = log_dir
        self._ready_timeout = ready_timeout
        ordered = list(dict.fromkeys(order))
        self._batches = [ordered[i : i + batch_size] for i in range(0, len(ordered), batch_size)]
        self._batch_of = {name: i for i, batch in enumerate(self._batches) for name in batch}
        self._running: dict[str, PrismServer] = {}
        self._active: int | None = None
        self.served: list[str] = []
        self.start_seconds = 0.0

    def server(self, name: str) -> PrismServer:
        """The running server for ``name``, starting its batch if needed.

        Raises:
            PrismError: a process of the batch failed to come up (the batch is stopped).
        """
        index = self._batch_of.get(name)
        if index is None:
            index = self._batch_of[name] = len(self._batches)
            self._batches.append([name])
        if self._active != index:
            self.close()
            self._start_batch(index)
        return self._running[name]

    def _start_batch(self, index: int) -> None:
        batch = self._batches[index]
        began = time.monotonic()
        start = _FIRST_PORT
        for attempt in range(_PORT_ATTEMPTS):
            first = find_free_ports(len(batch), start=start)
            self._active = index
            try:
                for offset, name in enumerate(batch):
                    spec = self._locate(name)
                    self._running[name] = _start(
                        self._executable, name, spec, first + offset, self._log_dir
                    )
                _wait_ready(list(self._running.values()), began + self._ready_timeout)
            except PrismError as exc:
                self.close()
                # Another run may take a port between the check and Prism's bind.
                if "EADDRINUSE" not in str(exc) or attempt == _PORT_ATTEMPTS - 1:
                    raise
                start = first + len(batch)
                continue
            except BaseException:
                self.close()
                raise
            break
        self.served.extend(batch)
        self.start_seconds += time.monotonic() - began

    @property
    def pids(self) -> list[int]:
        """PIDs of the running processes."""
        return [s.process.pid for s in self._running.values()]

    def close(self) -> None:
        """Stop every running process of the fleet."""
        running, self._running, self._active = self._running, {}, None
        for server in running.values():
            server.stop()


@atexit.register
def _stop_leftovers() -> None:
    for process in list(_LIVE.values()):
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
    _LIVE.clear()
