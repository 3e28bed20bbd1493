"""An emulator on its own thread and event loop, for synchronous callers.

Synchronous code (the official ``twilio`` package, ``requests``, a test without an event
loop) cannot share a loop with the emulator: its blocking calls would stall the server.
:class:`EmulatorThread` runs one :class:`Emulator` on a private loop in a daemon thread;
:meth:`advance` and :meth:`flush` run on that loop, so state and callbacks stay on it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from ._emulator import Emulator

__all__ = ["EmulatorThread"]

T = TypeVar("T")


class EmulatorThread:
    """Start with :meth:`start` (or ``with``); the running emulator is :attr:`emulator`.

    Args:
        options: passed to :class:`Emulator`.
    """

    def __init__(self, **options: Any) -> None:
        self._loop = asyncio.new_event_loop()
        self.emulator = Emulator(**options)
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def start(self) -> EmulatorThread:
        """Start the loop and the emulator; returns once it accepts connections."""
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.emulator.start(), self._loop).result(30)
        return self

    def run(self, func: Callable[[], T]) -> T:
        """Call ``func`` on the emulator's loop and return its result."""

        async def call() -> T:
            return func()

        return asyncio.run_coroutine_threadsafe(call(), self._loop).result(30)

    def advance(self, seconds: float) -> None:
        """:meth:`Emulator.advance`, on the emulator's loop."""
        self.run(lambda: self.emulator.advance(seconds))

    def flush(self) -> None:
        """:meth:`Emulator.flush`, on the emulator's loop."""
        asyncio.run_coroutine_threadsafe(self.emulator.flush(), self._loop).result(30)

    def stop(self) -> None:
        """Stop the emulator, the loop and the thread."""
        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(self.emulator.close(), self._loop).result(30)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(30)
        self._loop.close()

    def __enter__(self) -> EmulatorThread:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
