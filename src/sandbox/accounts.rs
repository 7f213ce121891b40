//! The sandbox's staff accounts: an admin and 宝丰镇's township desk, created on first start
//! with random passwords that are printed once (only their hashes are stored).

use qingfeng_core::Store;
use qingfeng_core::crypto;
use qingfeng_core::domain::{RegionCode, StaffRole, Username};
use qingfeng_dashboard::password;

use super::SandboxError;

pub const ADMIN: &str = "sandbox-admin";
pub const TOWNSHIP: &str = "sandbox-baofeng";
const TOWNSHIP_CODE: &str = "baofeng";

/// One account as the start-up lines show it: the password only when it was just created.
pub struct Account {
    pub username: &'static str,
    pub role: String,
    pub new_password: Option<String>,
}

/// Creates whichever of the two accounts is missing. A content set without 宝丰镇 gets no
/// township account (the admin sees everything anyway).
pub async fn ensure(store: &Store) -> Result<Vec<Account>, SandboxError> {
    let mut accounts = Vec::new();
    let baofeng: RegionCode = TOWNSHIP_CODE.parse().expect("a valid region code");
    let township = store.township(&baofeng).await?;
    let mut wanted = vec![(ADMIN, StaffRole::Admin, "admin".to_owned())];
    if let Some((township, true)) = township {
        let role = format!("{} desk", township.name.zh);
        wanted.push((TOWNSHIP, StaffRole::Township(baofeng), role));
    }
    for (username, role, label) in wanted {
        let new_password = if store.staff_login(username).await?.is_some() {
            None
        } else {
            let secret = random_password();
            let hash = password::hash(&secret).map_err(|e| SandboxError::Account(e.to_string()))?;
            let name: Username = username.parse().map_err(SandboxError::Account)?;
            store.create_staff(&name, &hash, &role).await?;
            Some(secret)
        };
        accounts.push(Account {
            username,
            role: label,
            new_password,
        });
    }
    Ok(accounts)
}

/// 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I): about 80 bits.
fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    crypto::random_bytes::<16>()
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_long_random_and_unambiguous() {
        let (a, b) = (random_password(), random_password());
        assert_eq!(a.len(), 16);
        assert_ne!(a, b);
        assert!(!a.contains(['0', 'o', '1', 'l']), "{a}");
    }
}
