"""``arbees sim espn`` as a user runs it: a subprocess serving ESPN's paths to a plain HTTP client."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from pathlib import Path

import httpx

from tests.unit.espn.synthetic_winprob import write_winprob

ARBEES = [sys.executable, "-m", "services.cli.main"]


async def test_help_lists_the_flags() -> None:
    proc = await asyncio.create_subprocess_exec(
        *ARBEES, "sim", "espn", "--help", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode == 0
    for flag in ("--port", "--data", "--speed", "--start-at", "--sports", "--limit", "--host"):
        assert flag in out.decode()


async def test_the_simulator_serves_espn_paths_until_sigterm(tmp_path: Path) -> None:
    data = write_winprob(tmp_path / "winprob")
    proc = await asyncio.create_subprocess_exec(
        *ARBEES, "sim", "espn", "--data", str(data), "--port", "0", "--speed", "60", "--sports", "nba", "nhl",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), timeout=60)).decode()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert match, line
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{match.group(1)}") as http:
            board = (await http.get("/apis/site/v2/sports/basketball/nba/scoreboard")).json()
            assert len(board["events"]) == 3 and board["leagues"][0]["slug"] == "nba"
            event = board["events"][0]
            competitors = {c["homeAway"]: c for c in event["competitions"][0]["competitors"]}
            assert isinstance(competitors["home"]["score"], str)
            assert event["status"]["type"]["state"] in ("pre", "in", "post")
            summary = (await http.get("/apis/site/v2/sports/hockey/nhl/summary", params={"event": "x"})).json()
            assert summary == {"code": 404, "message": "event x not found"}
            assert (await http.get("/_sim/health")).json() == {"status": "ok"}
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), timeout=20)
    assert proc.returncode == 0


async def test_an_empty_data_folder_exits_with_an_error(tmp_path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        *ARBEES, "sim", "espn", "--data", str(tmp_path), "--port", "0",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode == 2 and b"no games found" in err
