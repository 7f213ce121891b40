//! The store: one API over SQLite (default) and PostgreSQL.
//!
//! Both backends run the same SQL wherever the dialects agree (numbered `$1` parameters,
//! `ON CONFLICT`, `RETURNING` all work in both); the `on_pool!` macro type-checks each query
//! once per backend. Where dialects differ, a method matches on the backend itself.
//! Migrations for each dialect live in `migrations/sqlite` and `migrations/postgres`.

mod calendar;
mod campaigns;
mod database_url;
mod dialogues;
mod error;
mod notices;
mod outbox;
mod queue;
mod quiz;
mod rate_limits;
mod regions;
mod report_changes;
mod report_queue;
mod report_setup;
mod reports;
mod retention;
mod sandbox;
mod settings;
mod staff;
mod stats;
mod subscribers;
mod upgrade;

pub use campaigns::{
    MANUAL_RUN_WINDOW, ManualRun, ManualRunGuard, NoRun, RunFigures, StoredCampaign, Trigger,
};
pub use database_url::DatabaseUrl;
pub use dialogues::coarse_expiry;
pub use error::StoreError;
pub use notices::{ClaimedNotice, NoticeKind, SealedNotice};
pub use outbox::{Acknowledged, Claimed, Outcome};
pub use quiz::{AnswerOutcome, Attempt, EnterpriseScore, QuestionRate, Standing, TownshipScore};
pub use regions::{RegionImport, UnlistedVillage};
pub use report_changes::{
    Applied, DeskClock, LinkedEvent, MessageKind, ReportChange, SealedMessage, StaffAudit,
    StatusChange, StoredEvent, StoredMessage,
};
pub use reports::{
    Filed, NewReportRow, ReportFilter, ReportRecord, ReportScope, SealedAttachment, SealedReport,
};
pub use staff::{AuditEntry, SignInPolicy, SignInSlot, StaffLogin};
pub use stats::Count;
pub use upgrade::{BoundNotice, SealedColumns, V1Values, V2Values};

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Clone, Debug)]
enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A handle to the database; cheap to clone (the pools are shared).
#[derive(Clone, Debug)]
pub struct Store {
    backend: Backend,
}

/// Starts a transaction that will write. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`): a deferred transaction that reads first and writes later cannot wait for a busy
/// writer and fails with "database is locked" instead.
pub(crate) trait BeginWrite {
    type Db: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>>
    + Send;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}

/// Runs `$body` with `$pool` bound to whichever pool this store has.
macro_rules! on_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.backend {
            $crate::store::Backend::Sqlite($pool) => $body,
            $crate::store::Backend::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Runs one statement with its bound values on whichever pool this store has and returns how
/// many rows it touched: the two backends' result types differ, and the count is all callers use.
macro_rules! execute {
    ($store:expr, $sql:expr $(, $bind:expr)* $(,)?) => {
        $crate::store::on_pool!($store, |pool| {
            sqlx::query($sql)
                $(.bind($bind))*
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })
    };
}
pub(crate) use execute;

impl Store {
    /// The SQLite pool, for tests that inspect the database directly.
    #[doc(hidden)]
    pub fn sqlite_pool(&self) -> Option<&SqlitePool> {
        match &self.backend {
            Backend::Sqlite(pool) => Some(pool),
            Backend::Postgres(_) => None,
        }
    }

    /// The PostgreSQL pool, for tests that inspect the database directly.
    #[doc(hidden)]
    pub fn postgres_pool(&self) -> Option<&PgPool> {
        match &self.backend {
            Backend::Postgres(pool) => Some(pool),
            Backend::Sqlite(_) => None,
        }
    }

    /// Opens the database (creating a SQLite file on first run). Does not migrate.
    pub async fn connect(url: &DatabaseUrl, max_connections: u32) -> Result<Store, StoreError> {
        let backend = match url {
            DatabaseUrl::Sqlite(raw) => {
                let options = SqliteConnectOptions::from_str(raw)
                    .map_err(|e| StoreError::unreachable(url, e))?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    // Deleted rows (finished drafts, wiped notices) are zeroed, not left
                    // recoverable in free pages.
                    .pragma("secure_delete", "ON")
                    // When the log is reset after a checkpoint, shrink the file too: stale
                    // frames beyond the new end would otherwise stay on disk.
                    .pragma("journal_size_limit", "0")
                    .busy_timeout(Duration::from_secs(5));
                let pool = SqlitePoolOptions::new()
                    .max_connections(max_connections)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await
                    .map_err(|e| StoreError::unreachable(url, e))?;
                Backend::Sqlite(pool)
            }
            DatabaseUrl::Postgres(raw) => {
                let options =
                    PgConnectOptions::from_str(raw).map_err(|e| StoreError::unreachable(url, e))?;
                let pool = PgPoolOptions::new()
                    .max_connections(max_connections)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_with(options)
                    .await
                    .map_err(|e| StoreError::unreachable(url, e))?;
                Backend::Postgres(pool)
            }
        };
        Ok(Store { backend })
    }

    /// For `check-config`: can the database be opened, without creating or changing anything?
    pub async fn check(url: &DatabaseUrl) -> Result<String, StoreError> {
        match url {
            DatabaseUrl::Sqlite(raw) => {
                let options = SqliteConnectOptions::from_str(raw)
                    .map_err(|e| StoreError::unreachable(url, e))?;
                let path = options.get_filename().to_path_buf();
                if path.as_os_str() != ":memory:" && !path.exists() {
                    let dir = path
                        .parent()
                        .filter(|p| !p.as_os_str().is_empty())
                        .unwrap_or(std::path::Path::new("."));
                    if !dir.is_dir() {
                        return Err(StoreError::unreachable(
                            url,
                            format!("directory {} does not exist", dir.display()),
                        ));
                    }
                    return Ok(format!(
                        "sqlite: {} does not exist yet; `serve` or `migrate` will create it",
                        path.display()
                    ));
                }
                let pool = SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(options.read_only(true))
                    .await
                    .map_err(|e| StoreError::unreachable(url, e))?;
                let store = Store {
                    backend: Backend::Sqlite(pool),
                };
                store.ping().await?;
                store.close().await;
                Ok(format!("sqlite: {} opens", path.display()))
            }
            DatabaseUrl::Postgres(_) => {
                let store = Store::connect(url, 1).await?;
                store.ping().await?;
                store.close().await;
                Ok(format!("postgres: {url} answers"))
            }
        }
    }

    /// Connects and applies pending migrations: what `serve` and `migrate` do.
    pub async fn open(url: &DatabaseUrl, max_connections: u32) -> Result<Store, StoreError> {
        let store = Store::connect(url, max_connections).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies pending migrations; returns how many were applied.
    pub async fn migrate(&self) -> Result<usize, StoreError> {
        // Absent on a fresh database, hence the fallback to zero.
        let applied_before: i64 = on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
                .fetch_one(pool)
                .await
        })
        .unwrap_or(0);
        let migrator = match self.backend {
            Backend::Sqlite(_) => &SQLITE_MIGRATIONS,
            Backend::Postgres(_) => &POSTGRES_MIGRATIONS,
        };
        on_pool!(self, |pool| migrator.run(pool).await).map_err(StoreError::Migrate)?;
        let applied_before = usize::try_from(applied_before).unwrap_or(0);
        Ok(migrator.iter().count().saturating_sub(applied_before))
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// A cheap round trip, for health checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let _: i32 = on_pool!(self, |pool| sqlx::query_scalar("SELECT 1")
            .fetch_one(pool)
            .await)?;
        Ok(())
    }

    /// Closes the pools, waiting for connections in use (part of graceful shutdown).
    pub async fn close(&self) {
        on_pool!(self, |pool| pool.close().await)
    }
}

/// How many of the ids active before an import are not among those just imported.
fn count_retired<'a>(before: &[String], kept: impl Iterator<Item = &'a str>) -> usize {
    let kept: std::collections::HashSet<&str> = kept.collect();
    before
        .iter()
        .filter(|id| !kept.contains(id.as_str()))
        .count()
}

#[cfg(test)]
mod tests;
