//! What the report page's action panel offers: the primary action for the report's status, the
//! staff who may be made 承办人, and the evidence with its inline previews.

use qingfeng_core::domain::ReportStatus;
use qingfeng_core::reports::view::ReportView;
use qingfeng_core::store::{ReportRecord, ReportScope};

use super::evidence::{evidence_type, preview};
use super::report_text::evidence_lines;
use crate::text::Tr;
use crate::{AppState, DashboardError};

/// One piece of evidence on the report page.
pub(super) struct EvidenceItem {
    pub label: String,
    /// `img`, `audio` or `video` when the browser can show it in the page.
    pub preview: Option<&'static str>,
}

pub(super) fn evidence_items(tr: &Tr, opened: &ReportView) -> Vec<EvidenceItem> {
    evidence_lines(tr, opened)
        .into_iter()
        .zip(&opened.evidence)
        .map(|(label, e)| EvidenceItem {
            label,
            preview: preview(evidence_type(e).0),
        })
        .collect()
}

/// The next step the rules expect in this status, if it is among `actions`: 受理 (or 上报 for
/// the higher commission's report), then 处置, 办结, and 告知结果.
pub(super) fn primary_action(
    record: &ReportRecord,
    actions: &[&'static str],
) -> Option<&'static str> {
    let wanted = match record.status {
        ReportStatus::Received if record.higher_body.is_some() => "transfer_up",
        ReportStatus::Received => "accept",
        ReportStatus::Accepted => "dispose",
        ReportStatus::InDisposal => "conclude",
        ReportStatus::Concluded => "close",
        _ => return None,
    };
    actions.iter().copied().find(|a| *a == wanted)
}

/// The actions with the primary one first.
pub(super) fn ordered(
    actions: Vec<&'static str>,
    primary: Option<&'static str>,
) -> Vec<&'static str> {
    let mut ordered: Vec<&'static str> = primary.into_iter().collect();
    ordered.extend(actions.into_iter().filter(|a| Some(*a) != primary));
    ordered
}

/// The accounts that may handle report `record` (those whose scope shows it), each with
/// whether it is the current 承办人.
pub(super) async fn staff_choices(
    state: &AppState,
    record: &ReportRecord,
) -> Result<Vec<(String, bool)>, DashboardError> {
    let mut choices = Vec::new();
    for staff in state.store.staff_members().await? {
        let scope = ReportScope::from(&staff.role);
        if state
            .store
            .visible_report(record.id, &scope)
            .await?
            .is_some()
        {
            let name = staff.username.to_string();
            let current = record.assigned_to.as_deref() == Some(name.as_str());
            choices.push((name, current));
        }
    }
    Ok(choices)
}
