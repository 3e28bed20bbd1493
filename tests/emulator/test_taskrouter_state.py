"""TaskRouter's rules in the emulator, driven directly on the state with no HTTP."""

from __future__ import annotations

import pytest

from trunkline.testing._core import TwilioProblem
from trunkline.testing._taskrouter_state import Task, TaskRouterState, Worker, Workspace

ACCOUNT = "AC" + "0" * 32


class _Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        self.now += 1
        return self.now


def _state() -> tuple[TaskRouterState, Workspace]:
    state = TaskRouterState(ACCOUNT, _Clock())
    workspace = state.create_workspace(
        "Support", order="FIFO", event_callback_url=None, multi_task_enabled=False
    )
    return state, workspace


def _available(state: TaskRouterState, workspace: Workspace) -> str:
    [sid] = [
        a.sid
        for a in state.activities.values()
        if a.workspace_sid == workspace.sid and a.friendly_name == "Available"
    ]
    return sid


def _task(state: TaskRouterState, workspace: Workspace, priority: int = 0) -> Task:
    return state.create_task(
        workspace,
        attributes="{}",
        priority=priority,
        timeout=60,
        workflow_sid=None,
        task_channel="default",
    )


def _worker(state: TaskRouterState, workspace: Workspace, name: str) -> Worker:
    return state.create_worker(
        workspace, name, activity_sid=_available(state, workspace), attributes="{}"
    )


def test_a_workspace_gets_three_activities_and_offline_is_the_default() -> None:
    """A new workspace has Offline, Available and Unavailable; Offline is its default."""
    state, workspace = _state()
    names = {a.friendly_name: a.available for a in state.activities.values()}
    assert names == {"Offline": False, "Available": True, "Unavailable": False}
    assert state.activities[workspace.default_activity_sid].friendly_name == "Offline"


def test_a_refused_queue_order_leaves_nothing_behind() -> None:
    """An invalid PrioritizeQueueOrder is a 400 and creates neither workspace nor activities."""
    state = TaskRouterState(ACCOUNT, _Clock())
    with pytest.raises(TwilioProblem) as caught:
        state.create_workspace(
            "X", order="RANDOM", event_callback_url=None, multi_task_enabled=False
        )
    assert caught.value.status == 400
    assert state.workspaces == {}
    assert state.activities == {}


def test_tasks_are_reserved_by_priority_then_age_for_an_idle_available_worker() -> None:
    """The highest-priority pending task is reserved first; a busy worker gets no second one."""
    state, workspace = _state()
    low = _task(state, workspace, 1)
    high = _task(state, workspace, 9)
    worker = _worker(state, workspace, "Ana")
    assert high.assignment_status == "reserved"
    assert low.assignment_status == "pending"
    [reservation] = state.reservations.values()
    assert (reservation.task_sid, reservation.worker_sid) == (high.sid, worker.sid)


def test_a_rejected_task_goes_to_the_next_worker_never_back() -> None:
    """Rejecting puts the task back to pending; routing skips the worker who refused it."""
    state, workspace = _state()
    ana = _worker(state, workspace, "Ana")
    task = _task(state, workspace)
    [first] = state.reservations.values()
    assert first.worker_sid == ana.sid
    state.set_reservation_status(first, "rejected", state.clock())
    state.route(workspace)
    assert task.assignment_status == "pending"
    bo = _worker(state, workspace, "Bo")
    assert task.assignment_status == "reserved"
    assert {r.worker_sid for r in state.reservations.values()} == {ana.sid, bo.sid}


def test_reservation_moves_follow_the_allowed_changes() -> None:
    """Accepted → completed is allowed and completes the task; completed → accepted is refused."""
    state, workspace = _state()
    _worker(state, workspace, "Ana")
    task = _task(state, workspace)
    [reservation] = state.reservations.values()
    state.set_reservation_status(reservation, "accepted", state.clock())
    assert task.assignment_status == "assigned"
    state.set_reservation_status(reservation, "completed", state.clock())
    assert task.assignment_status == "completed"
    with pytest.raises(TwilioProblem) as caught:
        state.set_reservation_status(reservation, "accepted", state.clock())
    assert caught.value.status == 400
    assert "cannot become accepted" in str(caught.value.text)


def test_deleting_a_workspace_removes_everything_in_it() -> None:
    """A deleted workspace takes its activities, workers, tasks and reservations with it."""
    state, workspace = _state()
    _worker(state, workspace, "Ana")
    _task(state, workspace)
    state.delete_workspace(workspace)
    tables = (state.workspaces, state.activities, state.workers, state.tasks, state.reservations)
    assert all(table == {} for table in tables)
