//! Evidence from a chat message: photos, videos, documents and voice notes are kept as Telegram
//! file ids (the files stay with Telegram; staff fetch them through the dashboard).

use qingfeng_core::domain::{Evidence, EvidenceKind};
use teloxide::types::Message;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    Evidence(Evidence),
    /// Larger than bots may download (20 MB); the size in MB, rounded up.
    TooLarge {
        megabytes: u64,
    },
    /// A sticker, location, contact…: not evidence we can keep.
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
    } else if let Some(video) = msg.video() {
        // Kept as a document named .mp4: the stored kinds (and the database's check on them)
        // have no video, and the dashboard already serves an .mp4 document as video/mp4.
        (
            EvidenceKind::Document,
            &video.file,
            Some(video_name(video.file_name.as_deref())),
        )
    } else if let Some(note) = msg.video_note() {
        // A round video message: Telegram records these as MP4 too.
        (EvidenceKind::Document, &note.file, Some(video_name(None)))
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

/// The name a video is kept under: the phone's, when it ends in .mp4, else "video.mp4" (the
/// dashboard picks the content type from the extension alone).
fn video_name(file_name: Option<&str>) -> String {
    match file_name {
        Some(name) if name.to_ascii_lowercase().ends_with(".mp4") => name.to_owned(),
        _ => "video.mp4".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn videos_are_kept_under_an_mp4_name() {
        assert_eq!(video_name(Some("VID_1.MP4")), "VID_1.MP4");
        assert_eq!(video_name(Some("clip.mov")), "video.mp4");
        assert_eq!(video_name(None), "video.mp4");
    }
}
