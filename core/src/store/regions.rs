//! Townships and villages, as imported from `content/regions.toml`.

use chrono::{DateTime, Utc};

use super::{BeginWrite, Store, StoreError, execute, on_pool};
use crate::domain::{LocalizedText, RegionCode, Township, Village, VillageName};

#[derive(sqlx::FromRow)]
struct TownshipRow {
    code: String,
    name_zh: String,
    name_en: String,
    kind: String,
}

#[derive(sqlx::FromRow)]
struct VillageRow {
    township_code: String,
    code: String,
    name_zh: String,
    name_en: String,
}

impl TryFrom<TownshipRow> for Township {
    type Error = StoreError;
    fn try_from(row: TownshipRow) -> Result<Self, StoreError> {
        Ok(Township {
            code: row
                .code
                .parse()
                .map_err(|e| StoreError::Corrupt(format!("{e}")))?,
            kind: row.kind.parse().map_err(StoreError::Corrupt)?,
            name: LocalizedText::new(row.name_zh, row.name_en),
        })
    }
}

impl TryFrom<VillageRow> for Village {
    type Error = StoreError;
    fn try_from(row: VillageRow) -> Result<Self, StoreError> {
        let corrupt = |e: crate::domain::RegionCodeError| StoreError::Corrupt(e.to_string());
        Ok(Village {
            township: row.township_code.parse().map_err(corrupt)?,
            code: row.code.parse().map_err(corrupt)?,
            name: LocalizedText::new(row.name_zh, row.name_en),
        })
    }
}

/// What an import changed, for the operator.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RegionImport {
    pub townships: usize,
    pub villages: usize,
    /// Regions in the store but no longer in the file: hidden from menus, kept for history.
    pub retired: usize,
}

impl Store {
    /// Makes the active regions exactly those given, in the given order, in one transaction.
    /// Regions missing from the list are retired rather than deleted: subscribers may point at them.
    pub async fn import_regions(
        &self,
        townships: &[Township],
        villages: &[Village],
    ) -> Result<RegionImport, StoreError> {
        let retired = on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let mut before: Vec<String> =
                sqlx::query_scalar("SELECT code FROM townships WHERE active")
                    .fetch_all(&mut *tx)
                    .await?;
            before.extend(
                sqlx::query_scalar::<_, String>(
                    "SELECT township_code || '/' || code FROM villages WHERE active",
                )
                .fetch_all(&mut *tx)
                .await?,
            );
            sqlx::query("UPDATE villages SET active = FALSE")
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE townships SET active = FALSE")
                .execute(&mut *tx)
                .await?;
            for (position, t) in townships.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO townships (code, name_zh, name_en, kind, position, active)
                     VALUES ($1, $2, $3, $4, $5, TRUE)
                     ON CONFLICT (code) DO UPDATE SET name_zh = $2, name_en = $3, kind = $4,
                         position = $5, active = TRUE",
                )
                .bind(t.code.as_str())
                .bind(&t.name.zh)
                .bind(&t.name.en)
                .bind(t.kind.as_str())
                .bind(position as i64)
                .execute(&mut *tx)
                .await?;
            }
            for (position, v) in villages.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO villages (township_code, code, name_zh, name_en, position, active)
                     VALUES ($1, $2, $3, $4, $5, TRUE)
                     ON CONFLICT (township_code, code) DO UPDATE SET name_zh = $3, name_en = $4,
                         position = $5, active = TRUE",
                )
                .bind(v.township.as_str())
                .bind(v.code.as_str())
                .bind(&v.name.zh)
                .bind(&v.name.en)
                .bind(position as i64)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(before)
        })?;
        let village_keys: Vec<String> = villages
            .iter()
            .map(|v| format!("{}/{}", v.township, v.code))
            .collect();
        let kept = townships
            .iter()
            .map(|t| t.code.as_str())
            .chain(village_keys.iter().map(String::as_str));
        let retired = super::count_retired(&retired, kept);
        Ok(RegionImport {
            townships: townships.len(),
            villages: villages.len(),
            retired,
        })
    }

    /// Active townships in content order.
    pub async fn townships(&self) -> Result<Vec<Township>, StoreError> {
        let rows: Vec<TownshipRow> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT code, name_zh, name_en, kind FROM townships WHERE active ORDER BY position",
            )
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(Township::try_from).collect()
    }

    /// A township by code, retired ones included (an old profile must still display).
    pub async fn township(
        &self,
        code: &RegionCode,
    ) -> Result<Option<(Township, bool)>, StoreError> {
        let row: Option<(String, String, String, String, bool)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT code, name_zh, name_en, kind, active FROM townships WHERE code = $1",
            )
            .bind(code.as_str())
            .fetch_optional(pool)
            .await
        })?;
        row.map(|(code, name_zh, name_en, kind, active)| {
            Township::try_from(TownshipRow {
                code,
                name_zh,
                name_en,
                kind,
            })
            .map(|t| (t, active))
        })
        .transpose()
    }

    /// Active villages of a township in content order.
    pub async fn villages(&self, township: &RegionCode) -> Result<Vec<Village>, StoreError> {
        let rows: Vec<VillageRow> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT township_code, code, name_zh, name_en FROM villages
                 WHERE active AND township_code = $1 ORDER BY position",
            )
            .bind(township.as_str())
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(Village::try_from).collect()
    }

    /// A village by code, retired ones included; the flag says whether it is still active.
    pub async fn village(
        &self,
        township: &RegionCode,
        code: &RegionCode,
    ) -> Result<Option<(Village, bool)>, StoreError> {
        let row: Option<(String, String, String, String, bool)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT township_code, code, name_zh, name_en, active FROM villages
                 WHERE township_code = $1 AND code = $2",
            )
            .bind(township.as_str())
            .bind(code.as_str())
            .fetch_optional(pool)
            .await
        })?;
        row.map(|(township_code, code, name_zh, name_en, active)| {
            Village::try_from(VillageRow {
                township_code,
                code,
                name_zh,
                name_en,
            })
            .map(|v| (v, active))
        })
        .transpose()
    }

    /// The county's name as the regions file gives it, for texts that name the commission.
    pub async fn set_county_name(&self, name: &LocalizedText) -> Result<(), StoreError> {
        let json = serde_json::to_string(name).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.kv_put(COUNTY_NAME, &json).await
    }

    /// `None` until a regions file is imported.
    pub async fn county_name(&self) -> Result<Option<LocalizedText>, StoreError> {
        match self.kv_get(COUNTY_NAME).await? {
            Some(json) => serde_json::from_str(&json)
                .map(Some)
                .map_err(|e| StoreError::Corrupt(format!("{COUNTY_NAME}: {e}"))),
            None => Ok(None),
        }
    }

    /// Counts a village a household typed because the list did not have it.
    pub async fn note_unlisted_village(
        &self,
        township: &RegionCode,
        name: &VillageName,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        execute!(
            self,
            "INSERT INTO unlisted_villages (township_code, name, mentions, first_at, last_at)
             VALUES ($1, $2, 1, $3, $3)
             ON CONFLICT (township_code, name)
             DO UPDATE SET mentions = unlisted_villages.mentions + 1, last_at = $3",
            township.as_str(),
            name.as_str(),
            at,
        )?;
        Ok(())
    }

    /// Villages households named that the list lacks, most mentioned first.
    pub async fn unlisted_villages(&self) -> Result<Vec<UnlistedVillage>, StoreError> {
        let rows: Vec<(String, String, i64, DateTime<Utc>)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT township_code, name, mentions, last_at FROM unlisted_villages
                 ORDER BY mentions DESC, township_code, name",
            )
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|(township, name, mentions, last_at)| {
                Ok(UnlistedVillage {
                    township: township
                        .parse()
                        .map_err(|e| StoreError::Corrupt(format!("{e}")))?,
                    name,
                    mentions,
                    last_at,
                })
            })
            .collect()
    }
}

const COUNTY_NAME: &str = "county_name";

/// A village name households typed, and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnlistedVillage {
    pub township: RegionCode,
    pub name: String,
    pub mentions: i64,
    pub last_at: DateTime<Utc>,
}
