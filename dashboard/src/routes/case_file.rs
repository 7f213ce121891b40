//! The printable case file (举报件) of one report: an A4 page for the paper file (the browser
//! prints it to PDF). Opening it is audited as `report.print`, and every printed page carries
//! the staff account and the time it was made, so a paper copy always says whose it was.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use chrono::Utc;
use qingfeng_core::reports::view;
use qingfeng_core::store::ReportScope;

use super::report_text::{
    DeadlineLine, HistoryContext, Line, Names, deadline_lines, evidence_lines, history_lines,
    level_name, local_time, person_line, reporter_line, status_name,
};
use crate::session::SignedIn;
use crate::text::Tr;
use crate::{AppState, DashboardError};

#[derive(Template, WebTemplate)]
#[template(path = "case_file.html")]
pub(super) struct CaseFile {
    tr: Tr,
    id: i64,
    status: String,
    category: String,
    township: String,
    received: String,
    deadlines: Vec<DeadlineLine>,
    disposal: String,
    has_content: bool,
    person: String,
    description: String,
    when_where: String,
    reporter: String,
    evidence: Vec<String>,
    history: Vec<Line>,
    printed_by: String,
    printed_at: String,
}

pub(super) async fn case_file(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<CaseFile, DashboardError> {
    let scope = ReportScope::from(&signed_in.staff.role);
    let record = state
        .store
        .visible_report(id, &scope)
        .await?
        .ok_or(DashboardError::NotFound)?;
    let opened = view::open_as(
        &state.store,
        &state.report_keys,
        id,
        &signed_in.staff,
        "report.print",
        None,
    )
    .await?;
    let names = Names::load(&state, tr.lang).await?;
    // Merged reports at other desks are not named here either.
    let merged = state.store.duplicates_of(id, &scope).await?;
    let duplicate_of = match record.duplicate_of {
        Some(of) if state.store.visible_report(of, &scope).await?.is_some() => Some(of),
        _ => None,
    };
    let shown = |other: i64| merged.contains(&other) || duplicate_of == Some(other);
    let body = opened.body.as_ref();
    Ok(CaseFile {
        id,
        status: status_name(&tr, record.status),
        category: names.category(record.category.as_str()),
        township: names.township(&tr, record.township.as_ref().map(|t| t.as_str())),
        received: local_time(&tr, &state, record.received_at),
        deadlines: deadline_lines(&tr, &state, &record),
        disposal: record
            .disposal
            .map(|d| tr.t(&format!("dash-disposal-{d}")))
            .unwrap_or_default(),
        has_content: body.is_some(),
        person: body
            .map(|b| person_line(&tr, &b.person))
            .unwrap_or_else(|| level_name(&tr, record.level)),
        description: body.map(|b| b.description.to_string()).unwrap_or_default(),
        when_where: body.map(|b| b.when_where.to_string()).unwrap_or_default(),
        reporter: reporter_line(&tr, &opened),
        evidence: evidence_lines(&tr, &opened),
        history: history_lines(
            &HistoryContext {
                tr: &tr,
                state: &state,
                names: &names,
                duplicate_of,
                shown,
            },
            &opened.events,
        ),
        printed_by: signed_in.staff.username.to_string(),
        printed_at: local_time(&tr, &state, Utc::now()),
        tr,
    })
}
