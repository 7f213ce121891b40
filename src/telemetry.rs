//! Logging. `QINGFENG_LOG` takes a tracing filter (default [`DEFAULT_FILTER`]). Handlers never
//! log message or report content, only what happened. teloxide's dispatcher is silenced by
//! default: it would log an update it cannot parse in full (chat id, name, report text); the
//! bot skips such updates itself and logs only their id.

use tracing_subscriber::EnvFilter;

pub const DEFAULT_FILTER: &str = "info,sqlx=warn,teloxide::dispatching::dispatcher=off";

pub fn init() {
    let filter = std::env::var("QINGFENG_LOG").unwrap_or_else(|_| DEFAULT_FILTER.into());
    let filter = EnvFilter::try_new(&filter).unwrap_or_else(|e| {
        eprintln!("QINGFENG_LOG `{filter}` is not a valid filter ({e}); using `info`");
        EnvFilter::new("info")
    });
    // Colour only on a terminal: journald and log files get plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr)
        .try_init();
}
