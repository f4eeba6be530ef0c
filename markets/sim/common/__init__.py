"""Pieces every simulator shares: fault injection, the /_sim control API, order books, makers, serving."""
