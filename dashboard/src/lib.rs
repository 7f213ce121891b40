//! # qingfeng-dashboard
//!
//! The staff web application (axum). For now it serves `GET /healthz`, which load balancers
//! and operators use to see that the process is up and its database answers. Triage, campaigns,
//! quizzes and statistics arrive with the dashboard issue.

use std::future::Future;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use qingfeng_core::Store;
use serde_json::json;
use tokio::net::TcpListener;

pub fn router(store: Store) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .with_state(store)
}

/// 200 when the database answers, 503 otherwise; the body says which backend.
async fn healthz(State(store): State<Store>) -> Response {
    let database = store.backend_name();
    match store.ping().await {
        Ok(()) => Json(json!({ "status": "ok", "database": database })).into_response(),
        Err(error) => {
            tracing::warn!(%error, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "database": database })),
            )
                .into_response()
        }
    }
}

/// Serves until `shutdown` completes, then finishes requests in flight.
pub async fn serve(
    listener: TcpListener,
    store: Store,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(store))
        .with_graceful_shutdown(shutdown)
        .await
}
