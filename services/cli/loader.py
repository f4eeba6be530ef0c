"""Registering commands without importing their implementations (``arbees --help`` stays fast).

Three tools:

- :func:`register_modules` calls ``register(subparsers)`` of light parser modules (absent ones skipped).
- A handler may be given as ``"package.module:function"``: :func:`resolve_handler` imports it when the
  command runs, so a parser module imports nothing heavy.
- :class:`DeferredSubParsers` lists a command whose parser lives in a module that is heavy to import (one
  of another package, which also holds the implementation) by name and help only; the module is imported,
  and its ``register`` called, only when that command is chosen on the command line.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    Handler = Callable[[argparse.Namespace], Any]  # returns an exit code, or a coroutine of one
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    Subparsers = argparse._SubParsersAction


def register_modules(modules: Iterable[str], subparsers: Subparsers) -> None:
    """Call ``register(subparsers)`` of each module that exists; a module missing entirely is skipped."""
    for module_name in modules:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as e:
            if e.name is None or not module_name.startswith(e.name):
                raise
            continue
        module.register(subparsers)


def resolve_handler(handler: Handler | str) -> Handler:
    """The handler itself, or the function a ``"module:function"`` string names (imported now)."""
    if not isinstance(handler, str):
        return handler
    module_name, _, function = handler.partition(":")
    resolved: Handler = getattr(importlib.import_module(module_name), function)
    return resolved


def module_exists(module_name: str) -> bool:
    """True when ``module_name`` can be imported (its parent packages are imported to find out)."""
    try:
        return importlib.util.find_spec(module_name) is not None
    except ModuleNotFoundError:
        return False


class DeferredSubParsers(Subparsers):
    """Sub-parsers some of which are registered from their module only when chosen.

    Made by :func:`deferred_subparsers`; :meth:`defer` a command. Its
    placeholder parser carries the help shown by the parent's ``--help``; choosing the command replaces
    the placeholder with the real parser (the module's ``register(subparsers)``) before parsing the rest.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deferred: dict[str, str] = {}

    def defer(self, name: str, module: str, help: str) -> None:
        """List ``name`` (with ``help``), registered by ``module`` when chosen; skipped when it is absent."""
        if not module_exists(module):
            return
        self.add_parser(name, help=help, add_help=False)
        self._deferred[name] = module

    def load(self, name: str) -> argparse.ArgumentParser:
        """The real parser of ``name``, importing its module first if it is deferred."""
        module = self._deferred.pop(name, None)
        if module is not None:
            del self._name_parser_map[name]
            self._choices_actions = [a for a in self._choices_actions if a.dest != name]
            importlib.import_module(module).register(self)
            if name not in self._name_parser_map:
                raise RuntimeError(f"{module}.register did not add the {name!r} command")
        return self._name_parser_map[name]

    def deferred_help(self) -> dict[str, str | None]:
        """The help of each command still deferred (what the parent's ``--help`` shows for it)."""
        return {a.dest: a.help for a in self._choices_actions if a.dest in self._deferred}

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        if isinstance(values, Sequence) and values and values[0] in self._deferred:
            self.load(values[0])
        super().__call__(parser, namespace, values, option_string)


def deferred_subparsers(parser: argparse.ArgumentParser, **kwargs: Any) -> DeferredSubParsers:
    """``parser.add_subparsers(**kwargs)`` whose commands may be deferred."""
    return cast(DeferredSubParsers, parser.add_subparsers(action=DeferredSubParsers, **kwargs))
