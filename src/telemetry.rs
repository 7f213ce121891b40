//! Logging. `QINGFENG_LOG` takes a tracing filter (default `info`). Handlers never log message
//! or report content, only what happened.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = std::env::var("QINGFENG_LOG").unwrap_or_else(|_| "info,sqlx=warn".into());
    let filter = EnvFilter::try_new(&filter).unwrap_or_else(|e| {
        eprintln!("QINGFENG_LOG `{filter}` is not a valid filter ({e}); using `info`");
        EnvFilter::new("info")
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
