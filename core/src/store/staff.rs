//! Staff accounts, sessions (by token hash) and the append-only audit log.

use chrono::{DateTime, Utc};

use super::{BeginWrite, Store, StoreError, on_pool};
use crate::domain::{Staff, StaffRole, Username};

/// A staff row with what login needs.
#[derive(Debug, Clone)]
pub struct StaffLogin {
    pub staff: Staff,
    pub password_hash: String,
    pub failed_logins: i32,
    pub locked_until: Option<DateTime<Utc>>,
    /// Sealed by the caller; `None` without a second factor.
    pub totp_secret: Option<String>,
}

#[derive(sqlx::FromRow)]
struct StaffRow {
    id: i64,
    username: String,
    password_hash: String,
    role: String,
    township_code: Option<String>,
    failed_logins: i32,
    locked_until: Option<DateTime<Utc>>,
    totp_secret: Option<String>,
}

impl TryFrom<StaffRow> for StaffLogin {
    type Error = StoreError;
    fn try_from(row: StaffRow) -> Result<Self, StoreError> {
        Ok(StaffLogin {
            staff: Staff {
                id: row.id,
                username: row.username.parse().map_err(StoreError::Corrupt)?,
                role: StaffRole::from_parts(&row.role, row.township_code.as_deref())
                    .map_err(StoreError::Corrupt)?,
                totp: row.totp_secret.is_some(),
            },
            password_hash: row.password_hash,
            failed_logins: row.failed_logins,
            locked_until: row.locked_until,
            totp_secret: row.totp_secret,
        })
    }
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    staff: StaffRow,
    csrf_token: String,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub username: String,
    pub action: String,
    pub report_id: Option<i64>,
    pub detail: Option<String>,
    pub created_at: DateTime<Utc>,
}

const STAFF_COLUMNS: &str =
    "id, username, password_hash, role, township_code, failed_logins, locked_until, totp_secret";

impl Store {
    /// Creates an account; `Ok(false)` when the username is taken.
    pub async fn create_staff(
        &self,
        username: &Username,
        password_hash: &str,
        role: &StaffRole,
    ) -> Result<bool, StoreError> {
        let now = Utc::now();
        let inserted = on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO staff (username, password_hash, role, township_code, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (username) DO NOTHING",
            )
            .bind(username.as_str())
            .bind(password_hash)
            .bind(role.name())
            .bind(role.township().map(|t| t.as_str()))
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(inserted == 1)
    }

    pub async fn staff_login(&self, username: &str) -> Result<Option<StaffLogin>, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {STAFF_COLUMNS} FROM staff WHERE username = $1"
        ));
        let row: Option<StaffRow> = on_pool!(self, |pool| {
            sqlx::query_as(sql)
                .bind(username)
                .fetch_optional(pool)
                .await
        })?;
        row.map(TryInto::try_into).transpose()
    }

    /// Counts a failed login; at `limit` failures the account locks until `lock_until`.
    pub async fn record_failed_login(
        &self,
        staff_id: i64,
        limit: i32,
        lock_until: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE staff SET failed_logins = failed_logins + 1,
                     locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END
                 WHERE id = $1",
            )
            .bind(staff_id)
            .bind(limit)
            .bind(lock_until)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn clear_failed_logins(&self, staff_id: i64) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query("UPDATE staff SET failed_logins = 0, locked_until = NULL WHERE id = $1")
                .bind(staff_id)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Sets a new password hash and ends every session of the account.
    pub async fn set_staff_password(
        &self,
        staff_id: i64,
        password_hash: &str,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE staff SET password_hash = $2, updated_at = $3 WHERE id = $1")
                .bind(staff_id)
                .bind(password_hash)
                .bind(Utc::now())
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1")
                .bind(staff_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// Turns the second factor on (with its sealed secret) or off.
    pub async fn set_staff_totp(
        &self,
        staff_id: i64,
        sealed_secret: Option<&str>,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query("UPDATE staff SET totp_secret = $2, updated_at = $3 WHERE id = $1")
                .bind(staff_id)
                .bind(sealed_secret)
                .bind(Utc::now())
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        staff_id: i64,
        csrf_token: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO staff_sessions (token_hash, staff_id, csrf_token, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(token_hash)
            .bind(staff_id)
            .bind(csrf_token)
            .bind(Utc::now())
            .bind(expires_at)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// The staff member and CSRF token of a live session.
    pub async fn session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(Staff, String)>, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {}, s.csrf_token FROM staff_sessions s JOIN staff t ON t.id = s.staff_id
             WHERE s.token_hash = $1 AND s.expires_at > $2",
            STAFF_COLUMNS
                .split(", ")
                .map(|c| format!("t.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        let row: Option<SessionRow> = on_pool!(self, |pool| {
            sqlx::query_as(sql)
                .bind(token_hash)
                .bind(now)
                .fetch_optional(pool)
                .await
        })?;
        let Some(row) = row else {
            return Ok(None);
        };
        let login: StaffLogin = row.staff.try_into()?;
        Ok(Some((login.staff, row.csrf_token)))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Appends to the audit log (there is no way to change or remove an entry).
    pub async fn audit(
        &self,
        username: &str,
        action: &str,
        report_id: Option<i64>,
        detail: Option<&str>,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO audit_log (username, action, report_id, detail, created_at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(username)
            .bind(action)
            .bind(report_id)
            .bind(detail)
            .bind(Utc::now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// The newest entries first.
    pub async fn audit_log(&self, limit: i64, offset: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, username, action, report_id, detail, created_at FROM audit_log
                 ORDER BY id DESC LIMIT $1 OFFSET $2",
            )
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }
}
