-- Version 2: node id leases. Every node takes Snowflake ids under its node id, so two
-- live nodes must never share one: a node holds a lease on its id, renews it while it
-- runs, releases it on shutdown, and a lease that is not renewed expires, so the id
-- of a node that died can be used again.
CREATE TABLE node_leases (
    node_id     BIGINT PRIMARY KEY,
    holder      TEXT   NOT NULL,     -- the live process holding it (host, pid, random)
    expires_at  BIGINT NOT NULL      -- Unix ms, by the database's clock
);
