//! The handling figures by desk over a date range: 按期受理率, 办结率 and the average days to
//! decide and to conclude, as a commission reports them upward.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use qingfeng_core::reports::figures::{self, DeskFigures};
use qingfeng_core::store::ReportScope;
use serde::Deserialize;

use super::Table;
use crate::charts::bar_chart;
use crate::text::Tr;
use crate::{AppState, DashboardError};

/// `?from=2026-01-01&to=2026-12-31`, as the date inputs send it; both optional.
#[derive(Debug, Default, Deserialize)]
pub struct RangeQuery {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The days whose reports are counted, both included, in the county's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Range {
    /// The dates asked for; by default this year up to today. Empty inputs count as not given.
    pub fn parse(query: &RangeQuery, today: NaiveDate) -> Result<Range, DashboardError> {
        let date = |value: &Option<String>, default: NaiveDate| match value.as_deref() {
            None | Some("") => Ok(default),
            Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                DashboardError::BadRequest(format!("`{text}` is not a date (YYYY-MM-DD)"))
            }),
        };
        let start_of_year = NaiveDate::from_ymd_opt(today.year(), 1, 1).expect("1 January");
        let range = Range {
            from: date(&query.from, start_of_year)?,
            to: date(&query.to, today)?,
        };
        if range.from > range.to {
            return Err(DashboardError::BadRequest(
                "the start date is after the end date".into(),
            ));
        }
        Ok(range)
    }

    /// `?from=…&to=…` for the CSV link.
    pub fn query(&self) -> String {
        format!("?from={}&to={}", self.from, self.to)
    }

    fn instants(&self, zone: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let midnight = |day: NaiveDate| {
            let local = day.and_hms_opt(0, 0, 0).expect("midnight");
            zone.from_local_datetime(&local)
                .earliest()
                .expect("midnight exists in the county's zone")
                .with_timezone(&Utc)
        };
        let after = self.to.succ_opt().unwrap_or(self.to);
        (midnight(self.from), midnight(after))
    }
}

pub async fn table(
    state: &AppState,
    tr: &Tr,
    scope: &ReportScope,
    range: Range,
) -> Result<Table, DashboardError> {
    let zone = state.reports.time_zone;
    let (from, to) = range.instants(zone);
    let records = state
        .store
        .reports_received_between(scope, from, to)
        .await?;
    let today = Utc::now().with_timezone(&zone).date_naive();
    let desks = state.store.desks().await?;
    let desk_name = |figures: &DeskFigures| {
        desks
            .iter()
            .find(|d| d.code == figures.desk)
            .map_or_else(|| figures.desk.to_string(), |d| d.name(tr.lang).to_owned())
    };
    let percent =
        |rate: Option<f64>| rate.map_or("—".to_owned(), |r| format!("{:.1}%", r * 100.0));
    let days = |d: Option<f64>| d.map_or("—".to_owned(), |d| format!("{d:.1}"));
    let all = figures::by_desk(&records, zone, today);
    Ok(Table {
        slug: "handling",
        title: tr.t_args(
            "dash-stats-handling",
            &[("from", tr.date(range.from)), ("to", tr.date(range.to))],
        ),
        headers: [
            "dash-desk",
            "dash-stats-received",
            "dash-stats-on-time",
            "dash-stats-concluded",
            "dash-stats-days-to-decide",
            "dash-stats-days-to-conclude",
        ]
        .map(|id| tr.t(id))
        .to_vec(),
        chart: bar_chart(
            &all.iter()
                .filter_map(|f| Some((desk_name(f), (f.on_time_rate()? * 100.0).round() as i64)))
                .collect::<Vec<_>>(),
        ),
        rows: all
            .iter()
            .map(|f| {
                vec![
                    desk_name(f),
                    f.received.to_string(),
                    format!(
                        "{} ({}/{})",
                        percent(f.on_time_rate()),
                        f.decided_on_time,
                        f.decision_owed
                    ),
                    format!(
                        "{} ({}/{})",
                        percent(f.conclusion_rate()),
                        f.concluded,
                        f.accepted
                    ),
                    days(f.days_to_decide),
                    days(f.days_to_conclude),
                ]
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(from: &str, to: &str) -> RangeQuery {
        RangeQuery {
            from: Some(from.into()),
            to: Some(to.into()),
        }
    }

    #[test]
    fn the_range_defaults_to_this_year_and_refuses_nonsense() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let range = Range::parse(&RangeQuery::default(), today).unwrap();
        assert_eq!(range.from.to_string(), "2026-01-01");
        assert_eq!(range.to, today);
        assert!(Range::parse(&query("2026-13-01", ""), today).is_err());
        assert!(Range::parse(&query("2026-12-01", "2026-11-01"), today).is_err());
        let (from, to) = Range::parse(&query("2026-12-01", "2026-12-01"), today)
            .unwrap()
            .instants(chrono_tz::Asia::Shanghai);
        assert_eq!(from.to_rfc3339(), "2026-11-30T16:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-12-01T16:00:00+00:00");
    }
}
