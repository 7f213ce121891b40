//! What the report pages (the detail page and the printable case file) say about a report:
//! names in the page's language, the person reported, the deadlines with what each counts
//! from, when the content will be purged, and the history.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use qingfeng_core::Language;
use qingfeng_core::domain::{PersonReported, ReportStatus};
use qingfeng_core::reports::deadlines::local_date;
use qingfeng_core::reports::view::ReportView;
use qingfeng_core::store::{ReportRecord, StoredEvent};

use crate::text::Tr;
use crate::{AppState, DashboardError};

/// Names of townships, categories and desks in the page's language.
pub(super) struct Names {
    pub townships: HashMap<String, String>,
    pub categories: HashMap<String, String>,
    pub desks: HashMap<String, String>,
}

impl Names {
    pub async fn load(state: &AppState, lang: Language) -> Result<Names, DashboardError> {
        let townships = state
            .store
            .townships()
            .await?
            .into_iter()
            .map(|t| (t.code.to_string(), t.name(lang).to_owned()))
            .collect();
        let categories = state
            .store
            .report_categories()
            .await?
            .into_iter()
            .map(|c| (c.code.to_string(), c.name(lang).to_owned()))
            .collect();
        let desks = state
            .store
            .desks()
            .await?
            .into_iter()
            .map(|d| (d.code.to_string(), d.name(lang).to_owned()))
            .collect();
        Ok(Names {
            townships,
            categories,
            desks,
        })
    }

    pub fn township(&self, tr: &Tr, code: Option<&str>) -> String {
        match code {
            Some(code) => self
                .townships
                .get(code)
                .cloned()
                .unwrap_or_else(|| code.to_owned()),
            None => tr.t("report-county-departments"),
        }
    }

    pub fn desk(&self, code: &str) -> String {
        self.desks
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    }

    pub fn category(&self, code: &str) -> String {
        self.categories
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    }
}

pub(super) fn status_name(tr: &Tr, status: ReportStatus) -> String {
    tr.t(&format!(
        "report-status-{}",
        status.as_str().replace('_', "-")
    ))
}

/// An instant as the reader reads it: the county's zone, their language.
pub(super) fn local_time(tr: &Tr, state: &AppState, at: DateTime<Utc>) -> String {
    tr.time(state.reports.time_zone, at)
}

pub(super) fn level_name(tr: &Tr, level: qingfeng_core::domain::PersonLevel) -> String {
    tr.t(&format!(
        "report-level-{}",
        level.as_str().replace('_', "-")
    ))
}

/// "name · unit · position · level (· commission staff)".
pub(super) fn person_line(tr: &Tr, person: &PersonReported) -> String {
    let unknown = tr.t("dash-unknown");
    let tie = match person.commission {
        qingfeng_core::domain::CommissionTie::None => String::new(),
        qingfeng_core::domain::CommissionTie::Unknown => {
            format!(" · {}", tr.t("dash-commission-unknown"))
        }
        qingfeng_core::domain::CommissionTie::Leader => {
            format!(" · {}", tr.t("dash-commission-leader"))
        }
        qingfeng_core::domain::CommissionTie::OtherStaff => {
            format!(" · {}", tr.t("dash-commission-staff"))
        }
    };
    format!(
        "{} · {} · {} · {}{tie}",
        person
            .name
            .as_ref()
            .map_or(unknown.clone(), ToString::to_string),
        person
            .unit
            .as_ref()
            .map_or(unknown.clone(), ToString::to_string),
        person
            .position
            .as_ref()
            .map_or(unknown.clone(), ToString::to_string),
        level_name(tr, person.level),
    )
}

/// One deadline as shown: its name, the date, and what it counts from.
pub(super) struct DeadlineLine {
    pub name: String,
    pub due: String,
    pub counts_from: String,
}

/// The report's deadlines under the rules, each with what it counts from; and when its content
/// will be purged, if retention is on.
pub(super) fn deadline_lines(
    tr: &Tr,
    state: &AppState,
    record: &ReportRecord,
) -> Vec<DeadlineLine> {
    let receipt = tr.date(local_date(&state.reports, record.desk_received_at));
    let from_receipt = format!("{} {receipt}", tr.t("dash-counts-from-receipt"));
    let mut lines = Vec::new();
    if record.higher_body.is_some() {
        lines.push(DeadlineLine {
            name: tr.t("dash-upward-due"),
            due: tr.date(record.forward_due),
            counts_from: from_receipt,
        });
    } else {
        lines.push(DeadlineLine {
            name: tr.t("dash-acceptance-due"),
            due: tr.date(record.acceptance_due),
            counts_from: from_receipt.clone(),
        });
        lines.push(DeadlineLine {
            name: tr.t("dash-forward-due"),
            due: tr.date(record.forward_due),
            counts_from: from_receipt,
        });
    }
    if let (Some(due), Some(concluded)) = (record.result_due, record.concluded_at) {
        lines.push(DeadlineLine {
            name: tr.t("dash-result-due"),
            due: tr.date(due),
            counts_from: format!(
                "{} {}",
                tr.t("dash-counts-from-conclusion"),
                tr.date(local_date(&state.reports, concluded))
            ),
        });
    }
    if let Some(purged) = record.content_purged_at {
        lines.push(DeadlineLine {
            name: tr.t("dash-content-purged"),
            due: local_time(tr, state, purged),
            counts_from: String::new(),
        });
    } else if let Some(on) = state.reports.retention.purge_on(record) {
        lines.push(DeadlineLine {
            name: tr.t("dash-content-purge-on"),
            due: tr.date(local_date(&state.reports, on)),
            counts_from: tr.t("dash-counts-from-retention"),
        });
    }
    lines
}

pub(super) struct Line {
    pub who: String,
    pub text: String,
    pub at: String,
    pub internal: bool,
}

/// What the history of one report needs besides its events.
pub(super) struct HistoryContext<'a, F: Fn(i64) -> bool> {
    pub tr: &'a Tr,
    pub state: &'a AppState,
    pub names: &'a Names,
    /// The report this one was merged into (its column), if this account may see it.
    pub duplicate_of: Option<i64>,
    /// Which other report numbers this account may see.
    pub shown: F,
}

/// The history in the reader's language: each entry's kind by name (`dash-event-<kind>`),
/// with what it notes (desk names, the disposal, the other report when it may be seen).
pub(super) fn history_lines<F: Fn(i64) -> bool>(
    ctx: &HistoryContext<'_, F>,
    events: &[StoredEvent],
) -> Vec<Line> {
    let tr = ctx.tr;
    events
        .iter()
        .map(|e| {
            let detail = event_detail(ctx, e);
            let name = tr.t_or(&format!("dash-event-{}", e.kind), &e.kind);
            let sep = if tr.lang == Language::En { ": " } else { "：" };
            Line {
                who: match e.actor.as_str() {
                    "reporter" => tr.t("dash-from-reporter"),
                    "system" => tr.t("dash-actor-system"),
                    staff => staff.to_owned(),
                },
                text: if detail.is_empty() {
                    name
                } else {
                    format!("{name}{sep}{detail}")
                },
                at: local_time(tr, ctx.state, e.created_at),
                internal: false,
            }
        })
        .collect()
}

/// What a history entry notes beside its kind, in words; the stored detail is a code (or, for
/// retention, an English note) that is not shown as it is.
fn event_detail<F: Fn(i64) -> bool>(ctx: &HistoryContext<'_, F>, e: &StoredEvent) -> String {
    let (tr, names) = (ctx.tr, ctx.names);
    let detail = e.detail.as_deref().unwrap_or("");
    match e.kind.as_str() {
        "received" if !detail.is_empty() => names.desk(detail),
        "forwarded" => match detail.split_once(" -> ") {
            Some((from, to)) => format!("{} → {}", names.desk(from), names.desk(to)),
            None => String::new(),
        },
        "transferred" | "assigned" => detail.to_owned(),
        "disposed" => tr.t_or(&format!("dash-disposal-{detail}"), ""),
        "duplicate" => ctx
            .duplicate_of
            .map(|of| format!("#{of}"))
            .unwrap_or_default(),
        "merged" => match detail.parse() {
            Ok(other) if (ctx.shown)(other) => format!("#{other}"),
            _ => String::new(),
        },
        _ => String::new(),
    }
}

/// The evidence list: kind and size only. The reporter's own file names can identify them
/// (e.g. 张三的合同.docx), so they are never shown.
pub(super) fn evidence_lines(tr: &Tr, opened: &ReportView) -> Vec<String> {
    opened
        .evidence
        .iter()
        .map(|e| {
            let kind = tr.t(&format!("dash-evidence-{}", e.kind));
            format!("{kind} {} KB", e.size.unwrap_or(0).div_ceil(1024))
        })
        .collect()
}

/// The reporter as staff see them.
pub(super) fn reporter_line(tr: &Tr, opened: &ReportView) -> String {
    match &opened.reporter {
        Some(real) => format!("{} {}", real.name, real.mobile.as_str()),
        None if opened.body.is_none() => tr.t("dash-content-purged-note"),
        None if opened.reachable => tr.t("report-anonymous-notified"),
        None => tr.t("report-anonymous"),
    }
}
