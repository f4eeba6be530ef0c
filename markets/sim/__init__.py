"""Protocol-faithful local simulators of the venues and ESPN, for tests, the demo and replays."""
