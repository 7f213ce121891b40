//! The audit log, for admins only (others get 404, as for any page they may not see).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use serde::Deserialize;

use crate::session::{Nav, SignedIn};
use crate::text::Tr;
use crate::{AppState, DashboardError};

const PAGE_SIZE: i64 = 100;

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(log))
}

struct Entry {
    at: String,
    username: String,
    action: String,
    report: String,
    detail: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
struct AuditPage {
    tr: Tr,
    nav: Nav,
    entries: Vec<Entry>,
    next_page: Option<i64>,
}

#[derive(Deserialize, Default)]
struct Page {
    #[serde(default)]
    page: i64,
}

async fn log(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
    Query(page): Query<Page>,
) -> Result<AuditPage, DashboardError> {
    if !signed_in.is_admin() {
        return Err(DashboardError::NotFound);
    }
    let page = page.page.clamp(0, 100_000);
    let rows = state
        .store
        .audit_log(PAGE_SIZE + 1, page * PAGE_SIZE)
        .await?;
    let more = rows.len() as i64 > PAGE_SIZE;
    let entries = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|e| Entry {
            at: e
                .created_at
                .with_timezone(&state.reports.time_zone)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            username: e.username,
            action: e.action,
            report: e.report_id.map(|id| id.to_string()).unwrap_or_default(),
            detail: e.detail.unwrap_or_default(),
        })
        .collect();
    Ok(AuditPage {
        tr,
        nav: Nav::from(&signed_in),
        entries,
        next_page: more.then_some(page + 1),
    })
}
