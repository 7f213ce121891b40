//! What the report queue shows beside each report's metadata: whether the reporter wrote back
//! since staff last acted on it.

use super::{Store, StoreError, on_pool};

impl Store {
    /// Of reports `ids`, those with a message from the reporter newer than every staff action
    /// on them (a staff history entry: any actor but the reporter and the system).
    pub async fn awaiting_staff(&self, ids: &[i64]) -> Result<Vec<i64>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT DISTINCT e.report_id FROM report_events e
             WHERE e.kind = 'reporter_message' AND e.report_id IN ({})
               AND NOT EXISTS (SELECT 1 FROM report_events s
                   WHERE s.report_id = e.report_id AND s.actor NOT IN ('reporter', 'system')
                     AND s.created_at >= e.created_at)
             ORDER BY e.report_id",
            placeholders.join(", ")
        );
        let rows: Vec<i64> = on_pool!(self, |pool| {
            let mut query = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()));
            for id in ids {
                query = query.bind(*id);
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows)
    }
}
