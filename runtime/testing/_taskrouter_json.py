"""How the emulated TaskRouter renders its records: the JSON TaskRouter v1 answers with.

Each function takes the state (for names of related records), the origin the client used
(so every URL leads back to the emulator) and one record.
"""

from __future__ import annotations

from ._core import JSONDict, iso
from ._taskrouter_state import Activity, Reservation, Task, TaskRouterState, Worker, Workspace

__all__ = [
    "BASE",
    "activity_json",
    "reservation_json",
    "task_json",
    "worker_json",
    "workspace_json",
]

BASE = "/v1/Workspaces"

# A workspace's links: the key in ``links`` and the path segment below the workspace.
_WORKSPACE_LINKS = (
    ("activities", "Activities"),
    ("statistics", "Statistics"),
    ("real_time_statistics", "RealTimeStatistics"),
    ("cumulative_statistics", "CumulativeStatistics"),
    ("task_queues", "TaskQueues"),
    ("tasks", "Tasks"),
    ("workers", "Workers"),
    ("workflows", "Workflows"),
    ("task_channels", "TaskChannels"),
    ("events", "Events"),
)


def _ws_url(o: str, workspace_sid: str) -> str:
    return f"{o}{BASE}/{workspace_sid}"


def workspace_json(state: TaskRouterState, o: str, w: Workspace) -> JSONDict:
    """A workspace as the API renders it."""
    url = _ws_url(o, w.sid)
    return {
        "account_sid": state.account_sid,
        "date_created": iso(w.created),
        "date_updated": iso(w.updated),
        "default_activity_name": state.activities[w.default_activity_sid].friendly_name,
        "default_activity_sid": w.default_activity_sid,
        "event_callback_url": w.event_callback_url,
        "events_filter": None,
        "friendly_name": w.friendly_name,
        "multi_task_enabled": w.multi_task_enabled,
        "sid": w.sid,
        "timeout_activity_name": state.activities[w.timeout_activity_sid].friendly_name,
        "timeout_activity_sid": w.timeout_activity_sid,
        "prioritize_queue_order": w.prioritize_queue_order,
        "url": url,
        "links": {name: f"{url}/{segment}" for name, segment in _WORKSPACE_LINKS},
    }


def activity_json(state: TaskRouterState, o: str, a: Activity) -> JSONDict:
    """An activity as the API renders it."""
    ws = _ws_url(o, a.workspace_sid)
    return {
        "account_sid": state.account_sid,
        "available": a.available,
        "date_created": iso(a.created),
        "date_updated": iso(a.updated),
        "friendly_name": a.friendly_name,
        "sid": a.sid,
        "workspace_sid": a.workspace_sid,
        "url": f"{ws}/Activities/{a.sid}",
        "links": {"workspace": ws},
    }


def worker_json(state: TaskRouterState, o: str, w: Worker) -> JSONDict:
    """A worker as the API renders it."""
    ws = _ws_url(o, w.workspace_sid)
    url = f"{ws}/Workers/{w.sid}"
    activity = state.activities[w.activity_sid]
    return {
        "account_sid": state.account_sid,
        "activity_name": activity.friendly_name,
        "activity_sid": activity.sid,
        "attributes": w.attributes,
        "available": activity.available,
        "date_created": iso(w.created),
        "date_status_changed": iso(w.status_changed),
        "date_updated": iso(w.updated),
        "friendly_name": w.friendly_name,
        "sid": w.sid,
        "workspace_sid": w.workspace_sid,
        "url": url,
        "links": {
            "channels": f"{url}/Channels",
            "activity": f"{ws}/Activities/{activity.sid}",
            "workspace": ws,
            "reservations": f"{url}/Reservations",
            "worker_statistics": f"{url}/Statistics",
        },
    }


def task_json(state: TaskRouterState, o: str, t: Task) -> JSONDict:
    """A task as the API renders it."""
    ws = _ws_url(o, t.workspace_sid)
    url = f"{ws}/Tasks/{t.sid}"
    return {
        "account_sid": state.account_sid,
        "age": int(state.clock() - t.created),
        "assignment_status": t.assignment_status,
        "attributes": t.attributes,
        "addons": "{}",
        "date_created": iso(t.created),
        "date_updated": iso(t.updated),
        "task_queue_entered_date": iso(t.created),
        "priority": t.priority,
        "reason": t.reason,
        "sid": t.sid,
        "task_queue_sid": None,
        "task_queue_friendly_name": None,
        "task_channel_sid": None,
        "task_channel_unique_name": t.task_channel,
        "timeout": t.timeout,
        "workflow_sid": t.workflow_sid,
        "workflow_friendly_name": None,
        "workspace_sid": t.workspace_sid,
        "url": url,
        "links": {"workspace": ws, "reservations": f"{url}/Reservations"},
        "virtual_start_time": iso(t.created),
        "ignore_capacity": False,
        "routing_target": None,
    }


def reservation_json(
    state: TaskRouterState, o: str, r: Reservation, *, via_worker: bool = False
) -> JSONDict:
    """A reservation as the API renders it (under its task, or under its worker)."""
    ws = _ws_url(o, r.workspace_sid)
    parent = f"Workers/{r.worker_sid}" if via_worker else f"Tasks/{r.task_sid}"
    return {
        "account_sid": state.account_sid,
        "date_created": iso(r.created),
        "date_updated": iso(r.updated),
        "reservation_status": r.status,
        "sid": r.sid,
        "task_sid": r.task_sid,
        "worker_name": state.workers[r.worker_sid].friendly_name,
        "worker_sid": r.worker_sid,
        "workspace_sid": r.workspace_sid,
        "url": f"{ws}/{parent}/Reservations/{r.sid}",
        "links": {
            "task": f"{ws}/Tasks/{r.task_sid}",
            "worker": f"{ws}/Workers/{r.worker_sid}",
            "workspace": ws,
        },
    }
