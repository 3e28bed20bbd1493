"""The pytest plugin (entry point ``pytest11``): an emulator and clients bound to it, as fixtures.

Installed with trunkline, so any project's tests can ask for them:

- ``twilio_emulator``: a running :class:`~trunkline.testing.Emulator` on the test's event
  loop (an async fixture; needs pytest-asyncio);
- ``twilio_client``: a ``trunkline.Twilio`` client bound to it, open for the test;
- ``twilio_emulator_thread``: an :class:`~trunkline.testing.EmulatorThread` for
  synchronous code (the official ``twilio`` package, other HTTP clients), its emulator
  on a thread of its own.

Nothing is imported until a fixture is used, so the plugin costs nothing elsewhere.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from trunkline.generated.twilio import Twilio

    from ._emulator import Emulator
    from ._thread import EmulatorThread

__all__ = ["twilio_client", "twilio_emulator", "twilio_emulator_thread"]


@pytest.fixture
def twilio_emulator_thread() -> Iterator[EmulatorThread]:
    """An emulator serving on its own thread (for synchronous clients)."""
    from ._thread import EmulatorThread

    with EmulatorThread() as running:
        yield running


try:
    import pytest_asyncio
except ImportError:  # pragma: no cover - the async fixtures need pytest-asyncio
    pass
else:

    @pytest_asyncio.fixture
    async def twilio_emulator() -> AsyncIterator[Emulator]:
        """A running emulator on the test's event loop."""
        from ._emulator import Emulator

        async with Emulator() as running:
            yield running

    @pytest_asyncio.fixture
    async def twilio_client(twilio_emulator: Emulator) -> AsyncIterator[Twilio]:
        """A ``trunkline.Twilio`` client for ``twilio_emulator``, open for the test."""
        client: Any = twilio_emulator.twilio()
        async with client as tw:
            yield tw
