//! Tests of binding, requests, responses and their verification, on a project in memory.

use super::*;
use crate::error::Tamper;
use crate::identity::{Card, Holder, KeyFile};
use crate::people::Person;
use crate::signing_files::{self, Request, Response};
use crate::signoff::{self, Decision};
use ed25519_dalek::SigningKey;
use rusqlite::Connection;

struct Signer {
    id: i64,
    file: KeyFile,
    key: SigningKey,
}

/// A project in memory with a complete registration, three heads and keys for the first two
/// (bound); a registration round open with all three as signers.
fn setup() -> (Connection, Vec<Signer>, i64) {
    let mut conn = Connection::open_in_memory().unwrap();
    crate::storage::migrations::migrate_to(&mut conn, crate::storage::migrations::LATEST).unwrap();
    crate::storage::init(&conn, "x").unwrap();
    crate::registration::save(&mut conn, "张伟", &crate::demo::worked_example()).unwrap();
    let mut signers = Vec::new();
    for n in ["李娜", "王强", "陈静"] {
        let p = crate::people::add(
            &mut conn,
            "张伟",
            &Person {
                id: 0,
                name: n.into(),
                department: "产品部".into(),
                role: "head".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let (file, key) = KeyFile::create(
            Holder {
                name: n.into(),
                department: "产品部".into(),
                role: "head".into(),
            },
            "correct horse",
        )
        .unwrap();
        signers.push(Signer {
            id: p.id,
            file,
            key,
        });
    }
    for s in &signers[..2] {
        let card = signing_files::to_bytes(&Card::of(&s.file, &s.key));
        bind(&mut conn, "张伟", s.id, &card).unwrap();
    }
    let ids: Vec<i64> = signers.iter().map(|s| s.id).collect();
    let p = crate::kinds::start(
        &mut conn,
        "张伟",
        crate::kind::DocKind::Registration,
        1,
        &ids,
    )
    .unwrap();
    let round = p.rounds[0].id;
    (conn, signers, round)
}

fn request(conn: &Connection, person: Option<i64>) -> Request {
    let fonts = crate::pdf::Fonts::shared(&[]).unwrap();
    let mut r = requests(
        conn,
        crate::kind::DocKind::Registration,
        None,
        person,
        "张伟",
        Lang::Zh,
        fonts,
    )
    .unwrap();
    let bytes = signing_files::to_bytes(&r.remove(0).request);
    Request::parse(&bytes).unwrap()
}

fn respond(req: &Request, s: &Signer, decision: &str, comment: &str) -> Vec<u8> {
    signing_files::to_bytes(&Response::create(req, &s.file, &s.key, decision, comment).unwrap())
}

fn refusal(conn: &mut Connection, bytes: &[u8]) -> String {
    let before = counts(conn);
    let key = match accept(conn, "张伟", bytes) {
        Ok(_) => "ok".into(),
        Err(e) => e.key(),
    };
    assert_eq!(counts(conn), before, "a refusal records nothing ({key})");
    key
}

fn counts(conn: &Connection) -> (i64, i64) {
    conn.query_row(
        "SELECT (SELECT count(*) FROM signature), (SELECT count(*) FROM audit_log)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

use crate::i18n::Lang;

#[test]
fn responses_are_recorded_as_electronic_signatures_and_verify() {
    let (mut conn, signers, round) = setup();
    let req = request(&conn, None);
    assert_eq!(req.signers.len(), 3);
    assert_eq!(
        req.signers[0].keys,
        vec![signers[0].file.fingerprint.clone()]
    );
    assert!(req.pdf_bytes().unwrap().starts_with(b"%PDF"));
    let done = accept(
        &mut conn,
        "张伟",
        &respond(&req, &signers[0], "approve", ""),
    )
    .unwrap();
    assert_eq!(done.person.id, signers[0].id);
    // The third signs on paper, the second by key: the round is approved.
    let paper = signoff::Sign {
        round_id: round,
        revision: 1,
        person_id: signers[2].id,
        decision: Decision::Approve,
        comment: String::new(),
    };
    let scan = Method::Paper {
        name: "签字页.pdf".into(),
        scan: b"%PDF scan".to_vec(),
    };
    crate::kinds::sign_by(&mut conn, "张伟", &paper, &scan).unwrap();
    let last = accept(
        &mut conn,
        "张伟",
        &respond(&req, &signers[1], "approve", "同意"),
    )
    .unwrap();
    assert_eq!(last.panel.state, signoff::State::Signed);
    let how = methods(&conn, crate::kind::DocKind::Registration, 1).unwrap();
    let codes: Vec<&str> = how.iter().map(|h| h.method.as_str()).collect();
    assert_eq!(codes, ["electronic", "paper", "electronic"]);
    assert_eq!(
        how[0].key_fingerprint.as_ref(),
        Some(&signers[0].file.fingerprint)
    );
    assert_eq!(
        how[1].scan_sha256.as_deref(),
        Some(&*crate::fingerprint::sha256_hex(b"%PDF scan"))
    );
    assert_eq!(crate::audit::verify_chain(&conn).unwrap(), None);
    assert_eq!(verify(&conn, 12).unwrap(), None);
    assert_eq!(scan_of(&conn, round, signers[2].id), b"%PDF scan".to_vec());
}

fn scan_of(conn: &Connection, round: i64, person: i64) -> Vec<u8> {
    scan(conn, round, person).unwrap().unwrap().1
}

#[test]
fn every_bad_response_is_refused_and_records_nothing() {
    let (mut conn, signers, _) = setup();
    let req = request(&conn, Some(signers[0].id));
    let good = respond(&req, &signers[0], "approve", "");
    // Another project.
    let mut other = req.clone();
    other.project_id = "another".into();
    assert_eq!(
        refusal(&mut conn, &respond(&other, &signers[0], "approve", "")),
        "keys.other_project"
    );
    // A stale revision, a fingerprint that is not the frozen one, a round that does not exist.
    let mut stale = req.clone();
    stale.revision = 2;
    assert_eq!(
        refusal(&mut conn, &respond(&stale, &signers[0], "approve", "")),
        "signoff.stale"
    );
    let mut fp = req.clone();
    fp.fingerprint = "0".repeat(64);
    assert_eq!(
        refusal(&mut conn, &respond(&fp, &signers[0], "approve", "")),
        "keys.fingerprint_mismatch"
    );
    let mut gone = req.clone();
    gone.round = 99;
    assert_eq!(
        refusal(&mut conn, &respond(&gone, &signers[0], "approve", "")),
        "keys.no_round"
    );
    // A key nobody bound, and a key that is not of a signer.
    assert_eq!(
        refusal(&mut conn, &respond(&req, &signers[2], "approve", "")),
        "keys.unbound"
    );
    let outsider = crate::people::add(
        &mut conn,
        "张伟",
        &Person {
            name: "赵六".into(),
            department: "财务部".into(),
            role: "head".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let (file, key) = KeyFile::create(
        Holder {
            name: "赵六".into(),
            ..Default::default()
        },
        "correct horse",
    )
    .unwrap();
    bind(
        &mut conn,
        "张伟",
        outsider.id,
        &signing_files::to_bytes(&Card::of(&file, &key)),
    )
    .unwrap();
    let bytes =
        signing_files::to_bytes(&Response::create(&req, &file, &key, "approve", "").unwrap());
    assert_eq!(refusal(&mut conn, &bytes), "keys.not_signer");
    // A tampered byte anywhere.
    for i in (0..good.len()).step_by(7) {
        let mut bad = good.clone();
        bad[i] ^= 0x01;
        assert_ne!(refusal(&mut conn, &bad), "ok", "byte {i}");
    }
    // A newer version.
    let mut newer = String::from_utf8(good.clone()).unwrap();
    let at = newer.rfind("\"version\":1").unwrap();
    newer.replace_range(at..at + 11, "\"version\":3");
    assert_eq!(refusal(&mut conn, newer.as_bytes()), "keys.file.newer");
    // The good one once; then it is a replay; a second response from the same key too.
    accept(&mut conn, "张伟", &good).unwrap();
    assert_eq!(refusal(&mut conn, &good), "keys.replay");
    assert_eq!(
        refusal(&mut conn, &respond(&req, &signers[0], "reject", "不同意")),
        "keys.second_response"
    );
    // A closed round: the second rejects, the round ends, the third response comes too late.
    accept(
        &mut conn,
        "张伟",
        &respond(&req, &signers[1], "reject", "目标不清"),
    )
    .unwrap();
    let late = respond(&req, &signers[1], "approve", "");
    assert_eq!(refusal(&mut conn, &late), "signoff.closed");
    // A person with a bound key stays: a later person must not inherit the key with the id.
    assert_eq!(
        crate::people::remove(&mut conn, "张伟", outsider.id)
            .unwrap_err()
            .code(),
        "invalid"
    );
    // A card bound twice.
    let card = signing_files::to_bytes(&Card::of(&signers[0].file, &signers[0].key));
    assert_eq!(
        bind(&mut conn, "张伟", signers[2].id, &card)
            .unwrap_err()
            .key(),
        "keys.already_bound"
    );
}

#[test]
fn check_finds_electronic_signatures_changed_outside_the_app() {
    let tampered = |sql: &str| {
        let (mut conn, signers, _) = setup();
        let req = request(&conn, None);
        accept(
            &mut conn,
            "张伟",
            &respond(&req, &signers[0], "approve", ""),
        )
        .unwrap();
        assert_eq!(verify(&conn, 12).unwrap(), None);
        conn.execute_batch(
            "DROP TRIGGER signature_no_update; DROP TRIGGER person_key_no_update;
             DROP TRIGGER signature_method_no_update; DROP TRIGGER signature_method_no_delete;",
        )
        .unwrap();
        conn.execute_batch(sql).unwrap();
        verify(&conn, 12).unwrap()
    };
    let key_signature = |t: Option<Tamper>| matches!(t, Some(Tamper::KeySignature { .. }));
    assert!(key_signature(tampered(
        "UPDATE signature SET decision = 'reject'"
    )));
    assert!(key_signature(tampered(
        "UPDATE signature SET comment = '改过'"
    )));
    assert!(key_signature(tampered(
        "UPDATE signature SET person_id = (SELECT max(id) FROM person)"
    )));
    assert!(matches!(
        tampered("UPDATE person_key SET person_id = (SELECT max(id) FROM person)"),
        Some(Tamper::KeyBinding { .. })
    ));
    assert!(matches!(
        tampered("UPDATE signature_method SET method = 'proxy', key_fingerprint = NULL, response = NULL, key_signature = NULL"),
        Some(Tamper::SignatureMethod { .. })
    ));
    assert!(matches!(
        tampered("DELETE FROM signature_method"),
        Some(Tamper::SignatureMethod { .. })
    ));
}

#[test]
fn the_pdf_says_how_each_signature_was_obtained() {
    let (mut conn, signers, round) = setup();
    let req = request(&conn, None);
    accept(
        &mut conn,
        "张伟",
        &respond(&req, &signers[0], "approve", ""),
    )
    .unwrap();
    let sign = |person: i64| signoff::Sign {
        round_id: round,
        revision: 1,
        person_id: person,
        decision: Decision::Approve,
        comment: String::new(),
    };
    let scan = Method::Paper {
        name: "签字页.pdf".into(),
        scan: b"%PDF scan".to_vec(),
    };
    crate::kinds::sign_by(&mut conn, "张伟", &sign(signers[1].id), &scan).unwrap();
    crate::kinds::sign(&mut conn, "王芳", &sign(signers[2].id)).unwrap();
    let fonts = crate::pdf::Fonts::shared(&[]).unwrap();
    let doc = crate::documents::prepare(
        &conn,
        crate::kind::DocKind::Registration,
        crate::documents::Target::Latest,
        Lang::Zh,
        "张伟",
    )
    .unwrap();
    let pdf = crate::pdf::render(&doc.doc, fonts).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, &pdf.bytes).unwrap();
    if let Some(keep) = std::env::var_os("LIAISON_KEEP_PDF") {
        std::fs::write(keep, &pdf.bytes).unwrap();
    }
    let out = std::process::Command::new("pdftotext")
        .args([path.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap().replace(' ', "");
    let key = crate::identity::grouped(&signers[0].file.fingerprint).replace(' ', "");
    let sha = &crate::fingerprint::sha256_hex(b"%PDF scan")[..16];
    for needle in [
        "电子签名",
        &key[..8],
        "纸质签字",
        sha,
        "代为登记",
        "由王芳登记",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
}

/// Every message key the files of signing by key name exists in the catalog, in both languages.
#[test]
fn every_message_of_signing_by_key_is_in_the_catalog() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join("cli/keys.rs")];
    for dir in ["identity", "signing_files", "remote_sign"] {
        for e in std::fs::read_dir(src.join(dir)).unwrap() {
            files.push(e.unwrap().path());
        }
    }
    let mut seen = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for prefix in ["\"keys.", "\"cli.", "\"signoff.", "\"tamper.", "\"person."] {
            for (at, _) in text.match_indices(prefix) {
                let key: String = text[at + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
                    .collect();
                if key.ends_with('.') || text[at + 1 + key.len()..].starts_with('{') {
                    continue; // a key built with format!
                }
                seen += 1;
                let c = crate::i18n::catalog();
                // Audit fields are labelled in the history as `history.field.<field>`.
                let key = if key == "signoff.method" || key == "person.key_bound" {
                    format!("history.field.{key}")
                } else {
                    key
                };
                assert!(
                    c.contains_key(&key),
                    "{} names {key}, which the catalog lacks",
                    f.display()
                );
            }
        }
    }
    assert!(seen > 30, "the scan found the keys ({seen})");
}
