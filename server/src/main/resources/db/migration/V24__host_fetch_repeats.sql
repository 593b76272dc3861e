-- Identical fetches of one host (same address, method, path, status and length) that the timeline
-- writer stores in one batch become one row: `times` of them, the first at `at`, the last at
-- `last_at` (null when the row is one fetch). A host chain-loading in a tight loop, or a boot storm's
-- repeated GETs, no longer costs a row (three B-trees) each; every fetch is still counted.
ALTER TABLE host_fetches ADD COLUMN times INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE host_fetches ADD COLUMN last_at TIMESTAMP WITH TIME ZONE;
