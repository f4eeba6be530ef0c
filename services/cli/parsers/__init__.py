"""The argument parsers of the ``arbees`` commands, one light module per command.

A parser module imports only the standard library (and other parser modules): ``arbees --help`` imports
all of them. Each sets its handler as a ``"module:function"`` string; the implementation module (with
the heavy imports: the services, Redis, PostgreSQL, the venues' clients) is imported when the command
runs (:func:`services.cli.loader.resolve_handler`).
"""
