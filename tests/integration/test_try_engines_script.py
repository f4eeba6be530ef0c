"""The documented script places, sees and cancels a real limit order through each engine, against the
simulators started from the CLI (as a user would run them)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from eth_account import Account

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(url: str, deadline_s: float = 30) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


def test_script_places_sees_and_cancels_through_each_engine(tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private, public = tmp_path / "k.pem", tmp_path / "k.pub"
    private.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    public.write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    kalshi_port, poly_port = _free_port(), _free_port()
    arbees = [sys.executable, "-m", "services.cli.main", "sim"]
    sims = [
        subprocess.Popen(
            [
                *arbees,
                "kalshi",
                "--port",
                str(kalshi_port),
                "--api-key-id",
                "k1",
                "--public-key",
                str(public),
                "--demo-markets",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [*arbees, "polymarket", "--port", str(poly_port), "--demo-markets"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        _wait_up(f"http://127.0.0.1:{kalshi_port}/_sim/health")
        _wait_up(f"http://127.0.0.1:{poly_port}/_sim/health")
        result = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "try_engines.py"),
             "--kalshi-url", f"http://127.0.0.1:{kalshi_port}/trade-api/v2", "--kalshi-key-id", "k1",
             "--kalshi-private-key", str(private),
             "--polymarket-url", f"http://127.0.0.1:{poly_port}",
             "--polymarket-private-key", Account.create().key.hex(),
             "--journal-dir", str(tmp_path / "journals")],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        lines = result.stdout.splitlines()
        assert lines[-1] == "ok"
        assert sum("-> Accepted" in line for line in lines) == 2
        assert sum("cancel -> canceled" in line for line in lines) == 2
        # Both engines journalled the order before sending it.
        assert (tmp_path / "journals" / "kalshi.jsonl").read_text().count('"state": "pending"') == 1
    finally:
        for sim in sims:
            sim.terminate()
            sim.wait(timeout=10)
