-- Chain Breaker catalog, version 2. PostgreSQL 10+ and H2 2.x. Apply after V1.
-- Apply it with your migration tool (the file name follows Flyway's convention), or let
-- JdbcStateStore / JdbcCatalog create it (createSchema(true) / chain-breaker.store.create-schema,
-- chain-breaker.catalog.jdbc.create-schema).

-- The tokens listed at run time, read by every instance (JdbcCatalog): one row per token, that is
-- per symbol and network. A row's recovery rules are its network's.
CREATE TABLE IF NOT EXISTS chain_breaker_catalog (
    symbol      VARCHAR(32)              NOT NULL,
    network     VARCHAR(64)              NOT NULL,
    contract    VARCHAR(64),
    listed_by   VARCHAR(200)             NOT NULL,
    listed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (symbol, network)
);

-- Catalog changes join the transitions in the one audit trail: kind tells them apart. A catalog
-- row has no token, direction or states of its own (one change may touch many tokens): those
-- columns are null, and detail says what changed, e.g. "token USDT@tron, -token PXL@klaytn".
ALTER TABLE IF EXISTS chain_breaker_audit
    ADD COLUMN IF NOT EXISTS kind VARCHAR(16) DEFAULT 'TRANSITION' NOT NULL;
ALTER TABLE IF EXISTS chain_breaker_audit ALTER COLUMN symbol DROP NOT NULL;
ALTER TABLE IF EXISTS chain_breaker_audit ALTER COLUMN network DROP NOT NULL;
ALTER TABLE IF EXISTS chain_breaker_audit ALTER COLUMN direction DROP NOT NULL;
ALTER TABLE IF EXISTS chain_breaker_audit ALTER COLUMN from_state DROP NOT NULL;
ALTER TABLE IF EXISTS chain_breaker_audit ALTER COLUMN to_state DROP NOT NULL;
ALTER TABLE IF EXISTS chain_breaker_audit ALTER COLUMN reason DROP NOT NULL;
