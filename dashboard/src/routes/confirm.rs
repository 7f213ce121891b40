//! The confirmation step for report actions that cannot be undone (不予受理, 办结, 告知结果,
//! 标记重复件, 上报). Without script (the content security policy allows none), the form's POST
//! answers with this page: what will happen, the officer's input carried in hidden fields (not
//! in the address, which may be logged), a confirm button and a way back.

use askama::Template;
use askama_web::WebTemplate;
use qingfeng_core::reports::casework::StaffAction;

use super::reports::ActionForm;
use crate::session::{Nav, SignedIn};
use crate::text::Tr;

pub(super) fn needs_confirmation(action: &StaffAction) -> bool {
    matches!(
        action,
        StaffAction::NotAccept { .. }
            | StaffAction::Conclude
            | StaffAction::Close { .. }
            | StaffAction::MarkDuplicate { .. }
            | StaffAction::TransferUp { .. }
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "confirm.html")]
pub(super) struct ConfirmPage {
    tr: Tr,
    nav: Nav,
    id: i64,
    action: String,
    question: String,
    button: String,
    /// The officer's input, posted again as it was.
    fields: Vec<(&'static str, String)>,
    /// The text as the reporter will read it, if the action sends one.
    text: String,
}

pub(super) fn page(tr: Tr, signed_in: &SignedIn, id: i64, form: &ActionForm) -> ConfirmPage {
    let fields = [
        ("text", &form.text),
        ("desk", &form.desk),
        ("staff", &form.staff),
        ("disposal", &form.disposal),
        ("of", &form.of),
        ("to", &form.to),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| (k, v.clone()))
    .collect();
    let of = form.of.trim().trim_start_matches('#').to_owned();
    ConfirmPage {
        question: tr.t_args(
            &format!("dash-confirm-{}", form.action),
            &[("id", id.to_string()), ("of", of), ("to", form.to.clone())],
        ),
        button: tr.t(&format!("dash-confirm-button-{}", form.action)),
        nav: Nav::from(signed_in),
        id,
        action: form.action.clone(),
        fields,
        text: form.text.clone(),
        tr,
    }
}
