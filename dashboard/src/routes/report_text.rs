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

/// Names of townships and categories in the page's language.
pub(super) struct Names {
    pub townships: HashMap<String, String>,
    pub categories: HashMap<String, String>,
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
        Ok(Names {
            townships,
            categories,
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

pub(super) fn local_time(state: &AppState, at: DateTime<Utc>) -> String {
    at.with_timezone(&state.reports.time_zone)
        .format("%Y-%m-%d %H:%M")
        .to_string()
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
    let receipt = local_date(&state.reports, record.desk_received_at).to_string();
    let from_receipt = format!("{} {receipt}", tr.t("dash-counts-from-receipt"));
    let mut lines = Vec::new();
    if record.higher_body.is_some() {
        lines.push(DeadlineLine {
            name: tr.t("dash-upward-due"),
            due: record.forward_due.to_string(),
            counts_from: from_receipt,
        });
    } else {
        lines.push(DeadlineLine {
            name: tr.t("dash-acceptance-due"),
            due: record.acceptance_due.to_string(),
            counts_from: from_receipt.clone(),
        });
        lines.push(DeadlineLine {
            name: tr.t("dash-forward-due"),
            due: record.forward_due.to_string(),
            counts_from: from_receipt,
        });
    }
    if let (Some(due), Some(concluded)) = (record.result_due, record.concluded_at) {
        lines.push(DeadlineLine {
            name: tr.t("dash-result-due"),
            due: due.to_string(),
            counts_from: format!(
                "{} {}",
                tr.t("dash-counts-from-conclusion"),
                local_date(&state.reports, concluded)
            ),
        });
    }
    if let Some(purged) = record.content_purged_at {
        lines.push(DeadlineLine {
            name: tr.t("dash-content-purged"),
            due: local_time(state, purged),
            counts_from: String::new(),
        });
    } else if let Some(on) = state.reports.retention.purge_on(record) {
        lines.push(DeadlineLine {
            name: tr.t("dash-content-purge-on"),
            due: local_date(&state.reports, on).to_string(),
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

/// The history; `shown` says which other report numbers this account may see.
pub(super) fn history_lines(
    state: &AppState,
    events: &[StoredEvent],
    shown: impl Fn(i64) -> bool,
) -> Vec<Line> {
    events
        .iter()
        .map(|e| {
            let detail = e.detail.as_deref().unwrap_or("");
            let detail = match (e.kind.as_str(), detail.trim_start_matches("of ").parse()) {
                ("merged" | "duplicate", Ok(other)) if !shown(other) => "",
                _ => detail,
            };
            Line {
                who: e.actor.clone(),
                text: format!("{} {detail}", e.kind),
                at: local_time(state, e.created_at),
                internal: false,
            }
        })
        .collect()
}

/// The evidence list: kind and size only. The reporter's own file names can identify them
/// (e.g. 张三的合同.docx), so they are never shown.
pub(super) fn evidence_lines(opened: &ReportView) -> Vec<String> {
    opened
        .evidence
        .iter()
        .map(|e| format!("{} {} KB", e.kind, e.size.unwrap_or(0) / 1024))
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
