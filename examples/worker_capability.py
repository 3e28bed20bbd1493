"""A TaskRouter worker capability token, signed locally, allowed one update and denied another.

Run it as is: ``python examples/worker_capability.py``.
"""

from __future__ import annotations

import asyncio

from _show import need

import trunkline
from trunkline.tokens import WorkerCapability


async def try_update(
    tw: trunkline.Twilio,
    workspace_sid: str,
    worker_sid: str,
    token: str,
    *,
    activity_sid: str | None = None,
    friendly_name: str | None = None,
) -> str:
    """Update the worker with the capability token; returns what happened."""
    try:
        worker = await tw.taskrouter.v1.workspaces.workers.update(
            workspace_sid,
            worker_sid,
            activity_sid=activity_sid,
            friendly_name=friendly_name,
            headers={"X-Twilio-Token": token},
        )
    except trunkline.PermissionDeniedError as exc:
        return f"denied ({exc.status}: {exc.message})"
    return f"allowed: activity is now {worker.activity_name}"


async def capability_flow(
    tw: trunkline.Twilio, account_sid: str, auth_token: str
) -> tuple[str, str]:
    """Make a workspace and a worker, then use a worker token that may change its activity."""
    workspace = await tw.taskrouter.v1.workspaces.create(friendly_name="Support")
    workspace_sid = need(workspace.sid, "workspace sid")
    [available] = await tw.taskrouter.v1.workspaces.activities.list(
        workspace_sid, friendly_name="Available"
    )
    worker = await tw.taskrouter.v1.workspaces.workers.create(workspace_sid, friendly_name="Ana")
    worker_sid = need(worker.sid, "worker sid")
    token = (
        WorkerCapability.new(
            worker_sid, workspace_sid, account_sid=account_sid, auth_token=auth_token
        )
        .allow_activity_updates()
        .token()
    )
    print(
        f"  worker {worker.sid} ({worker.activity_name}); token signed locally, "
        f"{len(token)} characters"
    )
    allowed = await try_update(tw, workspace_sid, worker_sid, token, activity_sid=available.sid)
    print(f"  set ActivitySid=Available -> {allowed}")
    denied = await try_update(tw, workspace_sid, worker_sid, token, friendly_name="Eve")
    print(f"  rename without ActivitySid -> {denied}")
    return allowed, denied


async def main() -> None:
    from trunkline.testing import Emulator

    async with Emulator() as emu, emu.twilio() as tw:
        await capability_flow(tw, emu.account_sid, emu.auth_token)


if __name__ == "__main__":
    asyncio.run(main())
