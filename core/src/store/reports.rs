//! Reports: filing (idempotent by tracking-code hash), reading and the queue. Changes are in
//! `report_changes`.
//! Content columns arrive sealed; this layer stores bytes and never sees plaintext.

use chrono::{DateTime, NaiveDate, Utc};

use super::notices::{SealedNotice, insert_notices};
use super::{BeginWrite, Store, StoreError, on_pool};
use crate::domain::{
    BodyCode, CategoryCode, DeskCode, Disposal, EvidenceKind, PersonLevel, RegionCode,
    ReportStatus, StaffRole,
};

/// A sealed attachment: only its kind and size are plain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedAttachment {
    pub kind: EvidenceKind,
    pub size: Option<i64>,
    pub file: Vec<u8>,
}

/// Everything needed to file a report in one transaction.
#[derive(Debug, Clone)]
pub struct NewReportRow {
    pub code_hash: String,
    pub category: CategoryCode,
    pub township: Option<RegionCode>,
    pub level: PersonLevel,
    pub desk: DeskCode,
    /// Set when the report belongs to the higher commission (the desk passes it up).
    pub higher_body: Option<BodyCode>,
    pub anonymous: bool,
    pub received_at: DateTime<Utc>,
    pub acceptance_due: NaiveDate,
    pub forward_due: NaiveDate,
    pub body: Vec<u8>,
    pub reporter: Option<Vec<u8>>,
    pub reply_address: Option<Vec<u8>>,
    pub attachments: Vec<SealedAttachment>,
    /// A rate-limit window to count this report in (bucket, window start).
    pub quota: Option<(String, DateTime<Utc>)>,
}

/// The result of filing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filed {
    New(i64),
    /// A report with this tracking code exists: the same submission, pressed again.
    Existing(i64),
}

/// A report's plain metadata: what queues sort and filter on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRecord {
    pub id: i64,
    /// The keyed hash of the tracking code; every sealed part of the report is bound to it.
    pub code_hash: String,
    pub category: CategoryCode,
    pub township: Option<RegionCode>,
    pub level: PersonLevel,
    pub desk: DeskCode,
    pub anonymous: bool,
    pub status: ReportStatus,
    pub disposal: Option<Disposal>,
    pub assigned_to: Option<String>,
    /// The open report this one was merged into, if it was marked a duplicate.
    pub duplicate_of: Option<i64>,
    pub received_at: DateTime<Utc>,
    pub acceptance_due: NaiveDate,
    pub forward_due: NaiveDate,
    pub result_due: Option<NaiveDate>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub concluded_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The higher commission the report belongs to, if it does (上报).
    pub higher_body: Option<BodyCode>,
    /// When the desk now holding the report received it: its own clock starts here.
    pub desk_received_at: DateTime<Utc>,
    pub transferred_at: Option<DateTime<Utc>>,
    /// The body it was passed to, as the county office recorded it.
    pub transferred_to: Option<String>,
    /// When its sealed content and evidence were purged (metadata and history remain).
    pub content_purged_at: Option<DateTime<Utc>>,
}

/// A report with its sealed parts.
#[derive(Debug, Clone)]
pub struct SealedReport {
    pub record: ReportRecord,
    /// The sealed parts are bound to it (it is fixed when the report is filed).
    pub code_hash: String,
    /// `None` once purged.
    pub body: Option<Vec<u8>>,
    pub reporter: Option<Vec<u8>>,
    pub reply_address: Option<Vec<u8>>,
    pub attachments: Vec<SealedAttachment>,
}

#[derive(sqlx::FromRow)]
pub(super) struct RecordRow {
    id: i64,
    code_hash: String,
    category_code: String,
    township_code: Option<String>,
    person_level: String,
    desk_code: String,
    anonymous: bool,
    status: String,
    disposal: Option<String>,
    assigned_to: Option<String>,
    duplicate_of: Option<i64>,
    received_at: DateTime<Utc>,
    acceptance_due: NaiveDate,
    forward_due: NaiveDate,
    result_due: Option<NaiveDate>,
    accepted_at: Option<DateTime<Utc>>,
    concluded_at: Option<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
    higher_body: Option<String>,
    desk_received_at: DateTime<Utc>,
    transferred_at: Option<DateTime<Utc>>,
    transferred_to: Option<String>,
    content_purged_at: Option<DateTime<Utc>>,
}

/// The metadata columns, as a macro so queries stay `&'static str` (sqlx 0.9 wants those).
macro_rules! record_columns {
    () => {
        "id, code_hash, category_code, township_code, person_level, desk_code, anonymous, status, disposal, \
         assigned_to, duplicate_of, received_at, acceptance_due, forward_due, result_due, accepted_at, \
         concluded_at, closed_at, higher_body, COALESCE(desk_received_at, received_at) AS desk_received_at, \
         transferred_at, transferred_to, content_purged_at"
    };
}
pub(super) use record_columns;

impl TryFrom<RecordRow> for ReportRecord {
    type Error = StoreError;
    fn try_from(row: RecordRow) -> Result<Self, StoreError> {
        let corrupt = StoreError::Corrupt;
        Ok(ReportRecord {
            id: row.id,
            code_hash: row.code_hash,
            category: row.category_code.parse().map_err(corrupt)?,
            township: row
                .township_code
                .map(|t| t.parse().map_err(|e| StoreError::Corrupt(format!("{e}"))))
                .transpose()?,
            level: row.person_level.parse().map_err(corrupt)?,
            desk: row.desk_code.parse().map_err(corrupt)?,
            anonymous: row.anonymous,
            status: row.status.parse().map_err(corrupt)?,
            disposal: row
                .disposal
                .map(|d| d.parse().map_err(corrupt))
                .transpose()?,
            assigned_to: row.assigned_to,
            duplicate_of: row.duplicate_of,
            received_at: row.received_at,
            acceptance_due: row.acceptance_due,
            forward_due: row.forward_due,
            result_due: row.result_due,
            accepted_at: row.accepted_at,
            concluded_at: row.concluded_at,
            closed_at: row.closed_at,
            higher_body: row
                .higher_body
                .map(|b| b.parse().map_err(corrupt))
                .transpose()?,
            desk_received_at: row.desk_received_at,
            transferred_at: row.transferred_at,
            transferred_to: row.transferred_to,
            content_purged_at: row.content_purged_at,
        })
    }
}

/// Which reports a reader may see: every query that returns reports to staff takes one, so a
/// township account cannot reach another township's report by guessing its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportScope {
    All,
    /// Reports currently at the desk serving this township.
    TownshipDesk(RegionCode),
}

impl From<&StaffRole> for ReportScope {
    fn from(role: &StaffRole) -> Self {
        match role {
            StaffRole::Admin | StaffRole::County => ReportScope::All,
            StaffRole::Township(code) => ReportScope::TownshipDesk(code.clone()),
        }
    }
}

impl ReportScope {
    pub(crate) fn township(&self) -> Option<&str> {
        match self {
            ReportScope::All => None,
            ReportScope::TownshipDesk(code) => Some(code.as_str()),
        }
    }
}

/// Filters for the report queue; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub desk: Option<DeskCode>,
    pub township: Option<RegionCode>,
    pub status: Option<ReportStatus>,
    pub category: Option<CategoryCode>,
    /// Only reports whose open deadline is before this date.
    pub overdue_on: Option<NaiveDate>,
    /// Only reports assigned to this staff member (我的案件).
    pub assigned_to: Option<String>,
    /// Only reports still being handled (not closed, not accepted or passed up).
    pub open_only: bool,
}

impl Store {
    /// Files a report, its attachments, its history entry, the staff alerts and the quota hit,
    /// all or nothing. Filing the same tracking code again returns the existing report.
    /// `alerts` builds the desk's alerts once the new report's id is known.
    pub async fn file_report(
        &self,
        report: &NewReportRow,
        alerts: impl FnOnce(i64) -> Vec<SealedNotice>,
    ) -> Result<Filed, StoreError> {
        on_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let existing: Option<i64> =
                sqlx::query_scalar("SELECT id FROM reports WHERE code_hash = $1")
                    .bind(&report.code_hash)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(id) = existing {
                return Ok::<_, StoreError>(Filed::Existing(id));
            }
            // The same submit pressed twice at once: on PostgreSQL the second insert waits for
            // the first to commit and then inserts nothing (SQLite's writer lock already
            // serialises them, so the check above sees the first).
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO reports (code_hash, category_code, township_code, person_level,
                     desk_code, anonymous, status, received_at, acceptance_due, forward_due,
                     body, reporter, reply_address, updated_at, higher_body)
                 VALUES ($1, $2, $3, $4, $5, $6, 'received', $7, $8, $9, $10, $11, $12, $7, $13)
                 ON CONFLICT (code_hash) DO NOTHING
                 RETURNING id",
            )
            .bind(&report.code_hash)
            .bind(report.category.as_str())
            .bind(report.township.as_ref().map(RegionCode::as_str))
            .bind(report.level.as_str())
            .bind(report.desk.as_str())
            .bind(report.anonymous)
            .bind(report.received_at)
            .bind(report.acceptance_due)
            .bind(report.forward_due)
            .bind(&report.body)
            .bind(&report.reporter)
            .bind(&report.reply_address)
            .bind(report.higher_body.as_ref().map(BodyCode::as_str))
            .fetch_optional(&mut *tx)
            .await?;
            let Some(id) = id else {
                let existing: i64 =
                    sqlx::query_scalar("SELECT id FROM reports WHERE code_hash = $1")
                        .bind(&report.code_hash)
                        .fetch_one(&mut *tx)
                        .await?;
                return Ok(Filed::Existing(existing));
            };
            for (position, a) in report.attachments.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO report_attachments (report_id, position, kind, size, file)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(position as i32)
                .bind(a.kind.as_str())
                .bind(a.size)
                .bind(&a.file)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(
                "INSERT INTO report_events (report_id, actor, kind, detail, created_at)
                 VALUES ($1, 'reporter', 'received', $2, $3)",
            )
            .bind(id)
            .bind(report.desk.as_str())
            .bind(report.received_at)
            .execute(&mut *tx)
            .await?;
            insert_notices!(tx, &alerts(id), report.received_at);
            if let Some((bucket, window)) = &report.quota {
                sqlx::query(
                    "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
                     ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1",
                )
                .bind(bucket)
                .bind(window)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(Filed::New(id))
        }
        .await)
    }

    pub async fn report_id_by_code_hash(&self, hash: &str) -> Result<Option<i64>, StoreError> {
        let id = on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT id FROM reports WHERE code_hash = $1")
                .bind(hash)
                .fetch_optional(pool)
                .await
        })?;
        Ok(id)
    }

    pub async fn report_record(&self, id: i64) -> Result<Option<ReportRecord>, StoreError> {
        let sql = concat!("SELECT ", record_columns!(), " FROM reports WHERE id = $1");
        let row: Option<RecordRow> = on_pool!(self, |pool| {
            sqlx::query_as(sql).bind(id).fetch_optional(pool).await
        })?;
        row.map(TryInto::try_into).transpose()
    }

    /// A report's metadata if `scope` may see it (else `None`, as if it did not exist).
    pub async fn visible_report(
        &self,
        id: i64,
        scope: &ReportScope,
    ) -> Result<Option<ReportRecord>, StoreError> {
        let sql = concat!(
            "SELECT ",
            record_columns!(),
            " FROM reports WHERE id = $1 AND ($2 IS NULL OR desk_code IN
                (SELECT desk_code FROM desk_townships WHERE township_code = $2))"
        );
        let row: Option<RecordRow> = on_pool!(self, |pool| {
            sqlx::query_as(sql)
                .bind(id)
                .bind(scope.township())
                .fetch_optional(pool)
                .await
        })?;
        row.map(TryInto::try_into).transpose()
    }

    /// The whole report, sealed parts included.
    pub async fn sealed_report(&self, id: i64) -> Result<Option<SealedReport>, StoreError> {
        let Some(record) = self.report_record(id).await? else {
            return Ok(None);
        };
        type Parts = (String, Option<Vec<u8>>, Option<Vec<u8>>, Option<Vec<u8>>);
        let (code_hash, body, reporter, reply_address): Parts = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT code_hash, body, reporter, reply_address FROM reports WHERE id = $1",
            )
            .bind(id)
            .fetch_one(pool)
            .await
        })?;
        let rows: Vec<(String, Option<i64>, Vec<u8>)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT kind, size, file FROM report_attachments WHERE report_id = $1 ORDER BY position",
            )
            .bind(id)
            .fetch_all(pool)
            .await
        })?;
        let attachments = rows
            .into_iter()
            .map(|(kind, size, file)| {
                Ok(SealedAttachment {
                    kind: kind.parse().map_err(StoreError::Corrupt)?,
                    size,
                    file,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Some(SealedReport {
            record,
            code_hash,
            body,
            reporter,
            reply_address,
            attachments,
        }))
    }

    /// The queue: matching reports, open ones first, the earliest deadline first. The order
    /// matches the `reports_queue_order` index exactly, so a page is read, not sorted.
    pub async fn list_reports(
        &self,
        scope: &ReportScope,
        filter: &ReportFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ReportRecord>, StoreError> {
        // Only the filters in use appear in the SQL, so the planner can use the indexes that
        // fit them (a `$1 IS NULL OR …` condition hides every index).
        let candidates: [(&str, Option<&str>); 6] = [
            ("assigned_to = ?", filter.assigned_to.as_deref()),
            ("desk_code = ?", filter.desk.as_ref().map(DeskCode::as_str)),
            (
                "township_code = ?",
                filter.township.as_ref().map(RegionCode::as_str),
            ),
            ("status = ?", filter.status.map(ReportStatus::as_str)),
            (
                "category_code = ?",
                filter.category.as_ref().map(CategoryCode::as_str),
            ),
            (
                "desk_code IN (SELECT desk_code FROM desk_townships WHERE township_code = ?)",
                scope.township(),
            ),
        ];
        let mut conditions: Vec<String> = Vec::new();
        let mut texts: Vec<&str> = Vec::new();
        for (condition, value) in candidates {
            if let Some(value) = value {
                texts.push(value);
                conditions.push(condition.replace('?', &format!("${}", texts.len())));
            }
        }
        let n = texts.len();
        if filter.open_only {
            conditions.push("NOT (status IN ('not_accepted', 'closed', 'transferred'))".into());
        }
        if filter.overdue_on.is_some() {
            conditions.push(format!(
                "((status = 'received' AND higher_body IS NULL AND acceptance_due < ${0})
                 OR (status = 'received' AND higher_body IS NOT NULL AND forward_due < ${0})
                 OR (status = 'concluded' AND result_due < ${0}))",
                n + 3
            ));
        }
        let sql = format!(
            "SELECT {} FROM reports {} {} ORDER BY (status IN ('not_accepted', 'closed', 'transferred')),
                 (COALESCE(result_due, acceptance_due)), id LIMIT ${} OFFSET ${}",
            record_columns!(),
            if conditions.is_empty() { "" } else { "WHERE" },
            conditions.join(" AND "),
            n + 1,
            n + 2
        );
        let rows: Vec<RecordRow> = on_pool!(self, |pool| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
            for text in &texts {
                query = query.bind(*text);
            }
            query = query.bind(limit).bind(offset);
            if let Some(date) = filter.overdue_on {
                query = query.bind(date);
            }
            query.fetch_all(pool).await
        })?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Open reports with a deadline in play, for the deadline scan.
    pub async fn reports_awaiting_deadlines(&self) -> Result<Vec<ReportRecord>, StoreError> {
        let sql = concat!(
            "SELECT ",
            record_columns!(),
            " FROM reports WHERE status IN ('received', 'concluded') ORDER BY id"
        );
        let rows: Vec<RecordRow> =
            on_pool!(self, |pool| { sqlx::query_as(sql).fetch_all(pool).await })?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Records that `(report, deadline, level)` was alerted and queues the alerts, once.
    /// Returns false if it had already been alerted.
    pub async fn record_deadline_alert(
        &self,
        report_id: i64,
        deadline: &str,
        level: &str,
        alerts: &[SealedNotice],
    ) -> Result<bool, StoreError> {
        let now = Utc::now();
        on_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let inserted = sqlx::query(
                "INSERT INTO deadline_alerts (report_id, deadline, level, created_at)
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(report_id)
            .bind(deadline)
            .bind(level)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted == 0 {
                return Ok::<_, StoreError>(false);
            }
            insert_notices!(tx, alerts, now);
            tx.commit().await?;
            Ok(true)
        }
        .await)
    }

    /// How many reports exist (all statuses), for tests and the CLI.
    pub async fn report_count(&self) -> Result<i64, StoreError> {
        let n = on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM reports")
                .fetch_one(pool)
                .await
        })?;
        Ok(n)
    }
}
