//! TOTP second factor (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), as authenticator apps
//! implement it. A code from the previous or next step is accepted for clock drift.

use hmac::{Hmac, Mac};
use sha1::Sha1;

const STEP: i64 = 30;
const DIGITS: u32 = 6;
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A new shared secret (160 random bits), in base32 as apps expect it.
pub fn new_secret() -> String {
    encode(&qingfeng_core::crypto::random_bytes::<20>())
}

fn encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let value = BASE32
            .iter()
            .position(|b| *b as char == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    (!out.is_empty()).then_some(out)
}

fn code_for_key(key: &[u8], counter: u64) -> u32 {
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = (hash[19] & 0x0f) as usize;
    let value = u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    value % 10u32.pow(DIGITS)
}

/// The time step `code` is valid for, if it is valid for `secret` at Unix time `now` (±1
/// step). The caller accepts each step once per account (`Store::accept_totp_step`).
pub fn verify(secret: &str, code: &str, now: i64) -> Option<i64> {
    let code = code.trim();
    let key = decode(secret)?;
    if code.len() != DIGITS as usize || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let step = now.div_euclid(STEP);
    (step - 1..=step + 1).find(|s| {
        let expected = format!("{:06}", code_for_key(&key, u64::try_from(*s).unwrap_or(0)));
        crate::session::same(&expected, code)
    })
}

/// The `otpauth://` URI an authenticator app scans.
pub fn uri(secret: &str, username: &str) -> String {
    format!("otpauth://totp/Qingfeng:{username}?secret={secret}&issuer=Qingfeng&digits=6&period=30")
}

/// The secret as stored: sealed with the staff key, bound to the account, base64.
pub fn seal(keys: &qingfeng_core::reports::ReportKeys, staff_id: i64, secret: &str) -> String {
    keys.seal_staff_secret(staff_id, secret)
}

pub fn open(
    keys: &qingfeng_core::reports::ReportKeys,
    staff_id: i64,
    sealed: &str,
) -> Option<String> {
    keys.open_staff_secret(staff_id, sealed)
}

/// The current code, for tests that sign in like an authenticator app would.
pub fn current_code(secret: &str, now: i64) -> Option<String> {
    let key = decode(secret)?;
    Some(format!(
        "{:06}",
        code_for_key(&key, u64::try_from(now.div_euclid(STEP)).ok()?)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_vectors() {
        // The RFC's SHA-1 secret is the ASCII "12345678901234567890"; its codes, last 6 digits.
        let secret = encode(b"12345678901234567890");
        assert_eq!(secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(verify(&secret, "287082", 59), Some(1));
        assert_eq!(verify(&secret, "081804", 1_111_111_109), Some(37_037_036));
        assert_eq!(verify(&secret, "005924", 1_234_567_890), Some(41_152_263));
        assert_eq!(verify(&secret, "287083", 59), None);
        assert_eq!(verify(&secret, "28708", 59), None);
        assert_eq!(
            verify(&secret, "287082", 59 + 30),
            Some(1),
            "one step of drift"
        );
        assert_eq!(verify(&secret, "287082", 59 + 90), None);
        assert_eq!(decode(&new_secret()).unwrap().len(), 20);
    }
}
