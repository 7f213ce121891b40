-- Working-day calendar, campaigns, campaign runs, the delivery outbox and acknowledgements.
CREATE TABLE calendar_years (
    year   INTEGER PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('official', 'provisional')),
    source TEXT NOT NULL
);

CREATE TABLE calendar_days (
    day     DATE PRIMARY KEY,
    kind    TEXT NOT NULL CHECK (kind IN ('off', 'work')),
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL
);

-- The campaign as imported (JSON of qingfeng_core::domain::Campaign); retired ones stay for history.
CREATE TABLE campaigns (
    id         TEXT PRIMARY KEY,
    definition TEXT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    paused     BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TIMESTAMPTZ NOT NULL
);

-- One row per firing. The unique key makes a firing happen at most once, even across restarts.
CREATE TABLE campaign_runs (
    id            BIGSERIAL PRIMARY KEY,
    campaign_id   TEXT NOT NULL REFERENCES campaigns (id),
    scheduled_for TIMESTAMPTZ NOT NULL,
    sequence      BIGINT NOT NULL,
    trigger_kind  TEXT NOT NULL CHECK (trigger_kind IN ('schedule', 'catch_up', 'manual')),
    status        TEXT NOT NULL CHECK (status IN ('sent', 'missed', 'skipped')),
    send_after    TIMESTAMPTZ NOT NULL,
    targeted      BIGINT NOT NULL DEFAULT 0,
    created_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (campaign_id, scheduled_for)
);

-- The outbox: one row per (run, recipient), so a crash or restart neither skips nor repeats.
CREATE TABLE deliveries (
    id              BIGSERIAL PRIMARY KEY,
    run_id          BIGINT NOT NULL REFERENCES campaign_runs (id),
    subscriber_id   BIGINT NOT NULL REFERENCES subscribers (id),
    chat_id         BIGINT NOT NULL,
    -- Copied at fan-out, so the message is rendered as the subscriber was when the run fired.
    language        TEXT NOT NULL,
    township_code   TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'blocked', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ,
    message_id      BIGINT,
    error           TEXT,
    UNIQUE (run_id, subscriber_id)
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_subscriber ON deliveries (subscriber_id, status);

CREATE TABLE acknowledgements (
    delivery_id     BIGINT PRIMARY KEY REFERENCES deliveries (id),
    acknowledged_at TIMESTAMPTZ NOT NULL
);
