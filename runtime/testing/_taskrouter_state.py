"""TaskRouter's state and rules in the emulator: the records, routing and status changes.

Nothing here knows HTTP: the routes in ``_taskrouter.py`` parse a request, call one rule and
render what it returns. A rule that refuses raises the Twilio error the API answers with
(``bad_param``: 400 / 20001, ``twilio_error``: 409 / 20409).

Routing is deliberately simple: a pending task is reserved for the first available worker
that has not rejected it, when the task is created or a worker becomes available.
"""

from __future__ import annotations

import attrs

from ._core import Clock, bad_param, new_sid, twilio_error

__all__ = [
    "RESERVATION_STATES",
    "TASK_STATES",
    "Activity",
    "Reservation",
    "Task",
    "TaskRouterState",
    "Worker",
    "Workspace",
]

RESERVATION_STATES = (
    "accepted",
    "rejected",
    "timeout",
    "canceled",
    "rescinded",
    "wrapping",
    "completed",
)
TASK_STATES = ("pending", "reserved", "assigned", "canceled", "completed", "wrapping")

# What a reservation may become from each status (any other change is refused).
_RESERVATION_MOVES = {
    "pending": {"accepted", "rejected", "timeout", "canceled", "rescinded"},
    "accepted": {"wrapping", "completed"},
    "wrapping": {"completed"},
}
_DEFAULT_ACTIVITIES = (("Offline", False), ("Available", True), ("Unavailable", False))


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


class TaskRouterState:
    """Every TaskRouter record of one account, and the rules that change them."""

    def __init__(self, account_sid: str, clock: Clock) -> None:
        self.account_sid = account_sid
        self.clock = clock
        self.workspaces: dict[str, Workspace] = {}
        self.activities: dict[str, Activity] = {}
        self.workers: dict[str, Worker] = {}
        self.tasks: dict[str, Task] = {}
        self.reservations: dict[str, Reservation] = {}

    # ----------------------------------------------------------------- workspaces

    def create_workspace(
        self,
        name: str,
        *,
        order: str,
        event_callback_url: str | None,
        multi_task_enabled: bool,
    ) -> Workspace:
        """A new workspace with the three activities Twilio creates (Offline is the default)."""
        if order not in ("FIFO", "LIFO"):
            bad_param("Invalid parameter PrioritizeQueueOrder: FIFO or LIFO", 20001)
        now = self.clock()
        sid = new_sid("WS")
        made = [
            Activity(new_sid("WA"), sid, label, available, now, now)
            for label, available in _DEFAULT_ACTIVITIES
        ]
        for activity in made:
            self.activities[activity.sid] = activity
        workspace = Workspace(
            sid=sid,
            friendly_name=name,
            default_activity_sid=made[0].sid,
            timeout_activity_sid=made[0].sid,
            event_callback_url=event_callback_url,
            multi_task_enabled=multi_task_enabled,
            prioritize_queue_order=order,
            created=now,
            updated=now,
        )
        self.workspaces[sid] = workspace
        return workspace

    def activity_for(self, workspace: Workspace, sid: str) -> Activity:
        """The workspace's activity ``sid``; a 400 if it belongs elsewhere or does not exist."""
        activity = self.activities.get(sid)
        if activity is None or activity.workspace_sid != workspace.sid:
            bad_param(f"Invalid parameter ActivitySid: {sid} is not in this workspace", 20001)
        return activity

    def delete_workspace(self, workspace: Workspace) -> None:
        """Remove a workspace and everything in it."""
        del self.workspaces[workspace.sid]
        for table in (self.activities, self.workers, self.tasks, self.reservations):
            for sid in [s for s, row in table.items() if row.workspace_sid == workspace.sid]:
                del table[sid]

    # ----------------------------------------------------------------- activities

    def create_activity(self, workspace: Workspace, name: str, *, available: bool) -> Activity:
        """A new activity; names are unique within a workspace (409 otherwise)."""
        if any(
            a.friendly_name == name and a.workspace_sid == workspace.sid
            for a in self.activities.values()
        ):
            twilio_error(409, 20409, f"An activity named {name!r} already exists")
        now = self.clock()
        activity = Activity(new_sid("WA"), workspace.sid, name, available, now, now)
        self.activities[activity.sid] = activity
        return activity

    def delete_activity(self, activity: Activity) -> None:
        """Remove an activity no worker is in that is not a default of its workspace."""
        workspace = self.workspaces[activity.workspace_sid]
        if activity.sid in (workspace.default_activity_sid, workspace.timeout_activity_sid):
            bad_param("The workspace's default or timeout activity cannot be deleted", 20001)
        if any(w.activity_sid == activity.sid for w in self.workers.values()):
            bad_param("Workers are in this activity; move them first", 20001)
        del self.activities[activity.sid]

    # ----------------------------------------------------------------- workers

    def create_worker(
        self, workspace: Workspace, name: str, *, activity_sid: str | None, attributes: str
    ) -> Worker:
        """A new worker (unique name, 409 otherwise) in its activity; routing runs after."""
        if any(
            w.friendly_name == name and w.workspace_sid == workspace.sid
            for w in self.workers.values()
        ):
            twilio_error(409, 20409, f"A worker named {name!r} already exists")
        activity = self.activity_for(workspace, activity_sid or workspace.default_activity_sid)
        now = self.clock()
        worker = Worker(new_sid("WK"), workspace.sid, name, activity.sid, attributes, now, now, now)
        self.workers[worker.sid] = worker
        self.route(workspace)
        return worker

    def move_worker(self, worker: Worker, activity_sid: str, now: float) -> None:
        """Put a worker in another activity of its workspace; a real move stamps the change."""
        activity = self.activity_for(self.workspaces[worker.workspace_sid], activity_sid)
        if activity.sid != worker.activity_sid:
            worker.activity_sid = activity.sid
            worker.status_changed = now
            worker.updated = now

    def delete_worker(self, worker: Worker) -> None:
        """Remove a worker that holds no pending or accepted reservation."""
        if any(
            r.worker_sid == worker.sid and r.status in ("pending", "accepted")
            for r in self.reservations.values()
        ):
            bad_param("The worker has pending or accepted reservations", 20001)
        del self.workers[worker.sid]

    # ----------------------------------------------------------------- tasks

    def create_task(
        self,
        workspace: Workspace,
        *,
        attributes: str,
        priority: int,
        timeout: int,
        workflow_sid: str | None,
        task_channel: str,
    ) -> Task:
        """A new pending task; routing runs after, so it may come back reserved."""
        now = self.clock()
        task = Task(
            sid=new_sid("WT"),
            workspace_sid=workspace.sid,
            attributes=attributes,
            assignment_status="pending",
            priority=priority,
            timeout=timeout,
            reason=None,
            workflow_sid=workflow_sid,
            task_channel=task_channel,
            created=now,
            updated=now,
        )
        self.tasks[task.sid] = task
        self.route(workspace)
        return task

    def set_task_status(self, task: Task, status: str) -> None:
        """Change a task's assignment status and what that does to its reservations."""
        if status not in TASK_STATES:
            bad_param(f"Invalid parameter AssignmentStatus: {status!r}", 20001)
        if status in ("canceled", "completed", "wrapping"):
            for r in self.task_reservations(task.sid):
                if r.status == "pending":
                    r.status = "canceled" if status == "canceled" else "rescinded"
                elif r.status == "accepted" and status != "canceled":
                    r.status = status
        task.assignment_status = status

    def delete_task(self, task: Task) -> None:
        """Remove a task and its reservations."""
        del self.tasks[task.sid]
        for r in self.task_reservations(task.sid):
            del self.reservations[r.sid]

    # ----------------------------------------------------------------- reservations

    def task_reservations(self, task_sid: str) -> list[Reservation]:
        """Every reservation made for one task."""
        return [r for r in self.reservations.values() if r.task_sid == task_sid]

    def set_reservation_status(self, reservation: Reservation, status: str, now: float) -> None:
        """Move a reservation along its allowed changes, and its task with it."""
        if status not in RESERVATION_STATES:
            bad_param(f"Invalid parameter ReservationStatus: {status!r}", 20001)
        if status not in _RESERVATION_MOVES.get(reservation.status, set()):
            bad_param(f"Reservation is {reservation.status}; it cannot become {status}", 20001)
        reservation.status = status
        reservation.updated = now
        task = self.tasks[reservation.task_sid]
        if status == "accepted":
            task.assignment_status = "assigned"
        elif status in ("rejected", "timeout"):
            task.assignment_status = "pending"
        elif status in ("wrapping", "completed"):
            task.assignment_status = status
        task.updated = now

    def route(self, workspace: Workspace) -> None:
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
            refused = {r.worker_sid for r in self.task_reservations(task.sid)}
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
