-- Reporter safety (key schedule v2). No table keeps a plaintext chat id or a precise time for
-- someone who only writes a report: a chat's dialogue and chosen language are keyed by a keyed
-- hash of the chat id and keep only a coarse expiry.
-- The old dialogue and settings tables are kept under new names until the service, which holds
-- the keys, moves their rows over (`reports::upgrade`) and drops them.
ALTER TABLE dialogues RENAME TO dialogues_v1;
ALTER TABLE dialogues_v1 RENAME CONSTRAINT dialogues_pkey TO dialogues_v1_pkey;
CREATE TABLE dialogues (
    chat_key   TEXT PRIMARY KEY,
    state      BYTEA NOT NULL,
    -- Rounded up to the hour: when the conversation may be discarded, nothing finer.
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX dialogues_expiry ON dialogues (expires_at);
-- Every step rewrites the row; vacuum the dead versions promptly (docs/decisions.md).
ALTER TABLE dialogues SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 100);

ALTER TABLE chat_settings RENAME TO chat_settings_v1;
ALTER TABLE chat_settings_v1 RENAME CONSTRAINT chat_settings_pkey TO chat_settings_v1_pkey;
CREATE TABLE chat_settings (
    chat_key TEXT PRIMARY KEY,
    language TEXT NOT NULL
);

-- Counters are transient: they start afresh.
TRUNCATE rate_limits;

-- One random key per day for the report quota's buckets, sealed; deleted when the day is over,
-- so yesterday's quota rows can never be matched to a chat, even with the data key.
CREATE TABLE quota_keys (
    day    DATE PRIMARY KEY,
    sealed BYTEA NOT NULL
);

-- Notices are bound to their report (the sealing context names it).
ALTER TABLE notices ADD COLUMN report_id BIGINT REFERENCES reports (id);

-- Failed sign-ins per username (a keyed hash, so unknown names are counted like real ones).
CREATE TABLE sign_in_failures (
    bucket          TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL,
    locked_until    TIMESTAMPTZ,
    last_failure_at TIMESTAMPTZ NOT NULL
);
ALTER TABLE staff DROP COLUMN failed_logins;
ALTER TABLE staff DROP COLUMN locked_until;

-- The last TOTP time step accepted, so a code cannot be used twice.
ALTER TABLE staff ADD COLUMN totp_last_step BIGINT;
