//! Quizzes: the question bank with each question's correct rate, this period's leaderboards,
//! and importing a quiz file (admin), validated exactly as `qingfeng content import` does.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use qingfeng_core::content::{self, ImportError};
use qingfeng_core::domain::Audience;
use qingfeng_core::i18n::{self, Args};
use qingfeng_core::reports::deadlines::local_date;
use serde::Deserialize;

use super::see_other;
use crate::session::{Nav, SignedIn};
use crate::text::Tr;
use crate::{AppState, DashboardError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quizzes", get(page))
        .route("/quizzes/import", post(import))
}

struct Question {
    id: String,
    audience: String,
    text: String,
    answer: String,
    rate: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "quizzes.html")]
struct QuizPage {
    tr: Tr,
    nav: Nav,
    period: String,
    questions: Vec<Question>,
    townships: Vec<(String, i64, String)>,
    enterprises: Vec<(String, String)>,
    errors: Vec<String>,
}

async fn build(
    state: &AppState,
    tr: Tr,
    signed_in: &SignedIn,
    errors: Vec<String>,
) -> Result<QuizPage, DashboardError> {
    let store = &state.store;
    let rates: HashMap<String, (i64, i64)> = store
        .question_rates()
        .await?
        .into_iter()
        .map(|r| (r.question_id, (r.correct, r.answers)))
        .collect();
    let mut bank = store.questions_for(Audience::Enterprise).await?;
    for q in store.questions_for(Audience::Household).await? {
        if !bank.iter().any(|b| b.id == q.id) {
            bank.push(q);
        }
    }
    let questions = bank
        .iter()
        .map(|q| {
            let rate = rates
                .get(q.id.as_str())
                .map_or("—".to_owned(), |(correct, answers)| {
                    format!(
                        "{:.0}% ({answers})",
                        *correct as f64 * 100.0 / (*answers).max(1) as f64
                    )
                });
            Question {
                id: q.id.to_string(),
                audience: q
                    .audience
                    .map_or(tr.t("dash-everyone"), |a| tr.t(&format!("dash-poster-{a}"))),
                text: q.question.get(tr.lang).to_owned(),
                answer: q
                    .options
                    .get(q.answer)
                    .map(|o| o.get(tr.lang).to_owned())
                    .unwrap_or_default(),
                rate,
            }
        })
        .collect();
    let period = state
        .settings
        .quiz_period
        .label(local_date(&state.reports, Utc::now()));
    let names: HashMap<String, String> = store
        .townships()
        .await?
        .into_iter()
        .map(|t| (t.code.to_string(), t.name(tr.lang).to_owned()))
        .collect();
    let townships = store
        .township_leaderboard(&period)
        .await?
        .into_iter()
        .map(|t| {
            let name = names
                .get(&t.township_code)
                .cloned()
                .unwrap_or(t.township_code);
            (name, t.participants, format!("{:.0}%", t.average * 100.0))
        })
        .collect();
    let enterprises = store
        .enterprise_leaderboard(&period, 20)
        .await?
        .into_iter()
        .map(|e| (e.enterprise_name, format!("{}/{}", e.score, e.total)))
        .collect();
    Ok(QuizPage {
        tr,
        nav: Nav::from(signed_in),
        // `2026-W49` is the key; the page says 2026年第49周.
        period: tr.period(&period),
        questions,
        townships,
        enterprises,
        errors,
    })
}

async fn page(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
) -> Result<QuizPage, DashboardError> {
    signed_in.county_wide()?;
    build(&state, tr, &signed_in, Vec::new()).await
}

#[derive(Deserialize)]
struct ImportForm {
    #[serde(default)]
    csrf: String,
    toml: String,
}

/// Imports one quiz file pasted into the form: added to the bank (as `content import FILE`).
async fn import(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
    Form(form): Form<ImportForm>,
) -> Result<Response, DashboardError> {
    signed_in.check_csrf(&form.csrf)?;
    if !signed_in.is_admin() {
        return Err(DashboardError::NotFound);
    }
    // The importer reads files; a private directory per request keeps uploads apart.
    let dir = std::env::temp_dir().join(format!(
        "qingfeng-quiz-upload-{}",
        crate::session::random_token()
    ));
    let quiz_dir = dir.join("quiz");
    std::fs::create_dir_all(&quiz_dir).map_err(|e| DashboardError::BadRequest(e.to_string()))?;
    let file = quiz_dir.join("upload.toml");
    std::fs::write(&file, &form.toml).map_err(|e| DashboardError::BadRequest(e.to_string()))?;
    let result = content::import(&state.store, &file).await;
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(report) => {
            let summary = report.lines.join("; ");
            state
                .store
                .audit(
                    signed_in.staff.username.as_str(),
                    "quiz.import",
                    None,
                    Some(&summary),
                )
                .await?;
            Ok(see_other("/quizzes"))
        }
        Err(ImportError::Invalid(errors)) => {
            let errors = errors
                .iter()
                .map(|e| match e.line {
                    Some(line) => {
                        let args = Args::new().with("line", line);
                        format!(
                            "{}: {}",
                            i18n::text(tr.lang, "dash-line", Some(&args)),
                            e.message
                        )
                    }
                    None => e.message.clone(),
                })
                .collect();
            Ok(build(&state, tr, &signed_in, errors).await?.into_response())
        }
        Err(ImportError::Store(error)) => Err(error.into()),
    }
}
