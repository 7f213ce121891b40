-- Regions, subscribers, chat settings and persisted dialogue state.
CREATE TABLE townships (
    code        TEXT PRIMARY KEY,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('town', 'township')),
    position    INTEGER NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE villages (
    township_code TEXT NOT NULL REFERENCES townships (code),
    code          TEXT NOT NULL,
    name_zh       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    position      INTEGER NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    PRIMARY KEY (township_code, code)
);

CREATE TABLE subscribers (
    id              BIGSERIAL PRIMARY KEY,
    chat_id         BIGINT NOT NULL UNIQUE,
    audience        TEXT NOT NULL CHECK (audience IN ('enterprise', 'household')),
    township_code   TEXT NOT NULL REFERENCES townships (code),
    village_code    TEXT,
    enterprise_name TEXT,
    credit_code     TEXT,
    language        TEXT NOT NULL,
    active          BOOLEAN NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (township_code, village_code) REFERENCES villages (township_code, code),
    CHECK ((audience = 'enterprise') = (enterprise_name IS NOT NULL)),
    CHECK (audience = 'household' OR village_code IS NULL)
);
CREATE INDEX subscribers_audience ON subscribers (active, audience, township_code);

-- A language chosen with /lang; absent means "follow Telegram's language_code".
CREATE TABLE chat_settings (
    chat_id    BIGINT PRIMARY KEY,
    language   TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Conversation state, sealed with the data key (XChaCha20-Poly1305).
CREATE TABLE dialogues (
    chat_id    BIGINT PRIMARY KEY,
    state      BYTEA NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
