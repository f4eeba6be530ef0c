"""Arbees services: one sub-package per service, plus the command line that runs them."""
