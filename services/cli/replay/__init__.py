"""``arbees replay``: recorded real games through the simulators and the whole fleet as separate processes."""
