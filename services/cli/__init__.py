"""The `arbees` command line: runs services, migrations, the demo and tools."""
