//! Deep-link payloads for `https://t.me/<bot>?start=<payload>`, printed as QR codes on posters.
//!
//! A payload pre-fills the audience, township and (for households) village. It is signed with
//! a key derived from the data key, so nobody can mint links for arbitrary places, and it is
//! checked against the store when used, so a link to a retired region falls back gracefully.
//! Telegram allows 64 characters from `A-Za-z0-9_-`; region codes never contain `_`:
//! `h_<township>[_<village>]_<tag>` or `e_<township>_<tag>`, the tag being 11 characters.

use crate::crypto::{DataKey, Signer};
use crate::domain::{Audience, RegionCode};

const TAG_BYTES: usize = 8;
const TAG_CHARS: usize = 11;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeepLink {
    pub audience: Audience,
    pub township: RegionCode,
    /// Only for households.
    pub village: Option<RegionCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeepLinkError {
    #[error("the link is not one of ours")]
    Malformed,
    #[error("the link's signature does not match")]
    BadSignature,
}

pub fn signer(key: &DataKey) -> Signer {
    key.derive("deep-link/v1")
}

impl DeepLink {
    pub fn encode(&self, signer: &Signer) -> String {
        let body = match (&self.audience, &self.village) {
            (Audience::Household, Some(village)) => format!("h_{}_{village}", self.township),
            (Audience::Household, None) => format!("h_{}", self.township),
            (Audience::Enterprise, _) => format!("e_{}", self.township),
        };
        let tag = signer.tag(&body, TAG_BYTES);
        format!("{body}_{tag}")
    }

    pub fn decode(payload: &str, signer: &Signer) -> Result<DeepLink, DeepLinkError> {
        let split = payload
            .len()
            .checked_sub(TAG_CHARS + 1)
            .ok_or(DeepLinkError::Malformed)?;
        if !payload.is_char_boundary(split) || payload.as_bytes()[split] != b'_' {
            return Err(DeepLinkError::Malformed);
        }
        let (body, tag) = (&payload[..split], &payload[split + 1..]);
        let parts: Vec<&str> = body.split('_').collect();
        let code = |s: &str| {
            s.parse::<RegionCode>()
                .map_err(|_| DeepLinkError::Malformed)
        };
        let link = match parts.as_slice() {
            ["h", township] => DeepLink {
                audience: Audience::Household,
                township: code(township)?,
                village: None,
            },
            ["h", township, village] => DeepLink {
                audience: Audience::Household,
                township: code(township)?,
                village: Some(code(village)?),
            },
            ["e", township] => DeepLink {
                audience: Audience::Enterprise,
                township: code(township)?,
                village: None,
            },
            _ => return Err(DeepLinkError::Malformed),
        };
        if !signer.verify(body, tag) {
            return Err(DeepLinkError::BadSignature);
        }
        Ok(link)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer_for(byte: u8) -> Signer {
        signer(&DataKey::from_bytes([byte; 32]))
    }

    fn link(audience: Audience, township: &str, village: Option<&str>) -> DeepLink {
        DeepLink {
            audience,
            township: township.parse().unwrap(),
            village: village.map(|v| v.parse().unwrap()),
        }
    }

    #[test]
    fn links_round_trip_and_fit_telegram() {
        let s = signer_for(1);
        let longest = "a".repeat(24);
        for l in [
            link(Audience::Household, "baofeng", Some("longjing")),
            link(Audience::Household, "majiadu", None),
            link(Audience::Enterprise, "chengguan", None),
            link(Audience::Household, &longest, Some(&longest)),
        ] {
            let payload = l.encode(&s);
            assert!(payload.len() <= 64, "{payload}");
            assert!(
                payload
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
                "{payload}"
            );
            assert_eq!(DeepLink::decode(&payload, &s), Ok(l));
        }
    }

    #[test]
    fn forged_and_foreign_payloads_are_refused() {
        let s = signer_for(1);
        let payload = link(Audience::Household, "baofeng", Some("longjing")).encode(&s);
        assert_eq!(
            DeepLink::decode(&payload, &signer_for(2)),
            Err(DeepLinkError::BadSignature)
        );
        let forged = payload.replacen("baofeng", "majiadu", 1);
        assert_eq!(
            DeepLink::decode(&forged, &s),
            Err(DeepLinkError::BadSignature)
        );
        for junk in [
            "",
            "src_poster_2024",
            "h_baofeng",
            "x_baofeng_AAAAAAAAAAA",
            "h_宝丰_AAAAAAAAAAA",
            "h__AAAAAAAAAAA",
        ] {
            assert!(DeepLink::decode(junk, &s).is_err(), "{junk}");
        }
    }
}
