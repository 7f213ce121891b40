//! `qingfeng staff add`: dashboard accounts. The password comes on stdin, never argv (argv is
//! visible to every user of the machine).

use std::io::Read;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use qingfeng_core::Store;
use qingfeng_core::crypto::DataKey;
use qingfeng_core::domain::{StaffRole, Username};
use qingfeng_core::reports::ReportKeys;
use qingfeng_dashboard::password;

#[derive(Args, Debug)]
pub struct AddStaff {
    #[arg(long)]
    username: String,
    #[arg(long, value_enum)]
    role: RoleArg,
    /// The township a `township` account serves.
    #[arg(long, value_name = "CODE")]
    township: Option<String>,
    /// Read the password from standard input (required).
    #[arg(long)]
    password_stdin: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum RoleArg {
    Admin,
    County,
    Township,
}

pub async fn add(store: &Store, args: AddStaff) -> Result<ExitCode, String> {
    let username: Username = args.username.parse()?;
    let role = match (args.role, args.township.as_deref()) {
        (RoleArg::Township, Some(code)) => {
            let code = code.parse().map_err(|e| format!("{e}"))?;
            if !matches!(
                store.township(&code).await.map_err(|e| e.to_string())?,
                Some((_, true))
            ) {
                return Err(format!("township `{code}` is not in the imported regions"));
            }
            StaffRole::Township(code)
        }
        (RoleArg::Township, None) => return Err("a township account needs --township CODE".into()),
        (_, Some(_)) => return Err("--township is only for --role township".into()),
        (RoleArg::Admin, None) => StaffRole::Admin,
        (RoleArg::County, None) => StaffRole::County,
    };
    if !args.password_stdin {
        return Err("give the password on standard input with --password-stdin".into());
    }
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| format!("cannot read the password from stdin: {e}"))?;
    let secret = input.lines().next().unwrap_or_default();
    let hash = password::hash(secret).map_err(|e| e.to_string())?;
    if !store
        .create_staff(&username, &hash, &role)
        .await
        .map_err(|e| e.to_string())?
    {
        return Err(format!("the username `{username}` is taken"));
    }
    println!("created {} account `{username}`", role.name());
    Ok(ExitCode::SUCCESS)
}

#[derive(Args, Debug)]
pub struct Account {
    #[arg(long)]
    username: String,
    /// Read the new password from standard input (for `set-password`).
    #[arg(long)]
    password_stdin: bool,
}

async fn account(
    store: &Store,
    username: &str,
) -> Result<qingfeng_core::store::StaffLogin, String> {
    store
        .staff_login(username)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no account `{username}`"))
}

/// A forgotten password: sets a new one, ends the account's sessions and (with the data key,
/// which the lockout's keyed names need) unlocks it.
pub async fn set_password(
    store: &Store,
    data_key: Option<&DataKey>,
    args: Account,
) -> Result<ExitCode, String> {
    let login = account(store, &args.username).await?;
    if !args.password_stdin {
        return Err("give the password on standard input with --password-stdin".into());
    }
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| format!("cannot read the password from stdin: {e}"))?;
    let hash =
        password::hash(input.lines().next().unwrap_or_default()).map_err(|e| e.to_string())?;
    let failed = |e: qingfeng_core::StoreError| e.to_string();
    store
        .set_staff_password(login.staff.id, &hash)
        .await
        .map_err(failed)?;
    let unlocked = match data_key {
        Some(key) => {
            let keys = ReportKeys::load_or_create(store, key)
                .await
                .map_err(|e| e.to_string())?;
            store
                .clear_sign_in_failures(&keys.sign_in_bucket(&args.username))
                .await
                .map_err(failed)?;
            true
        }
        None => false,
    };
    store
        .audit(
            &args.username,
            "password.reset",
            None,
            Some("by the operator (CLI)"),
        )
        .await
        .map_err(failed)?;
    if unlocked {
        println!(
            "the password of `{}` is set; the account is unlocked",
            args.username
        );
    } else {
        println!(
            "the password of `{}` is set; if the account is locked, it unlocks when the lock \
             expires (set QINGFENG_DATA_KEY to unlock it now)",
            args.username
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A lost authenticator: turns the second factor off so the account can set it up again.
pub async fn reset_totp(store: &Store, args: Account) -> Result<ExitCode, String> {
    let login = account(store, &args.username).await?;
    let failed = |e: qingfeng_core::StoreError| e.to_string();
    store
        .set_staff_totp(login.staff.id, None)
        .await
        .map_err(failed)?;
    store
        .audit(
            &args.username,
            "totp.reset",
            None,
            Some("by the operator (CLI)"),
        )
        .await
        .map_err(failed)?;
    println!(
        "two-step verification is off for `{}`; they set it up again at their next sign-in",
        args.username
    );
    Ok(ExitCode::SUCCESS)
}
