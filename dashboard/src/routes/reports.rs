//! The report queue, one report (decrypted; the view is audited), and staff actions on it.
//! Every read goes through the staff member's [`ReportScope`].

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use chrono::Utc;
use qingfeng_core::domain::{Disposal, MessageText, StaffRole};
use qingfeng_core::reports::ReportError;
use qingfeng_core::reports::casework::{self, StaffAction};
use qingfeng_core::reports::view;
use qingfeng_core::store::{MessageKind, ReportRecord, ReportScope, StatusChange};
use serde::Deserialize;

use super::report_text::{
    DeadlineLine, HistoryContext, Line, Names, deadline_lines, history_lines, level_name,
    local_time, person_line, reporter_line, status_name,
};
use super::see_other;
use crate::session::{Nav, SignedIn};
use crate::text::Tr;
use crate::{AppState, DashboardError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports/{id}", get(detail).post(act))
        .route("/reports/{id}/file", get(super::case_file::case_file))
        .route("/reports/{id}/evidence/{n}", get(super::evidence::evidence))
}

/// The report if this staff member may see it; otherwise exactly what a missing report is.
pub(super) async fn visible(
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
    deadlines: Vec<DeadlineLine>,
    disposal: String,
    assigned: String,
    /// `false` once the content was purged: the page says so instead.
    has_content: bool,
    person: String,
    description: String,
    when_where: String,
    reporter: String,
    /// The higher body's name, for the transfer form.
    higher_body: String,
    evidence: Vec<super::workbench::EvidenceItem>,
    can_download: bool,
    messages: Vec<Line>,
    history: Vec<Line>,
    desks: Vec<(String, String)>,
    dispositions: Vec<(String, String)>,
    actions: Vec<&'static str>,
    /// The next step the rules expect; shown first and marked.
    primary: Option<&'static str>,
    /// Who may be made 承办人 (and whether they are).
    staff: Vec<(String, bool)>,
    /// 常用语 offered beside the text boxes.
    canned: super::canned::CannedTexts,
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

/// The actions whose status rule allows them now, in the order the page shows them. A report
/// for the higher commission is only passed up (上报): this county neither accepts nor
/// forwards it, and township accounts never see it. County accounts may also pass up a report
/// that the routing did not flag (the reporter may have chosen the wrong level).
fn available_actions(record: &ReportRecord, county: bool) -> Vec<&'static str> {
    let status = record.status;
    let upward = record.higher_body.is_some();
    let any_desk: qingfeng_core::domain::DeskCode = "county".parse().expect("a desk code");
    let candidates: [(&'static str, StatusChange); 10] = [
        (
            "transfer_up",
            StatusChange::TransferUp { to: String::new() },
        ),
        ("accept", StatusChange::Accept),
        ("not_accept", StatusChange::NotAccept),
        (
            "forward",
            StatusChange::Forward(any_desk, Default::default()),
        ),
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
        .filter(|name| match *name {
            "transfer_up" => county,
            "accept" | "not_accept" | "forward" | "duplicate" => !upward,
            _ => true,
        })
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
    let reporter = reporter_line(&tr, &opened);
    let deadlines = deadline_lines(&tr, &state, &record);
    let county = !matches!(signed_in.staff.role, StaffRole::Township(_));
    let higher_body = match state.store.routing().await? {
        Some(routing) => routing.higher().name(tr.lang).to_owned(),
        None => String::new(),
    };
    let messages = message_lines(&tr, &state, &opened.messages);
    let scope = ReportScope::from(&signed_in.staff.role);
    // Merging links reports across desks: name only those this account may see.
    let merged = state.store.duplicates_of(id, &scope).await?;
    let duplicate_of = match record.duplicate_of {
        Some(of) if state.store.visible_report(of, &scope).await?.is_some() => Some(of),
        _ => None,
    };
    let shown = |other: i64| merged.contains(&other) || duplicate_of == Some(other);
    let history = history_lines(
        &HistoryContext {
            tr: &tr,
            state: &state,
            names: &names,
            duplicate_of,
            shown,
        },
        &opened.events,
    );
    let desks = other_desks(&state, &tr, &record).await?;
    let actions = available_actions(&record, county);
    let primary = super::workbench::primary_action(&record, &actions);
    let notice = action_notice(&tr, &query);
    Ok(ReportPage {
        nav: Nav::from(&signed_in),
        id,
        status: status_name(&tr, record.status),
        category: names.category(record.category.as_str()),
        township: names.township(&tr, record.township.as_ref().map(|t| t.as_str())),
        level: level_name(&tr, record.level),
        received: local_time(&tr, &state, record.received_at),
        deadlines,
        disposal: record
            .disposal
            .map(|d| tr.t(&format!("dash-disposal-{d}")))
            .unwrap_or_default(),
        assigned: record.assigned_to.clone().unwrap_or_default(),
        has_content: opened.body.is_some(),
        person: opened
            .body
            .as_ref()
            .map(|b| person_line(&tr, &b.person))
            .unwrap_or_default(),
        description: opened
            .body
            .as_ref()
            .map(|b| b.description.to_string())
            .unwrap_or_default(),
        when_where: opened
            .body
            .as_ref()
            .map(|b| b.when_where.to_string())
            .unwrap_or_default(),
        reporter,
        higher_body,
        evidence: super::workbench::evidence_items(&tr, &opened),
        staff: super::workbench::staff_choices(&state, &record).await?,
        canned: super::canned::CannedTexts::load(&state.store).await?,
        can_download: state.files.is_some(),
        messages,
        history,
        desks,
        dispositions: Disposal::ALL
            .iter()
            .map(|d| (d.as_str().to_owned(), tr.t(&format!("dash-disposal-{d}"))))
            .collect(),
        actions: super::workbench::ordered(actions, primary),
        primary,
        notice,
        duplicate_of,
        merged,
        tr,
    })
}

/// The conversation with the reporter and the staff notes, oldest first.
fn message_lines(tr: &Tr, state: &AppState, messages: &[view::OpenMessage]) -> Vec<Line> {
    messages
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
            at: local_time(tr, state, m.at),
            internal: m.kind == MessageKind::StaffInternal,
        })
        .collect()
}

/// The desks a report can be forwarded to: every desk but its own.
async fn other_desks(
    state: &AppState,
    tr: &Tr,
    record: &ReportRecord,
) -> Result<Vec<(String, String)>, DashboardError> {
    Ok(state
        .store
        .desks()
        .await?
        .into_iter()
        .filter(|d| d.code != record.desk)
        .map(|d| (d.code.to_string(), d.name(tr.lang).to_owned()))
        .collect())
}

/// What the last action did (or why it was refused), shown once above the report.
fn action_notice(tr: &Tr, query: &DetailQuery) -> Option<String> {
    match (query.done.as_str(), query.error.as_str()) {
        ("", "") => None,
        (done, "") => Some(format!(
            "{} {}",
            tr.t("dash-done"),
            tr.t(&format!("dash-action-{done}"))
        )),
        (_, error) => Some(tr.t(&format!("dash-error-{error}"))),
    }
}

#[derive(Deserialize)]
pub(super) struct ActionForm {
    #[serde(default)]
    pub csrf: String,
    pub action: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub desk: String,
    #[serde(default)]
    pub staff: String,
    #[serde(default)]
    pub disposal: String,
    /// For "duplicate": the report this one repeats.
    #[serde(default)]
    pub of: String,
    /// For "transfer_up": the body the report was passed to.
    #[serde(default)]
    pub to: String,
    /// `1` once the officer confirmed an action that cannot be undone.
    #[serde(default)]
    pub confirmed: String,
    /// A canned text (常用语) chosen beside the text box: used when the box is left empty.
    #[serde(default)]
    pub canned: String,
}

fn parse_action(form: &ActionForm) -> Result<StaffAction, &'static str> {
    let text = || form.text.parse::<MessageText>().map_err(|_| "text");
    Ok(match form.action.as_str() {
        "transfer_up" => StaffAction::TransferUp {
            to: form.to.parse().map_err(|_| "to")?,
        },
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
    tr: Tr,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ActionForm>,
) -> Result<Response, DashboardError> {
    signed_in.check_csrf(&form.csrf)?;
    visible(&state, &signed_in, id).await?;
    // A canned text stands in for an empty box, so the confirmation shows what will be sent.
    let form = if form.text.trim().is_empty() {
        ActionForm {
            text: form.canned.clone(),
            ..form
        }
    } else {
        form
    };
    let action = match parse_action(&form) {
        Ok(action) => action,
        Err(field) => return Ok(see_other(&format!("/reports/{id}?error={field}"))),
    };
    // Passing a report up is the county office's act, never a township desk's.
    if matches!(action, StaffAction::TransferUp { .. })
        && matches!(signed_in.staff.role, StaffRole::Township(_))
    {
        return Ok(see_other(&format!("/reports/{id}?error=not_allowed")));
    }
    // Merging into a report this account cannot see would reveal that it exists.
    if let StaffAction::MarkDuplicate { of } = action
        && visible(&state, &signed_in, of).await.is_err()
    {
        return Ok(see_other(&format!("/reports/{id}?error=of")));
    }
    // 不予受理, 办结, 标记重复件 and 上报 cannot be undone: once the
    // input is known to be valid, they take a second, deliberate step.
    if super::confirm::needs_confirmation(&action) && form.confirmed != "1" {
        return Ok(super::confirm::page(tr, &signed_in, id, &form).into_response());
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
