-- Quizzes: the question bank, attempts and every answer.
CREATE TABLE quiz_questions (
    id         TEXT PRIMARY KEY,
    definition TEXT NOT NULL,
    audience   TEXT CHECK (audience IN ('enterprise', 'household')),
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at TEXT NOT NULL
);

CREATE TABLE quiz_attempts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    subscriber_id BIGINT NOT NULL REFERENCES subscribers (id),
    chat_id       BIGINT NOT NULL,
    -- The ranking period (e.g. 2026-W48); only the first attempt in a period is ranked.
    period        TEXT NOT NULL,
    ranked        BOOLEAN NOT NULL,
    questions     TEXT NOT NULL,
    position      INTEGER NOT NULL DEFAULT 0,
    score         INTEGER NOT NULL DEFAULT 0,
    total         INTEGER NOT NULL,
    started_at    TEXT NOT NULL,
    finished_at   TEXT
);
CREATE UNIQUE INDEX quiz_attempts_one_ranked ON quiz_attempts (subscriber_id, period) WHERE ranked;
CREATE INDEX quiz_attempts_chat ON quiz_attempts (chat_id, finished_at);

-- One answer per question of an attempt: a second press cannot count twice.
CREATE TABLE quiz_answers (
    attempt_id   BIGINT NOT NULL REFERENCES quiz_attempts (id),
    position     INTEGER NOT NULL,
    question_id  TEXT NOT NULL,
    option_index INTEGER NOT NULL,
    correct      BOOLEAN NOT NULL,
    answered_at  TEXT NOT NULL,
    PRIMARY KEY (attempt_id, position)
);
CREATE INDEX quiz_answers_question ON quiz_answers (question_id);

-- Quiz polls carry no chat: map the poll back to its attempt and question.
CREATE TABLE quiz_polls (
    poll_id    TEXT PRIMARY KEY,
    attempt_id BIGINT NOT NULL REFERENCES quiz_attempts (id),
    position   INTEGER NOT NULL
);
