//! HTTP routing: `POST /bot<token>/<Method>` and `GET /file/bot<token>/<file_path>`.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::errors::InjectedError;
use crate::errors::{ApiFailure, desc};
use crate::files::percent_decode;
use crate::methods;
use crate::params::Params;
use crate::state::Inner;
use crate::types::RecordedRequest;

/// Largest request body accepted (Telegram's upload limit).
const BODY_LIMIT: usize = 50 * 1024 * 1024;

/// The router serving the fake Bot API.
pub fn router(inner: Arc<Inner>) -> Router {
    Router::new()
        .fallback(handle)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(inner)
}

async fn handle(State(inner): State<Arc<Inner>>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        ["file", bot, rest @ ..] if bot.starts_with("bot") && !rest.is_empty() => {
            download(&inner, &percent_decode(&bot[3..]), &rest.join("/"))
        }
        [bot, method] if bot.starts_with("bot") => {
            let token = percent_decode(&bot[3..]);
            api_call(&inner, &token, method, request).await
        }
        _ => reply(Err(ApiFailure::new(404, "Not Found"))),
    }
}

/// Serializes a method outcome into Telegram's envelope.
fn reply(outcome: Result<Value, ApiFailure>) -> Response {
    let (status, body) = match outcome {
        Ok(result) => (200, json!({ "ok": true, "result": result })),
        Err(failure) => (failure.http_status, failure.envelope()),
    };
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

async fn api_call(inner: &Inner, token: &str, method: &str, request: Request) -> Response {
    if token != inner.token {
        return reply(Err(ApiFailure::new(401, desc::UNAUTHORIZED)));
    }
    let params = match read_params(request).await {
        Ok(params) => params,
        Err(e) => return reply(Err(ApiFailure::new(400, format!("Bad Request: {e}")))),
    };
    let lower = method.to_ascii_lowercase();
    let canonical = methods::canonical(method);
    // Method and chat only: in `serve --sandbox` the bodies are the bot's messages, which can
    // quote a report. Tests read whole requests with `Simulator::requests`.
    let chat = params.to_value()["chat_id"].clone();
    tracing::debug!(method = %canonical, %chat, "telegram-sim request");
    let refused = inner.update(|state| {
        state.requests.push(RecordedRequest {
            method: canonical.clone(),
            body: params.to_value(),
            at: std::time::Instant::now(),
        });
        let chat = methods::target_chat(state, &lower, &params);
        if let Some(i) = state.injected.iter().position(|e| e.matches(&lower, chat)) {
            let injection = state.injected.remove(i);
            return Some(ApiFailure::from(&injection.error));
        }
        let blocked = params
            .chat_id()
            .and_then(|id| state.users.get(&id))
            .is_some_and(|u| u.blocked);
        if blocked {
            return Some(ApiFailure::blocked());
        }
        let is_send = matches!(
            lower.as_str(),
            "sendmessage" | "sendphoto" | "senddocument" | "sendpoll"
        );
        let limited = state
            .limits
            .as_mut()
            .filter(|_| is_send)
            .map(|l| l.admit(chat));
        match limited {
            Some(Err(retry_after)) => Some(ApiFailure::from(&InjectedError::TooManyRequests {
                retry_after,
            })),
            _ => None,
        }
    });
    let outcome = match refused {
        Some(failure) => Err(failure),
        None => methods::call(inner, &lower, &params).await,
    };
    if let Err(failure) = &outcome {
        tracing::debug!(method = %canonical, error = %failure.description, "telegram-sim error");
    }
    reply(outcome)
}

/// Reads the query string and the body (JSON, multipart or url-encoded form).
async fn read_params(request: Request) -> Result<Params, String> {
    let query = request.uri().query().map(str::to_owned);
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut params = if content_type.starts_with("multipart/form-data") {
        read_multipart(request).await?
    } else {
        let body = to_bytes(request.into_body(), BODY_LIMIT)
            .await
            .map_err(|e| e.to_string())?;
        if content_type.starts_with("application/x-www-form-urlencoded") {
            let mut params = Params::default();
            params.add_urlencoded(&String::from_utf8_lossy(&body));
            params
        } else {
            Params::from_json(&body)?
        }
    };
    if let Some(query) = query {
        let mut from_query = Params::default();
        from_query.add_urlencoded(&query);
        for (key, value) in from_query.fields {
            params.fields.entry(key).or_insert(value);
        }
    }
    Ok(params)
}

async fn read_multipart(request: Request) -> Result<Params, String> {
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|e| e.body_text())?;
    let mut params = Params::default();
    while let Some(field) = multipart.next_field().await.map_err(|e| e.body_text())? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.map_err(|e| e.body_text())?;
        match file_name {
            Some(file_name) => {
                params.uploads.insert(name, (file_name, bytes.to_vec()));
            }
            None => params.add_text(name, String::from_utf8_lossy(&bytes).into_owned()),
        }
    }
    Ok(params)
}

/// `GET /file/bot<token>/<file_path>`; the path may be one percent-encoded segment.
fn download(inner: &Inner, token: &str, raw_path: &str) -> Response {
    if token != inner.token {
        let body = ApiFailure::new(401, desc::UNAUTHORIZED)
            .envelope()
            .to_string();
        return (StatusCode::UNAUTHORIZED, body).into_response();
    }
    let path = percent_decode(raw_path);
    let bytes = inner.lock().files.by_path(&path).map(|f| f.bytes.clone());
    match bytes {
        Some(bytes) => {
            let mut response = Response::new(Body::from(bytes));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            );
            response
        }
        None => {
            let body = ApiFailure::new(404, "Not Found").envelope().to_string();
            (StatusCode::NOT_FOUND, body).into_response()
        }
    }
}
