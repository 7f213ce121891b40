//! Subscribers: who receives reminders, and what they told us during onboarding.

use chrono::{DateTime, Utc};

use super::{BeginWrite, Store, StoreError, execute, on_pool};
use crate::domain::{Audience, EnterpriseName, Language, NewSubscriber, Profile, Subscriber};

#[derive(sqlx::FromRow)]
struct SubscriberRow {
    id: i64,
    chat_id: i64,
    audience: String,
    township_code: String,
    village_code: Option<String>,
    enterprise_name: Option<String>,
    credit_code: Option<String>,
    language: String,
    active: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<SubscriberRow> for Subscriber {
    type Error = StoreError;

    fn try_from(row: SubscriberRow) -> Result<Self, StoreError> {
        let corrupt = |what: &str, e: String| {
            StoreError::Corrupt(format!("subscriber {}: {what}: {e}", row.id))
        };
        let township = row
            .township_code
            .parse()
            .map_err(|e| corrupt("township", format!("{e}")))?;
        let audience: Audience = row.audience.parse().map_err(|e| corrupt("audience", e))?;
        let profile = match audience {
            Audience::Enterprise => Profile::Enterprise {
                township,
                name: EnterpriseName::from_stored(
                    row.enterprise_name.as_deref().unwrap_or_default(),
                )
                .map_err(|e| corrupt("enterprise name", e.to_string()))?,
                credit_code: row
                    .credit_code
                    .as_deref()
                    .map(str::parse)
                    .transpose()
                    .map_err(|e| corrupt("credit code", format!("{e}")))?,
            },
            Audience::Household => Profile::Household {
                township,
                village: row
                    .village_code
                    .as_deref()
                    .map(str::parse)
                    .transpose()
                    .map_err(|e| corrupt("village", format!("{e}")))?,
            },
        };
        Ok(Subscriber {
            id: row.id,
            chat_id: row.chat_id,
            language: row.language.parse().map_err(|e| corrupt("language", e))?,
            profile,
            active: row.active,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// The profile's columns: (audience, township, village, enterprise name, credit code).
fn profile_columns(
    profile: &Profile,
) -> (&'static str, &str, Option<&str>, Option<&str>, Option<&str>) {
    match profile {
        Profile::Enterprise {
            township,
            name,
            credit_code,
        } => (
            "enterprise",
            township.as_str(),
            None,
            Some(name.as_str()),
            credit_code.as_ref().map(|c| c.as_str()),
        ),
        Profile::Household { township, village } => (
            "household",
            township.as_str(),
            village.as_ref().map(|v| v.as_str()),
            None,
            None,
        ),
    }
}

impl Store {
    /// Subscribes a chat, or updates and re-activates its subscription (a second `/start`).
    pub async fn upsert_subscriber(&self, new: &NewSubscriber) -> Result<Subscriber, StoreError> {
        let (audience, township, village, name, credit_code) = profile_columns(&new.profile);
        let now = Utc::now();
        let row: SubscriberRow = on_pool!(self, |pool| {
            sqlx::query_as(
                "INSERT INTO subscribers (chat_id, audience, township_code, village_code,
                     enterprise_name, credit_code, language, active, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8, $8)
                 ON CONFLICT (chat_id) DO UPDATE SET audience = $2, township_code = $3,
                     village_code = $4, enterprise_name = $5, credit_code = $6, language = $7,
                     active = TRUE, updated_at = $8
                 RETURNING id, chat_id, audience, township_code, village_code, enterprise_name,
                     credit_code, language, active, created_at, updated_at",
            )
            .bind(new.chat_id)
            .bind(audience)
            .bind(township)
            .bind(village)
            .bind(name)
            .bind(credit_code)
            .bind(new.language.tag())
            .bind(now)
            .fetch_one(pool)
            .await
        })?;
        row.try_into()
    }

    pub async fn subscriber_by_chat(&self, chat_id: i64) -> Result<Option<Subscriber>, StoreError> {
        let row: Option<SubscriberRow> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, chat_id, audience, township_code, village_code, enterprise_name,
                     credit_code, language, active, created_at, updated_at
                 FROM subscribers WHERE chat_id = $1",
            )
            .bind(chat_id)
            .fetch_optional(pool)
            .await
        })?;
        row.map(Subscriber::try_from).transpose()
    }

    /// Marks a subscription active or inactive (`/stop`, or the user blocked the bot).
    /// Returns false when the chat has no subscription.
    pub async fn set_subscriber_active(
        &self,
        chat_id: i64,
        active: bool,
    ) -> Result<bool, StoreError> {
        let result = on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let changed = sqlx::query(
                "UPDATE subscribers SET active = $2, updated_at = $3 WHERE chat_id = $1",
            )
            .bind(chat_id)
            .bind(active)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if !active {
                // Reminders already queued for someone who left are not sent.
                sqlx::query(
                    "UPDATE deliveries SET status = 'cancelled', error = 'unsubscribed'
                     WHERE status = 'queued' AND subscriber_id = (SELECT id FROM subscribers WHERE chat_id = $1)",
                )
                .bind(chat_id)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(changed)
        })?;
        Ok(result > 0)
    }

    /// Keeps the subscriber's language in step with the chat, for scheduled sends.
    pub async fn set_subscriber_language(
        &self,
        chat_id: i64,
        language: Language,
    ) -> Result<(), StoreError> {
        execute!(
            self,
            "UPDATE subscribers SET language = $2 WHERE chat_id = $1 AND language <> $2",
            chat_id,
            language.tag(),
        )?;
        Ok(())
    }

    /// Active subscribers per audience, for the log line at start and the dashboard later.
    pub async fn count_active_subscribers(&self, audience: Audience) -> Result<i64, StoreError> {
        let count = on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM subscribers WHERE active AND audience = $1")
                .bind(audience.as_str())
                .fetch_one(pool)
                .await
        })?;
        Ok(count)
    }
}
