"""Code shared by the fleet: contracts, bus, config, database, runtime."""
