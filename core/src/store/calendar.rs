//! The working-day calendar as imported from `content/calendar.toml`.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{BeginWrite, Store, StoreError, on_pool};
use crate::calendar::{CalendarYear, DayKind, WorkingCalendar, YearStatus};

fn status_str(status: YearStatus) -> &'static str {
    match status {
        YearStatus::Official => "official",
        YearStatus::Provisional => "provisional",
    }
}

impl Store {
    /// Replaces the listed years of the calendar (other years are kept), in one transaction.
    pub async fn import_calendar(&self, years: &[CalendarYear]) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            for year in years {
                let first = NaiveDate::from_ymd_opt(year.year, 1, 1).expect("a valid year");
                let last = NaiveDate::from_ymd_opt(year.year, 12, 31).expect("a valid year");
                sqlx::query("DELETE FROM calendar_days WHERE day >= $1 AND day <= $2")
                    .bind(first)
                    .bind(last)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO calendar_years (year, status, source) VALUES ($1, $2, $3)
                     ON CONFLICT (year) DO UPDATE SET status = $2, source = $3",
                )
                .bind(year.year)
                .bind(status_str(year.status))
                .bind(&year.source)
                .execute(&mut *tx)
                .await?;
                for (day, kind, name_zh, name_en) in &year.days {
                    sqlx::query("INSERT INTO calendar_days (day, kind, name_zh, name_en) VALUES ($1, $2, $3, $4)")
                        .bind(day)
                        .bind(match kind {
                            DayKind::Off => "off",
                            DayKind::Work => "work",
                        })
                        .bind(name_zh)
                        .bind(name_en)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    pub async fn working_calendar(&self) -> Result<WorkingCalendar, StoreError> {
        let years: Vec<(i32, String)> = on_pool!(self, |pool| {
            sqlx::query_as("SELECT year, status FROM calendar_years")
                .fetch_all(pool)
                .await
        })?;
        let days: Vec<(NaiveDate, String)> = on_pool!(self, |pool| {
            sqlx::query_as("SELECT day, kind FROM calendar_days")
                .fetch_all(pool)
                .await
        })?;
        let years = years
            .into_iter()
            .map(|(year, status)| {
                let status = if status == "official" {
                    YearStatus::Official
                } else {
                    YearStatus::Provisional
                };
                (year, status)
            })
            .collect::<HashMap<_, _>>();
        let days = days
            .into_iter()
            .map(|(day, kind)| {
                (
                    day,
                    if kind == "work" {
                        DayKind::Work
                    } else {
                        DayKind::Off
                    },
                )
            })
            .collect();
        Ok(WorkingCalendar::new(years, days))
    }
}
