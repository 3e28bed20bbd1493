"""The README's "Coming from twilio-python" trunkline blocks run, in order, on the emulator."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path
from typing import Any

from trunkline.testing import Emulator
from trunkline.tokens.push import PushKey

README = Path(__file__).resolve().parents[2] / "README.md"
FOUND = "+14155550123"


def _blocks() -> list[str]:
    """The trunkline blocks of the migration section, in order."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Coming from twilio-python\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    return [block for block in blocks if block.startswith("# trunkline\n")]


async def _run(block: str, namespace: dict[str, Any]) -> None:
    code = compile(block, "README.md", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    # Top-level await makes eval return the coroutine that runs the block.
    result = eval(code, namespace)
    if result is not None:
        await result


async def test_readme_migration_blocks_run_on_the_emulator() -> None:
    """Send an SMS, list calls by date, a Verify code, a push factor and buying a number work."""
    blocks = _blocks()
    assert len(blocks) == 6
    async with Emulator() as emu, emu.twilio() as tw:
        service = await tw.verify.v2.services.create(friendly_name="signup")
        # What a number search would find: the emulator holds no inventory of its own.
        available = f"/2010-04-01/Accounts/{emu.account_sid}/AvailablePhoneNumbers/US/Local"
        emu.store.put(("", "api.twilio.com", available), FOUND, {"phone_number": FOUND})
        namespace: dict[str, Any] = {
            "tw": tw,
            "datetime": dt.datetime,
            "UTC": dt.UTC,
            "service_sid": service.sid,
            "public_key": PushKey.generate().public_key,
            "fcm_token": "f" * 40,
        }
        for block in blocks:
            if emu.verifications.sent:
                namespace["code"] = emu.verifications.sent[-1][2]
            await _run(block, namespace)
    assert str(namespace["message"].sid).startswith("SM")
    assert isinstance(namespace["calls"], list)
    assert str(_value(namespace["check"].status)) == "approved"
    assert str(namespace["factor"].sid).startswith("YF")
    assert namespace["number"].phone_number == FOUND


def _value(status: Any) -> Any:
    """An enum member's wire value, or the value itself."""
    return getattr(status, "value", status)
