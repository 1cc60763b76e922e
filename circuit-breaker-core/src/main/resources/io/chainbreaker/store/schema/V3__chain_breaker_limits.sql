-- Chain Breaker limits and restore, version 3. PostgreSQL 10+ and H2 2.x. Apply after V2.
-- Apply it with your migration tool (the file name follows Flyway's convention), or let
-- JdbcStateStore / JdbcCatalog create it (createSchema(true) / chain-breaker.store.create-schema,
-- chain-breaker.catalog.jdbc.create-schema). Safe to run again.

-- Every column holding a token's symbol is as wide as io.chainbreaker.Limits.SYMBOL (64): the API
-- accepts symbols of up to 64 characters, and the database must never refuse what it accepted.
-- Widening a VARCHAR rewrites nothing on PostgreSQL. Networks (64), actors (200 >= Limits.ACTOR,
-- 100), notes (1000 >= Limits.NOTE, 500), details (1000) and instance ids (200) were already wide
-- enough; columns wider than their limit are kept (an append-only trail is never narrowed).
ALTER TABLE IF EXISTS chain_breaker_override ALTER COLUMN symbol SET DATA TYPE VARCHAR(64);
ALTER TABLE IF EXISTS chain_breaker_audit ALTER COLUMN symbol SET DATA TYPE VARCHAR(64);
ALTER TABLE IF EXISTS chain_breaker_catalog ALTER COLUMN symbol SET DATA TYPE VARCHAR(64);

-- The audit trail gains two kinds of row, beside TRANSITION and CATALOG, both naming a token
-- (symbol and network) with no direction or states:
--   DELIST  the token was removed from the catalog (one row per token a catalog change removed):
--           restoring after a restart ignores the token's transitions before it;
--   LOST    writes of the token that could not be queued while the store's queue was full (the
--           detail says how many and when): the trail is complete again from this row on.
-- They need no change of the table: kind is VARCHAR(16) since V2.
