"""A local emulator of the APIs trunkline covers, for tests, demos and offline development.

::

    from trunkline.testing import Emulator, Fault

    async with Emulator(seed=7) as emu:
        emu.faults.add("GET", "/v2/Services/*/Entities/*/Factors/*", Fault(error_rate=0.2))
        async with emu.twilio() as tw:
            ...

See :class:`Emulator` for what it serves and :class:`Fault` for the failure knobs. The
names load on first use, so the pytest plugin (``trunkline.testing.plugin``) costs a
test run nothing until a test asks for an emulator.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._checks import ERROR_CODES
    from ._emulator import Emulator, read_credentials
    from ._faults import Fault, FaultRule, Faults
    from ._thread import EmulatorThread
    from ._verify import SIGNATURE_FIELDS

__all__ = [
    "ERROR_CODES",
    "SIGNATURE_FIELDS",
    "Emulator",
    "EmulatorThread",
    "Fault",
    "FaultRule",
    "Faults",
    "read_credentials",
]

_HOMES = {
    "ERROR_CODES": "_checks",
    "SIGNATURE_FIELDS": "_verify",
    "Emulator": "_emulator",
    "EmulatorThread": "_thread",
    "Fault": "_faults",
    "FaultRule": "_faults",
    "Faults": "_faults",
    "read_credentials": "_emulator",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
