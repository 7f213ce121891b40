//! Retention: a report's sealed content (the description, the person reported, the reporter's
//! identity and reply address, the evidence references and the conversation) is purged a
//! configured number of days after it reached a final status. Metadata, history and statistics
//! stay. Off unless configured (`reports.purge_*_after_days`); a report passed up to the higher
//! commission is purged at once, when the transfer is recorded, whatever is configured here.

use chrono::{DateTime, TimeDelta, Utc};

use super::ReportError;
use crate::domain::ReportStatus;
use crate::store::{ReportRecord, Store};

/// Days to keep content after each final status; a status not listed keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Retention {
    after: Vec<(ReportStatus, u32)>,
}

impl Retention {
    /// Only final statuses can be listed (an open report is still being handled), and a day
    /// count of at least 1.
    pub fn new(after: &[(ReportStatus, u32)]) -> Result<Retention, String> {
        for (status, days) in after {
            if status.is_open() {
                return Err(format!("`{status}` is not a final status"));
            }
            if *days == 0 {
                return Err(format!("purging `{status}` reports needs at least 1 day"));
            }
        }
        Ok(Retention {
            after: after.to_vec(),
        })
    }

    /// Sets the days for one final status; 0 keeps its content (removes the entry).
    pub fn set(&mut self, status: ReportStatus, days: u32) {
        self.after.retain(|(s, _)| *s != status);
        if days > 0 {
            self.after.push((status, days));
        }
    }

    pub fn days_after(&self, status: ReportStatus) -> Option<u32> {
        self.after
            .iter()
            .find(|(s, _)| *s == status)
            .map(|(_, d)| *d)
    }

    pub fn is_off(&self) -> bool {
        self.after.is_empty()
    }

    /// When `record`'s content will be purged; `None` if it never will be (or already was).
    pub fn purge_on(&self, record: &ReportRecord) -> Option<DateTime<Utc>> {
        if record.content_purged_at.is_some() {
            return None;
        }
        let days = self.days_after(record.status)?;
        let since = record.transferred_at.or(record.closed_at)?;
        Some(since + TimeDelta::days(i64::from(days)))
    }
}

/// One retention pass at `now`: purges every report due, each in its own transaction with its
/// history entry and audit line. Returns how many were purged.
pub async fn run(
    store: &Store,
    retention: &Retention,
    now: DateTime<Utc>,
) -> Result<usize, ReportError> {
    let mut purged = 0;
    for &(status, days) in &retention.after {
        let before = now - TimeDelta::days(i64::from(days));
        for id in store.reports_due_for_purge(status, before).await? {
            let detail = format!("retention: {days} days after {status}");
            if store.purge_report(id, &detail, now).await? {
                purged += 1;
            }
        }
    }
    if purged > 0 {
        // Purged content must not linger in SQLite's write-ahead log (deleted rows are zeroed).
        store.trim_wal().await?;
    }
    Ok(purged)
}
