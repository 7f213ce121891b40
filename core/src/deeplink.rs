//! Deep-link payloads for `https://t.me/<bot>?start=<payload>`, printed as QR codes on posters.
//!
//! A payload pre-fills the audience, township and (for households) village. It is signed with
//! a key derived from the data key, so nobody can mint links for arbitrary places, and it is
//! checked against the store when used, so a link to a retired region falls back gracefully.
//! Telegram allows 64 characters from `A-Za-z0-9_-`; region codes never contain `_`:
//! `h_<township>[_<village>]_<tag>` or `e_<township>_<tag>`, the tag being 11 characters.
//! Links printed before the v2 key schedule carry a v1 tag; they keep working, so posters
//! already on village walls need not be reprinted.

use crate::crypto::{DataKey, MacPurpose, Signer};
use crate::domain::{Audience, RegionCode};

/// Signs new links; checks new and v1 links.
#[derive(Clone, Debug)]
pub struct LinkSigner {
    current: Signer,
    v1: Signer,
}

impl LinkSigner {
    fn tag_chars(&self) -> usize {
        self.current.tag_chars()
    }

    fn verify(&self, body: &str, tag: &str) -> bool {
        self.current.verify(body, tag) || self.v1.verify(body, tag)
    }
}

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

pub fn signer(key: &DataKey) -> LinkSigner {
    LinkSigner {
        current: key.signer(MacPurpose::DeepLink),
        v1: key.signer_v1("deep-link/v1", MacPurpose::DeepLink.tag_bytes()),
    }
}

impl DeepLink {
    pub fn encode(&self, signer: &LinkSigner) -> String {
        let body = match (&self.audience, &self.village) {
            (Audience::Household, Some(village)) => format!("h_{}_{village}", self.township),
            (Audience::Household, None) => format!("h_{}", self.township),
            (Audience::Enterprise, _) => format!("e_{}", self.township),
        };
        let tag = signer.current.tag(&body);
        format!("{body}_{tag}")
    }

    pub fn decode(payload: &str, signer: &LinkSigner) -> Result<DeepLink, DeepLinkError> {
        let split = payload
            .len()
            .checked_sub(signer.tag_chars() + 1)
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

    fn signer_for(byte: u8) -> LinkSigner {
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
        // A v1 tag (posters printed before the key schedule changed) still opens the link;
        // a shortened tag does not.
        let key = DataKey::from_bytes([1; 32]);
        let v1_tag = key.signer_v1("deep-link/v1", 8).tag("h_baofeng_longjing");
        assert_eq!(
            DeepLink::decode(&format!("h_baofeng_longjing_{v1_tag}"), &s),
            Ok(link(Audience::Household, "baofeng", Some("longjing")))
        );
        assert_ne!(v1_tag, s.current.tag("h_baofeng_longjing"));
        assert!(DeepLink::decode(&payload[..payload.len() - 1], &s).is_err());
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
