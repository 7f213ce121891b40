//! Evidence from a chat message: photos, documents and voice notes are kept as Telegram file
//! ids (the files stay with Telegram; staff fetch them through the dashboard).

use qingfeng_core::domain::{Evidence, EvidenceKind};
use teloxide::types::Message;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    Evidence(Evidence),
    /// Larger than bots may download (20 MB); the size in MB, rounded up.
    TooLarge {
        megabytes: u64,
    },
    /// A sticker, video note, location, contact…: not evidence we can keep.
    Unsupported,
}

pub fn from_message(msg: &Message) -> Incoming {
    let (kind, meta, file_name) = if let Some(sizes) = msg.photo() {
        // Telegram lists sizes smallest first; keep the largest.
        match sizes.iter().max_by_key(|p| p.width * p.height) {
            Some(photo) => (EvidenceKind::Photo, &photo.file, None),
            None => return Incoming::Unsupported,
        }
    } else if let Some(document) = msg.document() {
        (
            EvidenceKind::Document,
            &document.file,
            document.file_name.clone(),
        )
    } else if let Some(voice) = msg.voice() {
        (EvidenceKind::Voice, &voice.file, None)
    } else {
        return Incoming::Unsupported;
    };
    let size = u64::from(meta.size);
    if size > Evidence::MAX_BYTES {
        return Incoming::TooLarge {
            megabytes: size.div_ceil(1024 * 1024),
        };
    }
    Incoming::Evidence(Evidence {
        kind,
        file_id: meta.id.0.clone(),
        file_name,
        size: Some(size),
    })
}
