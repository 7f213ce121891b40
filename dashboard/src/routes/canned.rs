//! Canned texts (常用语) for the reasons and replies officers write most: a 不予受理 reason, a
//! reply to the reporter, a 办结 outcome. Admins edit the lists; the report page offers them
//! beside the text box, and a choice is used when the box is left empty (no script needed).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use qingfeng_core::Store;
use serde::{Deserialize, Serialize};

use crate::session::{Nav, SignedIn};
use crate::text::Tr;
use crate::{AppState, DashboardError};

const SETTING: &str = "dashboard.canned_texts";
/// A canned text is sent as a message: the same bound as any staff text.
const MAX_CHARS: usize = 2000;

pub fn router() -> Router<AppState> {
    Router::new().route("/settings/texts", get(page).post(save))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedTexts {
    pub not_accept: Vec<String>,
    pub reply: Vec<String>,
    pub close: Vec<String>,
}

impl Default for CannedTexts {
    /// Wording officers use; the grounds follow the categories of 《纪检监察机关处理检举控告
    /// 工作规则》 without citing articles.
    fn default() -> Self {
        let owned = |texts: &[&str]| texts.iter().map(|t| (*t).to_owned()).collect();
        CannedTexts {
            not_accept: owned(&[
                "您反映的问题不属于纪检监察机关的受理范围，建议向有关主管部门反映。",
                "您反映的问题属于涉法涉诉事项，建议依法向人民法院、人民检察院等政法机关提出。",
                "您反映的问题已经依规依纪依法处理，且未提供新的事实或者证据。",
            ]),
            reply: owned(&[
                "您反映的问题已收悉，我们正在依规依纪依法处理，感谢您的监督。",
                "为便于核实，请补充被反映人的具体单位、职务以及问题发生的时间、地点。",
                "请补充相关证据材料（照片、文件等），可以直接在本对话中发送。",
            ]),
            close: owned(&["经核查，您反映的问题已依规依纪依法处理，感谢您的监督。"]),
        }
    }
}

impl CannedTexts {
    pub async fn load(store: &Store) -> Result<CannedTexts, DashboardError> {
        Ok(match store.kv_get(SETTING).await? {
            Some(json) => serde_json::from_str(&json).unwrap_or_else(|error| {
                tracing::warn!(%error, "unreadable canned texts; showing the defaults");
                CannedTexts::default()
            }),
            None => CannedTexts::default(),
        })
    }

    /// The texts offered for a report action (empty for actions without a text).
    pub fn for_action(&self, action: &str) -> &[String] {
        match action {
            "not_accept" => &self.not_accept,
            "reply" => &self.reply,
            "close" => &self.close,
            _ => &[],
        }
    }
}

/// One text per line; blank lines dropped, each bounded like a message.
fn lines(text: &str) -> Result<Vec<String>, DashboardError> {
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if lines.iter().any(|l| l.chars().count() > MAX_CHARS) {
        return Err(DashboardError::BadRequest(format!(
            "a canned text has more than {MAX_CHARS} characters"
        )));
    }
    Ok(lines)
}

#[derive(Template, WebTemplate)]
#[template(path = "canned.html")]
struct CannedPage {
    tr: Tr,
    nav: Nav,
    not_accept: String,
    reply: String,
    close: String,
    saved: bool,
}

async fn render(
    state: &AppState,
    tr: Tr,
    signed_in: &SignedIn,
    saved: bool,
) -> Result<CannedPage, DashboardError> {
    let texts = CannedTexts::load(&state.store).await?;
    Ok(CannedPage {
        tr,
        nav: Nav::from(signed_in),
        not_accept: texts.not_accept.join("\n"),
        reply: texts.reply.join("\n"),
        close: texts.close.join("\n"),
        saved,
    })
}

async fn page(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
    query: axum::extract::Query<SavedQuery>,
) -> Result<CannedPage, DashboardError> {
    if !signed_in.is_admin() {
        return Err(DashboardError::NotFound);
    }
    render(&state, tr, &signed_in, query.saved.is_some()).await
}

#[derive(Deserialize)]
struct SavedQuery {
    saved: Option<String>,
}

#[derive(Deserialize)]
struct CannedForm {
    /// Defaulted, so a missing token is refused as forged (403), not as a malformed form.
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    not_accept: String,
    #[serde(default)]
    reply: String,
    #[serde(default)]
    close: String,
}

async fn save(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Form(form): Form<CannedForm>,
) -> Result<Response, DashboardError> {
    signed_in.check_csrf(&form.csrf)?;
    if !signed_in.is_admin() {
        return Err(DashboardError::NotFound);
    }
    let texts = CannedTexts {
        not_accept: lines(&form.not_accept)?,
        reply: lines(&form.reply)?,
        close: lines(&form.close)?,
    };
    let json = serde_json::to_string(&texts).expect("texts serialise");
    state.store.kv_put(SETTING, &json).await?;
    let who = signed_in.staff.username.as_str();
    state.store.audit(who, "settings.texts", None, None).await?;
    Ok(Redirect::to("/settings/texts?saved=1").into_response())
}
