//! The dashboard's [`SandboxChats`] over the in-process Bot API simulator.

use qingfeng_core::crypto;
use qingfeng_dashboard::sandbox::{
    NotInSandbox, SandboxButton, SandboxChat, SandboxChats, SandboxEntity, SandboxMessage,
    SandboxPerson, SandboxPoll,
};
use serde_json::Value;
use telegram_sim::{Person, SimUser, Simulator, TranscriptEntry};

use super::roster::Roster;

pub struct SimChats {
    sim: Simulator,
    /// Where the people are kept across restarts (`None` in tests: memory only).
    roster: Option<Roster>,
}

impl SimChats {
    /// Registers the people the roster kept, so their chats exist again.
    pub fn new(sim: Simulator, roster: Option<Roster>) -> Self {
        for p in roster.iter().flat_map(Roster::load) {
            sim.user(p.id, &p.name, p.language.as_deref());
        }
        SimChats { sim, roster }
    }

    fn save(&self) {
        if let Some(roster) = &self.roster {
            roster.save(&self.people());
        }
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
        // Random ids, so a new person is never mistaken for an earlier one still in the
        // database (e.g. after the people file was deleted).
        let id = loop {
            let id = 1_000_000_000 + (crypto::random_u64() % 1_000_000_000) as i64;
            if self.sim.existing_user(id).is_none() {
                break id;
            }
        };
        self.sim.user(id, name, language);
        self.save();
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
        self.save();
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

#[cfg(test)]
mod tests {
    use serde_json::json;
    use telegram_sim::{BotMessage, Button};

    use super::*;

    fn entry(raw: Value, buttons: Vec<Vec<Button>>) -> TranscriptEntry {
        TranscriptEntry {
            from_bot: true,
            message: BotMessage {
                message_id: raw["message_id"].as_i64().unwrap(),
                chat_id: 7,
                text: raw["text"]
                    .as_str()
                    .or(raw["poll"]["question"].as_str())
                    .unwrap_or_default()
                    .to_owned(),
                buttons,
                is_edit: true,
                protect_content: false,
                parse_mode: Some("HTML".into()),
                raw,
            },
        }
    }

    #[test]
    fn entities_buttons_and_edits_are_carried_over() {
        let raw = json!({
            "message_id": 5,
            "text": "请选择",
            "entities": [{"type": "bold", "offset": 0, "length": 3},
                         {"type": "text_link", "offset": 1, "length": 1, "url": "https://x.cn"}],
        });
        let button = Button {
            text: "家庭".into(),
            callback_data: Some("aud:household".into()),
            url: None,
        };
        let m = message(entry(raw, vec![vec![button]]));
        assert_eq!((m.id, m.from_bot, m.edited), (5, true, true));
        assert_eq!(m.entities.len(), 2);
        assert_eq!(m.entities[1].url.as_deref(), Some("https://x.cn"));
        assert_eq!(m.buttons[0][0].data.as_deref(), Some("aud:household"));
        assert!(m.poll.is_none() && m.attachment.is_none());
    }

    #[test]
    fn polls_and_files_are_shown() {
        let raw = json!({
            "message_id": 6,
            "poll": {"id": "P1", "question": "举报电话？", "is_closed": false,
                     "options": [{"text": "110", "voter_count": 0},
                                 {"text": "12388", "voter_count": 1}]},
        });
        let m = message(entry(raw, vec![]));
        let poll = m.poll.unwrap();
        assert_eq!(poll.id, "P1");
        assert_eq!(poll.options, ["110", "12388"]);
        assert_eq!(poll.votes, [0, 1]);
        assert_eq!(m.text, "举报电话？");
        let document = json!({"message_id": 7, "document": {"file_name": "记录.pdf"}});
        assert_eq!(attachment(&document).as_deref(), Some("记录.pdf"));
        let photo = json!({"message_id": 8, "photo": [{"file_id": "x"}]});
        assert_eq!(attachment(&photo).as_deref(), Some("photo"));
    }

    #[tokio::test]
    async fn people_are_created_with_fresh_ids_and_cleared() {
        let sim = Simulator::start("1:TEST").await;
        let chats = SimChats::new(sim, None);
        let a = chats.create_person("王伟", Some("zh-hans"));
        let b = chats.create_person("Li", Some("en"));
        assert_ne!(a.id, b.id);
        assert_eq!(chats.people().len(), 2);
        chats.send_text(a.id, "/start").unwrap();
        let chat = chats.chat(a.id).unwrap();
        assert_eq!(chat.messages.len(), 1);
        assert!(!chat.messages[0].from_bot);
        assert_ne!(chat.version, chats.chat(b.id).unwrap().version);
        assert_eq!(
            chats.press(a.id, 99, "x"),
            Err(NotInSandbox),
            "no such message"
        );
        chats.clear();
        assert!(chats.people().is_empty());
        assert_eq!(chats.send_text(a.id, "hi"), Err(NotInSandbox));
    }
}
