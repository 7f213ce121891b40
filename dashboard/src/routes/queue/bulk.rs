//! Bulk assignment from the queue: the reports ticked, one staff member. For admins (the
//! roles have no desk lead yet); each report is assigned, and audited, as on its own page,
//! and one this account may not see or whose status allows no assignment is skipped.

use axum::Form;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use qingfeng_core::reports::ReportError;
use qingfeng_core::reports::casework::{self, StaffAction};
use qingfeng_core::store::ReportScope;

use crate::routes::see_other;
use crate::session::SignedIn;
use crate::text::Tr;
use crate::{AppState, DashboardError};

/// The form as pairs: `id` repeats, once per ticked report.
pub(super) async fn assign(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, DashboardError> {
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    signed_in.check_csrf(&field("csrf"))?;
    if !signed_in.is_admin() {
        return Err(DashboardError::Forbidden("bulk assignment is for admins"));
    }
    let staff = field("staff");
    let known = state.store.staff_members().await?;
    if !staff.is_empty() && !known.iter().any(|s| s.username.as_str() == staff) {
        let why = tr.t_args("dash-error-unknown-staff", &[("name", staff)]);
        return Err(DashboardError::BadRequest(why));
    }
    let ids: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "id")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let scope = ReportScope::from(&signed_in.staff.role);
    let (mut assigned, mut skipped) = (0, 0);
    for id in ids {
        if state.store.visible_report(id, &scope).await?.is_none() {
            skipped += 1;
            continue;
        }
        let action = StaffAction::Assign {
            staff: Some(staff.clone()).filter(|s| !s.is_empty()),
        };
        let result = casework::act(
            &state.store,
            &state.report_keys,
            &state.reports,
            id,
            &signed_in.staff,
            action,
            Utc::now(),
        )
        .await;
        match result {
            Ok(()) => assigned += 1,
            Err(ReportError::NotAllowed { .. }) => skipped += 1,
            Err(other) => return Err(other.into()),
        }
    }
    Ok(see_other(&format!(
        "/reports?assigned={assigned}&skipped={skipped}"
    )))
}

/// What the last bulk assignment did, shown once above the queue.
pub(super) fn notice(tr: &Tr, assigned: &Option<usize>, skipped: &Option<usize>) -> Option<String> {
    let assigned = (*assigned)?;
    let mut text = tr.t_args("dash-bulk-done", &[("n", assigned.to_string())]);
    if let Some(skipped) = skipped.filter(|n| *n > 0) {
        text.push_str(&tr.t_args("dash-bulk-skipped", &[("n", skipped.to_string())]));
    }
    Some(text)
}
