"""`arbees` starts light: parsing imports no implementation, and every command still parses and has its help."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.cli import main as cli
from services.cli.loader import DeferredSubParsers, resolve_handler
from services.cli.parsers import analytics as analytics_parser
from services.cli.parsers import run as run_parser
from services.cli.parsers import sim as sim_parser

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("eth_account", "py_clob_client_v2", "numpy", "scipy", "matplotlib", "fastapi", "pyarrow")
"""Never imported by parsing alone (issue 13: they made ``arbees --help`` take seconds)."""
ALSO_HEAVY = ("redis", "asyncpg", "pydantic", "pydantic_settings", "httpx", "uvicorn", "cryptography")


def _imported_after(code: str) -> list[str]:
    """Top-level packages among HEAVY + ALSO_HEAVY imported by ``code`` in a fresh interpreter."""
    probe = f"""
import json, sys
{code}
names = {sorted(HEAVY + ALSO_HEAVY)!r}
print(json.dumps(sorted(n for n in names if n in sys.modules)))
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    imported: list[str] = json.loads(done.stdout.splitlines()[-1])
    return imported


def test_importing_the_cli_and_building_its_parser_imports_none_of_the_heavy_packages() -> None:
    assert _imported_after("import services.cli.main") == []
    assert _imported_after("import services.cli.main\nservices.cli.main.build_parser()") == []


def test_building_the_parser_and_parsing_a_command_imports_no_implementation() -> None:
    code = """
from services.cli.main import build_parser
build_parser().parse_args(["replay", "--venues", "sim", "--date", "2017-12-23"])
build_parser().parse_args(["halt", "--reason", "x"])
build_parser().parse_args(["analytics", "run", "report"])
assert not any(m.startswith(("services.cli.replay", "services.registry", "shared.config")) for m in sys.modules)
"""
    assert _imported_after(code) == []


def test_the_top_level_help_loads_no_deferred_command() -> None:
    code = """
import contextlib, io
from services.cli.main import main
with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):
    main(["--help"])
with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):
    main(["sim", "--help"])
assert "shared.winprob.cli" not in sys.modules and "markets.sim.kalshi.cli" not in sys.modules
"""
    assert _imported_after(code) == []


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name in list(action._name_parser_map):
                sub = action.load(name) if isinstance(action, DeferredSubParsers) else action._name_parser_map[name]
                yield from _commands(sub, (*prefix, name))


COMMANDS = list(dict.fromkeys(_commands(cli.build_parser())))


def test_every_command_is_listed() -> None:
    names = {" ".join(c) for c in COMMANDS}
    for expected in ("run", "replay", "sim kalshi", "sim polymarket", "sim espn", "winprob train", "analytics run"):
        assert expected in names


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "arbees")
def test_every_command_shows_its_help_with_its_options(
    command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main([*command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: {' '.join(('arbees', *command))}")
    parser = cli.build_parser()
    for name in command:  # the real (loaded) parser of the command: its every option is in the help
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.load(name) if isinstance(sub, DeferredSubParsers) else sub._name_parser_map[name]
    for action in parser._actions:
        for flag in action.option_strings:
            assert flag in out


def _leaves() -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    parser = cli.build_parser()
    for command in COMMANDS:
        node = parser
        for name in command:
            sub = next(a for a in node._actions if isinstance(a, argparse._SubParsersAction))
            node = sub.load(name) if isinstance(sub, DeferredSubParsers) else sub._name_parser_map[name]
        if not any(isinstance(a, argparse._SubParsersAction) for a in node._actions):
            yield command, node


def test_every_handler_names_a_function_of_its_implementation() -> None:
    leaves = list(_leaves())
    assert len(leaves) >= 12
    for command, parser in leaves:
        handler = parser.get_default("handler")
        assert handler is not None, command
        assert callable(resolve_handler(handler)), command


def test_the_light_copies_of_names_match_the_implementations() -> None:
    from services.analytics.jobs import JOBS
    from services.registry import SERVICES

    assert run_parser.SERVICE_NAMES == tuple(SERVICES)
    assert analytics_parser.JOB_NAMES == tuple(sorted(JOBS))


def test_a_deferred_command_is_listed_with_the_help_its_module_gives_it() -> None:
    top = cli.build_parser()
    commands = next(a for a in top._actions if isinstance(a, DeferredSubParsers))
    listed = commands.deferred_help()
    sim = commands._name_parser_map["sim"]
    venues = next(a for a in sim._actions if isinstance(a, DeferredSubParsers))
    listed_sims = venues.deferred_help()
    assert set(listed) == {"winprob"} and set(listed_sims) == {name for name, _, _ in sim_parser.SIMULATORS}
    for action, shown in ((commands, listed), (venues, listed_sims)):
        for name, help_text in shown.items():
            action.load(name)
            real = next(a.help for a in action._choices_actions if a.dest == name)
            assert real == help_text, name


def test_a_configuration_error_exits_2_naming_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARBEES_HEARTBEAT_INTERVAL_S", "lots")  # refused before anything is opened
    assert cli.main(["halt", "--reason", "a test"]) == 2
    err = capsys.readouterr().err
    assert "configuration error" in err and "ARBEES_HEARTBEAT_INTERVAL_S" in err


def test_an_unknown_command_is_refused() -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["nonsense"])
    assert exit_.value.code == 2
