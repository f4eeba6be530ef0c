"""Read queries behind the API routes, one module per concern (asyncpg, exact decimals)."""
