//! What reports are filed under and routed by: categories and desks (from content files), and
//! small key/value settings (the routing policy, the wrapped report key). The store only loads
//! and saves routing data; the decision is `Routing::desk_for` in the domain.

use chrono::Utc;

use super::{BeginWrite, Store, StoreError, execute, on_pool};
use crate::domain::{CategoryCode, Desk, DeskCode, Routing, RoutingPolicy};
use crate::domain::{LocalizedText, ReportCategory};

/// The routing policy (higher body, levels, state enterprises) as JSON. It replaces the first
/// schema's `routing.county_levels`, which a content import removes.
const POLICY: &str = "routing.policy";
const OLD_COUNTY_LEVELS: &str = "routing.county_levels";

#[derive(sqlx::FromRow)]
struct CategoryRow {
    code: String,
    parent_code: Option<String>,
    name_zh: String,
    name_en: String,
    examples_zh: Option<String>,
    examples_en: Option<String>,
}

impl TryFrom<CategoryRow> for ReportCategory {
    type Error = StoreError;
    fn try_from(row: CategoryRow) -> Result<Self, StoreError> {
        Ok(ReportCategory {
            code: row.code.parse().map_err(StoreError::Corrupt)?,
            parent: row
                .parent_code
                .map(|p| p.parse().map_err(StoreError::Corrupt))
                .transpose()?,
            name: LocalizedText::new(row.name_zh, row.name_en),
            examples: match (row.examples_zh, row.examples_en) {
                (Some(zh), Some(en)) => Some(LocalizedText::new(zh, en)),
                _ => None,
            },
        })
    }
}

#[derive(sqlx::FromRow)]
struct DeskRow {
    code: String,
    name_zh: String,
    name_en: String,
    alert_chat_ids: String,
    county: bool,
}

impl TryFrom<DeskRow> for Desk {
    type Error = StoreError;
    fn try_from(row: DeskRow) -> Result<Self, StoreError> {
        Ok(Desk {
            code: row.code.parse().map_err(StoreError::Corrupt)?,
            name: LocalizedText::new(row.name_zh, row.name_en),
            alert_chat_ids: serde_json::from_str(&row.alert_chat_ids)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            county: row.county,
            townships: Vec::new(),
        })
    }
}

impl Store {
    /// Makes the active categories exactly those given (in order); the rest are retired, since
    /// old reports refer to them. Returns how many were retired.
    pub async fn import_categories(
        &self,
        categories: &[ReportCategory],
    ) -> Result<usize, StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let before: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM report_categories WHERE active")
                    .fetch_one(&mut *tx)
                    .await?;
            sqlx::query("UPDATE report_categories SET active = FALSE")
                .execute(&mut *tx)
                .await?;
            for (position, c) in categories.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO report_categories
                         (code, parent_code, name_zh, name_en, position, active, examples_zh, examples_en)
                     VALUES ($1, $2, $3, $4, $5, TRUE, $6, $7)
                     ON CONFLICT (code) DO UPDATE SET parent_code = $2, name_zh = $3, name_en = $4,
                         position = $5, active = TRUE, examples_zh = $6, examples_en = $7",
                )
                .bind(c.code.as_str())
                .bind(c.parent.as_ref().map(CategoryCode::as_str))
                .bind(&c.name.zh)
                .bind(&c.name.en)
                .bind(position as i32)
                .bind(c.examples.as_ref().map(|e| e.zh.as_str()))
                .bind(c.examples.as_ref().map(|e| e.en.as_str()))
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            let kept = categories.len() as i64;
            Ok::<_, StoreError>(usize::try_from((before - kept).max(0)).unwrap_or(0))
        })
    }

    /// Active categories in file order (headings and leaves).
    pub async fn report_categories(&self) -> Result<Vec<ReportCategory>, StoreError> {
        let rows: Vec<CategoryRow> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT code, parent_code, name_zh, name_en, examples_zh, examples_en
                 FROM report_categories WHERE active ORDER BY position",
            )
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// One category, retired or not (old reports keep their category's name).
    pub async fn report_category(
        &self,
        code: &CategoryCode,
    ) -> Result<Option<(ReportCategory, bool)>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            category: CategoryRow,
            active: bool,
        }
        let row: Option<Row> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT code, parent_code, name_zh, name_en, examples_zh, examples_en, active
                 FROM report_categories WHERE code = $1",
            )
            .bind(code.as_str())
            .fetch_optional(pool)
            .await
        })?;
        row.map(|row| Ok((row.category.try_into()?, row.active)))
            .transpose()
    }

    /// Replaces the desks and the township → desk map, in one transaction. Desks that are no
    /// longer listed are retired (reports keep pointing at them until forwarded).
    pub async fn import_routing(&self, routing: &Routing) -> Result<(), StoreError> {
        let policy = serde_json::to_string(routing.policy()).expect("the policy serialises");
        let now = Utc::now();
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM desk_townships")
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE desks SET active = FALSE, county = FALSE")
                .execute(&mut *tx)
                .await?;
            for desk in routing.desks() {
                let chats = serde_json::to_string(&desk.alert_chat_ids).expect("ids serialise");
                sqlx::query(
                    "INSERT INTO desks (code, name_zh, name_en, alert_chat_ids, county, active)
                     VALUES ($1, $2, $3, $4, $5, TRUE)
                     ON CONFLICT (code) DO UPDATE SET name_zh = $2, name_en = $3,
                         alert_chat_ids = $4, county = $5, active = TRUE",
                )
                .bind(desk.code.as_str())
                .bind(&desk.name.zh)
                .bind(&desk.name.en)
                .bind(chats)
                .bind(desk.county)
                .execute(&mut *tx)
                .await?;
                for township in &desk.townships {
                    sqlx::query(
                        "INSERT INTO desk_townships (township_code, desk_code) VALUES ($1, $2)",
                    )
                    .bind(township.as_str())
                    .bind(desk.code.as_str())
                    .execute(&mut *tx)
                    .await?;
                }
            }
            sqlx::query(
                "INSERT INTO kv_settings (key, value, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (key) DO UPDATE SET value = $2, updated_at = $3",
            )
            .bind(POLICY)
            .bind(policy)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM kv_settings WHERE key = $1")
                .bind(OLD_COUNTY_LEVELS)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// Active desks, the county desk first.
    pub async fn desks(&self) -> Result<Vec<Desk>, StoreError> {
        let rows: Vec<DeskRow> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT code, name_zh, name_en, alert_chat_ids, county FROM desks
                 WHERE active ORDER BY county DESC, code",
            )
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// A desk by code, retired or not.
    pub async fn desk(&self, code: &DeskCode) -> Result<Option<Desk>, StoreError> {
        let row: Option<DeskRow> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT code, name_zh, name_en, alert_chat_ids, county FROM desks WHERE code = $1",
            )
            .bind(code.as_str())
            .fetch_optional(pool)
            .await
        })?;
        row.map(TryInto::try_into).transpose()
    }

    /// The routing as last imported: active desks with their townships, and the policy.
    /// `None` when no routing (or only the first schema's, without a higher body) is loaded.
    pub async fn routing(&self) -> Result<Option<Routing>, StoreError> {
        let Some(policy) = self.kv_get(POLICY).await? else {
            return Ok(None);
        };
        let policy: RoutingPolicy =
            serde_json::from_str(&policy).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut desks = self.desks().await?;
        if desks.is_empty() {
            return Ok(None);
        }
        let served: Vec<(String, String)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT township_code, desk_code FROM desk_townships ORDER BY township_code",
            )
            .fetch_all(pool)
            .await
        })?;
        for (township, desk) in served {
            if let Some(d) = desks.iter_mut().find(|d| d.code.as_str() == desk) {
                d.townships.push(
                    township
                        .parse()
                        .map_err(|e| StoreError::Corrupt(format!("{e}")))?,
                );
            }
        }
        Routing::new(desks, policy)
            .map(Some)
            .map_err(StoreError::Corrupt)
    }

    pub async fn kv_get(&self, key: &str) -> Result<Option<String>, StoreError> {
        let value = on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT value FROM kv_settings WHERE key = $1")
                .bind(key)
                .fetch_optional(pool)
                .await
        })?;
        Ok(value)
    }

    /// Stores `value` unless the key exists; returns the value now stored (first writer wins).
    pub async fn kv_insert_once(&self, key: &str, value: &str) -> Result<String, StoreError> {
        execute!(
            self,
            "INSERT INTO kv_settings (key, value, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (key) DO NOTHING",
            key,
            value,
            Utc::now(),
        )?;
        self.kv_get(key)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("setting {key} vanished")))
    }

    pub async fn kv_put(&self, key: &str, value: &str) -> Result<(), StoreError> {
        execute!(
            self,
            "INSERT INTO kv_settings (key, value, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (key) DO UPDATE SET value = $2, updated_at = $3",
            key,
            value,
            Utc::now(),
        )?;
        Ok(())
    }
}
