"""Loaders for the deployment tests: the compose files (with Compose's YAML tags) and Terraform (python-hcl2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import hcl2
import yaml

from services.registry import SERVICES

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
COMPOSE_AWS = ROOT / "docker-compose.aws.yml"
TERRAFORM = ROOT / "infra" / "terraform"

# Services that run and stay up (the one-shot `migrate` is not one of them).
INFRA_SERVICES = {"timescaledb", "redis", "vpn", "nginx"}


class ComposeLoader(yaml.SafeLoader):
    """PyYAML's safe loader plus Compose's merge tags `!reset` and `!override` (kept as tagged values)."""


class Tagged:
    """A value carrying Compose's `!reset` / `!override` tag."""

    def __init__(self, tag: str, value: Any) -> None:
        self.tag, self.value = tag, value


def _tagged(loader: yaml.SafeLoader, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.MappingNode):
        value: Any = loader.construct_mapping(node, deep=True)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_scalar(node)
    return Tagged(node.tag, value)


ComposeLoader.add_constructor("!reset", _tagged)
ComposeLoader.add_constructor("!override", _tagged)


def load_compose(path: Path) -> dict[str, Any]:
    """One compose file, anchors and merge keys resolved."""
    with path.open() as f:
        data: dict[str, Any] = yaml.load(f, Loader=ComposeLoader)  # noqa: S506 - SafeLoader subclass
    return data


def fleet() -> list[str]:
    """The fleet's services, as the registry lists them (the one source of truth)."""
    return list(SERVICES)


def unquote(value: Any) -> Any:
    """python-hcl2 keeps HCL's quotes on keys and strings; drop them (and its comment entries)."""
    if isinstance(value, dict):
        return {unquote(k): unquote(v) for k, v in value.items() if k != "__comments__"}
    if isinstance(value, list):
        return [unquote(v) for v in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def load_terraform() -> dict[str, Any]:
    """Every .tf file merged: {"resource": {type: {name: body}}, "data": ..., "variable": {...}, "locals": {...}}."""
    merged: dict[str, Any] = {"resource": {}, "data": {}, "variable": {}, "locals": {}, "terraform": [], "provider": []}
    for path in sorted(TERRAFORM.glob("*.tf")):
        with path.open() as f:
            doc = unquote(hcl2.load(f))
        for kind in ("resource", "data"):
            for block in doc.get(kind, []):
                for rtype, named in block.items():
                    merged[kind].setdefault(rtype, {}).update(named)
        for block in doc.get("variable", []):
            merged["variable"].update(block)
        for block in doc.get("locals", []):
            merged["locals"].update(block)
        merged["terraform"].extend(doc.get("terraform", []))
        merged["provider"].extend(doc.get("provider", []))
    return merged
