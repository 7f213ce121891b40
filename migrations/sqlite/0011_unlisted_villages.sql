-- Villages that households typed because the list did not have them ("我的村不在列表中"),
-- for staff to add to the regions file. Not linked to who typed them: a count per name.
CREATE TABLE unlisted_villages (
    township_code TEXT NOT NULL,
    name          TEXT NOT NULL,
    mentions      BIGINT NOT NULL DEFAULT 1,
    first_at      TEXT NOT NULL,
    last_at       TEXT NOT NULL,
    PRIMARY KEY (township_code, name)
);
