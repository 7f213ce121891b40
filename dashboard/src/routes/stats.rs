//! Statistics: each table as an SVG chart and a table on one page, and as a CSV download.
//! County and admin accounts see the county; a township account sees its desk's reports and
//! its townships' subscribers (campaign and quiz figures are the county's, not shown to it).

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use qingfeng_core::store::ReportScope;

mod handling;

use handling::{Range, RangeQuery};

use crate::charts::{bar_chart, csv};
use crate::session::{Nav, SignedIn};
use crate::text::Tr;
use crate::{AppState, DashboardError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stats", get(page))
        .route("/stats/{file}", get(download))
}

/// One statistics table: its slug (for the CSV's name), title, columns, rows and chart.
pub struct Table {
    pub slug: &'static str,
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub chart: String,
}

async fn tables(
    state: &AppState,
    tr: &Tr,
    signed_in: &SignedIn,
    range: Range,
) -> Result<Vec<Table>, DashboardError> {
    let store = &state.store;
    let scope = ReportScope::from(&signed_in.staff.role);
    let own = super::desks::own_townships(state, signed_in).await?;
    let mine = |code: &str| own.as_ref().is_none_or(|own| own.iter().any(|c| c == code));
    let townships: HashMap<String, String> = store
        .townships()
        .await?
        .into_iter()
        .map(|t| (t.code.to_string(), t.name(tr.lang).to_owned()))
        .collect();
    let township = |code: &str| match code {
        "-" => tr.t("report-county-departments"),
        code => townships
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_owned()),
    };
    let categories: HashMap<String, String> = store
        .report_categories()
        .await?
        .into_iter()
        .map(|c| (c.code.to_string(), c.name(tr.lang).to_owned()))
        .collect();
    let counted = |slug, title: &str, label: &str, rows: Vec<(String, i64)>| Table {
        slug,
        title: tr.t(title),
        headers: vec![tr.t(label), tr.t("dash-count")],
        chart: bar_chart(&rows),
        rows: rows
            .into_iter()
            .map(|(l, n)| vec![l, n.to_string()])
            .collect(),
    };

    let subscribers = store
        .subscribers_by_township()
        .await?
        .into_iter()
        .filter(|(code, _, _)| mine(code))
        .collect();
    let subscribers = tally_subscribers(subscribers, township);
    let by_category = store
        .reports_by_category(&scope)
        .await?
        .into_iter()
        .map(|(c, n)| (categories.get(&c).cloned().unwrap_or(c), n))
        .collect();
    let by_township = store
        .reports_by_township(&scope)
        .await?
        .into_iter()
        .map(|(t, n)| (township(&t), n))
        .collect();
    let months = store
        .reports_by_month(state.reports.time_zone, &scope)
        .await?
        .into_iter()
        .map(|(month, n)| (tr.month(&month), n))
        .collect();
    let mut tables = vec![
        handling::table(state, tr, &scope, range).await?,
        subscribers_table(subscribers, tr),
        counted(
            "reports-by-category",
            "dash-stats-by-category",
            "dash-category",
            by_category,
        ),
        counted(
            "reports-by-township",
            "dash-stats-by-township",
            "dash-township",
            by_township,
        ),
        counted(
            "reports-by-month",
            "dash-stats-by-month",
            "dash-month",
            months,
        ),
    ];
    if own.is_none() {
        tables.extend(county_tables(state, tr).await?);
    }
    Ok(tables)
}

/// The county's campaign and quiz figures: campaigns by title and periods in words, not by
/// their ids and ISO codes.
async fn county_tables(state: &AppState, tr: &Tr) -> Result<Vec<Table>, DashboardError> {
    let store = &state.store;
    let titles: HashMap<String, String> = store
        .campaigns()
        .await?
        .into_iter()
        .map(|c| {
            let title = c.campaign.title.get(tr.lang).to_owned();
            (c.campaign.id.to_string(), title)
        })
        .collect();
    let acknowledgements = store
        .acknowledgement_rates()
        .await?
        .into_iter()
        .map(|(id, sent, ack)| (titles.get(&id).cloned().unwrap_or(id), sent, ack))
        .collect();
    let quizzes = store
        .quiz_participation()
        .await?
        .into_iter()
        .map(|(period, n, people)| (tr.period(&period), n, people))
        .collect();
    Ok(vec![
        acknowledgements_table(acknowledgements, tr),
        quiz_table(quizzes, tr),
    ])
}

/// Subscribers per township name, as (township, enterprises, households).
fn tally_subscribers(
    counts: Vec<(String, String, i64)>,
    township: impl Fn(&str) -> String,
) -> Vec<(String, i64, i64)> {
    let mut subscribers: Vec<(String, i64, i64)> = Vec::new();
    for (code, audience, n) in counts {
        let name = township(&code);
        let entry = match subscribers.iter_mut().find(|(t, _, _)| *t == name) {
            Some(entry) => entry,
            None => {
                subscribers.push((name, 0, 0));
                subscribers.last_mut().expect("just pushed")
            }
        };
        if audience == "enterprise" {
            entry.1 += n;
        } else {
            entry.2 += n;
        }
    }
    subscribers
}

fn subscribers_table(subscribers: Vec<(String, i64, i64)>, tr: &Tr) -> Table {
    Table {
        slug: "subscribers",
        title: tr.t("dash-stats-subscribers"),
        headers: vec![
            tr.t("dash-township"),
            tr.t("dash-enterprises"),
            tr.t("dash-households"),
        ],
        chart: bar_chart(
            &subscribers
                .iter()
                .map(|(t, e, h)| (t.clone(), e + h))
                .collect::<Vec<_>>(),
        ),
        rows: subscribers
            .into_iter()
            .map(|(t, e, h)| vec![t, e.to_string(), h.to_string()])
            .collect(),
    }
}

fn acknowledgements_table(acknowledgements: Vec<(String, i64, i64)>, tr: &Tr) -> Table {
    Table {
        slug: "acknowledgements",
        title: tr.t("dash-stats-acknowledgements"),
        headers: vec![
            tr.t("dash-campaign"),
            tr.t("dash-sent"),
            tr.t("dash-acknowledged"),
            "%".into(),
        ],
        chart: bar_chart(
            &acknowledgements
                .iter()
                .map(|(c, sent, ack)| (c.clone(), ack * 100 / (*sent).max(1)))
                .collect::<Vec<_>>(),
        ),
        rows: acknowledgements
            .into_iter()
            .map(|(c, sent, ack)| {
                vec![
                    c,
                    sent.to_string(),
                    ack.to_string(),
                    format!("{:.1}", ack as f64 * 100.0 / sent.max(1) as f64),
                ]
            })
            .collect(),
    }
}

fn quiz_table(quizzes: Vec<(String, i64, i64)>, tr: &Tr) -> Table {
    Table {
        slug: "quiz-participation",
        title: tr.t("dash-stats-quizzes"),
        headers: vec![
            tr.t("dash-period"),
            tr.t("dash-quizzes"),
            tr.t("dash-people"),
        ],
        chart: bar_chart(
            &quizzes
                .iter()
                .map(|(p, _, people)| (p.clone(), *people))
                .collect::<Vec<_>>(),
        ),
        rows: quizzes
            .into_iter()
            .map(|(p, n, people)| vec![p, n.to_string(), people.to_string()])
            .collect(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "stats.html")]
struct StatsPage {
    tr: Tr,
    nav: Nav,
    tables: Vec<Table>,
    range: Range,
}

/// The date range asked for, read in the county's calendar.
fn range(state: &AppState, query: &RangeQuery) -> Result<Range, DashboardError> {
    let today = chrono::Utc::now()
        .with_timezone(&state.reports.time_zone)
        .date_naive();
    Range::parse(query, today)
}

async fn page(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
    Query(query): Query<RangeQuery>,
) -> Result<StatsPage, DashboardError> {
    let range = range(&state, &query)?;
    Ok(StatsPage {
        tables: tables(&state, &tr, &signed_in, range).await?,
        nav: Nav::from(&signed_in),
        tr,
        range,
    })
}

async fn download(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
    Path(file): Path<String>,
    Query(query): Query<RangeQuery>,
) -> Result<Response, DashboardError> {
    let slug = file.strip_suffix(".csv").ok_or(DashboardError::NotFound)?;
    let range = range(&state, &query)?;
    let table = tables(&state, &tr, &signed_in, range)
        .await?
        .into_iter()
        .find(|t| t.slug == slug)
        .ok_or(DashboardError::NotFound)?;
    state
        .store
        .audit(
            signed_in.staff.username.as_str(),
            "stats.export",
            None,
            Some(slug),
        )
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{slug}.csv\""),
            ),
        ],
        csv(&table.headers, &table.rows),
    )
        .into_response())
}
