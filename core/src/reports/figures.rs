//! The handling figures a commission reports upward, per desk: how many reports came in, how
//! many were decided (受理 or 不予受理) within the acceptance deadline (按期受理率), how many of
//! those accepted were concluded (办结率), and the average days to decide and to conclude.
//! A pure function of the report records, so it is tested without a database.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::domain::{DeskCode, ReportStatus};
use crate::store::ReportRecord;

/// One desk's figures over a period.
#[derive(Debug, Clone, PartialEq)]
pub struct DeskFigures {
    pub desk: DeskCode,
    /// Reports the desk received (passed up to the higher commission and merged duplicates
    /// are counted here but in none of the rates: they were not the desk's to decide).
    pub received: usize,
    /// Decided, or past the acceptance deadline undecided: the reports the on-time rate is of.
    pub decision_owed: usize,
    /// Of those, decided on or before the acceptance deadline.
    pub decided_on_time: usize,
    pub accepted: usize,
    /// Of the accepted, concluded (办结).
    pub concluded: usize,
    /// Average calendar days from the desk's receipt to the decision.
    pub days_to_decide: Option<f64>,
    /// Average calendar days from the desk's receipt to the conclusion.
    pub days_to_conclude: Option<f64>,
}

impl DeskFigures {
    /// 按期受理率, as a fraction; `None` when nothing was owed yet.
    pub fn on_time_rate(&self) -> Option<f64> {
        ratio(self.decided_on_time, self.decision_owed)
    }

    /// 办结率, as a fraction of the accepted reports.
    pub fn conclusion_rate(&self) -> Option<f64> {
        ratio(self.concluded, self.accepted)
    }
}

fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn days(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_seconds() as f64 / 86_400.0
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// When the acceptance decision was made: accepted, or not accepted (which closes the report).
fn decided_at(record: &ReportRecord) -> Option<DateTime<Utc>> {
    match record.status {
        ReportStatus::NotAccepted => record.closed_at,
        _ => record.accepted_at,
    }
}

/// The figures of each desk among `records`, in desk order; `today` is the county's date.
pub fn by_desk(records: &[ReportRecord], zone: Tz, today: NaiveDate) -> Vec<DeskFigures> {
    let mut desks: BTreeMap<&DeskCode, Vec<&ReportRecord>> = BTreeMap::new();
    for record in records {
        desks.entry(&record.desk).or_default().push(record);
    }
    desks
        .into_iter()
        .map(|(desk, records)| figures(desk, &records, zone, today))
        .collect()
}

fn figures(desk: &DeskCode, records: &[&ReportRecord], zone: Tz, today: NaiveDate) -> DeskFigures {
    let local = |at: DateTime<Utc>| at.with_timezone(&zone).date_naive();
    let mut out = DeskFigures {
        desk: desk.clone(),
        received: records.len(),
        decision_owed: 0,
        decided_on_time: 0,
        accepted: 0,
        concluded: 0,
        days_to_decide: None,
        days_to_conclude: None,
    };
    let (mut to_decide, mut to_conclude) = (Vec::new(), Vec::new());
    let decidable = records
        .iter()
        .filter(|r| r.higher_body.is_none() && r.duplicate_of.is_none());
    for record in decidable {
        match decided_at(record) {
            Some(at) => {
                out.decision_owed += 1;
                if local(at) <= record.acceptance_due {
                    out.decided_on_time += 1;
                }
                to_decide.push(days(record.desk_received_at, at));
            }
            None if record.acceptance_due < today => out.decision_owed += 1,
            None => {}
        }
        if record.accepted_at.is_some() {
            out.accepted += 1;
            if let Some(at) = record.concluded_at {
                out.concluded += 1;
                to_conclude.push(days(record.desk_received_at, at));
            }
        }
    }
    out.days_to_decide = mean(&to_decide);
    out.days_to_conclude = mean(&to_conclude);
    out
}

#[cfg(test)]
mod tests;
