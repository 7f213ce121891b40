//! The dashboard's one error type. Every error is a page that says what happened; details of
//! internal failures go to the log, not to the browser.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use qingfeng_core::StoreError;
use qingfeng_core::reports::ReportError;

#[derive(Debug, thiserror::Error)]
pub enum DashboardError {
    /// Also what a report outside the staff member's scope looks like.
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("{0}")]
    BadRequest(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Reports(#[from] ReportError),
}

impl IntoResponse for DashboardError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            DashboardError::NotFound => (StatusCode::NOT_FOUND, "未找到 / Not found".to_owned()),
            DashboardError::Forbidden(why) => (
                StatusCode::FORBIDDEN,
                format!("禁止访问 / Forbidden: {why}"),
            ),
            DashboardError::BadRequest(why) => (StatusCode::BAD_REQUEST, why.clone()),
            DashboardError::Store(_) | DashboardError::Reports(_) => {
                tracing::error!(error = %self, "a dashboard request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "出错了，请稍后再试 / Something went wrong; please try again".to_owned(),
                )
            }
        };
        let body = format!(
            "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>{status}</title>\
             <body><p>{}</p><p><a href=\"/reports\">举报列表 / Reports</a></p></body></html>",
            escape(&message)
        );
        (status, Html(body)).into_response()
    }
}

use crate::charts::escape;
