-- Version 4: an idempotency key may have no request hash, as on SQLite, where keys
-- recorded before request hashes existed have none (a replay of such a key is answered
-- without comparing requests). `starling migrate-store` copies those keys as they are.
ALTER TABLE idempotency_keys ALTER COLUMN request_hash DROP NOT NULL;
