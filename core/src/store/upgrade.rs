//! The store's side of the one-time key-schedule upgrade (`reports::upgrade`): read every value
//! the first schedule sealed, then write the re-sealed values, the new wrapped key and the
//! re-keyed conversation rows in one transaction, and drop the old conversation tables.

use chrono::{DateTime, Utc};

use super::{Backend, BeginWrite, Store, StoreError, on_pool};

/// A report's sealed columns.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SealedColumns {
    pub id: i64,
    pub code_hash: String,
    pub body: Vec<u8>,
    pub reporter: Option<Vec<u8>>,
    pub reply_address: Option<Vec<u8>>,
}

/// A notice re-sealed and bound to its report.
#[derive(Debug, Clone)]
pub struct BoundNotice {
    pub id: i64,
    pub report_id: i64,
    pub recipient: Vec<u8>,
    pub body: Vec<u8>,
}

/// Every sealed value of the first key schedule, as stored.
#[derive(Debug, Default)]
pub struct V1Values {
    pub reports: Vec<SealedColumns>,
    /// (report id, position, file)
    pub attachments: Vec<(i64, i32, Vec<u8>)>,
    /// (id, report id, author, visibility, body)
    pub messages: Vec<(i64, i64, String, String, Vec<u8>)>,
    /// Notices not yet settled: (id, kind, recipient, body)
    pub notices: Vec<(i64, String, Vec<u8>, Vec<u8>)>,
    /// (staff id, sealed TOTP secret)
    pub totp_secrets: Vec<(i64, String)>,
    /// (chat id, sealed state, last step)
    pub dialogues: Vec<(i64, Vec<u8>, DateTime<Utc>)>,
    /// (chat id, language)
    pub chat_settings: Vec<(i64, String)>,
}

/// What the upgrade writes.
#[derive(Debug, Default)]
pub struct V2Values {
    pub wrapped_key: String,
    /// Reports filed under v1 exist: their tracking codes keep their v1 hashes.
    pub v1_codes: bool,
    pub reports: Vec<SealedColumns>,
    pub attachments: Vec<(i64, i32, Vec<u8>)>,
    pub messages: Vec<(i64, Vec<u8>)>,
    /// A notice that could not be bound to a report (`Err(id)`) is failed and wiped.
    pub notices: Vec<Result<BoundNotice, i64>>,
    pub totp_secrets: Vec<(i64, String)>,
    /// (chat key, sealed state, expiry)
    pub dialogues: Vec<(String, Vec<u8>, DateTime<Utc>)>,
    /// (chat key, language)
    pub chat_settings: Vec<(String, String)>,
}

const WRAPPED_KEY_V1: &str = "reports.key";
const WRAPPED_KEY: &str = "content.key";
const V1_CODES: &str = "content.v1-codes";

/// Rewrites the sealed report content (bodies, identities, reply addresses, evidence,
/// messages) inside `$tx`.
macro_rules! reseal_report_content {
    ($tx:expr, $values:expr) => {
        for report in &$values.reports {
            sqlx::query(
                "UPDATE reports SET body = $2, reporter = $3, reply_address = $4 WHERE id = $1",
            )
            .bind(report.id)
            .bind(&report.body)
            .bind(&report.reporter)
            .bind(&report.reply_address)
            .execute(&mut *$tx)
            .await?;
        }
        for (report_id, position, file) in &$values.attachments {
            sqlx::query(
                "UPDATE report_attachments SET file = $3 WHERE report_id = $1 AND position = $2",
            )
            .bind(report_id)
            .bind(position)
            .bind(file)
            .execute(&mut *$tx)
            .await?;
        }
        for (id, body) in &$values.messages {
            sqlx::query("UPDATE report_messages SET body = $2 WHERE id = $1")
                .bind(id)
                .bind(body)
                .execute(&mut *$tx)
                .await?;
        }
    };
}

/// Rebinds each notice to its report inside `$tx`; one that cannot be bound is failed and
/// emptied rather than left undeliverable in the queue.
macro_rules! rebind_notices {
    ($tx:expr, $notices:expr) => {
        for notice in $notices {
            match notice {
                Ok(bound) => sqlx::query(
                    "UPDATE notices SET report_id = $2, recipient = $3, body = $4 WHERE id = $1",
                )
                .bind(bound.id)
                .bind(bound.report_id)
                .bind(&bound.recipient)
                .bind(&bound.body),
                Err(id) => sqlx::query(
                    "UPDATE notices SET status = 'failed', recipient = NULL, body = NULL,
                     error = 'not bound to a report when keys were upgraded' WHERE id = $1",
                )
                .bind(id),
            }
            .execute(&mut *$tx)
            .await?;
        }
    };
}

/// Moves dialogues and chat settings to their keyed tables inside `$tx` and drops the v1
/// tables, which held chat ids in the clear.
macro_rules! move_chat_state {
    ($tx:expr, $values:expr) => {
        for (chat_key, state, expires_at) in &$values.dialogues {
            sqlx::query("INSERT INTO dialogues (chat_key, state, expires_at) VALUES ($1, $2, $3)")
                .bind(chat_key)
                .bind(state)
                .bind(expires_at)
                .execute(&mut *$tx)
                .await?;
        }
        for (chat_key, language) in &$values.chat_settings {
            sqlx::query("INSERT INTO chat_settings (chat_key, language) VALUES ($1, $2)")
                .bind(chat_key)
                .bind(language)
                .execute(&mut *$tx)
                .await?;
        }
        sqlx::query("DROP TABLE dialogues_v1")
            .execute(&mut *$tx)
            .await?;
        sqlx::query("DROP TABLE chat_settings_v1")
            .execute(&mut *$tx)
            .await?;
    };
}

impl Store {
    pub async fn read_v1_values(&self) -> Result<V1Values, StoreError> {
        on_pool!(self, |pool| {
            Ok::<_, StoreError>(V1Values {
                reports: sqlx::query_as(
                    "SELECT id, code_hash, body, reporter, reply_address FROM reports ORDER BY id",
                )
                .fetch_all(pool)
                .await?,
                attachments: sqlx::query_as(
                    "SELECT report_id, position, file FROM report_attachments",
                )
                .fetch_all(pool)
                .await?,
                messages: sqlx::query_as(
                    "SELECT id, report_id, author, visibility, body FROM report_messages",
                )
                .fetch_all(pool)
                .await?,
                notices: sqlx::query_as(
                    "SELECT id, kind, recipient, body FROM notices
                     WHERE recipient IS NOT NULL AND body IS NOT NULL
                       AND status IN ('queued', 'sending')",
                )
                .fetch_all(pool)
                .await?,
                totp_secrets: sqlx::query_as(
                    "SELECT id, totp_secret FROM staff WHERE totp_secret IS NOT NULL",
                )
                .fetch_all(pool)
                .await?,
                dialogues: sqlx::query_as("SELECT chat_id, state, updated_at FROM dialogues_v1")
                    .fetch_all(pool)
                    .await?,
                chat_settings: sqlx::query_as("SELECT chat_id, language FROM chat_settings_v1")
                    .fetch_all(pool)
                    .await?,
            })
        })
    }

    /// Stores the v2 key and values, unless another process did first (then `Ok(false)` and
    /// nothing is written).
    pub async fn write_v2_values(&self, values: &V2Values) -> Result<bool, StoreError> {
        let written = on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let now = Utc::now();
            let created = sqlx::query(
                "INSERT INTO kv_settings (key, value, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(WRAPPED_KEY)
            .bind(&values.wrapped_key)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if created == 0 {
                return Ok::<_, StoreError>(false);
            }
            if values.v1_codes {
                sqlx::query(
                    "INSERT INTO kv_settings (key, value, updated_at) VALUES ($1, '1', $2)",
                )
                .bind(V1_CODES)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query("DELETE FROM kv_settings WHERE key = $1")
                .bind(WRAPPED_KEY_V1)
                .execute(&mut *tx)
                .await?;
            reseal_report_content!(tx, values);
            rebind_notices!(tx, &values.notices);
            for (id, secret) in &values.totp_secrets {
                sqlx::query("UPDATE staff SET totp_secret = $2 WHERE id = $1")
                    .bind(id)
                    .bind(secret)
                    .execute(&mut *tx)
                    .await?;
            }
            move_chat_state!(tx, values);
            tx.commit().await?;
            Ok::<_, StoreError>(true)
        })?;
        if written && let Backend::Sqlite(pool) = &self.backend {
            // The dropped tables held chat ids in the clear: rewrite the file without their
            // pages, and leave no copy of them in the write-ahead log.
            sqlx::query("VACUUM").execute(pool).await?;
            self.trim_wal().await?;
        }
        Ok(written)
    }
}
