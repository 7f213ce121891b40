//! Counts for the statistics pages. Each is one grouped query; names are looked up by the
//! caller. Months are calendar months in the configured zone. Report counts take the reader's
//! [`ReportScope`]: a township account counts its desk's reports only.

use chrono::{DateTime, Utc};

use super::reports::{RecordRow, record_columns};
use super::{Backend, ReportRecord, ReportScope, Store, StoreError, on_pool};

/// The reports `$1` (a township code, or NULL for all) may see: those at the desks serving it.
macro_rules! in_scope {
    () => {
        "($1 IS NULL OR desk_code IN (SELECT desk_code FROM desk_townships WHERE township_code = $1))"
    };
}

/// A labelled count (a row of a statistics table).
pub type Count = (String, i64);

impl Store {
    /// The reports a desk received in `[from, to)` that `scope` may see, for the handling
    /// figures (按期受理率, 办结率, average days).
    pub async fn reports_received_between(
        &self,
        scope: &ReportScope,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ReportRecord>, StoreError> {
        let sql = concat!(
            "SELECT ",
            record_columns!(),
            " FROM reports WHERE ",
            in_scope!(),
            " AND COALESCE(desk_received_at, received_at) >= $2
              AND COALESCE(desk_received_at, received_at) < $3 ORDER BY id"
        );
        let rows: Vec<RecordRow> = on_pool!(self, |pool| {
            sqlx::query_as(sql)
                .bind(scope.township())
                .bind(from)
                .bind(to)
                .fetch_all(pool)
                .await
        })?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Active subscribers per (township, audience).
    pub async fn subscribers_by_township(&self) -> Result<Vec<(String, String, i64)>, StoreError> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT township_code, audience, COUNT(*) FROM subscribers WHERE active
                 GROUP BY township_code, audience ORDER BY township_code, audience",
            )
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    pub async fn reports_by_category(&self, scope: &ReportScope) -> Result<Vec<Count>, StoreError> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT category_code, COUNT(*) FROM reports WHERE ",
                in_scope!(),
                " GROUP BY category_code ORDER BY 2 DESC, 1"
            ))
            .bind(scope.township())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Reports per township; county departments as `-`.
    pub async fn reports_by_township(&self, scope: &ReportScope) -> Result<Vec<Count>, StoreError> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT COALESCE(township_code, '-'), COUNT(*) FROM reports WHERE ",
                in_scope!(),
                " GROUP BY COALESCE(township_code, '-') ORDER BY 2 DESC, 1"
            ))
            .bind(scope.township())
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Reports per month received (`YYYY-MM`) in the local zone `tz` (北京时间 for a Chinese
    /// county, not UTC: a report filed at 07:00 on the 1st belongs to that month). The database
    /// counts per UTC hour and the months are formed here, which is exact for every zone whose
    /// offset is whole hours (all of China's).
    pub async fn reports_by_month(
        &self,
        tz: chrono_tz::Tz,
        scope: &ReportScope,
    ) -> Result<Vec<Count>, StoreError> {
        let hours: Vec<(String, i64)> = match &self.backend {
            Backend::Sqlite(pool) => {
                sqlx::query_as(concat!(
                    "SELECT strftime('%Y-%m-%d %H', received_at) AS hour, COUNT(*) FROM reports
                     WHERE ",
                    in_scope!(),
                    " GROUP BY hour ORDER BY hour"
                ))
                .bind(scope.township())
                .fetch_all(pool)
                .await?
            }
            Backend::Postgres(pool) => {
                sqlx::query_as(concat!(
                    "SELECT to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24') AS hour,
                     COUNT(*) FROM reports WHERE ",
                    in_scope!(),
                    " GROUP BY hour ORDER BY hour"
                ))
                .bind(scope.township())
                .fetch_all(pool)
                .await?
            }
        };
        let mut months: std::collections::BTreeMap<String, i64> = Default::default();
        for (hour, n) in hours {
            let utc =
                chrono::NaiveDateTime::parse_from_str(&format!("{hour}:00"), "%Y-%m-%d %H:%M")
                    .map_err(|e| StoreError::Corrupt(format!("hour {hour}: {e}")))?
                    .and_utc();
            let month = utc.with_timezone(&tz).format("%Y-%m").to_string();
            *months.entry(month).or_default() += n;
        }
        Ok(months.into_iter().collect())
    }

    /// Per campaign: reminders sent and acknowledged.
    pub async fn acknowledgement_rates(&self) -> Result<Vec<(String, i64, i64)>, StoreError> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT r.campaign_id, COUNT(d.id), COUNT(a.delivery_id)
                 FROM deliveries d JOIN campaign_runs r ON r.id = d.run_id
                 LEFT JOIN acknowledgements a ON a.delivery_id = d.id
                 WHERE d.status = 'sent'
                 GROUP BY r.campaign_id ORDER BY r.campaign_id",
            )
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Per ranking period: finished quizzes and the people who took them.
    pub async fn quiz_participation(&self) -> Result<Vec<(String, i64, i64)>, StoreError> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT period, COUNT(*), COUNT(DISTINCT subscriber_id) FROM quiz_attempts
                 WHERE finished_at IS NOT NULL GROUP BY period ORDER BY period",
            )
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }
}
