"""TaskRouter v1 in the emulator: workspaces, activities, workers, tasks and reservations.

Routing is deliberately simple: a pending task is reserved for the first available worker
that has not rejected it, when the task is created or a worker becomes available. Requests
may be authorised by a capability token instead of the account's credentials; the token's
policies are then enforced (URL pattern, method, query and post filters).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import attrs
from aiohttp import web

from ._core import (
    Clock,
    JSONDict,
    bad_param,
    form_bool,
    form_int,
    iso,
    new_sid,
    not_found,
    origin,
    twilio_error,
    twilio_page,
)

__all__ = ["Activity", "Reservation", "Task", "TaskRouter", "Worker", "Workspace"]

_BASE = "/v1/Workspaces"
_RESERVATION_STATES = (
    "accepted",
    "rejected",
    "timeout",
    "canceled",
    "rescinded",
    "wrapping",
    "completed",
)
_TASK_STATES = ("pending", "reserved", "assigned", "canceled", "completed", "wrapping")


@attrs.define
class Workspace:
    """A TaskRouter workspace and its default activity."""

    sid: str
    friendly_name: str
    default_activity_sid: str
    timeout_activity_sid: str
    event_callback_url: str | None
    multi_task_enabled: bool
    prioritize_queue_order: str
    created: float
    updated: float


@attrs.define
class Activity:
    """A worker state; ``available`` says whether workers in it receive reservations."""

    sid: str
    workspace_sid: str
    friendly_name: str
    available: bool
    created: float
    updated: float


@attrs.define
class Worker:
    """A worker with its current activity and JSON attributes (kept as the string sent)."""

    sid: str
    workspace_sid: str
    friendly_name: str
    activity_sid: str
    attributes: str
    created: float
    updated: float
    status_changed: float


@attrs.define
class Task:
    """A task and its assignment status."""

    sid: str
    workspace_sid: str
    attributes: str
    assignment_status: str
    priority: int
    timeout: int
    reason: str | None
    workflow_sid: str | None
    task_channel: str
    created: float
    updated: float


@attrs.define
class Reservation:
    """A reservation of one task for one worker."""

    sid: str
    workspace_sid: str
    task_sid: str
    worker_sid: str
    status: str
    created: float
    updated: float


def _attributes(form: Any, name: str = "Attributes") -> str | None:
    raw = form.get(name)
    if raw is None:
        return None
    try:
        value = json.loads(str(raw))
    except ValueError:
        bad_param(f"Invalid parameter {name}: not valid JSON", 20001)
    if not isinstance(value, dict):
        bad_param(f"Invalid parameter {name}: expected a JSON object", 20001)
    return str(raw)


class TaskRouter:
    """State and handlers of the emulated TaskRouter v1 API."""

    def __init__(self, account_sid: str, clock: Clock) -> None:
        self.account_sid = account_sid
        self.clock = clock
        self.workspaces: dict[str, Workspace] = {}
        self.activities: dict[str, Activity] = {}
        self.workers: dict[str, Worker] = {}
        self.tasks: dict[str, Task] = {}
        self.reservations: dict[str, Reservation] = {}

    def add_routes(self, router: web.UrlDispatcher) -> None:
        """Register the TaskRouter paths the emulator serves, as the spec writes them."""
        ws = _BASE + "/{WorkspaceSid}"
        router.add_post(_BASE, self.create_workspace)
        router.add_get(_BASE, self.list_workspaces)
        router.add_get(_BASE + "/{Sid}", self.fetch_workspace)
        router.add_post(_BASE + "/{Sid}", self.update_workspace)
        router.add_delete(_BASE + "/{Sid}", self.delete_workspace)
        router.add_post(ws + "/Activities", self.create_activity)
        router.add_get(ws + "/Activities", self.list_activities)
        router.add_get(ws + "/Activities/{Sid}", self.fetch_activity)
        router.add_post(ws + "/Activities/{Sid}", self.update_activity)
        router.add_delete(ws + "/Activities/{Sid}", self.delete_activity)
        router.add_post(ws + "/Workers", self.create_worker)
        router.add_get(ws + "/Workers", self.list_workers)
        router.add_get(ws + "/Workers/{Sid}", self.fetch_worker)
        router.add_post(ws + "/Workers/{Sid}", self.update_worker)
        router.add_delete(ws + "/Workers/{Sid}", self.delete_worker)
        router.add_post(ws + "/Tasks", self.create_task)
        router.add_get(ws + "/Tasks", self.list_tasks)
        router.add_get(ws + "/Tasks/{Sid}", self.fetch_task)
        router.add_post(ws + "/Tasks/{Sid}", self.update_task)
        router.add_delete(ws + "/Tasks/{Sid}", self.delete_task)
        for parent in ("Tasks/{TaskSid}", "Workers/{WorkerSid}"):
            router.add_get(f"{ws}/{parent}/Reservations", self.list_reservations)
            router.add_get(f"{ws}/{parent}/Reservations/{{Sid}}", self.fetch_reservation)
            router.add_post(f"{ws}/{parent}/Reservations/{{Sid}}", self.update_reservation)

    # ----------------------------------------------------------------- lookups

    def _workspace(self, request: web.Request, key: str = "WorkspaceSid") -> Workspace:
        found = self.workspaces.get(request.match_info[key])
        if found is None:
            not_found(request)
        return found

    def _child(self, request: web.Request, table: Mapping[str, Any], key: str = "Sid") -> Any:
        workspace = self._workspace(request)
        found = table.get(request.match_info[key])
        if found is None or found.workspace_sid != workspace.sid:
            not_found(request)
        return found

    def _activity_for(self, workspace: Workspace, sid: str) -> Activity:
        activity = self.activities.get(sid)
        if activity is None or activity.workspace_sid != workspace.sid:
            bad_param(f"Invalid parameter ActivitySid: {sid} is not in this workspace", 20001)
        return activity

    # ----------------------------------------------------------------- rendering

    def _ws_url(self, o: str, workspace_sid: str) -> str:
        return f"{o}{_BASE}/{workspace_sid}"

    def workspace_json(self, o: str, w: Workspace) -> JSONDict:
        """A workspace as the API renders it."""
        url = self._ws_url(o, w.sid)
        names = (
            "activities",
            "statistics",
            "real_time_statistics",
            "cumulative_statistics",
            "task_queues",
            "tasks",
            "workers",
            "workflows",
            "task_channels",
            "events",
        )
        paths = (
            "Activities",
            "Statistics",
            "RealTimeStatistics",
            "CumulativeStatistics",
            "TaskQueues",
            "Tasks",
            "Workers",
            "Workflows",
            "TaskChannels",
            "Events",
        )
        return {
            "account_sid": self.account_sid,
            "date_created": iso(w.created),
            "date_updated": iso(w.updated),
            "default_activity_name": self.activities[w.default_activity_sid].friendly_name,
            "default_activity_sid": w.default_activity_sid,
            "event_callback_url": w.event_callback_url,
            "events_filter": None,
            "friendly_name": w.friendly_name,
            "multi_task_enabled": w.multi_task_enabled,
            "sid": w.sid,
            "timeout_activity_name": self.activities[w.timeout_activity_sid].friendly_name,
            "timeout_activity_sid": w.timeout_activity_sid,
            "prioritize_queue_order": w.prioritize_queue_order,
            "url": url,
            "links": {n: f"{url}/{p}" for n, p in zip(names, paths, strict=True)},
        }

    def activity_json(self, o: str, a: Activity) -> JSONDict:
        """An activity as the API renders it."""
        ws = self._ws_url(o, a.workspace_sid)
        return {
            "account_sid": self.account_sid,
            "available": a.available,
            "date_created": iso(a.created),
            "date_updated": iso(a.updated),
            "friendly_name": a.friendly_name,
            "sid": a.sid,
            "workspace_sid": a.workspace_sid,
            "url": f"{ws}/Activities/{a.sid}",
            "links": {"workspace": ws},
        }

    def worker_json(self, o: str, w: Worker) -> JSONDict:
        """A worker as the API renders it."""
        ws = self._ws_url(o, w.workspace_sid)
        url = f"{ws}/Workers/{w.sid}"
        activity = self.activities[w.activity_sid]
        return {
            "account_sid": self.account_sid,
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

    def task_json(self, o: str, t: Task) -> JSONDict:
        """A task as the API renders it."""
        ws = self._ws_url(o, t.workspace_sid)
        url = f"{ws}/Tasks/{t.sid}"
        return {
            "account_sid": self.account_sid,
            "age": int(self.clock() - t.created),
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

    def reservation_json(self, o: str, r: Reservation, *, via_worker: bool = False) -> JSONDict:
        """A reservation as the API renders it (under its task, or under its worker)."""
        ws = self._ws_url(o, r.workspace_sid)
        parent = f"Workers/{r.worker_sid}" if via_worker else f"Tasks/{r.task_sid}"
        return {
            "account_sid": self.account_sid,
            "date_created": iso(r.created),
            "date_updated": iso(r.updated),
            "reservation_status": r.status,
            "sid": r.sid,
            "task_sid": r.task_sid,
            "worker_name": self.workers[r.worker_sid].friendly_name,
            "worker_sid": r.worker_sid,
            "workspace_sid": r.workspace_sid,
            "url": f"{ws}/{parent}/Reservations/{r.sid}",
            "links": {
                "task": f"{ws}/Tasks/{r.task_sid}",
                "worker": f"{ws}/Workers/{r.worker_sid}",
                "workspace": ws,
            },
        }

    # ----------------------------------------------------------------- workspaces

    async def create_workspace(self, request: web.Request) -> web.Response:
        form = await request.post()
        name = str(form.get("FriendlyName") or "")
        if not name:
            bad_param("Missing required parameter FriendlyName in the post body", 20001)
        now = self.clock()
        sid = new_sid("WS")
        made = [
            Activity(new_sid("WA"), sid, label, available, now, now)
            for label, available in (
                ("Offline", False),
                ("Available", True),
                ("Unavailable", False),
            )
        ]
        for activity in made:
            self.activities[activity.sid] = activity
        order = str(form.get("PrioritizeQueueOrder") or "FIFO")
        if order not in ("FIFO", "LIFO"):
            bad_param("Invalid parameter PrioritizeQueueOrder: FIFO or LIFO", 20001)
        workspace = Workspace(
            sid=sid,
            friendly_name=name,
            default_activity_sid=made[0].sid,
            timeout_activity_sid=made[0].sid,
            event_callback_url=str(form.get("EventCallbackUrl") or "") or None,
            multi_task_enabled=bool(form_bool(form, "MultiTaskEnabled")),
            prioritize_queue_order=order,
            created=now,
            updated=now,
        )
        self.workspaces[sid] = workspace
        return web.json_response(self.workspace_json(origin(request), workspace), status=201)

    async def fetch_workspace(self, request: web.Request) -> web.Response:
        workspace = self._workspace(request, "Sid")
        return web.json_response(self.workspace_json(origin(request), workspace))

    async def list_workspaces(self, request: web.Request) -> web.Response:
        o = origin(request)
        name = request.query.get("FriendlyName")
        rows = [w for w in self.workspaces.values() if name is None or w.friendly_name == name]
        return twilio_page(request, rows, "workspaces", lambda w: self.workspace_json(o, w))

    async def update_workspace(self, request: web.Request) -> web.Response:
        workspace = self._workspace(request, "Sid")
        form = await request.post()
        if form.get("FriendlyName"):
            workspace.friendly_name = str(form["FriendlyName"])
        for wire, attr in (
            ("DefaultActivitySid", "default_activity_sid"),
            ("TimeoutActivitySid", "timeout_activity_sid"),
        ):
            if form.get(wire):
                setattr(workspace, attr, self._activity_for(workspace, str(form[wire])).sid)
        workspace.updated = self.clock()
        return web.json_response(self.workspace_json(origin(request), workspace))

    async def delete_workspace(self, request: web.Request) -> web.Response:
        workspace = self._workspace(request, "Sid")
        del self.workspaces[workspace.sid]
        for table in (self.activities, self.workers, self.tasks, self.reservations):
            for sid in [s for s, row in table.items() if row.workspace_sid == workspace.sid]:
                del table[sid]
        return web.Response(status=204)

    # ----------------------------------------------------------------- activities

    async def create_activity(self, request: web.Request) -> web.Response:
        workspace = self._workspace(request)
        form = await request.post()
        name = str(form.get("FriendlyName") or "")
        if not name:
            bad_param("Missing required parameter FriendlyName in the post body", 20001)
        if any(
            a.friendly_name == name and a.workspace_sid == workspace.sid
            for a in self.activities.values()
        ):
            twilio_error(409, 20409, f"An activity named {name!r} already exists")
        now = self.clock()
        activity = Activity(
            new_sid("WA"), workspace.sid, name, bool(form_bool(form, "Available")), now, now
        )
        self.activities[activity.sid] = activity
        return web.json_response(self.activity_json(origin(request), activity), status=201)

    async def fetch_activity(self, request: web.Request) -> web.Response:
        activity = self._child(request, self.activities)
        return web.json_response(self.activity_json(origin(request), activity))

    async def update_activity(self, request: web.Request) -> web.Response:
        activity: Activity = self._child(request, self.activities)
        form = await request.post()
        if form.get("FriendlyName"):
            activity.friendly_name = str(form["FriendlyName"])
            activity.updated = self.clock()
        return web.json_response(self.activity_json(origin(request), activity))

    async def delete_activity(self, request: web.Request) -> web.Response:
        activity: Activity = self._child(request, self.activities)
        workspace = self.workspaces[activity.workspace_sid]
        if activity.sid in (workspace.default_activity_sid, workspace.timeout_activity_sid):
            bad_param("The workspace's default or timeout activity cannot be deleted", 20001)
        if any(w.activity_sid == activity.sid for w in self.workers.values()):
            bad_param("Workers are in this activity; move them first", 20001)
        del self.activities[activity.sid]
        return web.Response(status=204)

    async def list_activities(self, request: web.Request) -> web.Response:
        workspace = self._workspace(request)
        name = request.query.get("FriendlyName")
        available = form_bool(request.query, "Available")
        rows = [
            a
            for a in self.activities.values()
            if a.workspace_sid == workspace.sid
            and (name is None or a.friendly_name == name)
            and (available is None or a.available == available)
        ]
        o = origin(request)
        return twilio_page(request, rows, "activities", lambda a: self.activity_json(o, a))

    # ----------------------------------------------------------------- workers

    async def create_worker(self, request: web.Request) -> web.Response:
        workspace = self._workspace(request)
        form = await request.post()
        name = str(form.get("FriendlyName") or "")
        if not name:
            bad_param("Missing required parameter FriendlyName in the post body", 20001)
        if any(
            w.friendly_name == name and w.workspace_sid == workspace.sid
            for w in self.workers.values()
        ):
            twilio_error(409, 20409, f"A worker named {name!r} already exists")
        activity_sid = str(form.get("ActivitySid") or workspace.default_activity_sid)
        activity = self._activity_for(workspace, activity_sid)
        now = self.clock()
        worker = Worker(
            new_sid("WK"),
            workspace.sid,
            name,
            activity.sid,
            _attributes(form) or "{}",
            now,
            now,
            now,
        )
        self.workers[worker.sid] = worker
        self._route(workspace)
        return web.json_response(self.worker_json(origin(request), worker), status=201)

    async def fetch_worker(self, request: web.Request) -> web.Response:
        worker = self._child(request, self.workers)
        return web.json_response(self.worker_json(origin(request), worker))

    async def list_workers(self, request: web.Request) -> web.Response:
        workspace = self._workspace(request)
        q = request.query
        available = form_bool(q, "Available")
        rows = [
            w
            for w in self.workers.values()
            if w.workspace_sid == workspace.sid
            and q.get("ActivitySid") in (None, w.activity_sid)
            and q.get("FriendlyName") in (None, w.friendly_name)
            and q.get("ActivityName") in (None, self.activities[w.activity_sid].friendly_name)
            and (available is None or self.activities[w.activity_sid].available == available)
        ]
        o = origin(request)
        return twilio_page(request, rows, "workers", lambda w: self.worker_json(o, w))

    async def update_worker(self, request: web.Request) -> web.Response:
        worker: Worker = self._child(request, self.workers)
        workspace = self.workspaces[worker.workspace_sid]
        form = await request.post()
        now = self.clock()
        if form.get("FriendlyName"):
            worker.friendly_name = str(form["FriendlyName"])
        attributes = _attributes(form)
        if attributes is not None:
            worker.attributes = attributes
        if form.get("ActivitySid"):
            activity = self._activity_for(workspace, str(form["ActivitySid"]))
            if activity.sid != worker.activity_sid:
                worker.activity_sid = activity.sid
                worker.status_changed = now
        worker.updated = now
        self._route(workspace)
        return web.json_response(self.worker_json(origin(request), worker))

    async def delete_worker(self, request: web.Request) -> web.Response:
        worker: Worker = self._child(request, self.workers)
        if any(
            r.worker_sid == worker.sid and r.status in ("pending", "accepted")
            for r in self.reservations.values()
        ):
            bad_param("The worker has pending or accepted reservations", 20001)
        del self.workers[worker.sid]
        return web.Response(status=204)

    # ----------------------------------------------------------------- tasks

    async def create_task(self, request: web.Request) -> web.Response:
        workspace = self._workspace(request)
        form = await request.post()
        now = self.clock()
        task = Task(
            sid=new_sid("WT"),
            workspace_sid=workspace.sid,
            attributes=_attributes(form) or "{}",
            assignment_status="pending",
            priority=form_int(form, "Priority", low=0, high=2**31 - 1, code=20001) or 0,
            timeout=form_int(form, "Timeout", low=1, high=31536000, code=20001) or 86400,
            reason=None,
            workflow_sid=str(form.get("WorkflowSid") or "") or None,
            task_channel=str(form.get("TaskChannel") or "default"),
            created=now,
            updated=now,
        )
        self.tasks[task.sid] = task
        self._route(workspace)
        return web.json_response(self.task_json(origin(request), task), status=201)

    async def fetch_task(self, request: web.Request) -> web.Response:
        return web.json_response(self.task_json(origin(request), self._child(request, self.tasks)))

    async def list_tasks(self, request: web.Request) -> web.Response:
        workspace = self._workspace(request)
        statuses = request.query.getall("AssignmentStatus", [])
        rows = [
            t
            for t in self.tasks.values()
            if t.workspace_sid == workspace.sid
            and (not statuses or t.assignment_status in statuses)
        ]
        o = origin(request)
        return twilio_page(request, rows, "tasks", lambda t: self.task_json(o, t))

    async def update_task(self, request: web.Request) -> web.Response:
        task: Task = self._child(request, self.tasks)
        form = await request.post()
        status = form.get("AssignmentStatus")
        if status is not None:
            if status not in _TASK_STATES:
                bad_param(f"Invalid parameter AssignmentStatus: {status!r}", 20001)
            if status in ("canceled", "completed") or status == "wrapping":
                for r in self._task_reservations(task.sid):
                    if r.status == "pending":
                        r.status = "canceled" if status == "canceled" else "rescinded"
                    elif r.status == "accepted" and status != "canceled":
                        r.status = status
            task.assignment_status = str(status)
        if form.get("Reason"):
            task.reason = str(form["Reason"])
        attributes = _attributes(form)
        if attributes is not None:
            task.attributes = attributes
        priority = form_int(form, "Priority", low=0, code=20001)
        if priority is not None:
            task.priority = priority
        task.updated = self.clock()
        return web.json_response(self.task_json(origin(request), task))

    async def delete_task(self, request: web.Request) -> web.Response:
        task: Task = self._child(request, self.tasks)
        del self.tasks[task.sid]
        for r in self._task_reservations(task.sid):
            del self.reservations[r.sid]
        return web.Response(status=204)

    # ----------------------------------------------------------------- reservations

    def _task_reservations(self, task_sid: str) -> list[Reservation]:
        return [r for r in self.reservations.values() if r.task_sid == task_sid]

    def _route(self, workspace: Workspace) -> None:
        """Reserve pending tasks (highest priority, then oldest) for available idle workers."""
        pending = sorted(
            (
                t
                for t in self.tasks.values()
                if t.workspace_sid == workspace.sid and t.assignment_status == "pending"
            ),
            key=lambda t: (-t.priority, t.created),
        )
        for task in pending:
            refused = {r.worker_sid for r in self._task_reservations(task.sid)}
            for worker in self.workers.values():
                if (
                    worker.workspace_sid == workspace.sid
                    and worker.sid not in refused
                    and self.activities[worker.activity_sid].available
                    and not self._busy(worker, workspace)
                ):
                    now = self.clock()
                    reservation = Reservation(
                        new_sid("WR"), workspace.sid, task.sid, worker.sid, "pending", now, now
                    )
                    self.reservations[reservation.sid] = reservation
                    task.assignment_status = "reserved"
                    task.updated = now
                    break

    def _busy(self, worker: Worker, workspace: Workspace) -> bool:
        if workspace.multi_task_enabled:
            return False
        return any(
            r.worker_sid == worker.sid
            and r.status in ("pending", "accepted")
            and self.tasks[r.task_sid].assignment_status in ("reserved", "assigned")
            for r in self.reservations.values()
        )

    def _reservation(self, request: web.Request) -> tuple[Reservation, bool]:
        self._workspace(request)
        reservation = self.reservations.get(request.match_info["Sid"])
        info = request.match_info
        via_worker = "WorkerSid" in info
        if (
            reservation is None
            or reservation.workspace_sid != info["WorkspaceSid"]
            or (via_worker and reservation.worker_sid != info["WorkerSid"])
            or (not via_worker and reservation.task_sid != info["TaskSid"])
        ):
            not_found(request)
        return reservation, via_worker

    async def list_reservations(self, request: web.Request) -> web.Response:
        workspace = self._workspace(request)
        info = request.match_info
        status = request.query.get("ReservationStatus")
        rows = [
            r
            for r in self.reservations.values()
            if r.workspace_sid == workspace.sid
            and info.get("TaskSid", r.task_sid) == r.task_sid
            and info.get("WorkerSid", r.worker_sid) == r.worker_sid
            and status in (None, r.status)
        ]
        via_worker = "WorkerSid" in info
        o = origin(request)
        return twilio_page(
            request,
            rows,
            "reservations",
            lambda r: self.reservation_json(o, r, via_worker=via_worker),
        )

    async def fetch_reservation(self, request: web.Request) -> web.Response:
        reservation, via_worker = self._reservation(request)
        return web.json_response(
            self.reservation_json(origin(request), reservation, via_worker=via_worker)
        )

    async def update_reservation(self, request: web.Request) -> web.Response:
        reservation, via_worker = self._reservation(request)
        workspace = self.workspaces[reservation.workspace_sid]
        form = await request.post()
        status = form.get("ReservationStatus")
        now = self.clock()
        if status is not None:
            if status not in _RESERVATION_STATES:
                bad_param(f"Invalid parameter ReservationStatus: {status!r}", 20001)
            allowed = {
                "pending": {"accepted", "rejected", "timeout", "canceled", "rescinded"},
                "accepted": {"wrapping", "completed"},
                "wrapping": {"completed"},
            }
            if status not in allowed.get(reservation.status, set()):
                bad_param(f"Reservation is {reservation.status}; it cannot become {status}", 20001)
            reservation.status = str(status)
            reservation.updated = now
            task = self.tasks[reservation.task_sid]
            if status == "accepted":
                task.assignment_status = "assigned"
            elif status in ("rejected", "timeout"):
                task.assignment_status = "pending"
            elif status in ("wrapping", "completed"):
                task.assignment_status = str(status)
            task.updated = now
        if form.get("WorkerActivitySid"):
            worker = self.workers[reservation.worker_sid]
            activity = self._activity_for(workspace, str(form["WorkerActivitySid"]))
            if activity.sid != worker.activity_sid:
                worker.activity_sid = activity.sid
                worker.status_changed = now
                worker.updated = now
        self._route(workspace)
        return web.json_response(
            self.reservation_json(origin(request), reservation, via_worker=via_worker)
        )


# --------------------------------------------------------------------- capability tokens


def _path_matches(pattern: str, path: str) -> bool:
    policy_path = urlsplit(pattern).path.rstrip("/")
    target = path.rstrip("/")
    if policy_path.endswith("/**"):
        prefix = policy_path[:-3]
        return target == prefix or target.startswith(prefix + "/")
    return target == policy_path


def _filter_ok(constraints: Any, values: Mapping[str, Any]) -> bool:
    if not constraints:
        return True
    if not isinstance(constraints, Mapping):
        return False
    for name, rule in constraints.items():
        required = isinstance(rule, Mapping) and bool(rule.get("required"))
        if required and name not in values:
            return False
    return True


def policy_allows(
    policies: Any, method: str, path: str, query: Mapping[str, Any], form: Mapping[str, Any]
) -> bool:
    """Whether a capability token's policies allow a request.

    A policy applies when its URL's path matches (``/**`` covers everything below) and its
    method is the request's; its ``query_filter`` (GET) or ``post_filter`` (POST) must then
    be met: every parameter marked ``required`` present. A matching ``allow: false`` policy
    denies; otherwise one matching ``allow: true`` policy is enough.
    """
    if not isinstance(policies, list):
        return False
    allowed = False
    for policy in policies:
        if not isinstance(policy, Mapping):
            continue
        if str(policy.get("method", "")).upper() != method:
            continue
        if not _path_matches(str(policy.get("url", "")), path):
            continue
        if not _filter_ok(policy.get("query_filter"), query):
            continue
        if method == "POST" and not _filter_ok(policy.get("post_filter"), form):
            continue
        if policy.get("allow") is False:
            return False
        if policy.get("allow") is True:
            allowed = True
    return allowed
