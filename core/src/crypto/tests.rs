use super::*;

fn root(byte: u8) -> RootKey {
    RootKey::from_bytes([byte; 32])
}

#[test]
fn sealed_values_open_only_with_the_same_key_purpose_and_context() {
    let reports = root(1).sealer(SealPurpose::Reports);
    let sealed = reports.seal("report.body:abc", "举报内容".as_bytes());
    assert!(!sealed.windows(4).any(|w| w == &"举报内容".as_bytes()[..4]));
    assert_eq!(
        reports.open("report.body:abc", &sealed).unwrap(),
        "举报内容".as_bytes()
    );
    let other_root = root(2).sealer(SealPurpose::Reports);
    assert_eq!(
        other_root.open("report.body:abc", &sealed),
        Err(CryptoError::Open)
    );
    let other_purpose = root(1).sealer(SealPurpose::Dialogues);
    assert_eq!(
        other_purpose.open("report.body:abc", &sealed),
        Err(CryptoError::Open)
    );
    assert_eq!(
        reports.open("report.body:abd", &sealed),
        Err(CryptoError::Open)
    );
    assert_eq!(
        reports.open("report.body:abc", &sealed[..10]),
        Err(CryptoError::Open)
    );
}

#[test]
fn no_derived_key_is_the_root_or_another_purpose() {
    let r = root(1);
    let mut keys: Vec<[u8; 32]> = SealPurpose::ALL.iter().map(|p| r.sealer(*p).0).collect();
    keys.extend(MacPurpose::ALL.iter().map(|p| r.signer(*p).key));
    keys.push(*r.bytes());
    let distinct: std::collections::HashSet<_> = keys.iter().collect();
    assert_eq!(distinct.len(), keys.len());
    // A v1 value (the root used directly) does not open under any v2 key.
    let v1 = r.seal_v1("ctx", b"x");
    assert_eq!(r.open_v1("ctx", &v1).unwrap(), b"x");
    for purpose in SealPurpose::ALL {
        assert_eq!(r.sealer(purpose).open("ctx", &v1), Err(CryptoError::Open));
    }
}

#[test]
fn sealing_twice_gives_different_ciphertexts() {
    let key = root(1).sealer(SealPurpose::Reports);
    assert_ne!(key.seal("c", b"same"), key.seal("c", b"same"));
}

#[test]
fn keys_parse_from_base64_of_32_bytes_only() {
    let encoded = STANDARD.encode([7u8; 32]);
    assert!(encoded.parse::<DataKey>().is_ok());
    assert_eq!(
        STANDARD.encode([7u8; 16]).parse::<DataKey>().unwrap_err(),
        CryptoError::BadKey
    );
    assert_eq!(
        "not base64!".parse::<DataKey>().unwrap_err(),
        CryptoError::BadKey
    );
    assert_eq!(format!("{:?}", root(9)), "RootKey(<redacted>)");
    assert_eq!(
        format!("{:?}", root(9).sealer(SealPurpose::Reports)),
        "SealKey(<redacted>)"
    );
}

#[test]
fn tags_have_one_length_per_purpose_and_differ_by_purpose() {
    for purpose in MacPurpose::ALL {
        let signer = root(1).signer(purpose);
        let tag = signer.tag("h_baofeng");
        assert_eq!(tag.len(), signer.tag_chars(), "{purpose:?}");
        assert_eq!(tag.len(), base64_len(purpose.tag_bytes()));
        assert!(signer.verify("h_baofeng", &tag));
        assert!(!signer.verify("h_baofenh", &tag));
        assert!(!signer.verify("h_baofeng", ""));
        assert!(!signer.verify("h_baofeng", "***"));
    }
    let links = root(1).signer(MacPurpose::DeepLink);
    let tag = links.tag("h_baofeng");
    assert!(
        !root(1)
            .signer(MacPurpose::ReplyTag)
            .verify("h_baofeng", &tag)
    );
    assert!(
        !root(2)
            .signer(MacPurpose::DeepLink)
            .verify("h_baofeng", &tag)
    );
}

/// The forgery the review found: a one-byte tag was checked as a prefix of the MAC, so 256
/// guesses always found one that passed.
#[test]
fn a_shortened_tag_never_verifies() {
    let signer = root(1).signer(MacPurpose::ReplyTag);
    let message = "reply:42:7";
    let full = signer.tag(message);
    let passing: Vec<usize> = (1..full.len())
        .filter(|&n| signer.verify(message, &full[..n]))
        .collect();
    assert!(
        passing.is_empty(),
        "prefixes of length {passing:?} verified"
    );
    let one_byte_tags = (0..=255u8)
        .filter(|b| signer.verify(message, &URL_SAFE_NO_PAD.encode([*b])))
        .count();
    assert_eq!(one_byte_tags, 0);
    let longer = format!("{full}AA");
    assert!(!signer.verify(message, &longer));
}

#[test]
fn v1_signers_reproduce_the_old_derivation() {
    // v1: HMAC(root, label) as the key, tags truncated to the requested length.
    let r = root(3);
    let old = r.signer_v1("deep-link/v1", 8);
    let key = hmac_sha256(r.bytes(), b"deep-link/v1");
    let expected = URL_SAFE_NO_PAD.encode(&hmac_sha256(&key, b"h_baofeng")[..8]);
    assert_eq!(old.tag("h_baofeng"), expected);
    assert!(old.verify("h_baofeng", &expected));
}

#[test]
fn an_empty_value_round_trips_and_anything_shorter_than_nonce_and_tag_is_refused() {
    let sealer = root(1).sealer(SealPurpose::Reports);
    let sealed = sealer.seal("empty", b"");
    assert_eq!(sealed.len(), NONCE_LEN + TAG_LEN);
    assert_eq!(sealer.open("empty", &sealed).unwrap(), b"");
    for cut in [0, 1, NONCE_LEN - 1, NONCE_LEN, NONCE_LEN + TAG_LEN - 1] {
        assert_eq!(
            sealer.open("empty", &sealed[..cut]),
            Err(CryptoError::Open),
            "{cut} bytes"
        );
    }
}

#[test]
fn a_signer_never_prints_its_key() {
    let signer = root(9).signer(MacPurpose::DeepLink);
    assert_eq!(format!("{signer:?}"), "Signer(<redacted>)");
}

#[test]
fn randomness_comes_from_the_system_and_shuffles_vary() {
    // Equal draws, or ten equal shuffles of 20 items, happen by chance with probability far
    // below 2^-60: a constant source fails here.
    assert_ne!(random_u64(), random_u64());
    let orders: std::collections::HashSet<Vec<u32>> = (0..10)
        .map(|_| {
            let mut items: Vec<u32> = (0..20).collect();
            shuffle(&mut items);
            items
        })
        .collect();
    assert!(orders.len() > 1);
}

#[test]
fn shuffles_reach_every_order() {
    // Fisher–Yates reaches all 6 orders of three items; a variant that never leaves an item in
    // place (Sattolo's) reaches only 2. Missing one in 300 tries has probability below 1e-20.
    let orders: std::collections::HashSet<[u8; 3]> = (0..300)
        .map(|_| {
            let mut items = [0u8, 1, 2];
            shuffle(&mut items);
            items
        })
        .collect();
    assert_eq!(orders.len(), 6);
}
