//! The audit log, for admins only (others get 404, as for any page they may not see).

use std::collections::HashMap;

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

/// Names for the codes audit details hold (desks, campaigns), in the reader's language.
struct DetailNames {
    desks: HashMap<String, String>,
    campaigns: HashMap<String, String>,
}

impl DetailNames {
    async fn load(state: &AppState, tr: &Tr) -> Result<DetailNames, DashboardError> {
        let desks = state
            .store
            .desks()
            .await?
            .into_iter()
            .map(|d| (d.code.to_string(), d.name(tr.lang).to_owned()))
            .collect();
        let campaigns = state
            .store
            .campaigns()
            .await?
            .into_iter()
            .map(|c| {
                let title = c.campaign.title.get(tr.lang).to_owned();
                (c.campaign.id.to_string(), title)
            })
            .collect();
        Ok(DetailNames { desks, campaigns })
    }

    /// An entry's detail in words: the detail column holds codes (a desk, a campaign id, an
    /// evidence index from 0) that mean nothing to the reader as they are.
    fn detail(&self, tr: &Tr, action: &str, detail: &str) -> String {
        let named = |map: &HashMap<String, String>| {
            map.get(detail)
                .cloned()
                .unwrap_or_else(|| detail.to_owned())
        };
        match action {
            "report.forward" => named(&self.desks),
            a if a.starts_with("campaign.") => named(&self.campaigns),
            "report.evidence" => match detail.parse::<usize>() {
                Ok(n) => tr.t_args("dash-audit-evidence-n", &[("n", (n + 1).to_string())]),
                Err(_) => detail.to_owned(),
            },
            "report.duplicate" => format!("#{detail}"),
            "login.failed" | "password.change.failed" => {
                tr.t_or(&format!("dash-audit-failed-{detail}"), detail)
            }
            // Retention writes an English note; the action's name says it all.
            "report.purge" => String::new(),
            _ => detail.to_owned(),
        }
    }
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
    let names = DetailNames::load(&state, &tr).await?;
    let entries = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|e| Entry {
            at: tr.time(state.reports.time_zone, e.created_at),
            action: tr.t_or(
                &format!("dash-audit-{}", e.action.replace('.', "-")),
                &e.action,
            ),
            detail: names.detail(&tr, &e.action, e.detail.as_deref().unwrap_or("")),
            username: e.username,
            report: e.report_id.map(|id| format!("#{id}")).unwrap_or_default(),
        })
        .collect();
    Ok(AuditPage {
        tr,
        nav: Nav::from(&signed_in),
        entries,
        next_page: more.then_some(page + 1),
    })
}
