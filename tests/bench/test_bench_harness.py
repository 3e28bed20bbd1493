"""The benchmark harness: its loopback server, its three clients and ``bench/run.py --quick``."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import _clients  # noqa: E402
import _server  # noqa: E402
import run  # noqa: E402

# The twilio package passes aiohttp's deprecated ``auth=BasicAuth(...)`` on every request.
pytestmark = [
    pytest.mark.filterwarnings("ignore:The 'auth' parameter:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning"),
]


def _trunkline_missing() -> bool:
    import trunkline

    return not hasattr(trunkline, "Twilio")


@pytest.fixture
async def base_url() -> AsyncIterator[str]:
    server = TestServer(_server.make_app(), host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url("")).rstrip("/")
    finally:
        await server.close()


@pytest.mark.parametrize("client", _clients.CLIENTS)
@pytest.mark.parametrize(("scenario", "n"), [("fetch", 70), ("create", 70), ("stream", 2_500)])
async def test_every_client_does_the_counted_work(
    client: str, scenario: str, n: int, base_url: str
) -> None:
    """Each client completes exactly n fetches, creates or streamed items against the server."""
    if client == "trunkline" and _trunkline_missing():
        pytest.skip("trunkline.Twilio is not generated yet")
    result: dict[str, Any] = await _clients.measure(client, scenario, n, base_url)
    assert result["n"] == n
    assert result["cpu_s"] > 0
    assert result["maxrss_mb"] > 0


async def test_server_rejects_requests_without_credentials(base_url: str) -> None:
    """The server answers 401 without an Authorization header, as Twilio does."""
    import aiohttp

    async with aiohttp.ClientSession() as session:
        url = f"{base_url}/v2/Services/VA1/Entities/e/Factors/YF1"
        async with session.get(url) as resp:
            assert resp.status == 401
            assert (await resp.json())["code"] == 20003


def test_a_miss_names_only_the_ratio_that_misses() -> None:
    """RESULTS.md's miss line quotes the failing ratio, not a passing one, for costs and rates."""
    slow = run.Row("stream", "µs CPU/item", 8.0, 5.0, 25.0, "t", False, (1.5, 0.4))
    assert run._miss_size(slow) == "1.60× raw aiohttp against a target of 1.5×"
    heavy = run.Row("import", "ms wall (process)", 80.0, None, 100.0, "t", False, (None, 0.5))
    assert run._miss_size(heavy) == "0.80× twilio against a target of 0.5×"
    tokens = run.Row("sign", "tokens/s", 40.0, 60.0, 50.0, "t", False, (0.8, None))
    assert run._miss_size(tokens) == "0.67× raw aiohttp against a target of 0.8×"


@pytest.mark.slow
def test_quick_mode_prints_and_writes_the_table(tmp_path: Path) -> None:
    """``run.py --quick`` exits 0, prints the table and writes RESULTS.md and the chart."""
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--quick",
            "--skip",
            "generate",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "| fetch factor ×500 | µs CPU/op |" in done.stdout
    results = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    figures = ("stream challenges ×5,000", "create challenge ×300", "AccessToken sign")
    figures += ("fresh process: first 300 fetches", "touch api.v2010.messages")
    for figure in figures:
        assert figure in results
    if importlib.util.find_spec("matplotlib") is not None:
        assert (tmp_path / "ratios.png").read_bytes().startswith(b"\x89PNG")


def test_instructions_reads_cachegrinds_summary() -> None:
    """``instructions.py --cache`` reads instructions, D1 misses and mispredicts off the summary."""
    import instructions

    summary = (
        "==8506== I   refs:      63,402,107\n"
        "==8506== I1  misses:       518,601\n"
        "==8506== D1  misses:       549,414  (   486,962 rd   +    62,452 wr)\n"
        "==8506== LLd misses:        59,030  (    22,026 rd   +    37,004 wr)\n"
        "==8506== Mispredicts:      637,148  (   420,171 cond +   216,977 ind)\n"
    )
    assert instructions.cache_summary(summary) == {
        "instructions": 63_402_107,
        "D1 misses": 549_414,
        "mispredicted branches": 637_148,
    }
