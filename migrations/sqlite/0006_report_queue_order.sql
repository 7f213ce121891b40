-- The report queue's order (open reports first, earliest deadline first) as an index, so a page
-- of the queue is read in order and the scan stops after one page instead of sorting them all.
CREATE INDEX reports_queue_order ON reports (
    (status IN ('not_accepted', 'closed')),
    (COALESCE(result_due, acceptance_due)),
    id
);
