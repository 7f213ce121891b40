//! Due dates on the working-day calendar, and the scan that alerts desks to reports nearly due
//! or overdue (once per report, deadline and level, however often it runs).

use chrono::{DateTime, NaiveDate, Utc};

use super::notices::{NoticeBody, ReportRef, staff_alerts};
use super::{ReportError, ReportKeys, ReportSettings};
use crate::Language;
use crate::calendar::{Certainty, WorkingCalendar};
use crate::domain::{CategoryCode, RegionCode, ReportStatus};
use crate::i18n;
use crate::store::{ReportRecord, Store};

/// The local date of an instant, in the configured zone.
pub fn local_date(settings: &ReportSettings, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&settings.time_zone).date_naive()
}

/// Acceptance and forwarding deadlines for a report received at `received_at`.
pub fn intake_deadlines(
    calendar: &WorkingCalendar,
    settings: &ReportSettings,
    received_at: DateTime<Utc>,
) -> (NaiveDate, NaiveDate, Certainty) {
    let received = local_date(settings, received_at);
    let (acceptance, certainty) =
        calendar.add_working_days(received, settings.acceptance_working_days);
    let (forward, _) = calendar.add_working_days(received, settings.forward_working_days);
    (acceptance, forward, certainty)
}

/// A deadline of the rules (《纪检监察机关处理检举控告工作规则》), each with what it counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineKind {
    /// Telling a real-name reporter whether the report is accepted: 15 working days from this
    /// body's receipt.
    Acceptance,
    /// Passing a report that belongs to the higher commission up: 5 working days from receipt.
    UpwardTransfer,
    /// Telling the reporter the result: 15 working days from 办结.
    Result,
}

impl DeadlineKind {
    /// The name in alerts' bookkeeping and in the locale ids (`report-deadline-<name>`).
    pub fn name(self) -> &'static str {
        match self {
            DeadlineKind::Acceptance => "acceptance",
            DeadlineKind::UpwardTransfer => "upward",
            DeadlineKind::Result => "result",
        }
    }
}

/// What a deadline is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountsFrom {
    /// The day the desk now holding the report received it (after a forward, the receiving
    /// desk's own receipt: a downward forward starts its clock afresh).
    Receipt(NaiveDate),
    /// The day the case was closed (办结).
    Conclusion(NaiveDate),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub due: NaiveDate,
    pub counts_from: CountsFrom,
}

/// The deadline in play for an open report: passing it up while a report for the higher
/// commission waits; acceptance while received; the result notice once concluded.
pub fn current_deadline(settings: &ReportSettings, record: &ReportRecord) -> Option<Deadline> {
    let receipt = CountsFrom::Receipt(local_date(settings, record.desk_received_at));
    match record.status {
        ReportStatus::Received if record.higher_body.is_some() => Some(Deadline {
            kind: DeadlineKind::UpwardTransfer,
            due: record.forward_due,
            counts_from: receipt,
        }),
        ReportStatus::Received => Some(Deadline {
            kind: DeadlineKind::Acceptance,
            due: record.acceptance_due,
            counts_from: receipt,
        }),
        ReportStatus::Concluded => record.result_due.map(|due| Deadline {
            kind: DeadlineKind::Result,
            due,
            counts_from: CountsFrom::Conclusion(local_date(
                settings,
                record.concluded_at.unwrap_or(record.desk_received_at),
            )),
        }),
        _ => None,
    }
}

/// Where a report is passed on to; the rules give each direction a different time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForwardTo {
    /// 上报: to the higher commission.
    HigherCommission,
    /// 下转 / 转办: to a lower commission or desk.
    LowerCommission,
    /// To a body outside the commissions (the reporter may instead be told where to go).
    OtherBody,
}

/// How soon a report must be passed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForwardDue {
    /// Within this many working days of this body's receipt.
    WorkingDaysFromReceipt(u32),
    /// 及时: no day count; the receiving commission's own clock starts at its receipt.
    Promptly,
}

impl ForwardTo {
    pub fn due(self, settings: &ReportSettings) -> ForwardDue {
        match self {
            ForwardTo::HigherCommission => {
                ForwardDue::WorkingDaysFromReceipt(settings.forward_working_days)
            }
            ForwardTo::LowerCommission | ForwardTo::OtherBody => ForwardDue::Promptly,
        }
    }
}

/// How urgent a deadline is on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Overdue,
    DueSoon,
    Fine,
}

pub fn urgency(
    calendar: &WorkingCalendar,
    settings: &ReportSettings,
    today: NaiveDate,
    due: NaiveDate,
) -> Urgency {
    if due < today {
        Urgency::Overdue
    } else if calendar.working_days_between(today, due) <= i64::from(settings.warn_working_days) {
        Urgency::DueSoon
    } else {
        Urgency::Fine
    }
}

/// The names staff alerts use for a report's township and category.
pub(crate) async fn place_and_category(
    store: &Store,
    township: Option<&RegionCode>,
    category: &CategoryCode,
    lang: Language,
) -> Result<(String, String), ReportError> {
    let township = match township {
        Some(code) => match store.township(code).await? {
            Some((t, _)) => t.name(lang).to_owned(),
            None => code.to_string(),
        },
        None => i18n::text(lang, "report-county-departments", None),
    };
    let category = match store.report_category(category).await? {
        Some((c, _)) => c.name(lang).to_owned(),
        None => category.to_string(),
    };
    Ok((township, category))
}

/// Queues alerts for reports that became nearly due or overdue. Returns how many reports were
/// alerted in this pass.
pub async fn scan(
    store: &Store,
    keys: &ReportKeys,
    settings: &ReportSettings,
    now: DateTime<Utc>,
) -> Result<usize, ReportError> {
    let calendar = store.working_calendar().await?;
    let today = local_date(settings, now);
    let mut alerted = 0;
    for record in store.reports_awaiting_deadlines().await? {
        let Some(Deadline { kind, due, .. }) = current_deadline(settings, &record) else {
            continue;
        };
        let deadline = kind.name();
        let (level, message) = match urgency(&calendar, settings, today, due) {
            Urgency::Overdue => ("overdue", "report-alert-overdue"),
            Urgency::DueSoon => ("due_soon", "report-alert-due-soon"),
            Urgency::Fine => continue,
        };
        let Some(desk) = store.desk(&record.desk).await? else {
            continue;
        };
        let body = if kind == DeadlineKind::UpwardTransfer {
            // Reports for the higher commission: no place, no category, only the date.
            NoticeBody::new(
                &message.replace("report-alert-", "report-alert-upward-"),
                &[("id", record.id.to_string()), ("due", due.to_string())],
                false,
            )
        } else {
            let (township, category) = place_and_category(
                store,
                record.township.as_ref(),
                &record.category,
                settings.staff_language,
            )
            .await?;
            let deadline_name = i18n::text(
                settings.staff_language,
                &format!("report-deadline-{deadline}"),
                None,
            );
            NoticeBody::new(
                message,
                &[
                    ("id", record.id.to_string()),
                    ("township", township),
                    ("category", category),
                    ("deadline", deadline_name),
                    ("due", due.to_string()),
                ],
                false,
            )
        };
        let report = ReportRef {
            id: record.id,
            code_hash: &record.code_hash,
        };
        let alerts = staff_alerts(keys, report, &desk, settings.staff_language, &body);
        if store
            .record_deadline_alert(record.id, deadline, level, &alerts)
            .await?
        {
            alerted += 1;
        }
    }
    Ok(alerted)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names are stored in `deadline_alerts` (an alert is sent once per report, deadline
    /// and level), so they must not change; each also names its label in both locales.
    #[test]
    fn deadline_names_are_stable_and_labelled_in_both_languages() {
        for (kind, name) in [
            (DeadlineKind::Acceptance, "acceptance"),
            (DeadlineKind::UpwardTransfer, "upward"),
            (DeadlineKind::Result, "result"),
        ] {
            assert_eq!(kind.name(), name);
            for tag in ["zh-CN", "en"] {
                let id = format!("report-deadline-{name}");
                assert!(crate::testing::has_message(tag, &id), "{tag}: {id}");
            }
        }
    }

    #[test]
    fn only_an_upward_transfer_has_a_day_count() {
        let s = ReportSettings::default();
        assert_eq!(
            ForwardTo::HigherCommission.due(&s),
            ForwardDue::WorkingDaysFromReceipt(5)
        );
        assert_eq!(ForwardTo::LowerCommission.due(&s), ForwardDue::Promptly);
        assert_eq!(ForwardTo::OtherBody.due(&s), ForwardDue::Promptly);
    }
}
