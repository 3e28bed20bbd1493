"""A local emulator of the APIs trunkline covers, for tests, demos and offline development.

::

    from trunkline.testing import Emulator, Fault

    async with Emulator(seed=7) as emu:
        emu.faults.add("GET", "/v2/Services/*/Entities/*/Factors/*", Fault(error_rate=0.2))
        async with emu.twilio() as tw:
            ...

See :class:`Emulator` for what it serves and :class:`Fault` for the failure knobs.
"""

from ._checks import ERROR_CODES
from ._emulator import Emulator
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
]
