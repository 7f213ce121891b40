//! Stored files: what users upload and what the bot sends, for getFile and downloads.

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// One stored file.
#[derive(Clone, Debug)]
pub struct StoredFile {
    pub file_id: String,
    pub file_unique_id: String,
    pub file_path: String,
    pub bytes: Vec<u8>,
}

impl StoredFile {
    /// The `File` object returned by getFile.
    pub fn file_json(&self) -> Value {
        json!({
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.bytes.len(),
            "file_path": self.file_path,
        })
    }
}

/// All files, by id and by path.
#[derive(Default)]
pub struct FileStore {
    by_id: BTreeMap<String, StoredFile>,
    next: u64,
}

impl FileStore {
    /// Stores `bytes` under `file_path`. `tag` (three letters) shapes the id like
    /// Telegram's (`AgACPHO...`). An empty `file_path` becomes `<dir>/file_<n>.<ext>`.
    pub fn add(&mut self, tag: &str, bytes: Vec<u8>, file_path: &str) -> StoredFile {
        self.next += 1;
        let n = self.next;
        let hash = fnv(&bytes) ^ n;
        let file = StoredFile {
            file_id: format!("AgAC{tag}{n:07}{hash:016x}"),
            file_unique_id: format!("AQAD{n:07}{:08x}", hash as u32),
            file_path: file_path.to_owned(),
            bytes,
        };
        self.by_id.insert(file.file_id.clone(), file.clone());
        file
    }

    /// Stores a file under an automatic path `<dir>/file_<n>.<ext>`.
    pub fn add_auto(&mut self, tag: &str, dir: &str, ext: &str, bytes: Vec<u8>) -> StoredFile {
        let path = format!("{dir}/file_{}.{ext}", self.next + 1);
        self.add(tag, bytes, &path)
    }

    pub fn get(&self, file_id: &str) -> Option<&StoredFile> {
        self.by_id.get(file_id)
    }

    pub fn by_path(&self, file_path: &str) -> Option<&StoredFile> {
        self.by_id.values().find(|f| f.file_path == file_path)
    }
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The extension of a file name, lower-cased (`"bin"` when absent).
pub fn extension(file_name: &str) -> String {
    match file_name.rsplit_once('.') {
        Some((_, ext)) if !ext.is_empty() && ext.len() <= 5 => ext.to_ascii_lowercase(),
        _ => "bin".to_owned(),
    }
}

/// A MIME type guessed from a file name, like Telegram does for documents.
pub fn guess_mime(file_name: &str) -> &'static str {
    match extension(file_name).as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "txt" | "log" => "text/plain",
        "csv" => "text/csv",
        "json" => "application/json",
        "zip" => "application/zip",
        "ogg" | "oga" => "audio/ogg",
        "mp4" => "video/mp4",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

/// Decodes `%XX` escapes (invalid escapes stay literal).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
