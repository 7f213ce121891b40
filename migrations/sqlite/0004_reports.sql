-- Reports (举报): categories, desks and routing, the reports themselves (content sealed with the
-- report key), their messages, events and deadline alerts; direct notices (staff alerts,
-- replies to reporters); rate-limit buckets; small key/value settings (the wrapped report key).
CREATE TABLE kv_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE report_categories (
    code        TEXT PRIMARY KEY,
    parent_code TEXT REFERENCES report_categories (code),
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    position    INTEGER NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE desks (
    code           TEXT PRIMARY KEY,
    name_zh        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    -- JSON array of Telegram chat ids that receive alerts (staff, not reporters).
    alert_chat_ids TEXT NOT NULL,
    county         BOOLEAN NOT NULL DEFAULT FALSE,
    active         BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE desk_townships (
    township_code TEXT PRIMARY KEY REFERENCES townships (code),
    desk_code     TEXT NOT NULL REFERENCES desks (code)
);

-- Only metadata the queue filters on is plain; content, the person reported, the reporter and
-- the reply address are sealed. An anonymous report has reporter = NULL.
CREATE TABLE reports (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    code_hash      TEXT NOT NULL UNIQUE,
    category_code  TEXT NOT NULL REFERENCES report_categories (code),
    township_code  TEXT REFERENCES townships (code),
    person_level   TEXT NOT NULL,
    desk_code      TEXT NOT NULL REFERENCES desks (code),
    anonymous      BOOLEAN NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('received', 'accepted', 'not_accepted', 'in_disposal', 'concluded', 'closed')),
    disposal       TEXT CHECK (disposal IN ('talk_or_letter', 'preliminary_verification', 'hold', 'no_action')),
    assigned_to    TEXT,
    duplicate_of   BIGINT REFERENCES reports (id),
    received_at    TEXT NOT NULL,
    acceptance_due TEXT NOT NULL,
    forward_due    TEXT NOT NULL,
    result_due     TEXT,
    accepted_at    TEXT,
    concluded_at   TEXT,
    closed_at      TEXT,
    body           BLOB NOT NULL,
    reporter       BLOB,
    reply_address  BLOB,
    updated_at     TEXT NOT NULL
);
CREATE INDEX reports_queue ON reports (desk_code, status, acceptance_due);
CREATE INDEX reports_township ON reports (township_code, status);

CREATE TABLE report_attachments (
    report_id BIGINT NOT NULL REFERENCES reports (id),
    position  INTEGER NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('photo', 'document', 'voice')),
    size      BIGINT,
    file      BLOB NOT NULL,
    PRIMARY KEY (report_id, position)
);

CREATE TABLE report_messages (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id  BIGINT NOT NULL REFERENCES reports (id),
    author     TEXT NOT NULL CHECK (author IN ('staff', 'reporter')),
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),
    staff      TEXT,
    body       BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX report_messages_report ON report_messages (report_id, id);

-- History: who did what, when. Details are codes (desks, dispositions), never content.
CREATE TABLE report_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id  BIGINT NOT NULL REFERENCES reports (id),
    actor      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    detail     TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX report_events_report ON report_events (report_id, id);

-- One alert per (report, deadline, level), however often the scan runs.
CREATE TABLE deadline_alerts (
    report_id  BIGINT NOT NULL REFERENCES reports (id),
    deadline   TEXT NOT NULL,
    level      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (report_id, deadline, level)
);

-- Direct messages outside campaigns. Recipient and body are sealed and wiped once settled.
CREATE TABLE notices (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL CHECK (kind IN ('staff_alert', 'reporter')),
    recipient       BLOB,
    body            BLOB,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'blocked')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at         TEXT,
    error           TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX notices_due ON notices (status, next_attempt_at);

-- Fixed-window counters; the bucket names hold keyed hashes, never chat ids.
CREATE TABLE rate_limits (
    bucket       TEXT NOT NULL,
    window_start TEXT NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
