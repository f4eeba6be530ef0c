"""ESPN simulator: the site API (scoreboard, summary) over replayed real games (``arbees sim espn``)."""
