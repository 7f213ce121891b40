-- no-transaction
-- Report handling by the rules (issue 11): reports that belong to the higher commission
-- (上报), the receiving desk's own clock after a forward, and content purged after an upward
-- transfer or by retention. Status gains 'transferred' and the body may be purged (NULL).
-- SQLite cannot alter a CHECK constraint or a NOT NULL, so the table is rebuilt by SQLite's
-- documented procedure: foreign keys off (only possible outside a transaction, hence
-- no-transaction), the rebuild in one transaction, keys back on. Other tables keep naming
-- `reports`, which then has the same ids.
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE reports_new (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    code_hash         TEXT NOT NULL UNIQUE,
    category_code     TEXT NOT NULL REFERENCES report_categories (code),
    township_code     TEXT REFERENCES townships (code),
    person_level      TEXT NOT NULL,
    desk_code         TEXT NOT NULL REFERENCES desks (code),
    anonymous         BOOLEAN NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('received', 'accepted', 'not_accepted', 'in_disposal', 'concluded', 'closed', 'transferred')),
    disposal          TEXT CHECK (disposal IN ('talk_or_letter', 'preliminary_verification', 'hold', 'no_action')),
    assigned_to       TEXT,
    duplicate_of      BIGINT REFERENCES reports (id),
    received_at       TEXT NOT NULL,
    acceptance_due    TEXT NOT NULL,
    forward_due       TEXT NOT NULL,
    result_due        TEXT,
    accepted_at       TEXT,
    concluded_at      TEXT,
    closed_at         TEXT,
    body              BLOB,
    reporter          BLOB,
    reply_address     BLOB,
    updated_at        TEXT NOT NULL,
    -- The higher body's code (routing.toml `[higher]`) when the report belongs to it.
    higher_body       TEXT,
    -- When the desk now holding it received it (a forward starts the receiving desk's clock).
    desk_received_at  TEXT,
    transferred_at    TEXT,
    -- The body it was passed to, as the county office recorded it.
    transferred_to    TEXT,
    content_purged_at TEXT
);
INSERT INTO reports_new (id, code_hash, category_code, township_code, person_level, desk_code,
    anonymous, status, disposal, assigned_to, duplicate_of, received_at, acceptance_due,
    forward_due, result_due, accepted_at, concluded_at, closed_at, body, reporter, reply_address,
    updated_at)
SELECT id, code_hash, category_code, township_code, person_level, desk_code, anonymous, status,
    disposal, assigned_to, duplicate_of, received_at, acceptance_due, forward_due, result_due,
    accepted_at, concluded_at, closed_at, body, reporter, reply_address, updated_at
FROM reports;
DROP TABLE reports;
ALTER TABLE reports_new RENAME TO reports;

CREATE INDEX reports_queue ON reports (desk_code, status, acceptance_due);
CREATE INDEX reports_township ON reports (township_code, status);
CREATE INDEX reports_queue_order ON reports (
    (status IN ('not_accepted', 'closed', 'transferred')),
    (COALESCE(result_due, acceptance_due)),
    id
);
COMMIT;
PRAGMA foreign_keys = ON;
