//! Tests of keys, cards, requests and responses as files.

use super::*;
use crate::signing_files::{self, Request, Response};

fn holder(name: &str) -> Holder {
    Holder {
        name: name.into(),
        department: "产品部".into(),
        role: "head".into(),
    }
}

fn key_code(r: Result<impl Sized>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(e) => e.key(),
    }
}

fn request() -> Request {
    let content = serde_json::json!({ "name": "新品上市", "owner": "张伟" });
    Request {
        format: signing_files::request::FORMAT.into(),
        version: 1,
        project_id: "p1".into(),
        project_name: "新品上市".into(),
        kind: "registration".into(),
        record: 1,
        round: 1,
        revision: 1,
        fingerprint: crate::fingerprint::of_document("registration", 1, &content),
        content,
        pdf: String::new(),
        asked_by: "张伟".into(),
        asked_at: "2026-01-05T09:00:00+08:00".into(),
        signers: Vec::new(),
        for_person: None,
        decisions: vec!["approve".into(), "reject".into()],
    }
}

#[test]
fn a_key_unlocks_only_with_its_passphrase_and_its_file_unchanged() {
    let (file, key) = KeyFile::create(holder("李娜"), "correct horse").unwrap();
    let bytes = signing_files::to_bytes(&file);
    let back = KeyFile::parse(&bytes).unwrap();
    assert_eq!(back, file);
    assert_eq!(
        back.unlock("correct horse").unwrap().to_bytes(),
        key.to_bytes()
    );
    assert_eq!(
        key_code(back.unlock("wrong horse")),
        "keys.wrong_passphrase"
    );
    // The holder is sealed with the secret: a changed name does not unlock.
    let mut renamed = back.clone();
    renamed.holder.name = "王强".into();
    assert_eq!(
        key_code(renamed.unlock("correct horse")),
        "keys.wrong_passphrase"
    );
    assert_eq!(
        key_code(KeyFile::create(holder("李娜"), "short")),
        "keys.passphrase_short"
    );
    assert_eq!(
        key_code(KeyFile::create(holder(" "), "long enough")),
        "keys.name_required"
    );
    // The secret is not in the file in the clear.
    let text = String::from_utf8(bytes).unwrap();
    assert!(!text.contains(&B64.encode(key.to_bytes())));
}

#[test]
fn a_card_is_refused_when_any_field_changed() {
    let (file, key) = KeyFile::create(holder("李娜"), "correct horse").unwrap();
    let card = Card::of(&file, &key);
    let bytes = signing_files::to_bytes(&card);
    assert_eq!(Card::parse(&bytes).unwrap(), card);
    assert_eq!(card.fingerprint, key_fingerprint(&key.verifying_key()));
    let forged = String::from_utf8(bytes.clone())
        .unwrap()
        .replace("李娜", "王强");
    assert_eq!(
        key_code(Card::parse(forged.as_bytes())),
        "keys.card.bad_signature"
    );
    let (other, other_key) = KeyFile::create(holder("王强"), "correct horse").unwrap();
    let mut swapped = card.clone();
    swapped.public_key = other.public_key.clone();
    swapped.fingerprint = other.fingerprint.clone();
    assert_eq!(
        key_code(Card::parse(&signing_files::to_bytes(&swapped))),
        "keys.card.bad_signature"
    );
    drop(other_key);
    assert_eq!(grouped(&card.fingerprint).len(), 39);
}

#[test]
fn files_of_another_format_a_newer_version_or_other_bytes_are_refused() {
    let (file, key) = KeyFile::create(holder("李娜"), "correct horse").unwrap();
    let card = signing_files::to_bytes(&Card::of(&file, &key));
    assert_eq!(key_code(KeyFile::parse(&card)), "keys.file.not_format");
    assert_eq!(key_code(Card::parse(b"not json")), "keys.file.not_format");
    let newer = String::from_utf8(card.clone())
        .unwrap()
        .replace("\"version\":1", "\"version\":2");
    assert_eq!(key_code(Card::parse(newer.as_bytes())), "keys.file.newer");
    let spaced = String::from_utf8(card.clone())
        .unwrap()
        .replacen(':', ": ", 1);
    assert_eq!(
        key_code(Card::parse(spaced.as_bytes())),
        "keys.file.altered"
    );
    let mut req = request();
    req.version = 2;
    assert_eq!(
        key_code(Request::parse(&signing_files::to_bytes(&req))),
        "keys.file.newer"
    );
}

#[test]
fn a_response_verifies_and_every_changed_byte_is_refused() {
    let (file, key) = KeyFile::create(holder("李娜"), "correct horse").unwrap();
    let req = request();
    assert_eq!(
        key_code(Response::create(&req, &file, &key, "confirm", "")),
        "keys.decision_not_allowed"
    );
    assert_eq!(
        key_code(Response::create(&req, &file, &key, "reject", " ")),
        "signoff.reason_required"
    );
    let resp = Response::create(&req, &file, &key, "approve", "同意").unwrap();
    let bytes = signing_files::to_bytes(&resp);
    assert_eq!(Response::parse(&bytes).unwrap(), resp);
    for i in 0..bytes.len() {
        let mut bad = bytes.clone();
        bad[i] ^= 0x01;
        assert!(
            Response::parse(&bad).is_err(),
            "byte {i} changed, still accepted"
        );
    }
    // A request whose content no longer matches its fingerprint is refused by the signer.
    let mut altered = req.clone();
    altered.content["owner"] = "别人".into();
    assert_eq!(
        key_code(Request::parse(&signing_files::to_bytes(&altered))),
        "keys.request.fingerprint"
    );
}
