use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    qingfeng::telemetry::init();
    qingfeng::cli::run(qingfeng::cli::Cli::parse()).await
}
