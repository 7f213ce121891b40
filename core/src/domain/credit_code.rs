use std::fmt;
use std::str::FromStr;

/// 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters from a
/// 31-character alphabet (no I, O, S, V, Z), the last one a check character over the first 17.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnifiedCreditCode(String);

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weight of position i is 3^i mod 31.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("a unified social credit code has 18 characters, this one has {0}")]
    Length(usize),
    #[error("`{0}` cannot appear in a unified social credit code")]
    Character(char),
    #[error(
        "the check character does not match; please compare the code with the business licence"
    )]
    Checksum,
}

impl UnifiedCreditCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Chinese input methods often type full-width letters and digits (ＡＢ１２).
fn from_full_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

fn value_of(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

impl FromStr for UnifiedCreditCode {
    type Err = CreditCodeError;

    /// Accepts what people type: lower case and spaces are normalised away.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let code: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| from_full_width(c).to_ascii_uppercase())
            .collect();
        let count = code.chars().count();
        if count != 18 {
            return Err(CreditCodeError::Length(count));
        }
        let mut values = [0u32; 18];
        for (slot, c) in values.iter_mut().zip(code.chars()) {
            *slot = u8::try_from(c)
                .ok()
                .and_then(value_of)
                .ok_or(CreditCodeError::Character(c))?;
        }
        let sum: u32 = values[..17].iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
        let expected = (31 - sum % 31) % 31;
        if values[17] != expected {
            return Err(CreditCodeError::Checksum);
        }
        Ok(UnifiedCreditCode(code))
    }
}

impl TryFrom<String> for UnifiedCreditCode {
    type Error = CreditCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<UnifiedCreditCode> for String {
    fn from(code: UnifiedCreditCode) -> String {
        code.0
    }
}

impl fmt::Display for UnifiedCreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Published codes of two large companies, checked by hand against GB 32100-2015.
    const REAL_CODES: [&str; 2] = ["914403001922038216", "9144030071526726XG"];

    #[test]
    fn accepts_published_codes() {
        for code in REAL_CODES {
            assert_eq!(code.parse::<UnifiedCreditCode>().unwrap().as_str(), code);
        }
    }

    #[test]
    fn normalises_case_and_spaces() {
        let code: UnifiedCreditCode = " 9144030071526726xg ".parse().unwrap();
        assert_eq!(code.as_str(), "9144030071526726XG");
    }

    #[test]
    fn rejects_a_wrong_check_character() {
        assert_eq!(
            "914403001922038217".parse::<UnifiedCreditCode>(),
            Err(CreditCodeError::Checksum)
        );
    }

    #[test]
    fn rejects_every_single_character_typo() {
        let good = REAL_CODES[0].as_bytes();
        for i in 0..18 {
            for &c in ALPHABET {
                if c == good[i] {
                    continue;
                }
                let mut typo = good.to_vec();
                typo[i] = c;
                let typo = String::from_utf8(typo).unwrap();
                assert!(
                    typo.parse::<UnifiedCreditCode>().is_err(),
                    "{typo} accepted"
                );
            }
        }
    }

    #[test]
    fn rejects_bad_length_and_characters() {
        assert_eq!(
            "12345".parse::<UnifiedCreditCode>(),
            Err(CreditCodeError::Length(5))
        );
        assert_eq!(
            "91440300192203821O".parse::<UnifiedCreditCode>(),
            Err(CreditCodeError::Character('O'))
        );
        assert!(matches!(
            "91440300192203821é".parse::<UnifiedCreditCode>(),
            Err(CreditCodeError::Character('é'))
        ));
    }

    #[test]
    fn accepts_full_width_input() {
        let code: UnifiedCreditCode = "９１４４０３００１９２２０３８２１６".parse().unwrap();
        assert_eq!(code.as_str(), REAL_CODES[0]);
    }
}
