//! The tracking code (查询码): 16 characters from Crockford's base-32 alphabet, 80 random bits,
//! shown as `7KQ4-M2XD-9PRT-HC3V`. The alphabet has no I, L, O or U, so a code read aloud or
//! copied by hand survives: input is upper-cased, separators dropped, O read as 0, I and L as 1.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const LENGTH: usize = 16;

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TrackingCode(String);

impl TrackingCode {
    /// A fresh code from the operating system's randomness.
    pub fn generate() -> TrackingCode {
        TrackingCode::from_random(crate::crypto::random_bytes())
    }

    /// The code spelling out these 80 bits, five at a time, most significant first.
    fn from_random(bytes: [u8; 10]) -> TrackingCode {
        let mut bits: u128 = 0;
        for byte in bytes {
            bits = (bits << 8) | u128::from(byte);
        }
        let code = (0..LENGTH)
            .rev()
            .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
            .collect();
        TrackingCode(code)
    }

    /// The canonical form (16 characters, no separators), which is what gets hashed.
    pub fn canonical(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups: Vec<&str> = (0..LENGTH / 4).map(|i| &self.0[i * 4..i * 4 + 4]).collect();
        f.write_str(&groups.join("-"))
    }
}

/// Not printed: a code is a secret.
impl fmt::Debug for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TrackingCode(…)")
    }
}

impl FromStr for TrackingCode {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        let mut code = String::with_capacity(LENGTH);
        for c in s.chars() {
            let c = match c {
                ' ' | '-' | '_' | '\u{3000}' | '－' | '—' | '–' => continue,
                // Full-width letters and digits, as Chinese input methods produce them.
                'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '０'..='９' => {
                    char::from_u32(c as u32 - 0xFEE0).ok_or(())?
                }
                other => other,
            };
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            };
            if !ALPHABET.contains(&(c as u8)) || !c.is_ascii() {
                return Err(());
            }
            code.push(c);
        }
        if code.len() == LENGTH {
            Ok(TrackingCode(code))
        } else {
            Err(())
        }
    }
}

impl TryFrom<String> for TrackingCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse().map_err(|()| "not a tracking code".to_owned())
    }
}

impl From<TrackingCode> for String {
    fn from(code: TrackingCode) -> String {
        code.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_are_grouped_and_parse_back() {
        let code = TrackingCode::generate();
        let shown = code.to_string();
        assert_eq!(shown.len(), 19);
        assert_eq!(shown.matches('-').count(), 3);
        assert_eq!(shown.parse::<TrackingCode>(), Ok(code.clone()));
        assert_eq!(shown.to_lowercase().parse::<TrackingCode>(), Ok(code));
    }

    #[test]
    fn every_one_of_the_80_bits_is_spelled_out() {
        let code = |bytes: [u8; 10]| TrackingCode::from_random(bytes).0;
        assert_eq!(code([0; 10]), "0000000000000000");
        assert_eq!(code([0xFF; 10]), "ZZZZZZZZZZZZZZZZ");
        let mut last = [0; 10];
        last[9] = 1;
        assert_eq!(code(last), "0000000000000001");
        let mut first = [0; 10];
        first[0] = 0x80;
        assert_eq!(code(first), "G000000000000000");
        // Each 5-bit group lands in its own character.
        let mut second = [0; 10];
        second[0] = 0b0000_0100;
        assert_eq!(code(second), "0G00000000000000");
    }

    #[test]
    fn a_code_survives_serialisation_in_a_saved_draft() {
        let code = TrackingCode::generate();
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, format!("\"{}\"", code.canonical()));
        assert_eq!(serde_json::from_str::<TrackingCode>(&json).unwrap(), code);
        assert!(serde_json::from_str::<TrackingCode>("\"xyzzy\"").is_err());
    }

    #[test]
    fn a_code_is_not_printed_by_debug() {
        let code: TrackingCode = "7KQ4-M2XD-9PRT-HC30".parse().unwrap();
        assert_eq!(format!("{code:?}"), "TrackingCode(…)");
    }

    #[test]
    fn codes_differ() {
        let codes: std::collections::HashSet<String> =
            (0..1000).map(|_| TrackingCode::generate().0).collect();
        assert_eq!(codes.len(), 1000);
    }

    #[test]
    fn hand_copied_codes_are_forgiven() {
        let code: TrackingCode = "7KQ4-M2XD-9PRT-HC30".parse().unwrap();
        assert_eq!(
            "7kq4 m2xd 9prt hc3o".parse::<TrackingCode>(),
            Ok(code.clone())
        );
        assert_eq!("７ＫＱ４－Ｍ２ＸＤ－９ＰＲＴ－ＨＣ３０".parse(), Ok(code));
        assert_eq!(
            "ILIL-0000-0000-0000"
                .parse::<TrackingCode>()
                .unwrap()
                .canonical(),
            "1111000000000000"
        );
    }

    #[test]
    fn malformed_codes_are_refused() {
        for bad in [
            "",
            "7KQ4-M2XD-9PRT",
            "7KQ4-M2XD-9PRT-HC3V-X",
            "UUUU-0000-0000-0000",
            "7KQ4M2XD9PRTHC3é",
        ] {
            assert!(bad.parse::<TrackingCode>().is_err(), "{bad}");
        }
    }
}
