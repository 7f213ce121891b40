-- Report handling by the rules (issue 11): reports that belong to the higher commission
-- (上报), the receiving desk's own clock after a forward, and content purged after an upward
-- transfer or by retention. Status gains 'transferred' and the body may be purged (NULL).
ALTER TABLE reports DROP CONSTRAINT reports_status_check;
ALTER TABLE reports ADD CONSTRAINT reports_status_check
    CHECK (status IN ('received', 'accepted', 'not_accepted', 'in_disposal', 'concluded', 'closed', 'transferred'));
ALTER TABLE reports ALTER COLUMN body DROP NOT NULL;
-- The higher body's code (routing.toml `[higher]`) when the report belongs to it.
ALTER TABLE reports ADD COLUMN higher_body TEXT;
-- When the desk now holding it received it (a forward starts the receiving desk's clock).
ALTER TABLE reports ADD COLUMN desk_received_at TIMESTAMPTZ;
ALTER TABLE reports ADD COLUMN transferred_at TIMESTAMPTZ;
-- The body it was passed to, as the county office recorded it.
ALTER TABLE reports ADD COLUMN transferred_to TEXT;
ALTER TABLE reports ADD COLUMN content_purged_at TIMESTAMPTZ;

DROP INDEX reports_queue_order;
CREATE INDEX reports_queue_order ON reports (
    (status IN ('not_accepted', 'closed', 'transferred')),
    (COALESCE(result_due, acceptance_due)),
    id
);
