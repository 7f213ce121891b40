//! Staff accounts, sessions (by token hash) and the append-only audit log.

use chrono::{DateTime, Utc};

use super::{BeginWrite, Store, StoreError, execute, on_pool};
use crate::domain::{Staff, StaffRole, Username};

/// A staff row with what login needs.
#[derive(Debug, Clone)]
pub struct StaffLogin {
    pub staff: Staff,
    pub password_hash: String,
    /// Sealed by the caller; `None` without a second factor.
    pub totp_secret: Option<String>,
}

/// The outcome of reserving a sign-in attempt (see [`Store::reserve_sign_in`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInSlot {
    /// Go ahead and check the password.
    Granted,
    /// Too many failures: refused without checking, until then.
    Locked { until: DateTime<Utc> },
}

/// How failed sign-ins lock a name.
#[derive(Debug, Clone, Copy)]
pub struct SignInPolicy {
    /// Attempts allowed before the name locks.
    pub failures: i32,
    /// How long a lock lasts.
    pub lock_for: chrono::TimeDelta,
    /// Failures older than this are forgotten.
    pub forget_after: chrono::TimeDelta,
}

#[derive(sqlx::FromRow)]
struct StaffRow {
    id: i64,
    username: String,
    password_hash: String,
    role: String,
    township_code: Option<String>,
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

const STAFF_COLUMNS: &str = "id, username, password_hash, role, township_code, totp_secret";

impl Store {
    /// Creates an account; `Ok(false)` when the username is taken.
    pub async fn create_staff(
        &self,
        username: &Username,
        password_hash: &str,
        role: &StaffRole,
    ) -> Result<bool, StoreError> {
        let now = Utc::now();
        let inserted = execute!(
            self,
            "INSERT INTO staff (username, password_hash, role, township_code, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (username) DO NOTHING",
            username.as_str(),
            password_hash,
            role.name(),
            role.township().map(|t| t.as_str()),
            now,
        )?;
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

    /// Every staff account, by name: the dashboard's staff picker.
    pub async fn staff_members(&self) -> Result<Vec<Staff>, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {STAFF_COLUMNS} FROM staff ORDER BY username"
        ));
        let rows: Vec<StaffRow> =
            on_pool!(self, |pool| { sqlx::query_as(sql).fetch_all(pool).await })?;
        rows.into_iter()
            .map(|row| StaffLogin::try_from(row).map(|login| login.staff))
            .collect()
    }

    /// Reserves one sign-in attempt for `bucket` (a keyed hash of the name typed, so unknown
    /// names are treated exactly like real ones) *before* the password is checked: the count
    /// is raised and read in one statement, so concurrent guesses cannot test more passwords
    /// than the policy allows. The attempt after the last allowed one locks the name; a lock
    /// that has run out, or failures older than `forget_after`, start the count afresh.
    pub async fn reserve_sign_in(
        &self,
        bucket: &str,
        policy: SignInPolicy,
        now: DateTime<Utc>,
    ) -> Result<SignInSlot, StoreError> {
        let (_, locked_until): (i32, Option<DateTime<Utc>>) = on_pool!(self, |pool| {
            sqlx::query_as(
                "INSERT INTO sign_in_failures (bucket, failures, locked_until, last_failure_at)
                 VALUES ($1, 1, NULL, $2)
                 ON CONFLICT (bucket) DO UPDATE SET
                   failures = CASE
                     WHEN sign_in_failures.locked_until > $2 THEN sign_in_failures.failures
                     WHEN sign_in_failures.locked_until <= $2
                       OR sign_in_failures.last_failure_at < $3 THEN 1
                     ELSE sign_in_failures.failures + 1 END,
                   locked_until = CASE
                     WHEN sign_in_failures.locked_until > $2 THEN sign_in_failures.locked_until
                     WHEN sign_in_failures.locked_until <= $2
                       OR sign_in_failures.last_failure_at < $3 THEN NULL
                     WHEN sign_in_failures.failures + 1 > $4 THEN $5
                     ELSE NULL END,
                   last_failure_at = $2
                 RETURNING failures, locked_until",
            )
            .bind(bucket)
            .bind(now)
            .bind(now - policy.forget_after)
            .bind(policy.failures)
            .bind(now + policy.lock_for)
            .fetch_one(pool)
            .await
        })?;
        Ok(match locked_until {
            Some(until) if until > now => SignInSlot::Locked { until },
            _ => SignInSlot::Granted,
        })
    }

    /// A successful sign-in (or an operator's reset) forgets the failures of `bucket`.
    pub async fn clear_sign_in_failures(&self, bucket: &str) -> Result<(), StoreError> {
        execute!(
            self,
            "DELETE FROM sign_in_failures WHERE bucket = $1",
            bucket,
        )?;
        Ok(())
    }

    /// Accepts TOTP time step `step` for the account only if it is later than the last one
    /// accepted, so a code seen over someone's shoulder cannot be used again.
    pub async fn accept_totp_step(&self, staff_id: i64, step: i64) -> Result<bool, StoreError> {
        let accepted = execute!(
            self,
            "UPDATE staff SET totp_last_step = $2
                 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
            staff_id,
            step,
        )?;
        Ok(accepted == 1)
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

    /// Turns the second factor on (with its sealed secret) or off; a new secret starts with no
    /// time step used.
    pub async fn set_staff_totp(
        &self,
        staff_id: i64,
        sealed_secret: Option<&str>,
    ) -> Result<(), StoreError> {
        execute!(
            self,
            "UPDATE staff SET totp_secret = $2, totp_last_step = NULL, updated_at = $3
                 WHERE id = $1",
            staff_id,
            sealed_secret,
            Utc::now(),
        )?;
        Ok(())
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        staff_id: i64,
        csrf_token: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        execute!(
            self,
            "INSERT INTO staff_sessions (token_hash, staff_id, csrf_token, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5)",
            token_hash,
            staff_id,
            csrf_token,
            Utc::now(),
            expires_at,
        )?;
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
        execute!(
            self,
            "DELETE FROM staff_sessions WHERE token_hash = $1",
            token_hash,
        )?;
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
        execute!(
            self,
            "INSERT INTO audit_log (username, action, report_id, detail, created_at)
                 VALUES ($1, $2, $3, $4, $5)",
            username,
            action,
            report_id,
            detail,
            Utc::now(),
        )?;
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
