"""TaskRouter v1 in the emulator: the routes (workspaces, activities, workers, tasks, reservations).

Each handler reads its request, calls one rule of :class:`TaskRouterState`
(``_taskrouter_state.py``) and renders the result (``_taskrouter_json.py``). Requests may be
authorised by a capability token instead of the account's credentials; the emulator then
enforces the token's policies (``_capability.py``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from . import _taskrouter_json as render
from ._capability import policy_allows
from ._core import Clock, bad_param, form_bool, form_int, not_found, origin, twilio_page
from ._taskrouter_json import BASE
from ._taskrouter_state import (
    Activity,
    Reservation,
    Task,
    TaskRouterState,
    Worker,
    Workspace,
)

__all__ = ["Activity", "Reservation", "Task", "TaskRouter", "Worker", "Workspace", "policy_allows"]


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


def _name(form: Any) -> str:
    name = str(form.get("FriendlyName") or "")
    if not name:
        bad_param("Missing required parameter FriendlyName in the post body", 20001)
    return name


class TaskRouter:
    """The emulated TaskRouter v1 API: routes over one account's :class:`TaskRouterState`."""

    def __init__(self, account_sid: str, clock: Clock) -> None:
        self.state = TaskRouterState(account_sid, clock)

    def add_routes(self, router: web.UrlDispatcher) -> None:
        """Register the TaskRouter paths the emulator serves, as the spec writes them."""
        ws = BASE + "/{WorkspaceSid}"
        router.add_post(BASE, self.create_workspace)
        router.add_get(BASE, self.list_workspaces)
        router.add_get(BASE + "/{Sid}", self.fetch_workspace)
        router.add_post(BASE + "/{Sid}", self.update_workspace)
        router.add_delete(BASE + "/{Sid}", self.delete_workspace)
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
        found = self.state.workspaces.get(request.match_info[key])
        if found is None:
            not_found(request)
        return found

    def _child(self, request: web.Request, table: Mapping[str, Any], key: str = "Sid") -> Any:
        workspace = self._workspace(request)
        found = table.get(request.match_info[key])
        if found is None or found.workspace_sid != workspace.sid:
            not_found(request)
        return found

    def _reservation(self, request: web.Request) -> tuple[Reservation, bool]:
        self._workspace(request)
        reservation = self.state.reservations.get(request.match_info["Sid"])
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

    # ----------------------------------------------------------------- workspaces

    async def create_workspace(self, request: web.Request) -> web.Response:
        form = await request.post()
        workspace = self.state.create_workspace(
            _name(form),
            order=str(form.get("PrioritizeQueueOrder") or "FIFO"),
            event_callback_url=str(form.get("EventCallbackUrl") or "") or None,
            multi_task_enabled=bool(form_bool(form, "MultiTaskEnabled")),
        )
        body = render.workspace_json(self.state, origin(request), workspace)
        return web.json_response(body, status=201)

    async def fetch_workspace(self, request: web.Request) -> web.Response:
        workspace = self._workspace(request, "Sid")
        return web.json_response(render.workspace_json(self.state, origin(request), workspace))

    async def list_workspaces(self, request: web.Request) -> web.Response:
        o = origin(request)
        name = request.query.get("FriendlyName")
        rows = [
            w for w in self.state.workspaces.values() if name is None or w.friendly_name == name
        ]
        return twilio_page(
            request, rows, "workspaces", lambda w: render.workspace_json(self.state, o, w)
        )

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
                setattr(workspace, attr, self.state.activity_for(workspace, str(form[wire])).sid)
        workspace.updated = self.state.clock()
        return web.json_response(render.workspace_json(self.state, origin(request), workspace))

    async def delete_workspace(self, request: web.Request) -> web.Response:
        self.state.delete_workspace(self._workspace(request, "Sid"))
        return web.Response(status=204)

    # ----------------------------------------------------------------- activities

    async def create_activity(self, request: web.Request) -> web.Response:
        workspace = self._workspace(request)
        form = await request.post()
        activity = self.state.create_activity(
            workspace, _name(form), available=bool(form_bool(form, "Available"))
        )
        body = render.activity_json(self.state, origin(request), activity)
        return web.json_response(body, status=201)

    async def fetch_activity(self, request: web.Request) -> web.Response:
        activity = self._child(request, self.state.activities)
        return web.json_response(render.activity_json(self.state, origin(request), activity))

    async def update_activity(self, request: web.Request) -> web.Response:
        activity: Activity = self._child(request, self.state.activities)
        form = await request.post()
        if form.get("FriendlyName"):
            activity.friendly_name = str(form["FriendlyName"])
            activity.updated = self.state.clock()
        return web.json_response(render.activity_json(self.state, origin(request), activity))

    async def delete_activity(self, request: web.Request) -> web.Response:
        self.state.delete_activity(self._child(request, self.state.activities))
        return web.Response(status=204)

    async def list_activities(self, request: web.Request) -> web.Response:
        workspace = self._workspace(request)
        name = request.query.get("FriendlyName")
        available = form_bool(request.query, "Available")
        rows = [
            a
            for a in self.state.activities.values()
            if a.workspace_sid == workspace.sid
            and (name is None or a.friendly_name == name)
            and (available is None or a.available == available)
        ]
        o = origin(request)
        return twilio_page(
            request, rows, "activities", lambda a: render.activity_json(self.state, o, a)
        )

    # ----------------------------------------------------------------- workers

    async def create_worker(self, request: web.Request) -> web.Response:
        workspace = self._workspace(request)
        form = await request.post()
        worker = self.state.create_worker(
            workspace,
            _name(form),
            activity_sid=str(form.get("ActivitySid") or "") or None,
            attributes=_attributes(form) or "{}",
        )
        body = render.worker_json(self.state, origin(request), worker)
        return web.json_response(body, status=201)

    async def fetch_worker(self, request: web.Request) -> web.Response:
        worker = self._child(request, self.state.workers)
        return web.json_response(render.worker_json(self.state, origin(request), worker))

    async def list_workers(self, request: web.Request) -> web.Response:
        workspace = self._workspace(request)
        q = request.query
        available = form_bool(q, "Available")
        activities = self.state.activities
        rows = [
            w
            for w in self.state.workers.values()
            if w.workspace_sid == workspace.sid
            and q.get("ActivitySid") in (None, w.activity_sid)
            and q.get("FriendlyName") in (None, w.friendly_name)
            and q.get("ActivityName") in (None, activities[w.activity_sid].friendly_name)
            and (available is None or activities[w.activity_sid].available == available)
        ]
        o = origin(request)
        return twilio_page(request, rows, "workers", lambda w: render.worker_json(self.state, o, w))

    async def update_worker(self, request: web.Request) -> web.Response:
        worker: Worker = self._child(request, self.state.workers)
        form = await request.post()
        now = self.state.clock()
        if form.get("FriendlyName"):
            worker.friendly_name = str(form["FriendlyName"])
        attributes = _attributes(form)
        if attributes is not None:
            worker.attributes = attributes
        if form.get("ActivitySid"):
            self.state.move_worker(worker, str(form["ActivitySid"]), now)
        worker.updated = now
        self.state.route(self.state.workspaces[worker.workspace_sid])
        return web.json_response(render.worker_json(self.state, origin(request), worker))

    async def delete_worker(self, request: web.Request) -> web.Response:
        self.state.delete_worker(self._child(request, self.state.workers))
        return web.Response(status=204)

    # ----------------------------------------------------------------- tasks

    async def create_task(self, request: web.Request) -> web.Response:
        workspace = self._workspace(request)
        form = await request.post()
        task = self.state.create_task(
            workspace,
            attributes=_attributes(form) or "{}",
            priority=form_int(form, "Priority", low=0, high=2**31 - 1, code=20001) or 0,
            timeout=form_int(form, "Timeout", low=1, high=31536000, code=20001) or 86400,
            workflow_sid=str(form.get("WorkflowSid") or "") or None,
            task_channel=str(form.get("TaskChannel") or "default"),
        )
        return web.json_response(render.task_json(self.state, origin(request), task), status=201)

    async def fetch_task(self, request: web.Request) -> web.Response:
        task = self._child(request, self.state.tasks)
        return web.json_response(render.task_json(self.state, origin(request), task))

    async def list_tasks(self, request: web.Request) -> web.Response:
        workspace = self._workspace(request)
        statuses = request.query.getall("AssignmentStatus", [])
        rows = [
            t
            for t in self.state.tasks.values()
            if t.workspace_sid == workspace.sid
            and (not statuses or t.assignment_status in statuses)
        ]
        o = origin(request)
        return twilio_page(request, rows, "tasks", lambda t: render.task_json(self.state, o, t))

    async def update_task(self, request: web.Request) -> web.Response:
        task: Task = self._child(request, self.state.tasks)
        form = await request.post()
        status = form.get("AssignmentStatus")
        if status is not None:
            self.state.set_task_status(task, str(status))
        if form.get("Reason"):
            task.reason = str(form["Reason"])
        attributes = _attributes(form)
        if attributes is not None:
            task.attributes = attributes
        priority = form_int(form, "Priority", low=0, code=20001)
        if priority is not None:
            task.priority = priority
        task.updated = self.state.clock()
        return web.json_response(render.task_json(self.state, origin(request), task))

    async def delete_task(self, request: web.Request) -> web.Response:
        self.state.delete_task(self._child(request, self.state.tasks))
        return web.Response(status=204)

    # ----------------------------------------------------------------- reservations

    async def list_reservations(self, request: web.Request) -> web.Response:
        workspace = self._workspace(request)
        info = request.match_info
        status = request.query.get("ReservationStatus")
        rows = [
            r
            for r in self.state.reservations.values()
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
            lambda r: render.reservation_json(self.state, o, r, via_worker=via_worker),
        )

    async def fetch_reservation(self, request: web.Request) -> web.Response:
        reservation, via_worker = self._reservation(request)
        return web.json_response(
            render.reservation_json(self.state, origin(request), reservation, via_worker=via_worker)
        )

    async def update_reservation(self, request: web.Request) -> web.Response:
        reservation, via_worker = self._reservation(request)
        workspace = self.state.workspaces[reservation.workspace_sid]
        form = await request.post()
        status = form.get("ReservationStatus")
        now = self.state.clock()
        if status is not None:
            self.state.set_reservation_status(reservation, str(status), now)
        if form.get("WorkerActivitySid"):
            worker = self.state.workers[reservation.worker_sid]
            self.state.move_worker(worker, str(form["WorkerActivitySid"]), now)
        self.state.route(workspace)
        return web.json_response(
            render.reservation_json(self.state, origin(request), reservation, via_worker=via_worker)
        )
