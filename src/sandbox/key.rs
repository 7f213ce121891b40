//! The sandbox's data key: generated on first start and kept beside the sandbox database, so
//! a later start reads the same encrypted conversations and reports.

use std::io::Write as _;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use qingfeng_core::crypto::{self, DataKey};

use super::SandboxError;

/// Reads the key file, or creates it (readable by its owner only) when there is none.
pub fn load_or_create(path: &Path) -> Result<DataKey, SandboxError> {
    let failed = |source| SandboxError::KeyFile {
        path: path.to_owned(),
        source,
    };
    match std::fs::read_to_string(path) {
        Ok(text) => text
            .parse()
            .map_err(|_| SandboxError::BadKey(path.to_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let encoded = STANDARD.encode(crypto::random_bytes::<32>());
            let mut options = std::fs::OpenOptions::new();
            // `create_new`: two sandboxes starting at once must not each write a key.
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options.open(path).map_err(failed)?;
            file.write_all(format!("{encoded}\n").as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(failed)?;
            encoded
                .parse()
                .map_err(|_| SandboxError::BadKey(path.to_owned()))
        }
        Err(e) => Err(failed(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_created_once_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qingfeng-sandbox.key");
        load_or_create(&path).unwrap();
        let first = std::fs::read_to_string(&path).unwrap();
        load_or_create(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_damaged_key_file_is_refused_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qingfeng-sandbox.key");
        std::fs::write(&path, "not a key").unwrap();
        let error = load_or_create(&path).unwrap_err().to_string();
        assert!(error.contains("qingfeng-sandbox.key"), "{error}");
    }
}
