"""Fixtures for the win-probability tests: small synthetic data folders in the exact layouts of
../shared/data/winprob (written into tmp_path by `wp_synthetic`), and the real data root when present."""

from __future__ import annotations

from pathlib import Path

import pytest
import wp_synthetic as synthetic

REAL_DATA = Path("/work/shared/data/winprob")


@pytest.fixture
def nba_dir(tmp_path: Path) -> Path:
    return synthetic.write_nba(tmp_path / "nba")


@pytest.fixture
def nfl_dir(tmp_path: Path) -> Path:
    return synthetic.write_nfl(tmp_path / "nfl")


@pytest.fixture
def nhl_dir(tmp_path: Path) -> Path:
    return synthetic.write_nhl(tmp_path / "nhl")


@pytest.fixture
def epl_dir(tmp_path: Path) -> Path:
    return synthetic.write_epl(tmp_path / "epl")


@pytest.fixture
def ncaab_dir(tmp_path: Path) -> Path:
    return synthetic.write_ncaab(tmp_path / "ncaab")


@pytest.fixture
def mlb_dir(tmp_path: Path) -> Path:
    return synthetic.write_mlb(tmp_path / "mlb")


@pytest.fixture
def real_data() -> Path:
    """The real data root; skips the test cleanly when it is absent."""
    if not (REAL_DATA / "README.md").exists():
        pytest.skip("real data under /work/shared/data/winprob is absent")
    return REAL_DATA
