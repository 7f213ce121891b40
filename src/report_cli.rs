//! `qingfeng report list | show | act` for operators at a terminal, and `qingfeng rekey`.
//! `show` prints decrypted content: run it only where the screen is private.

use std::io::Read;
use std::process::ExitCode;

use chrono::Utc;
use clap::Subcommand;
use qingfeng_core::Store;
use qingfeng_core::config::Config;
use qingfeng_core::crypto::DataKey;
use qingfeng_core::domain::{CommissionTie, Disposal, MessageText, ReportStatus, Staff};
use qingfeng_core::reports::casework::{self, StaffAction};
use qingfeng_core::reports::deadlines::local_date;
use qingfeng_core::reports::{ReportError, ReportKeys, view};
use qingfeng_core::store::{MessageKind, ReportFilter, ReportScope};

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// The queue: open reports first, earliest deadline first.
    List {
        /// received, accepted, not_accepted, in_disposal, concluded or closed.
        #[arg(long)]
        status: Option<String>,
        #[arg(long, value_name = "CODE")]
        desk: Option<String>,
        /// Only reports whose open deadline has passed.
        #[arg(long)]
        overdue: bool,
    },
    /// One report, decrypted, with its conversation and history (the view is audited).
    Show {
        id: i64,
        /// The staff account looking (a `qingfeng staff add` username), recorded in the audit log.
        #[arg(long = "as", value_name = "STAFF")]
        viewer: String,
    },
    /// A staff action; texts (reason, outcome, reply, note) are read from stdin.
    Act {
        id: i64,
        /// The staff account acting (a `qingfeng staff add` username), recorded in the report's
        /// history and the audit log.
        #[arg(long = "as", value_name = "STAFF")]
        actor: String,
        #[command(subcommand)]
        action: ActCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum ActCommand {
    Accept,
    /// Not accepted: the reason (stdin) goes to the reporter.
    NotAccept,
    Forward {
        desk: String,
    },
    /// Passed up to the higher commission (上报), named by `--to` (e.g. 十堰市纪委监委): the
    /// reporter is told and the report's content is purged here.
    TransferUp {
        #[arg(long)]
        to: String,
    },
    Assign {
        staff: Option<String>,
    },
    /// talk_or_letter, preliminary_verification, hold or no_action.
    Dispose {
        disposal: String,
    },
    Conclude,
    /// Close: the outcome (stdin) goes to the reporter.
    Close,
    /// A public reply (stdin), delivered to the reporter.
    Reply,
    /// An internal note (stdin), never shown to the reporter.
    Note,
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Reports(#[from] ReportError),
    #[error(transparent)]
    Store(#[from] qingfeng_core::StoreError),
    #[error("{0}")]
    Input(String),
}

fn keys_needed(config: &Config) -> Result<&DataKey, CliError> {
    config.security.data_key.as_ref().ok_or_else(|| {
        CliError::Input("reports are sealed with the data key: set QINGFENG_DATA_KEY".into())
    })
}

/// The staff account named by `--as`: it must exist, so the audit log names a real person.
async fn staff_account(store: &Store, username: &str) -> Result<Staff, CliError> {
    match store.staff_login(username).await? {
        Some(login) => Ok(login.staff),
        None => Err(CliError::Input(format!(
            "no staff account `{username}`: --as takes the username of a dashboard account \
             (create one with `qingfeng staff add`)"
        ))),
    }
}

fn read_text() -> Result<MessageText, CliError> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| CliError::Input(format!("cannot read stdin: {e}")))?;
    text.parse()
        .map_err(|e| CliError::Input(format!("the text on stdin is {e} (1 to 2000 characters)")))
}

pub async fn run(
    store: &Store,
    config: &Config,
    command: ReportCommand,
) -> Result<ExitCode, CliError> {
    match command {
        ReportCommand::List {
            status,
            desk,
            overdue,
        } => list(store, config, status, desk, overdue).await,
        ReportCommand::Show { id, viewer } => {
            let viewer = staff_account(store, &viewer).await?;
            let keys = ReportKeys::load_or_create(store, keys_needed(config)?).await?;
            show(store, &keys, id, &viewer).await
        }
        ReportCommand::Act { id, actor, action } => {
            let actor = staff_account(store, &actor).await?;
            let keys = ReportKeys::load_or_create(store, keys_needed(config)?).await?;
            let action = match action {
                ActCommand::Accept => StaffAction::Accept,
                ActCommand::NotAccept => StaffAction::NotAccept {
                    reason: read_text()?,
                },
                ActCommand::Forward { desk } => StaffAction::Forward {
                    desk: desk.parse().map_err(CliError::Input)?,
                },
                ActCommand::TransferUp { to } => StaffAction::TransferUp {
                    to: to
                        .parse()
                        .map_err(|e| CliError::Input(format!("--to: {e}")))?,
                },
                ActCommand::Assign { staff } => StaffAction::Assign { staff },
                ActCommand::Dispose { disposal } => {
                    StaffAction::Dispose(disposal.parse::<Disposal>().map_err(CliError::Input)?)
                }
                ActCommand::Conclude => StaffAction::Conclude,
                ActCommand::Close => StaffAction::Close {
                    outcome: read_text()?,
                },
                ActCommand::Reply => StaffAction::Reply { text: read_text()? },
                ActCommand::Note => StaffAction::Note { text: read_text()? },
            };
            casework::act(
                store,
                &keys,
                &config.reports,
                id,
                &actor,
                action,
                Utc::now(),
            )
            .await?;
            let record = store
                .report_record(id)
                .await?
                .ok_or(ReportError::NotFound(id))?;
            println!("report {id}: done; now {}", record.status);
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn list(
    store: &Store,
    config: &Config,
    status: Option<String>,
    desk: Option<String>,
    overdue: bool,
) -> Result<ExitCode, CliError> {
    let filter = ReportFilter {
        status: status
            .map(|s| s.parse::<ReportStatus>())
            .transpose()
            .map_err(CliError::Input)?,
        desk: desk
            .map(|d| d.parse())
            .transpose()
            .map_err(CliError::Input)?,
        overdue_on: overdue.then(|| local_date(&config.reports, Utc::now())),
        ..ReportFilter::default()
    };
    let reports = store
        .list_reports(&ReportScope::All, &filter, 500, 0)
        .await?;
    println!(
        "{:>6}  {:<12} {:<12} {:<20} {:<12} {:<10} due",
        "id", "status", "desk", "category", "township", "received"
    );
    for r in &reports {
        let due = r.result_due.unwrap_or(r.acceptance_due);
        println!(
            "{:>6}  {:<12} {:<12} {:<20} {:<12} {:<10} {due}",
            r.id,
            r.status.as_str(),
            r.desk.as_str(),
            r.category.as_str(),
            r.township.as_ref().map_or("(county)", |t| t.as_str()),
            local_date(&config.reports, r.received_at),
        );
    }
    println!("{} report(s)", reports.len());
    Ok(ExitCode::SUCCESS)
}

async fn show(
    store: &Store,
    keys: &ReportKeys,
    id: i64,
    viewer: &Staff,
) -> Result<ExitCode, CliError> {
    let v = view::open_as(store, keys, id, viewer, "report.view", Some("cli")).await?;
    let r = &v.record;
    println!(
        "report {id}: {} at desk {}, category {}",
        r.status, r.desk, r.category
    );
    println!(
        "received {}; acceptance due {}; forward due {}",
        r.received_at, r.acceptance_due, r.forward_due
    );
    if let Some(disposal) = r.disposal {
        println!("disposal: {disposal}");
    }
    if let Some(higher) = &r.higher_body {
        println!(
            "for the higher commission `{higher}`: transfer due {}",
            r.forward_due
        );
    }
    if let Some(to) = &r.transferred_to {
        println!("transferred to {to}");
    }
    match &v.body {
        Some(body) => {
            let p = &body.person;
            println!(
                "person reported: {} / {} / {} / {}{}",
                p.name.as_ref().map_or("(name unknown)", |n| n.as_str()),
                p.unit.as_ref().map_or("(unit unknown)", |u| u.as_str()),
                p.position
                    .as_ref()
                    .map_or("(position unknown)", |n| n.as_str()),
                p.level,
                match p.commission {
                    CommissionTie::None => "",
                    CommissionTie::Unknown => " / commission staff? not known",
                    CommissionTie::Leader => " / commission leader",
                    CommissionTie::OtherStaff => " / commission staff",
                }
            );
            println!("when and where: {}", body.when_where);
            println!("what happened:\n{}\n", body.description);
        }
        None => println!("content purged; the metadata and history are kept\n"),
    }
    match &v.reporter {
        Some(real) => println!("reporter: {} {}", real.name, real.mobile.as_str()),
        None => println!(
            "reporter: anonymous{}",
            if v.reachable {
                " (receives replies)"
            } else {
                ""
            }
        ),
    }
    for e in &v.evidence {
        println!(
            "evidence: {} ({} bytes) file id {}",
            e.kind,
            e.size.unwrap_or(0),
            e.file_id
        );
    }
    for m in &v.messages {
        let who = match m.kind {
            MessageKind::StaffPublic => {
                format!("reply by {}", m.staff.as_deref().unwrap_or("staff"))
            }
            MessageKind::StaffInternal => {
                format!("note by {}", m.staff.as_deref().unwrap_or("staff"))
            }
            MessageKind::Reporter => "reporter".to_owned(),
        };
        println!("[{} {who}] {}", m.at, m.text);
    }
    for e in &v.events {
        println!(
            "history: {} {} {} {}",
            e.created_at,
            e.actor,
            e.kind,
            e.detail.as_deref().unwrap_or("")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `qingfeng rekey`: the new data key comes on stdin; the current one from the configuration.
pub async fn rekey(store: &Store, config: &Config) -> Result<ExitCode, CliError> {
    let old = keys_needed(config)?;
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| CliError::Input(format!("cannot read stdin: {e}")))?;
    let new: DataKey = text
        .trim()
        .parse()
        .map_err(|e: qingfeng_core::crypto::CryptoError| {
            CliError::Input(format!("the new key on stdin: {e}"))
        })?;
    ReportKeys::rewrap(store, old, &new).await?;
    println!(
        "the content key is now wrapped with the new data key: set QINGFENG_DATA_KEY to it and \
         restart. Reports, codes and conversations stay valid; printed QR posters must be reprinted \
         (their links are signed with the data key; see docs/decisions.md)"
    );
    Ok(ExitCode::SUCCESS)
}
