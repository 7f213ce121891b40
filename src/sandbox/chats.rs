//! The dashboard's [`SandboxChats`] over the in-process Bot API simulator.

use qingfeng_core::crypto;
use qingfeng_dashboard::sandbox::{
    NotInSandbox, SandboxButton, SandboxChat, SandboxChats, SandboxEntity, SandboxMessage,
    SandboxPerson, SandboxPoll,
};
use serde_json::Value;
use telegram_sim::{Person, SimUser, Simulator, TranscriptEntry};

pub struct SimChats {
    sim: Simulator,
}

impl SimChats {
    pub fn new(sim: Simulator) -> Self {
        SimChats { sim }
    }

    fn user(&self, person: i64) -> Result<SimUser, NotInSandbox> {
        self.sim.existing_user(person).ok_or(NotInSandbox)
    }
}

fn person(p: Person) -> SandboxPerson {
    SandboxPerson {
        id: p.id,
        name: p.first_name,
        language: p.language_code,
    }
}

impl SandboxChats for SimChats {
    fn people(&self) -> Vec<SandboxPerson> {
        let mut people: Vec<SandboxPerson> = self.sim.people().into_iter().map(person).collect();
        people.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        people
    }

    fn create_person(&self, name: &str, language: Option<&str>) -> SandboxPerson {
        // Random ids, so a person created after a restart (the simulator's chats are in
        // memory) is never mistaken for an earlier one still in the database.
        let id = loop {
            let id = 1_000_000_000 + (crypto::random_u64() % 1_000_000_000) as i64;
            if self.sim.existing_user(id).is_none() {
                break id;
            }
        };
        self.sim.user(id, name, language);
        SandboxPerson {
            id,
            name: name.to_owned(),
            language: language.map(str::to_owned),
        }
    }

    fn send_text(&self, person: i64, text: &str) -> Result<(), NotInSandbox> {
        self.user(person)?.send_text(text);
        Ok(())
    }

    fn press(&self, person: i64, message_id: i64, data: &str) -> Result<(), NotInSandbox> {
        let user = self.user(person)?;
        let message = user.message(message_id).ok_or(NotInSandbox)?;
        user.press(&message, data);
        Ok(())
    }

    fn answer_poll(&self, person: i64, poll_id: &str, option: u32) -> Result<(), NotInSandbox> {
        self.user(person)?.answer_poll(poll_id, &[option]);
        Ok(())
    }

    fn send_photo(&self, person: i64, bytes: Vec<u8>) -> Result<(), NotInSandbox> {
        self.user(person)?.send_photo(bytes, None);
        Ok(())
    }

    fn send_document(
        &self,
        person: i64,
        file_name: &str,
        mime: &str,
        bytes: Vec<u8>,
    ) -> Result<(), NotInSandbox> {
        self.user(person)?.send_document(file_name, mime, bytes);
        Ok(())
    }

    fn chat(&self, person: i64) -> Result<SandboxChat, NotInSandbox> {
        let transcript = self.user(person)?.transcript();
        Ok(SandboxChat {
            version: transcript.revision,
            messages: transcript.entries.into_iter().map(message).collect(),
            reply_keyboard: transcript
                .reply_keyboard
                .map(|k| k.rows)
                .unwrap_or_default(),
        })
    }

    fn clear(&self) {
        self.sim.clear_chats();
    }
}

fn message(entry: TranscriptEntry) -> SandboxMessage {
    let m = entry.message;
    let raw = &m.raw;
    let entities = raw["entities"]
        .as_array()
        .or_else(|| raw["caption_entities"].as_array())
        .map(|list| list.iter().filter_map(entity).collect())
        .unwrap_or_default();
    let buttons = m
        .buttons
        .iter()
        .map(|row| {
            row.iter()
                .map(|b| SandboxButton {
                    text: b.text.clone(),
                    data: b.callback_data.clone(),
                    url: b.url.clone(),
                })
                .collect()
        })
        .collect();
    SandboxMessage {
        id: m.message_id,
        from_bot: entry.from_bot,
        text: m.text.clone(),
        entities,
        edited: m.is_edit,
        attachment: attachment(raw),
        buttons,
        poll: poll(&raw["poll"]),
    }
}

fn entity(e: &Value) -> Option<SandboxEntity> {
    Some(SandboxEntity {
        kind: e["type"].as_str()?.to_owned(),
        offset: usize::try_from(e["offset"].as_u64()?).ok()?,
        length: usize::try_from(e["length"].as_u64()?).ok()?,
        url: e["url"].as_str().map(str::to_owned),
    })
}

/// What file a message carries, as a label (the file itself is not shown).
fn attachment(raw: &Value) -> Option<String> {
    if let Some(name) = raw["document"]["file_name"].as_str() {
        return Some(name.to_owned());
    }
    ["photo", "document", "video", "voice", "sticker", "location"]
        .into_iter()
        .find(|kind| !raw[*kind].is_null())
        .map(str::to_owned)
}

fn poll(raw: &Value) -> Option<SandboxPoll> {
    let options = raw["options"].as_array()?;
    Some(SandboxPoll {
        id: raw["id"].as_str()?.to_owned(),
        options: options
            .iter()
            .map(|o| o["text"].as_str().unwrap_or_default().to_owned())
            .collect(),
        votes: options
            .iter()
            .map(|o| o["voter_count"].as_u64().unwrap_or_default())
            .collect(),
        closed: raw["is_closed"].as_bool().unwrap_or(false),
    })
}
