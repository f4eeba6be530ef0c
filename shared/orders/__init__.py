"""Order lifecycle shared by every execution engine and the ledger."""
