"""``make bench``: trunkline against raw aiohttp and the official ``twilio`` package.

Every figure is a ratio against references run in the same invocation, so the result
holds on a noisy shared machine. A loopback server answering like Twilio Verify v2 runs
in a process of its own; each client run is a fresh process; each figure is the median
of several runs with the clients interleaved (the order rotates every round).

``--quick`` (``make bench-quick``) uses small counts and one round: a smoke test that the
suite runs, with no targets enforced. The full run prints the table, writes
``bench/RESULTS.md`` and ``bench/ratios.png``, and refreshes the README's table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import _clients  # noqa: E402
import _payloads as p  # noqa: E402

__all__ = ["main"]

PY = sys.executable
README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"
CLIENT_ENV = {**os.environ, "PYTHONWARNINGS": "ignore"}
# An installed package has its .pyc files (pip writes them); without them every fresh
# process would compile trunkline's modules from source, and only trunkline's, since
# aiohttp and twilio were installed with theirs.
CLIENT_ENV.pop("PYTHONDONTWRITEBYTECODE", None)


@attrs.frozen
class Plan:
    """How much work one invocation does."""

    rounds: int
    fetches: int
    streamed: int
    creates: int
    rss_streamed: int
    import_rounds: int
    tokens: int
    token_rounds: int
    generate_specs: Sequence[str] | None
    fresh_fetches: int = 2_000
    limiter_calls: int = 25_600


FULL = Plan(
    rounds=5,
    fetches=5_000,
    streamed=20_000,
    creates=2_000,
    rss_streamed=1_000_000,
    import_rounds=5,
    tokens=5_000,
    token_rounds=5,
    generate_specs=None,
)
QUICK = Plan(
    rounds=1,
    fetches=500,
    streamed=5_000,
    creates=300,
    rss_streamed=50_000,
    import_rounds=1,
    tokens=500,
    token_rounds=1,
    generate_specs=("twilio_verify_v2",),
    fresh_fetches=300,
    limiter_calls=1_600,
)


@attrs.frozen
class Row:
    """One line of the results table; ``None`` is a figure that could not be measured."""

    figure: str
    unit: str
    trunkline: float | None
    raw: float | None
    twilio: float | None
    target: str = ""
    passed: bool | None = None
    goals: tuple[float | None, float | None] = (None, None)

    @classmethod
    def of(
        cls,
        figure: str,
        unit: str,
        cols: Mapping[str, float | None],
        target: str = "",
        passed: bool | None = None,
        *,
        goals: tuple[float | None, float | None] = (None, None),
    ) -> Row:
        """A row from a figure per client name."""
        return cls(
            figure,
            unit,
            cols.get("trunkline"),
            cols.get("raw"),
            cols.get("twilio"),
            target,
            passed,
            goals,
        )

    def vs(self, other: float | None) -> float | None:
        """trunkline's figure divided by another column's, when both exist."""
        if self.trunkline is None or not other:
            return None
        return self.trunkline / other


class Server:
    """The loopback Verify v2 server in a child process, alive while the context is."""

    def __enter__(self) -> str:
        self._proc = subprocess.Popen(
            [PY, str(BENCH / "_server.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=BENCH,
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line.startswith("PORT "):
            self._proc.kill()
            raise RuntimeError(f"benchmark server did not start: {line!r}")
        return f"http://127.0.0.1:{int(line.split()[1])}"

    def __exit__(self, *exc: object) -> None:
        assert self._proc.stdin is not None
        self._proc.stdin.close()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _run_json(argv: Sequence[str], *, timeout: float = 240) -> dict[str, Any]:
    done = subprocess.run(
        argv, capture_output=True, text=True, cwd=BENCH, env=CLIENT_ENV, timeout=timeout
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[1:3])} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _trunkline_ready() -> str | None:
    """Why trunkline cannot be benchmarked yet, or None when it can."""
    probe = (
        "import trunkline; trunkline.Twilio('AC' + '0' * 32, 'x', base_url='http://127.0.0.1:1')"
    )
    done = subprocess.run([PY, "-c", probe], capture_output=True, text=True, env=CLIENT_ENV)
    if done.returncode == 0:
        return None
    return (done.stderr.strip().splitlines() or ["unknown error"])[-1]


def run_clients(
    plan: Plan, clients: Sequence[str], base: str
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Every client on every scenario, ``plan.rounds`` times, interleaved."""
    counts = {"fetch": plan.fetches, "stream": plan.streamed, "create": plan.creates}
    counts["fresh"] = plan.fresh_fetches
    runs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for round_no in range(plan.rounds):
        shift = round_no % len(clients)
        order = [*clients[shift:], *clients[:shift]]
        for scenario, n in counts.items():
            for client in order:
                _say(f"  round {round_no + 1}/{plan.rounds}: {client} {scenario} x{n}")
                result = _run_json([PY, str(BENCH / "_clients.py"), client, scenario, str(n), base])
                runs.setdefault((client, scenario), []).append(result)
    return runs


def run_rss(plan: Plan, clients: Sequence[str], base: str) -> dict[str, dict[str, Any]]:
    """One long stream per client, for peak RSS (twilio is left out: it takes minutes)."""
    found = {}
    for client in clients:
        if client == "twilio":
            continue
        _say(f"  {client} stream_rss x{plan.rss_streamed}")
        argv = [PY, str(BENCH / "_clients.py"), client, "stream_rss", str(plan.rss_streamed), base]
        found[client] = _run_json(argv, timeout=600)
    return found


_IMPORT_CODE = {
    "trunkline": (
        "import trunkline\ntw = trunkline.Twilio({account!r}, {token!r})\n"
        "tw.verify.v2.services.entities.challenges\n"
    ),
    "twilio": (
        "from twilio.rest import Client\n"
        "c = Client({account!r}, {token!r})\n"
        "c.verify.v2.services({service!r}).entities({identity!r}).challenges\n"
    ),
    "raw": "import aiohttp\n",
}
_FIRST_FETCH_CODE = (
    "import asyncio, sys\n"
    "sys.path.insert(0, {bench!r})\n"
    "import _clients\n"
    "asyncio.run(_clients.first_fetch({client!r}, {base!r}))\n"
)
_REPORT = (
    "import json, resource, sys\n"
    "print(json.dumps({{'modules': len(sys.modules), "
    "'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))\n"
)


def _import_code(client: str) -> str:
    code = _IMPORT_CODE[client] + _REPORT
    return code.format(
        account=p.ACCOUNT_SID, token=p.AUTH_TOKEN, service=p.SERVICE_SID, identity=p.IDENTITY
    )


def _first_fetch_code(client: str, base: str) -> str:
    return (_FIRST_FETCH_CODE + _REPORT).format(bench=str(BENCH), client=client, base=base)


def _importtime_ms(code: str) -> float:
    done = subprocess.run(
        [PY, "-X", "importtime", "-c", code], capture_output=True, text=True, env=CLIENT_ENV
    )
    total = 0
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|", line)
        if match:
            total += int(match.group(1))
    return total / 1000


def run_imports(plan: Plan, clients: Sequence[str], base: str) -> dict[str, dict[str, float]]:
    """Whole-process wall, import time, module count and RSS of import + client + first touch.

    The raw column is ``import aiohttp`` alone: the floor any aiohttp client pays. A
    second process per client goes on to make one real request (``first_fetch_ms``).
    """
    samples: dict[str, list[dict[str, float]]] = {c: [] for c in clients}
    for round_no in range(plan.import_rounds):
        shift = round_no % len(clients)
        for client in [*clients[shift:], *clients[:shift]]:
            code = _import_code(client)
            start = time.perf_counter()
            result = _run_json([PY, "-c", code])
            wall = time.perf_counter() - start
            start = time.perf_counter()
            _run_json([PY, "-c", _first_fetch_code(client, base)])
            first = time.perf_counter() - start
            samples[client].append(
                {
                    "wall_ms": wall * 1000,
                    "first_fetch_ms": first * 1000,
                    "importtime_ms": _importtime_ms(code),
                    **result,
                }
            )
    return {
        client: {key: statistics.median(s[key] for s in found) for key in found[0]}
        for client, found in samples.items()
    }


_TOUCH_MESSAGES_CODE = {
    "trunkline": (
        "import trunkline\ntw = trunkline.Twilio({account!r}, {token!r})\ntw.api.v2010.messages\n"
    ),
    "twilio": (
        "from twilio.rest import Client\n"
        "c = Client({account!r}, {token!r})\n"
        "c.api.v2010.account.messages\n"
    ),
    "raw": "import aiohttp\n",
}


def run_touch_messages(plan: Plan, clients: Sequence[str]) -> dict[str, dict[str, float]]:
    """Import + client + first touch of the 2010 API's messages, as :func:`run_imports` does.

    The 2010 API is the largest Twilio spec (71 services): the figure shows what one service
    of it costs to reach, whatever the size of the rest.
    """
    samples: dict[str, list[dict[str, float]]] = {c: [] for c in clients}
    for round_no in range(plan.import_rounds):
        shift = round_no % len(clients)
        for client in [*clients[shift:], *clients[:shift]]:
            code = (_TOUCH_MESSAGES_CODE[client] + _REPORT).format(
                account=p.ACCOUNT_SID, token=p.AUTH_TOKEN
            )
            start = time.perf_counter()
            result = _run_json([PY, "-c", code])
            wall = time.perf_counter() - start
            samples[client].append({"wall_ms": wall * 1000, **result})
    return {
        client: {key: statistics.median(s[key] for s in found) for key in found[0]}
        for client, found in samples.items()
    }


def fresh_row(plan: Plan, cpu_ms: Mapping[str, float | None]) -> Row:
    """The first fetches of a fresh process, imports and first use included, against raw."""
    ours, raw = cpu_ms.get("trunkline"), cpu_ms.get("raw")
    return Row.of(
        f"fresh process: first {plan.fresh_fetches:,} fetches",
        "ms CPU (from import)",
        cpu_ms,
        "≤ 1.15× raw",
        None if ours is None or not raw else ours <= 1.15 * raw,
        goals=(1.15, None),
    )


def touch_rows(touch: Mapping[str, Mapping[str, float]]) -> list[Row]:
    """The rows of :func:`run_touch_messages`; none when it did not run."""
    if not touch:
        return []

    def col(key: str) -> dict[str, float | None]:
        return {client: found.get(key) for client, found in touch.items()}

    figure = "import + client + touch api.v2010.messages"
    return [
        Row.of(figure, "ms wall (process)", col("wall_ms")),
        Row.of(figure, "modules loaded", col("modules")),
        Row.of(figure, "MB peak RSS", col("rss_mb")),
    ]


def run_tokens(plan: Plan) -> dict[str, float]:
    """Tokens signed per second, median over interleaved rounds."""
    argv = [PY, str(BENCH / "_tokens.py"), str(plan.tokens), str(plan.token_rounds)]
    return {k: float(v) for k, v in _run_json(argv).items()}


def run_limiter(plan: Plan) -> dict[str, float] | str:
    """The limiter's toll per call (``_limiter.py``), or why it could not be measured."""
    argv = [PY, str(BENCH / "_limiter.py"), str(plan.limiter_calls), str(plan.rounds)]
    try:
        return {k: float(v) for k, v in _run_json(argv).items()}
    except RuntimeError as exc:
        return f"limiter: {str(exc).strip().splitlines()[-1]}"


def limiter_rows(found: dict[str, float]) -> list[Row]:
    """Rows for the limiter's added CPU and Redis round trips per call."""
    figures = (
        ("in-process", "µs CPU/call added", "local{}_us"),
        ("Redis", "µs CPU/call added", "redis{}_us"),
        ("Redis", "Redis round trips/call", "redis{}_round_trips"),
        ("Redis", "µs redis-server CPU/call", "redis{}_server_us"),
    )
    return [
        Row.of(f"limiter, {backend} ({how})", unit, {"trunkline": found.get(key.format(n))})
        for n, how in ((64, "64 at a time"), (1, "one at a time"))
        for backend, unit, key in figures
    ]


def run_emulator(plan: Plan) -> dict[str, float]:
    """The emulator's start time (every spec) and fetch rate, median over rounds."""
    argv = [PY, str(BENCH / "_emulator.py"), str(plan.fetches), str(plan.import_rounds)]
    return {k: float(v) for k, v in _run_json(argv).items()}


def _generate_argv(output: Path, specs: Sequence[str] | None) -> list[str]:
    argv = [PY, "-m", "trunkline.codegen", "generate", "--out", str(output), "--no-relink"]
    for name in specs or ():
        found = sorted((ROOT / "specs" / ".upstream").glob(f"*/{name}.json"))
        if not found:
            raise FileNotFoundError(f"spec {name}.json is not unpacked; run `make specs`")
        argv += ["--spec", str(found[-1])]
    return argv


def run_generate(plan: Plan) -> dict[str, float] | str:
    """Cold generation into an empty temporary folder, then a warm rerun over it.

    Returns the median wall times in seconds over ``plan.import_rounds`` rounds, or why
    they could not be measured. The working tree's ``generated/`` is never touched.
    """
    times: dict[str, list[float]] = {"cold": [], "warm": []}
    for _ in range(plan.import_rounds):
        with tempfile.TemporaryDirectory(prefix="trunkline-bench-gen-") as tmp:
            try:
                argv = _generate_argv(Path(tmp) / "generated", plan.generate_specs)
            except FileNotFoundError as exc:
                return str(exc)
            for found in times.values():
                start = time.perf_counter()
                done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=300)
                found.append(time.perf_counter() - start)
                if done.returncode != 0:
                    last = (done.stderr.strip().splitlines() or ["no message"])[-1]
                    return f"`make generate` into a temporary folder failed: {last}"
    return {kind: statistics.median(found) for kind, found in times.items()}


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(r[key] for r in runs))


def build_rows(
    plan: Plan,
    runs: dict[tuple[str, str], list[dict[str, Any]]],
    rss: dict[str, dict[str, Any]],
    imports: dict[str, dict[str, float]],
    tokens: dict[str, float],
    generate: dict[str, float] | str,
    emulator: dict[str, float] | None = None,
    messages: dict[str, dict[str, float]] | None = None,
) -> list[Row]:
    """Turn the measurements into table rows with targets checked."""

    def per(scenario: str, what: str) -> dict[str, float | None]:
        cols: dict[str, float | None] = {}
        for client in _clients.CLIENTS:
            found = runs.get((client, scenario))
            if not found:
                cols[client] = None
            elif what == "cpu_us":
                cols[client] = statistics.median(r["cpu_s"] / r["n"] * 1e6 for r in found)
            elif what == "cpu_ms":
                cols[client] = statistics.median(r["cpu_s"] * 1e3 for r in found)
            elif what == "rate":
                cols[client] = statistics.median(r["n"] / r["wall_s"] for r in found)
            else:
                cols[client] = _median(found, "maxrss_mb")
        return cols

    def client_rows(
        figure: str, scenario: str, max_raw: float, max_twilio: float | None
    ) -> list[Row]:
        cpu = per(scenario, "cpu_us")
        ours, raw, twilio = cpu["trunkline"], cpu["raw"], cpu["twilio"]
        passed = None
        target = f"≤ {max_raw}× raw" + (f", ≤ {max_twilio}× twilio" if max_twilio else "")
        if ours is not None and raw and twilio:
            passed = ours <= max_raw * raw and (max_twilio is None or ours <= max_twilio * twilio)
        unit = "µs CPU/item" if scenario == "stream" else "µs CPU/op"
        rate_unit = "items/s" if scenario == "stream" else "ops/s"
        return [
            Row.of(figure, unit, cpu, target, passed, goals=(max_raw, max_twilio)),
            Row.of(figure, rate_unit, per(scenario, "rate")),
            Row.of(figure, "MB peak RSS", per(scenario, "rss")),
        ]

    rows = [
        *client_rows(f"fetch factor ×{plan.fetches:,}", "fetch", 1.05, 0.8),
        *client_rows(f"stream challenges ×{plan.streamed:,}", "stream", 1.0, 0.4),
        *client_rows(f"create challenge ×{plan.creates:,}", "create", 1.2, None),
    ]

    rows.append(fresh_row(plan, per("fresh", "cpu_ms")))

    long_rss = {client: found.get("maxrss_mb") for client, found in rss.items()}
    ours_rss = long_rss.get("trunkline")
    rows.append(
        Row.of(
            f"stream ×{plan.rss_streamed:,} items",
            "MB peak RSS",
            long_rss,
            "< 100 MB",
            None if ours_rss is None else ours_rss < 100,
        )
    )

    def imp(key: str) -> dict[str, float | None]:
        return {client: found.get(key) for client, found in imports.items()}

    touch = "import + client + touch Verify v2"
    wall = imp("wall_ms")
    ours_wall, twilio_wall = wall.get("trunkline"), wall.get("twilio")
    wall_passed = None
    if ours_wall is not None and twilio_wall:
        wall_passed = ours_wall <= 0.5 * twilio_wall
    rows += [
        Row.of(touch, "ms wall (process)", wall, "≤ 0.5× twilio", wall_passed, goals=(None, 0.5)),
        Row.of(touch, "ms -X importtime", imp("importtime_ms")),
        Row.of(touch, "modules loaded", imp("modules")),
        Row.of(touch, "MB peak RSS", imp("rss_mb")),
        Row.of("… then one fetch (short-lived script)", "ms wall (process)", imp("first_fetch_ms")),
        *touch_rows(messages or {}),
    ]

    ours_tok, raw_tok = tokens.get("trunkline"), tokens.get("raw")
    rows.append(
        Row.of(
            "AccessToken sign (raw = bare jwt.encode)",
            "tokens/s",
            dict(tokens),
            "≥ 0.8× raw",
            None if ours_tok is None or raw_tok is None else ours_tok >= 0.8 * raw_tok,
            goals=(0.8, None),
        )
    )

    emu_start, emu_rate = (emulator or {}).get("start_s"), (emulator or {}).get("fetches_per_s")
    rows += [
        Row.of(
            "emulator start, every spec (fresh process)",
            "s wall",
            {"trunkline": emu_start},
            "< 1 s",
            None if emu_start is None else emu_start < 1.0,
        ),
        Row.of(
            "emulator fetch of a message (own process)",
            "fetches/s",
            {"trunkline": emu_rate},
            "≥ 3,000/s",
            None if emu_rate is None else emu_rate >= 3000,
        ),
    ]

    scope = "every spec" if plan.generate_specs is None else ", ".join(plan.generate_specs)
    gen = generate if isinstance(generate, dict) else {}
    for kind, limit in (("cold", 30.0), ("warm", 3.0)):
        took = gen.get(kind)
        rows.append(
            Row.of(
                f"`make generate` {kind} ({scope})",
                "s wall",
                {"trunkline": took},
                f"< {limit:g} s",
                None if took is None else took < limit,
            )
        )
    return rows


def _fmt(value: float | None) -> str:
    if value is None:
        return "n/a"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _fmt_ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def _verdict(row: Row, enforce: bool) -> str:
    if not row.target:
        return ""
    if row.passed is None:
        return "n/a"
    if not enforce:
        return "(pass)" if row.passed else "(miss)"
    return "pass" if row.passed else "**miss**"


HEADER = (
    "| figure | unit | trunkline | raw aiohttp | twilio | trunkline ÷ raw | trunkline ÷ twilio "
    "| target | result |"
)


def table(rows: Sequence[Row], enforce: bool) -> str:
    """The results as a Markdown table."""
    lines = [HEADER, "|" + " --- |" * 9]
    for row in rows:
        cells = [
            row.figure,
            row.unit,
            _fmt(row.trunkline),
            _fmt(row.raw),
            _fmt(row.twilio),
            _fmt_ratio(row.vs(row.raw)),
            _fmt_ratio(row.vs(row.twilio)),
            row.target,
            _verdict(row, enforce),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def chart(rows: Sequence[Row], path: Path) -> bool:
    """Draw trunkline's ratios against raw aiohttp and twilio; False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    picked = [r for r in rows if r.unit.startswith("µs CPU") or r.unit.startswith("ms wall")]
    picked += [r for r in rows if r.unit == "tokens/s"]
    labels = [f"{r.figure}\n{r.unit}" for r in picked]
    vs_raw = [r.vs(r.raw) or 0.0 for r in picked]
    vs_twilio = [r.vs(r.twilio) or 0.0 for r in picked]
    fig, ax = plt.subplots(figsize=(9, 0.9 * len(picked) + 1.5))
    ys = range(len(picked))
    ax.barh([y - 0.2 for y in ys], vs_raw, height=0.4, label="trunkline ÷ raw aiohttp")
    ax.barh([y + 0.2 for y in ys], vs_twilio, height=0.4, label="trunkline ÷ twilio")
    ax.axvline(1.0, color="black", linewidth=0.8)
    for y, row in zip(ys, picked, strict=True):
        for offset, goal in zip((-0.2, 0.2), row.goals, strict=True):
            if goal is not None:
                ax.plot([goal, goal], [y + offset - 0.2, y + offset + 0.2], color="red", lw=2)
    ax.plot([], [], color="red", lw=2, label="target")
    ax.set_yticks(list(ys), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("ratio (CPU and wall: lower is better; tokens/s: higher is better)")
    ax.set_title("trunkline against raw aiohttp and the twilio package (same run)")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def _miss_size(row: Row) -> str:
    """How far a missed figure is from its target, in the target's own terms."""
    parts = []
    for name, other, goal in (
        ("raw aiohttp", row.raw, row.goals[0]),
        ("twilio", row.twilio, row.goals[1]),
    ):
        ratio = row.vs(other)
        if ratio is None or goal is None:
            continue
        # Rates must reach their goal; costs must stay under it.
        missed = ratio < goal if row.unit.endswith("/s") else ratio > goal
        if missed:
            parts.append(f"{ratio:.2f}× {name} against a target of {goal}×")
    if not parts:
        return f"{_fmt(row.trunkline)} against a target of {row.target}"
    return "; ".join(parts)


def results_markdown(rows: Sequence[Row], plan: Plan, notes: Sequence[str], quick: bool) -> str:
    """The RESULTS.md document: table, how it was measured and what was skipped."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    mode = "quick (smoke test, targets not enforced)" if quick else "full"
    lines = [
        "# trunkline benchmark results",
        "",
        f"Run {stamp}, mode {mode}: Python {platform.python_version()}, "
        f"{os.cpu_count()} cores shared with other work. Client figures are the median of "
        f"{plan.rounds} interleaved runs, import and `make generate` figures of "
        f"{plan.import_rounds}, token rates of {plan.token_rounds} rounds; the long stream "
        "is one run per client. Regenerate with `make bench`.",
        "",
        table(rows, enforce=not quick),
        "",
        "![trunkline's ratios](ratios.png)",
        "",
        "## How it is measured",
        "",
        "- A loopback aiohttp server in its own process answers like Twilio Verify v2 (full "
        "factor JSON, challenge pages with `meta` paging, `details.fields`, `hidden_details`, "
        "`links`, form POST create); bodies are pre-encoded so the server stays cheap.",
        "- Each client run is a fresh process doing the same work at concurrency 64 "
        "(streams follow `meta.next_page_url` in pages of 1,000). CPU is the client "
        "process's `time.process_time` over the measured part, after a warm-up of 64 "
        "operations (or one page), so imports and connection set-up are excluded; "
        "ops/s is wall-clock; peak RSS is the process's `ru_maxrss`.",
        "- raw aiohttp is `session.get`/`session.post` + `await resp.json()` with a "
        "pre-built Authorization header; it returns dicts. trunkline returns typed attrs "
        "models; twilio returns its `*Instance` objects. twilio uses `AsyncTwilioHttpClient` "
        "with the host rewritten to loopback.",
        "- Import row: a fresh `python -c` doing import, client construction and the first "
        "touch of Verify v2 (the raw column is `import aiohttp` alone); wall is the whole "
        "process, `-X importtime` sums the self times. The `api.v2010.messages` rows do the "
        "same with the messages service of the 2010 API (twilio: `api.v2010.account.messages`).",
        "- Fresh-process row: a new process per run fetches the factor at concurrency 64 "
        "with no warm-up; CPU counts from before the client is made (so the library's and "
        "aiohttp's imports, the first touch of the service and its models, and the session's "
        "set-up are in it) to the last answer.",
        "- AccessToken row: voice + video grants, HS256; the raw column signs the same "
        "claims with `jwt.encode` directly.",
        "- `make generate` rows: the generator writing into an empty temporary folder (cold), "
        "then again with nothing changed (warm); the working tree is untouched.",
        "- Limiter rows (`bench/_limiter.py`): fetches through a transport that answers at "
        "once, with and without `limiter=` (concurrency 1,000, so no call waits); the "
        "figure is the client process's extra CPU per call. Round trips are writes to a "
        "Redis socket, on a redis-server on loopback; 64 at a time, the releases of one "
        "event-loop turn share one.",
    ]
    misses = [r for r in rows if r.passed is False]
    if misses:
        lines += ["", "## Targets missed in this run", ""]
        lines += [f"- {r.figure} ({r.unit}): {_miss_size(r)}" for r in misses]
        lines += ["", "Profiles and the fixes they point to: [PROFILE.md](PROFILE.md)."]
    if notes:
        lines += ["", "## Notes from this run", "", *(f"- {n}" for n in notes)]
    return "\n".join(lines) + "\n"


def update_readme(rows: Sequence[Row], readme: Path) -> bool:
    """Replace the table between the README's bench markers; False when they are absent."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        return False
    block = f"{README_START}\n{table(rows, enforce=True)}\n"
    readme.write_text(text[:start] + block + text[end:], encoding="utf-8")
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Run the suite, print the table and write the results; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small counts, one round")
    parser.add_argument(
        "--out",
        type=Path,
        help="where RESULTS.md and ratios.png go (default bench/, or a temporary folder "
        "with --quick so a smoke test leaves the committed results alone)",
    )
    parser.add_argument("--rounds", type=int, help="override the number of rounds")
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=("generate", "rss", "tokens", "imports", "limiter", "emulator"),
    )
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    if args.out is None:
        quick_out = Path(tempfile.gettempdir()) / "trunkline-bench-quick"
        args.out = quick_out if args.quick else BENCH
    if args.rounds:
        plan = attrs.evolve(plan, rounds=args.rounds, import_rounds=args.rounds)
    started = time.perf_counter()
    notes: list[str] = []

    why_not = _trunkline_ready()
    clients: Sequence[str] = _clients.CLIENTS
    if why_not is not None:
        clients = tuple(c for c in _clients.CLIENTS if c != "trunkline")
        notes.append(f"trunkline: the client could not be created ({why_not}).")

    with Server() as base:
        _say(f"bench: server at {base}; clients {', '.join(clients)}")
        runs = run_clients(plan, clients, base)
        rss = {} if "rss" in args.skip else run_rss(plan, clients, base)
        imports: dict[str, dict[str, float]] = {}
        touch: dict[str, dict[str, float]] = {}
        if "imports" not in args.skip:
            _say("  imports")
            imports = run_imports(plan, clients, base)
            _say("  touch api.v2010.messages")
            touch = run_touch_messages(plan, clients)
    tokens: dict[str, float] = {}
    if "tokens" not in args.skip:
        _say("  tokens")
        tokens = run_tokens(plan)
        if "trunkline" not in tokens:
            notes.append("AccessToken: `trunkline.tokens.AccessToken` is not importable yet.")
    generate: dict[str, float] | str = "skipped (--skip generate)"
    if "generate" not in args.skip:
        _say("  make generate, cold and warm")
        generate = run_generate(plan)
    if isinstance(generate, str):
        notes.append(generate)

    emulator: dict[str, float] | None = None
    if "emulator" not in args.skip:
        _say("  emulator")
        emulator = run_emulator(plan)
    rows = build_rows(plan, runs, rss, imports, tokens, generate, emulator, messages=touch)
    if "limiter" not in args.skip:
        _say("  limiter")
        limiter = run_limiter(plan)
        if isinstance(limiter, str):
            notes.append(limiter)
        else:
            rows += limiter_rows(limiter)
    for client, found in rss.items():
        marks = found.get("rss_marks") or []
        if marks:
            shown = ", ".join(f"{n:,} → {mb:.1f} MB" for n, mb in marks[:: max(1, len(marks) // 5)])
            notes.append(f"{client} long stream, peak RSS as items went by: {shown}.")
    args.out.mkdir(parents=True, exist_ok=True)
    if not chart(rows, args.out / "ratios.png"):
        notes.append("chart: matplotlib is not installed (it is in the `bench` extra).")
    (args.out / "RESULTS.md").write_text(
        results_markdown(rows, plan, notes, args.quick), encoding="utf-8"
    )
    print(table(rows, enforce=not args.quick))
    for note in notes:
        print(f"note: {note}")
    if not args.quick and args.out.resolve() == BENCH and update_readme(rows, ROOT / "README.md"):
        print("README.md: bench table refreshed")
    print(f"bench: {time.perf_counter() - started:.0f} s; wrote {args.out / 'RESULTS.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
