//! QR posters (扫码加入): for each township (households and enterprises) and each village, a
//! printable page with the bot's signed deep link as a QR code, and SVG and PNG downloads.
//! Township accounts get their own township's posters.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use qingfeng_core::deeplink::DeepLink;
use qingfeng_core::domain::{Audience, RegionCode, StaffRole, Township, Village};
use serde::Deserialize;

use crate::session::{Nav, SignedIn};
use crate::text::Tr;
use crate::{AppState, DashboardError, qr};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/posters", get(list))
        .route("/poster", get(poster))
}

fn may_see(signed_in: &SignedIn, township: &RegionCode) -> bool {
    match &signed_in.staff.role {
        StaffRole::Township(own) => own == township,
        StaffRole::Admin | StaffRole::County => true,
    }
}

struct Entry {
    place: String,
    query: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "posters.html")]
struct ListPage {
    tr: Tr,
    nav: Nav,
    bot_known: bool,
    entries: Vec<Entry>,
    /// In the sandbox: the test people a poster can be "scanned" by.
    sandbox_people: Option<Vec<crate::sandbox::SandboxPerson>>,
}

async fn list(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
) -> Result<ListPage, DashboardError> {
    let mut entries = Vec::new();
    for township in state.store.townships().await? {
        if !may_see(&signed_in, &township.code) {
            continue;
        }
        let name = township.name(tr.lang).to_owned();
        for audience in [Audience::Household, Audience::Enterprise] {
            let label = tr.t(&format!("dash-poster-{audience}"));
            entries.push(Entry {
                place: format!("{name} · {label}"),
                query: format!("audience={audience}&township={}", township.code),
            });
        }
        for village in state.store.villages(&township.code).await? {
            entries.push(Entry {
                place: format!(
                    "{name}{} · {}",
                    village.name(tr.lang),
                    tr.t("dash-poster-household")
                ),
                query: format!(
                    "audience=household&township={}&village={}",
                    township.code, village.code
                ),
            });
        }
    }
    Ok(ListPage {
        tr,
        nav: Nav::from(&signed_in),
        bot_known: state.bot_username.get().is_some(),
        entries,
        sandbox_people: state.sandbox.as_ref().map(|chats| chats.people()),
    })
}

#[derive(Deserialize)]
pub(super) struct PosterQuery {
    audience: String,
    township: String,
    #[serde(default)]
    village: String,
    #[serde(default)]
    format: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "poster.html")]
struct PosterPage {
    tr: Tr,
    /// Whose service this is: 竹山县纪委监委.
    commission: String,
    place: String,
    audience: String,
    link: String,
    qr_svg: String,
    query: String,
}

/// A poster's place and signed link, checked: the township (and village) exist, are active
/// and are the staff member's to see.
pub(super) struct Resolved {
    pub link: DeepLink,
    township: Township,
    village: Option<Village>,
}

pub(super) async fn deep_link(
    state: &AppState,
    signed_in: &SignedIn,
    q: &PosterQuery,
) -> Result<Resolved, DashboardError> {
    let bad = |what: &str| DashboardError::BadRequest(format!("unknown {what}"));
    let audience: Audience = q.audience.parse().map_err(|_| bad("audience"))?;
    let township: RegionCode = q.township.parse().map_err(|_| bad("township"))?;
    if !may_see(signed_in, &township) {
        return Err(DashboardError::NotFound);
    }
    let Some((township_row, true)) = state.store.township(&township).await? else {
        return Err(DashboardError::NotFound);
    };
    let village = match (audience, q.village.as_str()) {
        (_, "") => None,
        (Audience::Household, code) => {
            let code: RegionCode = code.parse().map_err(|_| bad("village"))?;
            match state.store.village(&township, &code).await? {
                Some((v, true)) => Some(v),
                _ => return Err(DashboardError::NotFound),
            }
        }
        (Audience::Enterprise, _) => return Err(bad("village for an enterprise poster")),
    };
    let link = DeepLink {
        audience,
        township,
        village: village.as_ref().map(|v| v.code.clone()),
    };
    Ok(Resolved {
        link,
        township: township_row,
        village,
    })
}

async fn poster(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
    Query(q): Query<PosterQuery>,
) -> Result<Response, DashboardError> {
    let bad = |what: &str| DashboardError::BadRequest(format!("unknown {what}"));
    let Resolved {
        link: deep_link,
        township: township_row,
        village,
    } = deep_link(&state, &signed_in, &q).await?;
    let (audience, township) = (deep_link.audience, deep_link.township.clone());
    let Some(bot) = state.bot_username.get() else {
        return Err(DashboardError::BadRequest(tr.t("dash-poster-no-bot")));
    };
    let payload = deep_link.encode(&state.links);
    let link = format!("https://t.me/{bot}?start={payload}");
    let file_name = format!(
        "qingfeng-{}-{}{}",
        audience,
        township,
        village
            .as_ref()
            .map_or(String::new(), |v| format!("-{}", v.code))
    );
    match q.format.as_str() {
        "svg" => {
            let svg = qr::svg(&link).map_err(|e| DashboardError::BadRequest(e.to_string()))?;
            Ok(download(
                "image/svg+xml",
                &format!("{file_name}.svg"),
                svg.into_bytes(),
            ))
        }
        "png" => {
            let png = qr::png(&link, 12).map_err(DashboardError::BadRequest)?;
            Ok(download("image/png", &format!("{file_name}.png"), png))
        }
        "" => {
            let place = match &village {
                Some(v) => format!("{}{}", township_row.name(tr.lang), v.name(tr.lang)),
                None => township_row.name(tr.lang).to_owned(),
            };
            let qr_svg = qr::svg(&link).map_err(|e| DashboardError::BadRequest(e.to_string()))?;
            let query = format!(
                "audience={audience}&township={township}&village={}",
                q.village
            );
            let commission = match state.store.county_name().await? {
                Some(county) => tr.t_args(
                    "dash-poster-commission",
                    &[("county", county.get(tr.lang).to_owned())],
                ),
                None => tr.t("dash-poster-commission-generic"),
            };
            Ok(PosterPage {
                audience: tr.t(&format!("dash-poster-{audience}")),
                commission,
                tr,
                place,
                link,
                qr_svg,
                query,
            }
            .into_response())
        }
        _ => Err(bad("format")),
    }
}

fn download(content_type: &'static str, file_name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        body,
    )
        .into_response()
}
