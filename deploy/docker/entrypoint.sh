#!/bin/sh
# Entry point of the service image: runs `arbees "$@"`.
#
# `arbees run game_shard` without GAME_SHARD_SHARD_ID takes the container's hostname as its shard id, so
# replicas of one compose service (`deploy.replicas`, `--scale game_shard=N`) or of one ECS service
# (desired count N) each follow their own assignment: discovery spreads games over the shard ids it sees
# in heartbeats and moves a silent shard's games to a live one. An explicit GAME_SHARD_SHARD_ID wins.
set -eu
if [ "${1:-}" = "run" ] && [ "${2:-}" = "game_shard" ] && [ -z "${GAME_SHARD_SHARD_ID:-}" ]; then
    GAME_SHARD_SHARD_ID="$(hostname)"
    export GAME_SHARD_SHARD_ID
fi
exec arbees "$@"
