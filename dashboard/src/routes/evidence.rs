//! Evidence: its content type, and fetching it from Telegram for staff (download or preview).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use qingfeng_core::reports::view::{self, EvidenceError};
use serde::Deserialize;

use super::reports::visible;
use crate::session::SignedIn;
use crate::{AppState, DashboardError};

/// Content type and file extension for a piece of evidence. The name the reporter's phone gave
/// is not used in headers; only a known extension is kept.
pub(super) fn evidence_type(
    evidence: &qingfeng_core::domain::Evidence,
) -> (&'static str, &'static str) {
    use qingfeng_core::domain::EvidenceKind;
    match evidence.kind {
        EvidenceKind::Photo => ("image/jpeg", "jpg"),
        EvidenceKind::Voice => ("audio/ogg", "oga"),
        EvidenceKind::Document => {
            let ext = evidence
                .file_name
                .as_deref()
                .and_then(|n| n.rsplit_once('.'))
                .map(|(_, e)| e.to_ascii_lowercase())
                .unwrap_or_default();
            match ext.as_str() {
                "pdf" => ("application/pdf", "pdf"),
                "jpg" | "jpeg" => ("image/jpeg", "jpg"),
                "png" => ("image/png", "png"),
                "mp4" => ("video/mp4", "mp4"),
                "doc" => ("application/msword", "doc"),
                "docx" => (
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "docx",
                ),
                "xls" => ("application/vnd.ms-excel", "xls"),
                "xlsx" => (
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "xlsx",
                ),
                "txt" => ("text/plain; charset=utf-8", "txt"),
                _ => ("application/octet-stream", "bin"),
            }
        }
    }
}

/// How the report page previews a piece of evidence of this content type, if it does: only
/// types a browser shows without running anything.
pub(super) fn preview(content_type: &str) -> Option<&'static str> {
    match content_type {
        "image/jpeg" | "image/png" => Some("img"),
        "audio/ogg" => Some("audio"),
        "video/mp4" => Some("video"),
        _ => None,
    }
}

#[derive(Deserialize, Default)]
pub(super) struct EvidenceQuery {
    /// `1`: shown in the page (a preview) rather than downloaded; only for previewable types.
    #[serde(default)]
    inline: String,
}

/// One piece of evidence, fetched from Telegram through the server (staff never talk to
/// Telegram directly): downloaded, or shown inline for the report page's preview when it is
/// an image, a voice message or an MP4 video. A fetch that works is audited (by the reports
/// service), preview or download.
pub(super) async fn evidence(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((id, n)): Path<(i64, usize)>,
    Query(query): Query<EvidenceQuery>,
) -> Result<Response, DashboardError> {
    visible(&state, &signed_in, id).await?;
    let files = state.files.as_ref().ok_or(DashboardError::NotFound)?;
    let fetched = view::fetch_evidence(
        &state.store,
        &state.report_keys,
        files.as_ref(),
        id,
        n,
        &signed_in.staff,
    )
    .await;
    let (evidence, bytes) = match fetched {
        Ok(fetched) => fetched,
        Err(EvidenceError::NoSuchFile { .. }) => return Err(DashboardError::NotFound),
        Err(EvidenceError::Fetch(error)) => {
            tracing::warn!(report = id, %error, "cannot fetch evidence from Telegram");
            return Err(DashboardError::BadRequest(
                "the file could not be fetched from Telegram; try again later".into(),
            ));
        }
        Err(EvidenceError::Report(error)) => return Err(error.into()),
    };
    let item = &evidence;
    let (content_type, ext) = evidence_type(item);
    let disposition = match (query.inline.as_str(), preview(content_type)) {
        ("1", Some(_)) => "inline",
        _ => "attachment",
    };
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_owned()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("{disposition}; filename=\"report-{id}-{}.{ext}\"", n + 1),
            ),
            (
                axum::http::header::X_CONTENT_TYPE_OPTIONS,
                "nosniff".to_owned(),
            ),
        ],
        bytes,
    )
        .into_response())
}
