//! Headers on every dashboard response. Pages hold report content and evidence, so nothing is
//! cached, framed, sniffed or leaked through the referrer, and the content security policy
//! allows only the dashboard's own stylesheet, images and media (evidence previews): no script
//! (except the sandbox chat page's own, in `serve --sandbox`), no inline style, no other
//! origin, and forms post only back to the dashboard.

use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

pub const CONTENT_SECURITY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     media-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Adds the security headers; `no-store` unless the handler chose a cache policy (only the
/// stylesheet does).
pub async fn secure(mut response: Response) -> Response {
    let headers = response.headers_mut();
    // The sandbox chat page sets its own policy (it runs the dashboard's one script).
    headers
        .entry(CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CONTENT_SECURITY));
    let fixed = [
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (REFERRER_POLICY, "no-referrer"),
        (X_FRAME_OPTIONS, "DENY"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers
        .entry(CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// `GET /assets/app.css`: the stylesheet, compiled into the binary.
pub async fn stylesheet() -> Response {
    (
        StatusCode::OK,
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../assets/app.css"),
    )
        .into_response()
}
