"""Spreading games over game shards: stable, balanced, and a dead shard's games moved."""

from __future__ import annotations

from services.discovery_coordinator.assign import plan


def test_new_games_are_spread_over_the_healthy_shards_evenly() -> None:
    result = plan(["g1", "g2", "g3", "g4"], {}, {"0", "1"})
    assert sorted(result.assignment.values()) == ["0", "0", "1", "1"]
    assert set(result.moved) == {"g1", "g2", "g3", "g4"}
    assert all(why == "new game" for why in result.moved.values())


def test_a_game_keeps_its_healthy_shard_even_when_the_load_is_uneven() -> None:
    result = plan(["g1", "g2", "g3"], {"g1": "1", "g2": "1", "g3": "1"}, {"0", "1"})
    assert result.assignment == {"g1": "1", "g2": "1", "g3": "1"}
    assert result.moved == {}


def test_games_of_an_unhealthy_shard_move_to_the_least_loaded_healthy_one() -> None:
    current = {"g1": "0", "g2": "0", "g3": "1", "g4": "2"}
    result = plan(["g1", "g2", "g3", "g4"], current, {"1", "2"})
    assert result.assignment["g3"] == "1" and result.assignment["g4"] == "2"
    assert {result.assignment["g1"], result.assignment["g2"]} == {"1", "2"}
    assert result.moved == {"g1": "shard 0 unhealthy", "g2": "shard 0 unhealthy"}


def test_without_a_healthy_shard_games_stay_where_they_were() -> None:
    result = plan(["g1", "g2"], {"g1": "0"}, set())
    assert result.assignment == {"g1": "0"}


def test_games_no_longer_tradable_are_dropped() -> None:
    result = plan(["g2"], {"g1": "0", "g2": "0"}, {"0"})
    assert result.assignment == {"g2": "0"}
