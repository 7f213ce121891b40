-- Reporter safety (key schedule v2). No table keeps a plaintext chat id or a precise time for
-- someone who only writes a report: a chat's dialogue and chosen language are keyed by a keyed
-- hash of the chat id and keep only a coarse expiry. Tables whose row order could reveal the
-- order of filing are WITHOUT ROWID (stored in key order, i.e. in hash order).
-- The old dialogue and settings tables are kept under new names until the service, which holds
-- the keys, moves their rows over (`reports::upgrade`) and drops them.
ALTER TABLE dialogues RENAME TO dialogues_v1;
CREATE TABLE dialogues (
    chat_key   TEXT PRIMARY KEY,
    state      BLOB NOT NULL,
    -- Rounded up to the hour: when the conversation may be discarded, nothing finer.
    expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX dialogues_expiry ON dialogues (expires_at);

ALTER TABLE chat_settings RENAME TO chat_settings_v1;
CREATE TABLE chat_settings (
    chat_key TEXT PRIMARY KEY,
    language TEXT NOT NULL
) WITHOUT ROWID;

-- Counters are transient: they start afresh.
DROP TABLE rate_limits;
CREATE TABLE rate_limits (
    bucket       TEXT NOT NULL,
    window_start TEXT NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
) WITHOUT ROWID;

-- One random key per day for the report quota's buckets, sealed; deleted when the day is over,
-- so yesterday's quota rows can never be matched to a chat, even with the data key.
CREATE TABLE quota_keys (
    day    TEXT PRIMARY KEY,
    sealed BLOB NOT NULL
) WITHOUT ROWID;

-- Notices are bound to their report (the sealing context names it).
ALTER TABLE notices ADD COLUMN report_id BIGINT REFERENCES reports (id);

-- Failed sign-ins per username (a keyed hash, so unknown names are counted like real ones).
CREATE TABLE sign_in_failures (
    bucket          TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL,
    locked_until    TEXT,
    last_failure_at TEXT NOT NULL
) WITHOUT ROWID;
ALTER TABLE staff DROP COLUMN failed_logins;
ALTER TABLE staff DROP COLUMN locked_until;

-- The last TOTP time step accepted, so a code cannot be used twice.
ALTER TABLE staff ADD COLUMN totp_last_step BIGINT;
