//! Purging a report's sealed content: after an upward transfer (the county keeps no copy of a
//! report that is not its own) and, by retention, some days after a report is closed. The
//! metadata, the history and the tracking code's hash stay, so statistics and `/status` keep
//! working; the content, the reporter's identity and reply address, the evidence references and
//! the conversation go.

use chrono::{DateTime, Utc};

use super::{BeginWrite, Store, StoreError, on_pool};
use crate::domain::ReportStatus;

/// The purge, inside a caller's transaction (`tx`), for report `id` at `at`.
macro_rules! purge_content {
    ($tx:expr, $id:expr, $at:expr) => {
        sqlx::query(
            "UPDATE reports SET body = NULL, reporter = NULL, reply_address = NULL,
             content_purged_at = $2 WHERE id = $1",
        )
        .bind($id)
        .bind($at)
        .execute(&mut *$tx)
        .await?;
        sqlx::query("DELETE FROM report_attachments WHERE report_id = $1")
            .bind($id)
            .execute(&mut *$tx)
            .await?;
        sqlx::query("DELETE FROM report_messages WHERE report_id = $1")
            .bind($id)
            .execute(&mut *$tx)
            .await?;
    };
}
pub(crate) use purge_content;

impl Store {
    /// Reports in `status` closed (or transferred) before `before` whose content is still
    /// held: what a retention pass purges.
    pub async fn reports_due_for_purge(
        &self,
        status: ReportStatus,
        before: DateTime<Utc>,
    ) -> Result<Vec<i64>, StoreError> {
        let ids = on_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT id FROM reports WHERE status = $1 AND content_purged_at IS NULL
                 AND COALESCE(transferred_at, closed_at) < $2 ORDER BY id",
            )
            .bind(status.as_str())
            .bind(before)
            .fetch_all(pool)
            .await
        })?;
        Ok(ids)
    }

    /// Purges report `id`'s content by retention, with its history entry and an audit line
    /// (actor `system`), in one transaction. False if it had already been purged.
    pub async fn purge_report(
        &self,
        id: i64,
        detail: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        on_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let held: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM reports WHERE id = $1 AND content_purged_at IS NULL",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            if held.is_none() {
                return Ok::<_, StoreError>(false);
            }
            purge_content!(tx, id, at);
            sqlx::query(
                "INSERT INTO report_events (report_id, actor, kind, detail, created_at)
                 VALUES ($1, 'system', 'purged', $2, $3)",
            )
            .bind(id)
            .bind(detail)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO audit_log (username, action, report_id, detail, created_at)
                 VALUES ('system', 'report.purge', $1, $2, $3)",
            )
            .bind(id)
            .bind(detail)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(true)
        }
        .await)
    }
}
