//! Campaigns: the list with each one's last run, a preview in both languages with live run
//! figures, pause and resume, and "run now" (through the scheduler's planner, injected as a
//! [`CampaignRunner`] so the dashboard does not depend on the scheduler). Admin and county only.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use qingfeng_core::domain::{CampaignId, Schedule, render};
use qingfeng_core::store::{ManualRun, ManualRunGuard, RunFigures};
use serde::Deserialize;

use super::see_other;
use crate::session::{Nav, SignedIn};
use crate::text::Tr;
use crate::{AppState, DashboardError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns", get(list))
        .route("/campaigns/{id}", get(detail))
        .route("/campaigns/{id}/action", post(act))
        .route("/campaigns/new", get(new_campaign))
        .route("/campaigns/{id}/edit", get(edit_campaign))
        .route("/campaigns/save", post(save))
}

/// A starting point for a new campaign, in the content file's format.
const NEW_CAMPAIGN: &str = r#"[[campaigns]]
id = "new-campaign"
title_zh = "新的提醒"
title_en = "New reminder"
audience = "all"
schedule = { manual = true }
working_days_only = false
urgent = false
acknowledge = true
quiz_invitation = false
catch_up_hours = 6

[[campaigns.messages]]
zh-CN = "【清廉提醒】……"
en = "[Integrity reminder] …"
"#;

#[derive(Template, WebTemplate)]
#[template(path = "campaign_edit.html")]
struct EditPage {
    tr: Tr,
    nav: Nav,
    /// Empty for a new campaign.
    original: String,
    toml: String,
    errors: Vec<String>,
}

fn edit_page(
    tr: Tr,
    signed_in: &SignedIn,
    original: String,
    toml: String,
    errors: Vec<String>,
) -> EditPage {
    EditPage {
        tr,
        nav: Nav::from(signed_in),
        original,
        toml,
        errors,
    }
}

async fn new_campaign(tr: Tr, signed_in: SignedIn) -> Result<EditPage, DashboardError> {
    signed_in.county_wide()?;
    Ok(edit_page(
        tr,
        &signed_in,
        String::new(),
        NEW_CAMPAIGN.to_owned(),
        Vec::new(),
    ))
}

async fn edit_campaign(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<EditPage, DashboardError> {
    signed_in.county_wide()?;
    let (id, stored) = active_campaign(&state, &id).await?;
    let toml = qingfeng_core::content::campaign_to_toml(&stored.campaign);
    Ok(edit_page(tr, &signed_in, id.to_string(), toml, Vec::new()))
}

#[derive(Deserialize)]
struct SaveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    original: String,
    toml: String,
}

/// Saves a new or edited campaign after the same checks as `content import`. Ids are stable
/// (they key runs and deliveries), so an edit cannot rename one.
async fn save(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
    Form(form): Form<SaveForm>,
) -> Result<Response, DashboardError> {
    use axum::response::IntoResponse;
    signed_in.check_csrf(&form.csrf)?;
    signed_in.county_wide()?;
    let refuse = |errors: Vec<String>| {
        edit_page(
            tr,
            &signed_in,
            form.original.clone(),
            form.toml.clone(),
            errors,
        )
        .into_response()
    };
    let campaign = match qingfeng_core::content::validate_campaign(&state.store, &form.toml).await {
        Ok(campaign) => campaign,
        Err(qingfeng_core::content::ImportError::Invalid(errors)) => {
            return Ok(refuse(
                errors
                    .iter()
                    .map(|e| match e.line {
                        Some(line) => {
                            let args = qingfeng_core::i18n::Args::new().with("line", line);
                            format!(
                                "{}: {}",
                                qingfeng_core::i18n::text(tr.lang, "dash-line", Some(&args)),
                                e.message
                            )
                        }
                        None => e.message.clone(),
                    })
                    .collect(),
            ));
        }
        Err(qingfeng_core::content::ImportError::Store(error)) => return Err(error.into()),
    };
    let id = campaign.id.to_string();
    let existing = state
        .store
        .campaign(&campaign.id)
        .await?
        .filter(|c| c.active);
    match (form.original.as_str(), existing) {
        ("", Some(_)) => return Ok(refuse(vec![tr.t("dash-campaign-id-taken")])),
        ("", None) => {}
        (original, _) if original != id => return Ok(refuse(vec![tr.t("dash-campaign-id-fixed")])),
        _ => {}
    }
    state.store.upsert_campaign(&campaign).await?;
    let action = if form.original.is_empty() {
        "campaign.create"
    } else {
        "campaign.edit"
    };
    state
        .store
        .audit(signed_in.staff.username.as_str(), action, None, Some(&id))
        .await?;
    Ok(see_other(&format!("/campaigns/{id}")))
}

struct Row {
    id: String,
    title: String,
    schedule: String,
    paused: bool,
    last_run: Option<RunFigures>,
}

#[derive(Template, WebTemplate)]
#[template(path = "campaigns.html")]
struct ListPage {
    tr: Tr,
    nav: Nav,
    rows: Vec<Row>,
    tz: chrono_tz::Tz,
}

impl ListPage {
    fn run_time(&self, run: &RunFigures) -> String {
        self.tr.time(self.tz, run.scheduled_for)
    }
}

/// "2026年12月2日 09:00（定时 · 已发送）": when a run went out, how it was started, and how it
/// ended, in the reader's words.
fn run_label(tr: &Tr, tz: chrono_tz::Tz, run: &RunFigures) -> String {
    let trigger = tr.t_or(&format!("dash-run-trigger-{}", run.trigger_kind), "");
    let status = tr.t_or(&format!("dash-run-status-{}", run.status), "");
    let how = [trigger, status]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    if how.is_empty() {
        tr.time(tz, run.scheduled_for)
    } else if tr.lang == qingfeng_core::Language::En {
        format!("{} ({how})", tr.time(tz, run.scheduled_for))
    } else {
        format!("{}（{how}）", tr.time(tz, run.scheduled_for))
    }
}

/// An active campaign by the id in the URL; anything else is not found.
async fn active_campaign(
    state: &AppState,
    id: &str,
) -> Result<(CampaignId, qingfeng_core::store::StoredCampaign), DashboardError> {
    let id: CampaignId = id.parse().map_err(|_| DashboardError::NotFound)?;
    let stored = state
        .store
        .campaign(&id)
        .await?
        .filter(|c| c.active)
        .ok_or(DashboardError::NotFound)?;
    Ok((id, stored))
}

fn schedule(tr: &Tr, schedule: &Schedule) -> String {
    match schedule {
        Schedule::Cron(expr) => crate::schedule_text::describe(expr.as_str(), tr.lang)
            .unwrap_or_else(|| format!("cron {}", expr.as_str())),
        Schedule::Dates(dates) => format!("{} ({})", tr.t("dash-campaign-dates"), dates.len()),
        Schedule::Manual => tr.t("dash-campaign-manual"),
    }
}

async fn list(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
) -> Result<ListPage, DashboardError> {
    signed_in.county_wide()?;
    let mut rows = Vec::new();
    for stored in state
        .store
        .campaigns()
        .await?
        .into_iter()
        .filter(|c| c.active)
    {
        let c = &stored.campaign;
        let last_run = state.store.recent_runs(&c.id, 1).await?.into_iter().next();
        rows.push(Row {
            id: c.id.to_string(),
            title: c.title.get(tr.lang).to_owned(),
            schedule: schedule(&tr, &c.schedule),
            paused: stored.paused,
            last_run,
        });
    }
    Ok(ListPage {
        tr,
        nav: Nav::from(&signed_in),
        rows,
        tz: state.reports.time_zone,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "campaign.html")]
struct DetailPage {
    tr: Tr,
    nav: Nav,
    id: String,
    title: String,
    schedule: String,
    paused: bool,
    messages: Vec<(String, String)>,
    runs: Vec<RunFigures>,
    /// Refresh the page while a run is still sending.
    live: bool,
    can_run: bool,
    /// A "run now" that found a run already going out: that run, and a sentence saying so.
    already_running: Option<(i64, String)>,
    tz: chrono_tz::Tz,
}

impl DetailPage {
    fn run_label(&self, run: &RunFigures) -> String {
        run_label(&self.tr, self.tz, run)
    }
}

#[derive(Deserialize)]
struct DetailQuery {
    already_running: Option<i64>,
}

async fn detail(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<DetailQuery>,
) -> Result<DetailPage, DashboardError> {
    signed_in.county_wide()?;
    let (id, stored) = active_campaign(&state, &id).await?;
    let already_running = match query.already_running {
        Some(run_id) => state
            .store
            .run_figures(run_id)
            .await?
            .filter(|run| run.campaign_id == id.as_str())
            .map(|run| {
                let args = qingfeng_core::i18n::Args::new()
                    .text("time", tr.time(state.reports.time_zone, run.scheduled_for))
                    .with("targeted", run.targeted);
                let text = qingfeng_core::i18n::text(tr.lang, "dash-run-already", Some(&args));
                (run.run_id, text)
            }),
        None => None,
    };
    let c = &stored.campaign;
    let sample = tr.t("dash-campaign-sample-township");
    let messages = c
        .messages
        .iter()
        .map(|m| (render(&m.zh, &sample), render(&m.en, &sample)))
        .collect();
    let runs = state.store.recent_runs(&id, 10).await?;
    Ok(DetailPage {
        live: runs.iter().any(|r| r.pending > 0),
        can_run: state.campaign_runner.is_some(),
        already_running,
        tr,
        nav: Nav::from(&signed_in),
        id: id.to_string(),
        title: c.title.get(tr.lang).to_owned(),
        schedule: schedule(&tr, &c.schedule),
        paused: stored.paused,
        messages,
        runs,
        tz: state.reports.time_zone,
    })
}

#[derive(Deserialize)]
struct ActionForm {
    #[serde(default)]
    csrf: String,
    action: String,
    /// For `run_again`: the run the officer saw and chose to repeat.
    #[serde(default)]
    repeating: Option<i64>,
}

async fn act(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Response, DashboardError> {
    signed_in.check_csrf(&form.csrf)?;
    signed_in.county_wide()?;
    let (id, stored) = active_campaign(&state, &id).await?;
    match form.action.as_str() {
        "pause" | "resume" => {
            state
                .store
                .set_campaign_paused(&id, form.action == "pause")
                .await?;
        }
        "run" | "run_again" => {
            let runner = state
                .campaign_runner
                .as_ref()
                .ok_or(DashboardError::BadRequest(
                    "campaigns can only be run by `qingfeng serve`".into(),
                ))?;
            let guard = match form.action.as_str() {
                "run" => ManualRunGuard::ONCE,
                _ => ManualRunGuard::Repeating(form.repeating),
            };
            if let ManualRun::AlreadyStarted(run) = runner.run_now(stored.campaign, guard).await? {
                // A double submit, or another officer just ran it: say so, offer a repeat.
                return Ok(see_other(&format!(
                    "/campaigns/{id}?already_running={}",
                    run.run_id
                )));
            }
        }
        _ => return Err(DashboardError::BadRequest("unknown action".into())),
    }
    state
        .store
        .audit(
            signed_in.staff.username.as_str(),
            &format!("campaign.{}", form.action),
            None,
            Some(id.as_str()),
        )
        .await?;
    Ok(see_other(&format!("/campaigns/{id}")))
}
