//! `qingfeng staff add`: dashboard accounts. The password comes on stdin, never argv (argv is
//! visible to every user of the machine).

use std::io::Read;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use qingfeng_core::Store;
use qingfeng_core::domain::{StaffRole, Username};
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
