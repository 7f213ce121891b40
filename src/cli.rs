//! The command line: `qingfeng serve [--sandbox [--sandbox-dir PATH]] | migrate | check-config | content import PATH |
//! campaign list | campaign run ID | quiz stats | staff add|set-password|reset-totp |
//! report list|show|act | rekey | deeplink`.
//! Each subcommand prints what it did or a message that says what to fix, and returns the exit
//! code: 0 success, 1 a runtime failure, 2 a configuration problem.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use qingfeng_core::config::{Config, ProcessEnv};
use qingfeng_core::deeplink::{self, DeepLink};
use qingfeng_core::domain::{Audience, RegionCode};
use qingfeng_core::{Store, content};

use crate::startup::{self, Application, StartupError};

#[derive(Parser, Debug)]
#[command(
    name = "qingfeng",
    version,
    about = "Qingfeng (清风): integrity reminders, quizzes and reports over Telegram for a county discipline inspection and supervision commission"
)]
pub struct Cli {
    /// Configuration file (default: $QINGFENG_CONFIG, else ./qingfeng.toml when present).
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the bot and the dashboard until SIGINT or SIGTERM.
    Serve {
        /// Try it without Telegram: no token, no data key, no network beyond loopback. A
        /// simulated Telegram runs inside the process; chat with the bot at /sandbox.
        #[arg(long)]
        sandbox: bool,
        /// Where the sandbox keeps its key and database (default: the current directory).
        #[arg(long, value_name = "PATH", requires = "sandbox")]
        sandbox_dir: Option<PathBuf>,
    },
    /// Create or upgrade the database schema.
    Migrate,
    /// Print the effective configuration (secrets redacted) and check the database and token.
    CheckConfig,
    /// Manage content files (regions, calendar, campaigns, quiz bank).
    Content {
        #[command(subcommand)]
        command: ContentCommand,
    },
    /// Scheduled reminder campaigns.
    Campaign {
        #[command(subcommand)]
        command: CampaignCommand,
    },
    /// Integrity quizzes.
    Quiz {
        #[command(subcommand)]
        command: QuizCommand,
    },
    /// Dashboard accounts.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Reports: list, show (decrypted) and act, for operators.
    Report {
        #[command(subcommand)]
        command: crate::report_cli::ReportCommand,
    },
    /// Re-wrap the report key with a new data key (read from stdin), before changing
    /// QINGFENG_DATA_KEY.
    Rekey,
    /// Print a signed /start deep link for a QR code poster.
    Deeplink {
        #[arg(long, value_enum)]
        audience: AudienceArg,
        #[arg(long, value_name = "CODE")]
        township: String,
        /// Households only.
        #[arg(long, value_name = "CODE")]
        village: Option<String>,
        /// The bot's username, to print the full t.me link.
        #[arg(long, value_name = "USERNAME")]
        bot: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum ContentCommand {
    /// Validate and load a content directory or file (idempotent).
    Import { path: PathBuf },
    /// Villages households typed because the list lacked them: add them to regions.toml.
    Unlisted,
}

#[derive(Subcommand, Debug)]
enum CampaignCommand {
    /// Each campaign with its next run and the figures of its last run.
    List,
    /// Enqueue a run of campaign ID now (a running `serve` delivers it). A second run within a
    /// minute is refused unless `--again` asks for it.
    Run {
        id: String,
        /// Send again although a manual run started less than a minute ago.
        #[arg(long)]
        again: bool,
    },
}

#[derive(Subcommand, Debug)]
enum StaffCommand {
    /// Create an account: `staff add --username U --role admin|county|township [--township CODE] --password-stdin`.
    Add(crate::staff_cli::AddStaff),
    /// Set a new password (from stdin) for a forgotten one; unlocks the account.
    SetPassword(crate::staff_cli::Account),
    /// Turn off an account's second factor (a lost phone).
    ResetTotp(crate::staff_cli::Account),
}

#[derive(Subcommand, Debug)]
enum QuizCommand {
    /// Correct rates per question (hardest first) and this period's township ranking.
    Stats,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum AudienceArg {
    Enterprise,
    Household,
}

const CONFIG_PROBLEM: u8 = 2;

fn fail(code: u8, message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(code)
}

pub async fn run(cli: Cli) -> ExitCode {
    let config = match Config::load(cli.config.as_deref(), &ProcessEnv) {
        Ok(config) => config,
        Err(error) => return fail(CONFIG_PROBLEM, error),
    };
    match cli.command {
        Command::Serve { sandbox: false, .. } => serve(config).await,
        Command::Serve {
            sandbox: true,
            sandbox_dir,
        } => serve_sandbox(config, sandbox_dir).await,
        Command::Migrate => migrate(&config).await,
        Command::CheckConfig => check_config(&config).await,
        Command::Content {
            command: ContentCommand::Import { path },
        } => import(&config, &path).await,
        Command::Content {
            command: ContentCommand::Unlisted,
        } => unlisted_villages(&config).await,
        Command::Campaign { command } => campaign(&config, command).await,
        Command::Quiz {
            command: QuizCommand::Stats,
        } => quiz_stats(&config).await,
        Command::Report { command } => report(&config, Some(command)).await,
        Command::Staff { command } => {
            let store = match open_store(&config).await {
                Ok(store) => store,
                Err(code) => return code,
            };
            let result = match command {
                StaffCommand::Add(args) => crate::staff_cli::add(&store, args).await,
                StaffCommand::SetPassword(args) => {
                    crate::staff_cli::set_password(&store, config.security.data_key.as_ref(), args)
                        .await
                }
                StaffCommand::ResetTotp(args) => crate::staff_cli::reset_totp(&store, args).await,
            };
            store.close().await;
            result.unwrap_or_else(|e| fail(1, e))
        }
        Command::Rekey => report(&config, None).await,
        Command::Deeplink {
            audience,
            township,
            village,
            bot,
        } => {
            deep_link(
                &config,
                audience,
                &township,
                village.as_deref(),
                bot.as_deref(),
            )
            .await
        }
    }
}

async fn serve(config: Config) -> ExitCode {
    let app = match Application::build(config).await {
        Ok(app) => app,
        Err(error @ StartupError::Config(_)) => return fail(CONFIG_PROBLEM, error),
        Err(error) => return fail(1, error),
    };
    match app.run_until(startup::shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(1, error),
    }
}

async fn serve_sandbox(config: Config, dir: Option<PathBuf>) -> ExitCode {
    let sandbox = match crate::sandbox::build(config, dir).await {
        Ok(sandbox) => sandbox,
        Err(error) if error.is_config() => return fail(CONFIG_PROBLEM, error),
        Err(error) => return fail(1, error),
    };
    print!("{}", sandbox.banner());
    match sandbox.app.run_until(startup::shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(1, error),
    }
}

async fn open_store(config: &Config) -> Result<Store, ExitCode> {
    Store::open(&config.database.url, config.database.max_connections)
        .await
        .map_err(|e| fail(1, e))
}

async fn migrate(config: &Config) -> ExitCode {
    let store = match Store::connect(&config.database.url, 1).await {
        Ok(store) => store,
        Err(error) => return fail(1, error),
    };
    match store.migrate().await {
        Ok(applied) => {
            println!(
                "{}: {applied} migration(s) applied, schema up to date",
                config.database.url
            );
            ExitCode::SUCCESS
        }
        Err(error) => fail(1, error),
    }
}

async fn check_config(config: &Config) -> ExitCode {
    print!("{}", config.redacted());
    let mut ok = true;
    match Store::check(&config.database.url).await {
        Ok(note) => println!("ok: database: {note}"),
        Err(error) => {
            ok = false;
            eprintln!("error: database.url: {error}");
        }
    }
    for problem in config.serve_problems() {
        ok = false;
        eprintln!("error: {problem}");
    }
    if let Some(token) = &config.telegram.token {
        match qingfeng_bot::probe(token.expose(), &config.telegram.api_url).await {
            Ok(username) => println!("ok: telegram: the token belongs to @{username}"),
            Err(message) => {
                ok = false;
                eprintln!("error: telegram.token: {message}");
            }
        }
    }
    if ok {
        println!("the configuration is ready for `qingfeng serve`");
        ExitCode::SUCCESS
    } else {
        ExitCode::from(CONFIG_PROBLEM)
    }
}

async fn campaign(config: &Config, command: CampaignCommand) -> ExitCode {
    let store = match open_store(config).await {
        Ok(store) => store,
        Err(code) => return code,
    };
    let result = match command {
        CampaignCommand::List => crate::campaign_cli::list(&store, config).await,
        CampaignCommand::Run { id, again } => {
            crate::campaign_cli::run(&store, config, &id, again).await
        }
    };
    store.close().await;
    result.unwrap_or_else(|e| fail(1, e))
}

async fn quiz_stats(config: &Config) -> ExitCode {
    let store = match open_store(config).await {
        Ok(store) => store,
        Err(code) => return code,
    };
    let result = crate::quiz_cli::stats(&store, config).await;
    store.close().await;
    result.unwrap_or_else(|e| fail(1, e))
}

/// `report …`, or `rekey` when `command` is `None`.
async fn report(config: &Config, command: Option<crate::report_cli::ReportCommand>) -> ExitCode {
    let store = match open_store(config).await {
        Ok(store) => store,
        Err(code) => return code,
    };
    let result = match command {
        Some(command) => crate::report_cli::run(&store, config, command).await,
        None => crate::report_cli::rekey(&store, config).await,
    };
    store.close().await;
    result.unwrap_or_else(|e| fail(1, e))
}

async fn import(config: &Config, path: &Path) -> ExitCode {
    let store = match open_store(config).await {
        Ok(store) => store,
        Err(code) => return code,
    };
    let result = content::import(&store, path).await;
    store.close().await;
    match result {
        Ok(report) => {
            for line in report.lines {
                println!("imported {line}");
            }
            ExitCode::SUCCESS
        }
        Err(content::ImportError::Invalid(errors)) => {
            for error in &errors {
                eprintln!("error: {error}");
            }
            eprintln!("nothing was imported; fix the file(s) above and run the import again");
            ExitCode::from(1)
        }
        Err(error) => fail(1, error),
    }
}

async fn unlisted_villages(config: &Config) -> ExitCode {
    let store = match open_store(config).await {
        Ok(store) => store,
        Err(code) => return code,
    };
    let result = store.unlisted_villages().await;
    store.close().await;
    match result {
        Ok(villages) if villages.is_empty() => {
            println!("no household has named a village missing from the list");
            ExitCode::SUCCESS
        }
        Ok(villages) => {
            println!("township\tvillage as typed\thouseholds\tlast named");
            for v in villages {
                let last = v.last_at.format("%Y-%m-%d");
                println!("{}\t{}\t{}\t{last}", v.township, v.name, v.mentions);
            }
            println!("add the real ones to regions.toml and run `qingfeng content import`");
            ExitCode::SUCCESS
        }
        Err(error) => fail(1, error),
    }
}

async fn deep_link(
    config: &Config,
    audience: AudienceArg,
    township: &str,
    village: Option<&str>,
    bot: Option<&str>,
) -> ExitCode {
    let Some(key) = &config.security.data_key else {
        return fail(
            CONFIG_PROBLEM,
            "deep links are signed with the data key: set QINGFENG_DATA_KEY",
        );
    };
    let parse = |s: &str| s.parse::<RegionCode>().map_err(|e| fail(CONFIG_PROBLEM, e));
    let township = match parse(township) {
        Ok(code) => code,
        Err(code) => return code,
    };
    let village = match village.map(parse).transpose() {
        Ok(village) => village,
        Err(code) => return code,
    };
    let audience = match (audience, &village) {
        (AudienceArg::Household, _) => Audience::Household,
        (AudienceArg::Enterprise, None) => Audience::Enterprise,
        (AudienceArg::Enterprise, Some(_)) => {
            return fail(CONFIG_PROBLEM, "--village is for households only");
        }
    };
    let store = match open_store(config).await {
        Ok(store) => store,
        Err(code) => return code,
    };
    let known = match store.township(&township).await {
        Ok(Some((_, true))) => match &village {
            Some(v) => matches!(store.village(&township, v).await, Ok(Some((_, true)))),
            None => true,
        },
        _ => false,
    };
    store.close().await;
    if !known {
        return fail(
            1,
            "no such active township or village in the store; check the codes in content/regions.toml",
        );
    }
    let payload = DeepLink {
        audience,
        township,
        village,
    }
    .encode(&deeplink::signer(key));
    match bot {
        Some(bot) => println!(
            "https://t.me/{}?start={payload}",
            bot.trim_start_matches('@')
        ),
        None => println!("{payload}\n(pass --bot USERNAME to print the full https://t.me link)"),
    }
    ExitCode::SUCCESS
}
