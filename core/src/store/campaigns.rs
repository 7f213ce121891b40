//! Campaign definitions and their runs (one row per firing, fanned out into the outbox).

use chrono::{DateTime, TimeDelta, Utc};

use super::{BeginWrite, Store, StoreError, execute, on_pool};
use crate::domain::{Campaign, CampaignId};

/// Why a run exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Schedule,
    /// Fired late, at start, for a firing missed while the service was down.
    CatchUp,
    /// `qingfeng campaign run ID`.
    Manual,
}

impl Trigger {
    fn as_str(self) -> &'static str {
        match self {
            Trigger::Schedule => "schedule",
            Trigger::CatchUp => "catch_up",
            Trigger::Manual => "manual",
        }
    }
}

/// A manual run asked for within this long of the last one is that run (a double click, a
/// second terminal), unless it is asked for as a repeat.
pub const MANUAL_RUN_WINDOW: TimeDelta = TimeDelta::seconds(60);

/// What stops a manual run from going out twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManualRunGuard {
    /// Refuse if a manual run of the campaign was started less than this long ago.
    NotWithin(TimeDelta),
    /// A deliberate repeat of the manual run with this id (`None`: there was none): refused if
    /// another run has started since, so a repeat asked for twice still goes out once.
    Repeating(Option<i64>),
}

impl ManualRunGuard {
    /// An ordinary "run now".
    pub const ONCE: ManualRunGuard = ManualRunGuard::NotWithin(MANUAL_RUN_WINDOW);

    /// The run that makes one asked for at `now` a duplicate, given the newest manual run (id,
    /// when it was asked for).
    fn refuses(self, latest: Option<(i64, DateTime<Utc>)>, now: DateTime<Utc>) -> Option<i64> {
        let (id, asked_at) = latest?;
        let duplicate = match self {
            ManualRunGuard::NotWithin(window) => now - asked_at < window,
            ManualRunGuard::Repeating(seen) => seen != Some(id),
        };
        duplicate.then_some(id)
    }
}

/// The outcome of asking for a manual run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManualRun {
    Started(RunFigures),
    /// Nothing new was sent: this run, started just before, is the one going out.
    AlreadyStarted(RunFigures),
}

enum Inserted {
    Created(i64),
    /// The `(campaign, scheduled_for)` firing already has a run.
    FiringExists,
    ManualRunExists(i64),
}

/// A firing that produced no messages, recorded so it is neither retried nor forgotten.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoRun {
    /// The service was down for longer than the catch-up window.
    Missed,
    /// Not a working day, for a working-days-only campaign.
    Skipped,
}

/// A run and its figures so far.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RunFigures {
    pub run_id: i64,
    pub campaign_id: String,
    pub scheduled_for: DateTime<Utc>,
    pub status: String,
    pub trigger_kind: String,
    pub targeted: i64,
    pub sent: i64,
    pub pending: i64,
    pub failed: i64,
    pub blocked: i64,
    /// Queued for someone who unsubscribed or became unreachable before it went out.
    pub cancelled: i64,
    pub acknowledged: i64,
}

/// A campaign as stored, with its switches.
#[derive(Debug, Clone)]
pub struct StoredCampaign {
    pub campaign: Campaign,
    pub active: bool,
    pub paused: bool,
}

/// A campaign's recipients as the delivery fan-out's SQL matches them: each list is
/// `,a,b,` (empty = everyone), so one statement serves both backends.
struct RecipientFilter {
    audience: String,
    townships: String,
    villages: String,
    languages: String,
}

impl RecipientFilter {
    fn of(campaign: &Campaign) -> Self {
        let villages: Vec<String> = campaign
            .villages
            .iter()
            .map(|(t, v)| format!("{t}/{v}"))
            .collect();
        let languages: Vec<&str> = campaign.languages.iter().map(|l| l.tag()).collect();
        RecipientFilter {
            audience: campaign
                .audience
                .map(|a| a.as_str().to_owned())
                .unwrap_or_default(),
            townships: member_list(&campaign.townships),
            villages: member_list(&villages),
            languages: member_list(&languages),
        }
    }
}

/// `,a,b,` for the `LIKE '%,' || column || ',%'` membership test both dialects understand;
/// empty means "no filter".
fn member_list<T: ToString>(items: &[T]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!(
            ",{},",
            items
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")
        )
    }
}

const FIGURES: &str =
    "SELECT r.id AS run_id, r.campaign_id, r.scheduled_for, r.status, r.trigger_kind, r.targeted,
        COALESCE(SUM(CASE WHEN d.status = 'sent' THEN 1 ELSE 0 END), 0) AS sent,
        COALESCE(SUM(CASE WHEN d.status IN ('queued', 'sending') THEN 1 ELSE 0 END), 0) AS pending,
        COALESCE(SUM(CASE WHEN d.status = 'failed' THEN 1 ELSE 0 END), 0) AS failed,
        COALESCE(SUM(CASE WHEN d.status = 'blocked' THEN 1 ELSE 0 END), 0) AS blocked,
        COALESCE(SUM(CASE WHEN d.status = 'cancelled' THEN 1 ELSE 0 END), 0) AS cancelled,
        COUNT(a.delivery_id) AS acknowledged
    FROM campaign_runs r
    LEFT JOIN deliveries d ON d.run_id = r.id
    LEFT JOIN acknowledgements a ON a.delivery_id = d.id";

impl Store {
    /// Makes the active campaigns exactly those given; others are retired (runs keep them).
    pub async fn import_campaigns(&self, campaigns: &[Campaign]) -> Result<usize, StoreError> {
        let now = Utc::now();
        let retired = on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let before: Vec<String> = sqlx::query_scalar("SELECT id FROM campaigns WHERE active")
                .fetch_all(&mut *tx)
                .await?;
            sqlx::query("UPDATE campaigns SET active = FALSE")
                .execute(&mut *tx)
                .await?;
            for campaign in campaigns {
                let definition = serde_json::to_string(campaign).expect("campaigns serialise");
                sqlx::query(
                    "INSERT INTO campaigns (id, definition, active, paused, updated_at) VALUES ($1, $2, TRUE, FALSE, $3)
                     ON CONFLICT (id) DO UPDATE SET definition = $2, active = TRUE, updated_at = $3",
                )
                .bind(campaign.id.as_str())
                .bind(definition)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(before)
        })?;
        Ok(super::count_retired(
            &retired,
            campaigns.iter().map(|c| c.id.as_str()),
        ))
    }

    /// Every stored campaign, retired ones included, by id.
    pub async fn campaigns(&self) -> Result<Vec<StoredCampaign>, StoreError> {
        let rows: Vec<(String, bool, bool)> = on_pool!(self, |pool| {
            sqlx::query_as("SELECT definition, active, paused FROM campaigns ORDER BY id")
                .fetch_all(pool)
                .await
        })?;
        rows.into_iter()
            .map(|(definition, active, paused)| {
                let campaign = serde_json::from_str(&definition)
                    .map_err(|e| StoreError::Corrupt(format!("campaign: {e}")))?;
                Ok(StoredCampaign {
                    campaign,
                    active,
                    paused,
                })
            })
            .collect()
    }

    pub async fn campaign(&self, id: &CampaignId) -> Result<Option<StoredCampaign>, StoreError> {
        Ok(self
            .campaigns()
            .await?
            .into_iter()
            .find(|c| &c.campaign.id == id))
    }

    /// Creates the run of `campaign` for the firing at `scheduled_for` and fans it out into the
    /// outbox, in one transaction. Returns `None` if that firing already has a run.
    pub async fn create_run(
        &self,
        campaign: &Campaign,
        scheduled_for: DateTime<Utc>,
        trigger: Trigger,
        send_after: DateTime<Utc>,
    ) -> Result<Option<RunFigures>, StoreError> {
        match self
            .insert_run(campaign, scheduled_for, trigger, send_after, None)
            .await?
        {
            Inserted::Created(id) => self.run_figures(id).await,
            Inserted::FiringExists | Inserted::ManualRunExists(_) => Ok(None),
        }
    }

    /// Creates a manual run (`campaign run ID`, the dashboard's "run now") unless `guard` says
    /// one is already going out. A manual run has no firing to key it (its `scheduled_for` is
    /// the moment it was asked for), so without the guard a double click, or two terminals,
    /// would fan out twice. The check and the insert share one transaction, serialised per
    /// campaign (SQLite's write lock; a row lock on the campaign on PostgreSQL).
    pub async fn create_manual_run(
        &self,
        campaign: &Campaign,
        now: DateTime<Utc>,
        send_after: DateTime<Utc>,
        guard: ManualRunGuard,
    ) -> Result<ManualRun, StoreError> {
        let inserted = self
            .insert_run(campaign, now, Trigger::Manual, send_after, Some(guard))
            .await?;
        let (id, started) = match inserted {
            Inserted::Created(id) => (id, true),
            Inserted::ManualRunExists(id) => (id, false),
            // Two requests in the same microsecond: the other one is the run.
            Inserted::FiringExists => match self.latest_manual_run(&campaign.id).await? {
                Some(id) => (id, false),
                None => return Err(StoreError::Corrupt("manual run vanished".into())),
            },
        };
        let figures = self
            .run_figures(id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("run {id} has no figures")))?;
        Ok(if started {
            ManualRun::Started(figures)
        } else {
            ManualRun::AlreadyStarted(figures)
        })
    }

    /// The newest manual run of a campaign, if any.
    pub async fn latest_manual_run(&self, id: &CampaignId) -> Result<Option<i64>, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT MAX(id) FROM campaign_runs WHERE campaign_id = $1 AND trigger_kind = 'manual'",
            )
            .bind(id.as_str())
            .fetch_one(pool)
            .await
        })?)
    }

    async fn insert_run(
        &self,
        campaign: &Campaign,
        scheduled_for: DateTime<Utc>,
        trigger: Trigger,
        send_after: DateTime<Utc>,
        guard: Option<ManualRunGuard>,
    ) -> Result<Inserted, StoreError> {
        let filter = RecipientFilter::of(campaign);
        let now = Utc::now();
        // SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL needs the row lock.
        let lock_campaign = match self.backend_name() {
            "postgres" => "SELECT id FROM campaigns WHERE id = $1 FOR UPDATE",
            _ => "SELECT id FROM campaigns WHERE id = $1",
        };
        on_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await?;
            if let Some(guard) = guard {
                sqlx::query(lock_campaign)
                    .bind(campaign.id.as_str())
                    .execute(&mut *tx)
                    .await?;
                // A manual run's `scheduled_for` is when it was asked for.
                let latest: Option<(i64, DateTime<Utc>)> = sqlx::query_as(
                    "SELECT id, scheduled_for FROM campaign_runs
                     WHERE campaign_id = $1 AND trigger_kind = 'manual' ORDER BY id DESC LIMIT 1",
                )
                .bind(campaign.id.as_str())
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(id) = guard.refuses(latest, scheduled_for) {
                    return Ok(Inserted::ManualRunExists(id));
                }
            }
            let sequence: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM campaign_runs WHERE campaign_id = $1 AND status = 'sent'")
                    .bind(campaign.id.as_str())
                    .fetch_one(&mut *tx)
                    .await?;
            let run_id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO campaign_runs (campaign_id, scheduled_for, sequence, trigger_kind, status, send_after, created_at)
                 VALUES ($1, $2, $3, $4, 'sent', $5, $6)
                 ON CONFLICT (campaign_id, scheduled_for) DO NOTHING
                 RETURNING id",
            )
            .bind(campaign.id.as_str())
            .bind(scheduled_for)
            .bind(sequence)
            .bind(trigger.as_str())
            .bind(send_after)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(run_id) = run_id else {
                return Ok::<_, StoreError>(Inserted::FiringExists);
            };
            let targeted = sqlx::query(
                "INSERT INTO deliveries (run_id, subscriber_id, chat_id, language, township_code, status, attempts, next_attempt_at)
                 SELECT $1, s.id, s.chat_id, s.language, s.township_code, 'queued', 0, $2
                 FROM subscribers s
                 WHERE s.active
                   AND ($3 = '' OR s.audience = $3)
                   AND ($4 = '' OR $4 LIKE '%,' || s.township_code || ',%')
                   AND ($5 = '' OR $5 LIKE '%,' || s.township_code || '/' || COALESCE(s.village_code, '') || ',%')
                   AND ($6 = '' OR $6 LIKE '%,' || s.language || ',%')
                 ORDER BY s.id
                 ON CONFLICT (run_id, subscriber_id) DO NOTHING",
            )
            .bind(run_id)
            .bind(send_after)
            .bind(&filter.audience)
            .bind(&filter.townships)
            .bind(&filter.villages)
            .bind(&filter.languages)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query("UPDATE campaign_runs SET targeted = $2 WHERE id = $1")
                .bind(run_id)
                .bind(targeted as i64)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, StoreError>(Inserted::Created(run_id))
        }
        .await
        })
    }

    /// Records a firing that sends nothing; `false` if the firing already has a row.
    pub async fn record_no_run(
        &self,
        campaign: &CampaignId,
        scheduled_for: DateTime<Utc>,
        why: NoRun,
    ) -> Result<bool, StoreError> {
        let status = match why {
            NoRun::Missed => "missed",
            NoRun::Skipped => "skipped",
        };
        let now = Utc::now();
        let inserted = execute!(
            self,
            "INSERT INTO campaign_runs (campaign_id, scheduled_for, sequence, trigger_kind, status, send_after, created_at)
                 VALUES ($1, $2, 0, 'schedule', $3, $2, $4)
                 ON CONFLICT (campaign_id, scheduled_for) DO NOTHING",
            campaign.as_str(),
            scheduled_for,
            status,
            now,
        )?;
        Ok(inserted > 0)
    }

    /// The first firing any run was recorded for: a database that has one was served before.
    pub async fn earliest_run(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let earliest: Option<DateTime<Utc>> = on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT MIN(scheduled_for) FROM campaign_runs")
                .fetch_one(pool)
                .await
        })?;
        Ok(earliest)
    }

    /// Whether the firing at `scheduled_for` already has a row (sent, missed or skipped).
    pub async fn run_exists(
        &self,
        campaign: &CampaignId,
        scheduled_for: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let count: i64 = on_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM campaign_runs WHERE campaign_id = $1 AND scheduled_for = $2",
            )
            .bind(campaign.as_str())
            .bind(scheduled_for)
            .fetch_one(pool)
            .await
        })?;
        Ok(count > 0)
    }

    /// The campaign a run belongs to and the run's rotation number, for rendering its messages.
    pub async fn run_context(&self, run_id: i64) -> Result<Option<(Campaign, i64)>, StoreError> {
        let row: Option<(String, i64)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT c.definition, r.sequence FROM campaign_runs r JOIN campaigns c ON c.id = r.campaign_id WHERE r.id = $1",
            )
            .bind(run_id)
            .fetch_optional(pool)
            .await
        })?;
        row.map(|(definition, sequence)| {
            serde_json::from_str(&definition)
                .map(|campaign| (campaign, sequence))
                .map_err(|e| StoreError::Corrupt(format!("campaign: {e}")))
        })
        .transpose()
    }

    pub async fn run_figures(&self, run_id: i64) -> Result<Option<RunFigures>, StoreError> {
        let figures = on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{FIGURES} WHERE r.id = $1 GROUP BY r.id"
            )))
            .bind(run_id)
            .fetch_optional(pool)
            .await
        })?;
        Ok(figures)
    }

    /// Adds a campaign or replaces its definition (the dashboard's editor); others are untouched
    /// and a paused campaign stays paused.
    pub async fn upsert_campaign(&self, campaign: &Campaign) -> Result<(), StoreError> {
        let definition = serde_json::to_string(campaign).expect("campaigns serialise");
        execute!(
            self,
            "INSERT INTO campaigns (id, definition, active, paused, updated_at) VALUES ($1, $2, TRUE, FALSE, $3)
                 ON CONFLICT (id) DO UPDATE SET definition = $2, active = TRUE, updated_at = $3",
            campaign.id.as_str(),
            definition,
            Utc::now(),
        )?;
        Ok(())
    }

    /// Pauses or resumes a campaign's schedule (manual runs still work); false if unknown.
    pub async fn set_campaign_paused(
        &self,
        id: &CampaignId,
        paused: bool,
    ) -> Result<bool, StoreError> {
        let changed = execute!(
            self,
            "UPDATE campaigns SET paused = $2, updated_at = $3 WHERE id = $1 AND active",
            id.as_str(),
            paused,
            Utc::now(),
        )?;
        Ok(changed == 1)
    }

    /// The most recent runs of a campaign, newest first.
    pub async fn recent_runs(
        &self,
        campaign: &CampaignId,
        limit: i64,
    ) -> Result<Vec<RunFigures>, StoreError> {
        let figures = on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{FIGURES} WHERE r.campaign_id = $1 GROUP BY r.id ORDER BY r.scheduled_for DESC LIMIT $2"
            )))
            .bind(campaign.as_str())
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        Ok(figures)
    }
}
