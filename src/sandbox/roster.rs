//! The sandbox's test people, kept in `qingfeng-sandbox-people.json` beside its database, so a
//! restart lists them again and campaigns still reach their chats. Only who they are is kept;
//! the chats' messages live in the simulator's memory and start empty after a restart.

use std::path::{Path, PathBuf};

use qingfeng_dashboard::sandbox::SandboxPerson;
use serde_json::{Value, json};

pub const PEOPLE_FILE: &str = "qingfeng-sandbox-people.json";

pub struct Roster {
    path: PathBuf,
}

impl Roster {
    pub fn in_dir(dir: &Path) -> Self {
        Roster {
            path: dir.join(PEOPLE_FILE),
        }
    }

    /// The people saved last time; none when there is no file or it cannot be read (the
    /// sandbox then starts with an empty list rather than not at all).
    pub fn load(&self) -> Vec<SandboxPerson> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
            Err(error) => {
                tracing::warn!(file = %self.path.display(), %error, "cannot read the sandbox's people");
                return Vec::new();
            }
        };
        let people: Option<Vec<SandboxPerson>> = serde_json::from_str::<Vec<Value>>(&text)
            .ok()
            .map(|list| list.iter().filter_map(person).collect());
        people.unwrap_or_else(|| {
            tracing::warn!(file = %self.path.display(), "the sandbox's people file is damaged; starting with none");
            Vec::new()
        })
    }

    /// Replaces the file (through a temporary one, so a crash leaves the old list whole).
    pub fn save(&self, people: &[SandboxPerson]) {
        let list: Vec<Value> = people
            .iter()
            .map(|p| json!({ "id": p.id, "name": p.name, "language": p.language }))
            .collect();
        let text = serde_json::to_string_pretty(&list).expect("JSON values serialise");
        let temporary = self.path.with_extension("json.tmp");
        let written =
            std::fs::write(&temporary, text).and_then(|()| std::fs::rename(&temporary, &self.path));
        if let Err(error) = written {
            tracing::warn!(file = %self.path.display(), %error, "cannot save the sandbox's people");
        }
    }
}

fn person(value: &Value) -> Option<SandboxPerson> {
    Some(SandboxPerson {
        id: value["id"].as_i64()?,
        name: value["name"].as_str()?.to_owned(),
        language: value["language"].as_str().map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_survive_a_save_and_a_damaged_file_is_an_empty_list() {
        let dir = tempfile::tempdir().unwrap();
        let roster = Roster::in_dir(dir.path());
        assert!(roster.load().is_empty());
        let people = vec![SandboxPerson {
            id: 1_000_000_007,
            name: "王伟".into(),
            language: Some("zh-hans".into()),
        }];
        roster.save(&people);
        assert_eq!(roster.load(), people);
        std::fs::write(dir.path().join(PEOPLE_FILE), "{not json").unwrap();
        assert!(roster.load().is_empty());
    }
}
