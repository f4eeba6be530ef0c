"""Fixtures shared by the integration tests: the execution service over both simulators (``fleet``)."""

from tests.integration.helpers.execution_fleet import exec_overrides, fleet

__all__ = ["exec_overrides", "fleet"]
