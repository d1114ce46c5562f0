-- Version 5: whether a node keeps tweets in memory. A node may, only while it is the one
-- live node (nothing else writes, so its copies stay current); a node starting next to it
-- waits until it has stopped (lease.rs).
ALTER TABLE node_leases ADD COLUMN caching BOOLEAN NOT NULL DEFAULT false;
