//! The report queue, one report (decrypted; the view is audited), and staff actions on it.
//! Every read goes through the staff member's [`ReportScope`].

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use chrono::{DateTime, Utc};
use qingfeng_core::Language;
use qingfeng_core::domain::{Disposal, MessageText, ReportStatus};
use qingfeng_core::reports::ReportError;
use qingfeng_core::reports::casework::{self, StaffAction};
use qingfeng_core::reports::deadlines::{local_date, open_deadline};
use qingfeng_core::reports::view::{self, EvidenceError};
use qingfeng_core::store::{MessageKind, ReportFilter, ReportRecord, ReportScope, StatusChange};
use serde::Deserialize;

use super::see_other;
use crate::session::{Nav, SignedIn};
use crate::text::Tr;
use crate::{AppState, DashboardError};

const PAGE_SIZE: i64 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(queue))
        .route("/reports/{id}", get(detail).post(act))
        .route("/reports/{id}/evidence/{n}", get(evidence))
}

/// Names of townships and categories in the page's language.
struct Names {
    townships: HashMap<String, String>,
    categories: HashMap<String, String>,
}

impl Names {
    async fn load(state: &AppState, lang: Language) -> Result<Names, DashboardError> {
        let pick = |zh: String, en: String| if lang == Language::En { en } else { zh };
        let townships = state
            .store
            .townships()
            .await?
            .into_iter()
            .map(|t| (t.code.to_string(), pick(t.name_zh, t.name_en)))
            .collect();
        let categories = state
            .store
            .report_categories()
            .await?
            .into_iter()
            .map(|c| (c.code.to_string(), pick(c.name_zh, c.name_en)))
            .collect();
        Ok(Names {
            townships,
            categories,
        })
    }

    fn township(&self, tr: &Tr, code: Option<&str>) -> String {
        match code {
            Some(code) => self
                .townships
                .get(code)
                .cloned()
                .unwrap_or_else(|| code.to_owned()),
            None => tr.t("report-county-departments"),
        }
    }

    fn category(&self, code: &str) -> String {
        self.categories
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    }
}

fn status_name(tr: &Tr, status: ReportStatus) -> String {
    tr.t(&format!(
        "report-status-{}",
        status.as_str().replace('_', "-")
    ))
}

struct QueueRow {
    id: i64,
    status: String,
    category: String,
    township: String,
    received: String,
    due: String,
    overdue: bool,
    assigned: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports.html")]
struct QueuePage {
    tr: Tr,
    nav: Nav,
    rows: Vec<QueueRow>,
    statuses: Vec<(String, String)>,
    townships: Vec<(String, String)>,
    categories: Vec<(String, String)>,
    query: QueueQuery,
    next_page: Option<usize>,
}

#[derive(Deserialize, Default, Clone)]
struct QueueQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    township: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    page: usize,
}

fn non_empty<T: std::str::FromStr>(value: &str, what: &str) -> Result<Option<T>, DashboardError> {
    if value.is_empty() {
        return Ok(None);
    }
    value
        .parse()
        .map(Some)
        .map_err(|_| DashboardError::BadRequest(format!("unknown {what} `{value}`")))
}

async fn queue(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
    Query(query): Query<QueueQuery>,
) -> Result<QueuePage, DashboardError> {
    let today = local_date(&state.reports, Utc::now());
    let filter = ReportFilter {
        status: non_empty(&query.status, "status")?,
        township: non_empty(&query.township, "township")?,
        category: non_empty(&query.category, "category")?,
        overdue_on: (!query.overdue.is_empty()).then_some(today),
        desk: None,
    };
    let scope = ReportScope::from(&signed_in.staff.role);
    let page = query.page.min(10_000);
    let records = state
        .store
        .list_reports(&scope, &filter, PAGE_SIZE + 1, page as i64 * PAGE_SIZE)
        .await?;
    let names = Names::load(&state, tr.lang).await?;
    let more = records.len() as i64 > PAGE_SIZE;
    let rows = records
        .iter()
        .take(PAGE_SIZE as usize)
        .map(|r| {
            let due = open_deadline(r);
            QueueRow {
                id: r.id,
                status: status_name(&tr, r.status),
                category: names.category(r.category.as_str()),
                township: names.township(&tr, r.township.as_ref().map(|t| t.as_str())),
                received: local_time(&state, r.received_at),
                due: due.map(|(_, d)| d.to_string()).unwrap_or_default(),
                overdue: due.is_some_and(|(_, d)| d < today),
                assigned: r.assigned_to.clone().unwrap_or_default(),
            }
        })
        .collect();
    let mut townships: Vec<(String, String)> = names.townships.into_iter().collect();
    townships.sort();
    let mut categories: Vec<(String, String)> = names.categories.into_iter().collect();
    categories.sort();
    Ok(QueuePage {
        tr,
        nav: Nav::from(&signed_in),
        rows,
        statuses: ReportStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), status_name(&tr, *s)))
            .collect(),
        townships,
        categories,
        query,
        next_page: more.then_some(page + 1),
    })
}

fn local_time(state: &AppState, at: DateTime<Utc>) -> String {
    at.with_timezone(&state.reports.time_zone)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The report if this staff member may see it; otherwise exactly what a missing report is.
async fn visible(
    state: &AppState,
    signed_in: &SignedIn,
    id: i64,
) -> Result<ReportRecord, DashboardError> {
    let scope = ReportScope::from(&signed_in.staff.role);
    state
        .store
        .visible_report(id, &scope)
        .await?
        .ok_or(DashboardError::NotFound)
}

struct Line {
    who: String,
    text: String,
    at: String,
    internal: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "report.html")]
struct ReportPage {
    tr: Tr,
    nav: Nav,
    id: i64,
    status: String,
    category: String,
    township: String,
    level: String,
    received: String,
    deadlines: Vec<(String, String)>,
    disposal: String,
    assigned: String,
    person: String,
    description: String,
    when_where: String,
    reporter: String,
    evidence: Vec<String>,
    can_download: bool,
    messages: Vec<Line>,
    history: Vec<Line>,
    desks: Vec<(String, String)>,
    dispositions: Vec<(String, String)>,
    actions: Vec<&'static str>,
    notice: Option<String>,
    duplicate_of: Option<i64>,
    merged: Vec<i64>,
}

impl ReportPage {
    fn action_label(&self, action: &str) -> String {
        self.tr.t(&format!("dash-action-{action}"))
    }
}

#[derive(Deserialize, Default)]
struct DetailQuery {
    #[serde(default)]
    done: String,
    #[serde(default)]
    error: String,
}

/// The actions whose status rule allows them now, in the order the page shows them.
fn available_actions(status: ReportStatus) -> Vec<&'static str> {
    let any_desk: qingfeng_core::domain::DeskCode = "county".parse().expect("a desk code");
    let candidates: [(&'static str, StatusChange); 9] = [
        ("accept", StatusChange::Accept),
        ("not_accept", StatusChange::NotAccept),
        ("forward", StatusChange::Forward(any_desk)),
        ("assign", StatusChange::Assign(None)),
        ("dispose", StatusChange::Dispose(Disposal::Hold)),
        (
            "conclude",
            StatusChange::Conclude {
                result_due: chrono::NaiveDate::MIN,
            },
        ),
        ("close", StatusChange::Close),
        ("duplicate", StatusChange::MarkDuplicate { of: 0 }),
        ("reply", StatusChange::Keep),
    ];
    let mut actions: Vec<&'static str> = candidates
        .into_iter()
        .filter(|(_, change)| change.allowed_from().contains(&status))
        .map(|(name, _)| name)
        .collect();
    actions.push("note");
    actions
}

async fn detail(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<DetailQuery>,
) -> Result<ReportPage, DashboardError> {
    let record = visible(&state, &signed_in, id).await?;
    let opened = view::open_as(
        &state.store,
        &state.report_keys,
        id,
        &signed_in.staff,
        "report.view",
        None,
    )
    .await?;
    let names = Names::load(&state, tr.lang).await?;
    let body = &opened.body;
    let person = &body.person;
    let unknown = tr.t("dash-unknown");
    let person_line = format!(
        "{} · {} · {} · {}{}",
        person
            .name
            .as_ref()
            .map_or(unknown.clone(), ToString::to_string),
        person.unit,
        person
            .position
            .as_ref()
            .map_or(unknown.clone(), ToString::to_string),
        tr.t(&format!(
            "report-level-{}",
            person.level.as_str().replace('_', "-")
        )),
        if person.commission_staff {
            format!(" · {}", tr.t("dash-commission-staff"))
        } else {
            String::new()
        },
    );
    let reporter = match &opened.reporter {
        Some(real) => format!("{} {}", real.name, real.mobile.as_str()),
        None if opened.reachable => tr.t("report-anonymous-notified"),
        None => tr.t("report-anonymous"),
    };
    let mut deadlines = vec![
        (
            tr.t("dash-acceptance-due"),
            record.acceptance_due.to_string(),
        ),
        (tr.t("dash-forward-due"), record.forward_due.to_string()),
    ];
    if let Some(due) = record.result_due {
        deadlines.push((tr.t("dash-result-due"), due.to_string()));
    }
    let messages = opened
        .messages
        .iter()
        .map(|m| Line {
            who: match m.kind {
                MessageKind::Reporter => tr.t("dash-from-reporter"),
                MessageKind::StaffPublic => format!(
                    "{} ({})",
                    m.staff.as_deref().unwrap_or(""),
                    tr.t("dash-public-reply")
                ),
                MessageKind::StaffInternal => format!(
                    "{} ({})",
                    m.staff.as_deref().unwrap_or(""),
                    tr.t("dash-internal-note")
                ),
            },
            text: m.text.clone(),
            at: local_time(&state, m.at),
            internal: m.kind == MessageKind::StaffInternal,
        })
        .collect();
    let scope = ReportScope::from(&signed_in.staff.role);
    // Merging links reports across desks: name only those this account may see.
    let merged = state.store.duplicates_of(id, &scope).await?;
    let duplicate_of = match record.duplicate_of {
        Some(of) if state.store.visible_report(of, &scope).await?.is_some() => Some(of),
        _ => None,
    };
    let shown = |other: i64| merged.contains(&other) || duplicate_of == Some(other);
    let history = opened
        .events
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
                at: local_time(&state, e.created_at),
                internal: false,
            }
        })
        .collect();
    let desks = state
        .store
        .desks()
        .await?
        .into_iter()
        .filter(|d| d.code != record.desk)
        .map(|d| {
            (
                d.code.to_string(),
                if tr.lang == Language::En {
                    d.name_en
                } else {
                    d.name_zh
                },
            )
        })
        .collect();
    let notice = match (query.done.as_str(), query.error.as_str()) {
        ("", "") => None,
        (done, "") => Some(format!(
            "{} {}",
            tr.t("dash-done"),
            tr.t(&format!("dash-action-{done}"))
        )),
        (_, error) => Some(tr.t(&format!("dash-error-{error}"))),
    };
    Ok(ReportPage {
        nav: Nav::from(&signed_in),
        id,
        status: status_name(&tr, record.status),
        category: names.category(record.category.as_str()),
        township: names.township(&tr, record.township.as_ref().map(|t| t.as_str())),
        level: tr.t(&format!(
            "report-level-{}",
            record.level.as_str().replace('_', "-")
        )),
        received: local_time(&state, record.received_at),
        deadlines,
        disposal: record
            .disposal
            .map(|d| tr.t(&format!("dash-disposal-{d}")))
            .unwrap_or_default(),
        assigned: record.assigned_to.clone().unwrap_or_default(),
        person: person_line,
        description: body.description.to_string(),
        when_where: body.when_where.to_string(),
        reporter,
        // The reporter's own file names can identify them (e.g. 张三的合同.docx): not shown.
        evidence: opened
            .evidence
            .iter()
            .map(|e| format!("{} {} KB", e.kind, e.size.unwrap_or(0) / 1024))
            .collect(),
        can_download: state.files.is_some(),
        messages,
        history,
        desks,
        dispositions: Disposal::ALL
            .iter()
            .map(|d| (d.as_str().to_owned(), tr.t(&format!("dash-disposal-{d}"))))
            .collect(),
        actions: available_actions(record.status),
        notice,
        duplicate_of,
        merged,
        tr,
    })
}

#[derive(Deserialize)]
struct ActionForm {
    #[serde(default)]
    csrf: String,
    action: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    desk: String,
    #[serde(default)]
    staff: String,
    #[serde(default)]
    disposal: String,
    /// For "duplicate": the report this one repeats.
    #[serde(default)]
    of: String,
}

fn parse_action(form: &ActionForm) -> Result<StaffAction, &'static str> {
    let text = || form.text.parse::<MessageText>().map_err(|_| "text");
    Ok(match form.action.as_str() {
        "accept" => StaffAction::Accept,
        "not_accept" => StaffAction::NotAccept { reason: text()? },
        "forward" => StaffAction::Forward {
            desk: form.desk.parse().map_err(|_| "desk")?,
        },
        "assign" => StaffAction::Assign {
            staff: Some(form.staff.trim().to_owned()).filter(|s| !s.is_empty()),
        },
        "dispose" => StaffAction::Dispose(form.disposal.parse().map_err(|_| "disposal")?),
        "conclude" => StaffAction::Conclude,
        "close" => StaffAction::Close { outcome: text()? },
        "reply" => StaffAction::Reply { text: text()? },
        "note" => StaffAction::Note { text: text()? },
        "duplicate" => StaffAction::MarkDuplicate {
            of: form
                .of
                .trim()
                .trim_start_matches('#')
                .parse()
                .map_err(|_| "of")?,
        },
        _ => return Err("action"),
    })
}

async fn act(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ActionForm>,
) -> Result<Response, DashboardError> {
    signed_in.check_csrf(&form.csrf)?;
    visible(&state, &signed_in, id).await?;
    let action = match parse_action(&form) {
        Ok(action) => action,
        Err(field) => return Ok(see_other(&format!("/reports/{id}?error={field}"))),
    };
    // Merging into a report this account cannot see would reveal that it exists.
    if let StaffAction::MarkDuplicate { of } = action
        && visible(&state, &signed_in, of).await.is_err()
    {
        return Ok(see_other(&format!("/reports/{id}?error=of")));
    }
    // The action and its audit-log line are one transaction in the reports service.
    let result = casework::act(
        &state.store,
        &state.report_keys,
        &state.reports,
        id,
        &signed_in.staff,
        action,
        Utc::now(),
    )
    .await;
    match result {
        Ok(()) => Ok(see_other(&format!("/reports/{id}?done={}", form.action))),
        Err(ReportError::NotAllowed { .. }) => {
            Ok(see_other(&format!("/reports/{id}?error=not_allowed")))
        }
        Err(ReportError::SameDesk(_) | ReportError::UnknownDesk(_)) => {
            Ok(see_other(&format!("/reports/{id}?error=desk")))
        }
        Err(other) => Err(other.into()),
    }
}

/// Content type and file extension for a piece of evidence. The name the reporter's phone gave
/// is not used in headers; only a known extension is kept.
fn evidence_type(evidence: &qingfeng_core::domain::Evidence) -> (&'static str, &'static str) {
    use qingfeng_core::domain::EvidenceKind;
    match evidence.kind {
        EvidenceKind::Photo => ("image/jpeg", "jpg"),
        EvidenceKind::Voice => ("audio/ogg", "oga"),
        EvidenceKind::Document => {
            let ext = evidence
                .file_name
                .as_deref()
                .and_then(|n| n.rsplit_once('.'))
                .map(|(_, e)| e.to_ascii_lowercase())
                .unwrap_or_default();
            match ext.as_str() {
                "pdf" => ("application/pdf", "pdf"),
                "jpg" | "jpeg" => ("image/jpeg", "jpg"),
                "png" => ("image/png", "png"),
                "mp4" => ("video/mp4", "mp4"),
                "doc" => ("application/msword", "doc"),
                "docx" => (
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "docx",
                ),
                "xls" => ("application/vnd.ms-excel", "xls"),
                "xlsx" => (
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "xlsx",
                ),
                "txt" => ("text/plain; charset=utf-8", "txt"),
                _ => ("application/octet-stream", "bin"),
            }
        }
    }
}

/// One piece of evidence, fetched from Telegram through the server (staff never talk to
/// Telegram directly) and always downloaded, never rendered inline. A fetch that works is
/// audited (by the reports service).
async fn evidence(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((id, n)): Path<(i64, usize)>,
) -> Result<Response, DashboardError> {
    visible(&state, &signed_in, id).await?;
    let files = state.files.as_ref().ok_or(DashboardError::NotFound)?;
    let fetched = view::fetch_evidence(
        &state.store,
        &state.report_keys,
        files.as_ref(),
        id,
        n,
        &signed_in.staff,
    )
    .await;
    let (evidence, bytes) = match fetched {
        Ok(fetched) => fetched,
        Err(EvidenceError::NoSuchFile { .. }) => return Err(DashboardError::NotFound),
        Err(EvidenceError::Fetch(error)) => {
            tracing::warn!(report = id, %error, "cannot fetch evidence from Telegram");
            return Err(DashboardError::BadRequest(
                "the file could not be fetched from Telegram; try again later".into(),
            ));
        }
        Err(EvidenceError::Report(error)) => return Err(error.into()),
    };
    let item = &evidence;
    let (content_type, ext) = evidence_type(item);
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_owned()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"report-{id}-{}.{ext}\"", n + 1),
            ),
            (
                axum::http::header::X_CONTENT_TYPE_OPTIONS,
                "nosniff".to_owned(),
            ),
        ],
        bytes,
    )
        .into_response())
}
