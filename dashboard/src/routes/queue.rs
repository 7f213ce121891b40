//! The report queue (/reports): filters, search, the next deadline of each report as a badge,
//! a marker where the reporter wrote back, and bulk assignment. Every read goes through the
//! staff member's [`ReportScope`].

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::{Router, routing};
use chrono::{NaiveDate, Utc};
use qingfeng_core::calendar::WorkingCalendar;
use qingfeng_core::domain::ReportStatus;
use qingfeng_core::reports::deadlines::{Urgency, current_deadline, local_date, urgency};
use qingfeng_core::reports::search::search;
use qingfeng_core::store::{ReportFilter, ReportRecord, ReportScope};
use serde::Deserialize;

use super::report_text::{Names, local_time, status_name};
use crate::session::{Nav, SignedIn};
use crate::text::Tr;
use crate::{AppState, DashboardError};

mod bulk;

const PAGE_SIZE: i64 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", routing::get(queue))
        .route("/reports/assign", routing::post(bulk::assign))
}

/// The next deadline of a report: which one, and how near, in words.
pub(super) struct Badge {
    pub kind: String,
    pub text: String,
    /// `overdue`, `due-soon` or `due-later`: the badge's colour.
    pub class: &'static str,
}

struct QueueRow {
    id: i64,
    status: String,
    category: String,
    township: String,
    desk: String,
    received: String,
    badge: Option<Badge>,
    assigned: String,
    /// The reporter wrote after the last staff action.
    wrote_back: bool,
    /// When retention purges the content ("已清除" once it has been); empty if never.
    purge: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports.html")]
struct QueuePage {
    tr: Tr,
    nav: Nav,
    rows: Vec<QueueRow>,
    statuses: Vec<(String, String)>,
    townships: Vec<(String, String)>,
    desks: Vec<(String, String)>,
    categories: Vec<(String, String)>,
    query: QueueQuery,
    next_page: Option<String>,
    /// Bulk assignment: admins only, with every account to pick from.
    staff: Option<Vec<String>>,
    notice: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
struct QueueQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    township: String,
    #[serde(default)]
    desk: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    overdue: String,
    /// 我的案件: assigned to the signed-in account.
    #[serde(default)]
    mine: String,
    /// 显示已办结: finished reports are hidden unless asked for.
    #[serde(default)]
    closed: String,
    /// A report number or words from the content.
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: usize,
    /// After a bulk assignment: how many were assigned and how many could not be.
    #[serde(default)]
    assigned: Option<usize>,
    #[serde(default)]
    skipped: Option<usize>,
}

impl QueueQuery {
    /// This query on another page.
    fn link(&self, page: usize) -> String {
        let pairs = [
            ("status", &self.status),
            ("township", &self.township),
            ("desk", &self.desk),
            ("category", &self.category),
            ("overdue", &self.overdue),
            ("mine", &self.mine),
            ("closed", &self.closed),
        ];
        let mut link = String::from("/reports?");
        for (name, value) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
            link.push_str(&format!("{name}={}&", encode(value)));
        }
        link.push_str(&format!("page={page}"));
        link
    }

    fn filter(
        &self,
        tr: &Tr,
        today: NaiveDate,
        signed_in: &SignedIn,
    ) -> Result<ReportFilter, DashboardError> {
        Ok(ReportFilter {
            status: non_empty(tr, &self.status)?,
            township: non_empty(tr, &self.township)?,
            desk: non_empty(tr, &self.desk)?,
            category: non_empty(tr, &self.category)?,
            overdue_on: (!self.overdue.is_empty()).then_some(today),
            assigned_to: (!self.mine.is_empty()).then(|| signed_in.staff.username.to_string()),
            // A status asked for by name is shown, finished or not.
            open_only: self.closed.is_empty() && self.status.is_empty(),
        })
    }
}

/// Query values are codes (ASCII letters, digits, `_`, `-`); anything else is escaped.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'-' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A filter's value, if one was chosen; one that is no code gets a clear answer.
fn non_empty<T: std::str::FromStr>(tr: &Tr, value: &str) -> Result<Option<T>, DashboardError> {
    if value.is_empty() {
        return Ok(None);
    }
    value.parse().map(Some).map_err(|_| {
        DashboardError::BadRequest(
            tr.t_args("dash-error-unknown-filter", &[("value", value.to_owned())]),
        )
    })
}

/// The badge for a report's deadline in play, if one is: "受理告知 · 逾期 3 天".
pub(super) fn badge(
    tr: &Tr,
    state: &AppState,
    calendar: &WorkingCalendar,
    today: NaiveDate,
    record: &ReportRecord,
) -> Option<Badge> {
    let deadline = current_deadline(&state.reports, record)?;
    let days = (deadline.due - today).num_days();
    let text = match days {
        d if d < 0 => tr.t_count("dash-badge-overdue", "days", -d),
        0 => tr.t("dash-badge-today"),
        1 => tr.t("dash-badge-tomorrow"),
        d => tr.t_count("dash-badge-in", "days", d),
    };
    let class = match urgency(calendar, &state.reports, today, deadline.due) {
        Urgency::Overdue => "overdue",
        Urgency::DueSoon => "due-soon",
        Urgency::Fine => "due-later",
    };
    Some(Badge {
        kind: tr.t(&format!("dash-deadline-{}", deadline.kind.name())),
        text,
        class,
    })
}

/// The reports the query asks for, and whether there is a next page.
async fn matching(
    state: &AppState,
    tr: &Tr,
    signed_in: &SignedIn,
    query: &QueueQuery,
    today: NaiveDate,
) -> Result<(Vec<ReportRecord>, bool), DashboardError> {
    let scope = ReportScope::from(&signed_in.staff.role);
    let filter = query.filter(tr, today, signed_in)?;
    if !query.q.trim().is_empty() {
        // A search looks at finished reports too: the one sought is often an old one.
        let filter = ReportFilter {
            open_only: false,
            ..filter
        };
        let found = search(
            &state.store,
            &state.report_keys,
            (&scope, &filter),
            &signed_in.staff,
            &query.q,
            PAGE_SIZE as usize,
        )
        .await?;
        return Ok((found, false));
    }
    let page = query.page.min(10_000) as i64;
    let mut records = state
        .store
        .list_reports(&scope, &filter, PAGE_SIZE + 1, page * PAGE_SIZE)
        .await?;
    let more = records.len() as i64 > PAGE_SIZE;
    records.truncate(PAGE_SIZE as usize);
    Ok((records, more))
}

async fn queue(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
    Query(query): Query<QueueQuery>,
) -> Result<QueuePage, DashboardError> {
    let today = local_date(&state.reports, Utc::now());
    let (records, more) = matching(&state, &tr, &signed_in, &query, today).await?;
    let names = Names::load(&state, tr.lang).await?;
    let calendar = state.store.working_calendar().await?;
    let ids: Vec<i64> = records.iter().map(|r| r.id).collect();
    let wrote_back = state.store.awaiting_staff(&ids).await?;
    let rows = records
        .iter()
        .map(|r| QueueRow {
            id: r.id,
            status: status_name(&tr, r.status),
            category: names.category(r.category.as_str()),
            township: names.township(&tr, r.township.as_ref().map(|t| t.as_str())),
            desk: names.desk(r.desk.as_str()),
            received: local_time(&tr, &state, r.received_at),
            badge: badge(&tr, &state, &calendar, today, r),
            assigned: r.assigned_to.clone().unwrap_or_default(),
            wrote_back: wrote_back.contains(&r.id),
            purge: match (r.content_purged_at, state.reports.retention.purge_on(r)) {
                (Some(_), _) => tr.t("dash-content-purged"),
                (None, Some(on)) => tr.date(local_date(&state.reports, on)),
                (None, None) => String::new(),
            },
        })
        .collect();
    let mut categories: Choices = names.categories.clone().into_iter().collect();
    categories.sort();
    let (townships, desks) = filter_choices(&state, &tr, &signed_in, names).await?;
    let staff = match signed_in.is_admin() {
        true => Some(
            state
                .store
                .staff_members()
                .await?
                .into_iter()
                .map(|s| s.username.to_string())
                .collect(),
        ),
        false => None,
    };
    Ok(QueuePage {
        nav: Nav::from(&signed_in),
        rows,
        statuses: ReportStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), status_name(&tr, *s)))
            .collect(),
        townships,
        desks,
        categories,
        next_page: more.then(|| query.link(query.page + 1)),
        notice: bulk::notice(&tr, &query.assigned, &query.skipped),
        query,
        staff,
        tr,
    })
}

type Choices = Vec<(String, String)>;

/// The townships and desks the filters offer: a township account's own, or the county's.
async fn filter_choices(
    state: &AppState,
    tr: &Tr,
    signed_in: &SignedIn,
    names: Names,
) -> Result<(Choices, Choices), DashboardError> {
    // The routing is read once: the account's desks give its townships.
    let own_desks = super::desks::own_desks(state, signed_in).await?;
    let own = own_desks
        .as_deref()
        .map(|desks| super::desks::townships_of(desks, signed_in));
    let mut townships: Choices = names
        .townships
        .into_iter()
        .filter(|(code, _)| own.as_ref().is_none_or(|own| own.contains(code)))
        .collect();
    townships.sort();
    let desks = match own_desks {
        Some(own) => own,
        None => state.store.desks().await?,
    };
    let desks = desks
        .into_iter()
        .map(|d| (d.code.to_string(), d.name(tr.lang).to_owned()))
        .collect();
    Ok((townships, desks))
}
