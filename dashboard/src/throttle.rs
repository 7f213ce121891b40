//! Sign-in attempts per client address and overall, counted in one-minute windows in memory.
//! The per-name lockout in the store stops guessing one account; this stops one address (or
//! everyone together) from keeping the password checker busy with many names.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::AppState;

const WINDOW: Duration = Duration::from_secs(60);
/// Beyond this many distinct addresses in a window, unknown ones share one count.
const MAX_TRACKED: usize = 10_000;

#[derive(Debug)]
pub struct SignInLimiter {
    per_client: u32,
    overall: u32,
    window: Mutex<Window>,
}

#[derive(Debug)]
struct Window {
    started: Instant,
    overall: u32,
    clients: HashMap<Option<IpAddr>, u32>,
}

impl SignInLimiter {
    /// At most `per_client` attempts a minute from one address and `overall` from everyone.
    pub fn new(per_client: u32, overall: u32) -> SignInLimiter {
        SignInLimiter {
            per_client,
            overall,
            window: Mutex::new(Window {
                started: Instant::now(),
                overall: 0,
                clients: HashMap::new(),
            }),
        }
    }

    /// Counts an attempt from `client`; false when it is over either limit.
    pub fn allow(&self, client: Option<IpAddr>, now: Instant) -> bool {
        let mut window = self.window.lock().unwrap_or_else(|e| e.into_inner());
        if now.duration_since(window.started) >= WINDOW {
            *window = Window {
                started: now,
                overall: 0,
                clients: HashMap::new(),
            };
        }
        let key = if window.clients.len() < MAX_TRACKED || window.clients.contains_key(&client) {
            client
        } else {
            None
        };
        let mine = window.clients.entry(key).or_insert(0);
        *mine += 1;
        let mine = *mine;
        window.overall += 1;
        mine <= self.per_client && window.overall <= self.overall
    }
}

/// The address a request came from: the socket's peer, or — behind a reverse proxy — the
/// header the proxy sets (`http.client_ip_header`), which only a trusted proxy may be allowed
/// to set. `None` when neither is known (all such requests share one count).
pub struct ClientAddr(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(header) = &state.settings.client_ip_header {
            let forwarded = parts
                .headers
                .get(header)
                .and_then(|v| v.to_str().ok())
                // X-Forwarded-For lists hops; the proxy appends the one it saw last.
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse().ok());
            return Ok(ClientAddr(forwarded));
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip());
        Ok(ClientAddr(peer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_hold_per_address_and_overall_and_reset_each_minute() {
        let limiter = SignInLimiter::new(3, 5);
        let start = Instant::now();
        let a = Some("10.0.0.1".parse().unwrap());
        let b = Some("10.0.0.2".parse().unwrap());
        assert!((0..3).all(|_| limiter.allow(a, start)));
        assert!(!limiter.allow(a, start), "a fourth from one address");
        assert!(limiter.allow(b, start));
        assert!(!limiter.allow(b, start), "over the overall limit of five");
        assert!(limiter.allow(a, start + WINDOW), "a new minute");
    }
}
