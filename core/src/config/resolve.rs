//! Turning the raw file plus environment variables into a typed [`Config`]: start from every
//! section's default, then walk the key table, collecting every problem instead of stopping at
//! the first.

use std::path::PathBuf;

use super::keys::{KEYS, Key, known_env_vars};
use super::raw::RawConfig;
use super::{Config, ConfigError, ConfigProblem, Env, Origin};

pub(super) fn resolve(
    file: Option<PathBuf>,
    raw: &RawConfig,
    env: &dyn Env,
) -> Result<Config, ConfigError> {
    let mut problems = unknown_env(env);
    let mut config = Config {
        file: file.clone(),
        ..Config::default()
    };
    for key in KEYS {
        let Some((value, origin)) = pick(key, raw, env, file.as_ref()) else {
            continue;
        };
        if let Err(message) = (key.set)(&mut config, &value) {
            problems.push(ConfigProblem {
                key: key.name.into(),
                origin: Some(origin.clone()),
                message,
            });
        }
        config.origins.insert(key.name, origin);
    }
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(ConfigError(problems))
    }
}

/// The winning value for `key` and where it came from: the first set environment variable,
/// else the file; `None` leaves the section's default.
fn pick(
    key: &Key,
    raw: &RawConfig,
    env: &dyn Env,
    file: Option<&PathBuf>,
) -> Option<(String, Origin)> {
    for name in key.env {
        if let Some(value) = env.get(name) {
            return Some((value, Origin::Env(name)));
        }
    }
    let value = (key.file)(raw)?;
    Some((value, Origin::File(file.cloned().unwrap_or_default())))
}

fn unknown_env(env: &dyn Env) -> Vec<ConfigProblem> {
    let known = known_env_vars();
    let mut names = env.names();
    names.sort();
    names
        .into_iter()
        .filter(|name| name.starts_with("QINGFENG_") && !known.contains(&name.as_str()))
        .map(|name| ConfigProblem {
            key: name,
            origin: None,
            message: format!(
                "unknown environment variable; known ones are {}",
                known.join(", ")
            ),
        })
        .collect()
}
