//! Signing by key on the command line, the whole round trip with two identities: keys, cards,
//! binding, a request, two signed responses, acceptance, `check`; every bad response refused with
//! the project file byte for byte as it was; changes outside the app found by `check`.

use crate::util::*;
use liaison_core::identity::Card;
use liaison_core::people::{self, Person};
use liaison_core::signing_files::{self, Request};
use liaison_core::{signoff, Project};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `liaison` in Chinese with the passphrase in the environment.
fn run(home: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env("LIAISON_LANG", "zh-CN")
        .env("LIAISON_CONFIG_DIR", home.join("config"))
        .env("LIAISON_DOCUMENTS_DIR", home.join("docs"))
        .env("LIAISON_PASSPHRASE", "correct horse battery")
        .output()
        .expect("run liaison")
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    stdout(&o)
}

/// A project whose registration is being signed by the first `signers` of four heads; returns
/// the file and the heads' ids.
fn project(dir: &Path, name: &str, signers: usize) -> (PathBuf, Vec<i64>) {
    let path = dir.join(name);
    let mut p = Project::create(&path, "新品上市").unwrap();
    let conn = p.conn_mut();
    liaison_core::registration::save(conn, "张伟", &liaison_core::demo::worked_example()).unwrap();
    let ids: Vec<i64> = ["李娜", "王强", "陈静", "赵六"]
        .iter()
        .map(|n| {
            let person = Person {
                name: n.to_string(),
                department: "产品部".into(),
                role: "head".into(),
                ..Default::default()
            };
            people::add(conn, "张伟", &person).unwrap().id
        })
        .collect();
    liaison_core::kinds::start(
        conn,
        "张伟",
        liaison_core::DocKind::Registration,
        1,
        &ids[..signers],
    )
    .unwrap();
    (path, ids)
}

/// A key and its card for `name`, written in `dir`.
fn identity(home: &Path, dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let key = dir.join(format!("{name}.liaison-key"));
    let card = dir.join(format!("{name}.liaison-card"));
    let k = key.to_str().unwrap();
    let out = ok(run(
        home,
        &[
            "key",
            "new",
            "--name",
            name,
            "--department",
            "产品部",
            "--role",
            "head",
            "--out",
            k,
        ],
    ));
    assert!(out.contains("密钥指纹"), "{out}");
    ok(run(
        home,
        &["key", "card", k, "--out", card.to_str().unwrap()],
    ));
    (key, card)
}

fn sign(home: &Path, request: &Path, key: &Path, decision: &str, out: &Path) -> Output {
    run(
        home,
        &[
            "sign",
            request.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
            "--decision",
            decision,
            "--comment",
            if decision == "approve" {
                ""
            } else {
                "需修改"
            },
            "--out",
            out.to_str().unwrap(),
        ],
    )
}

/// Accepting `response` is refused with `reason` in the message, the project unchanged.
fn refused(home: &Path, file: &Path, response: &Path, reason: &str) {
    let before = std::fs::read(file).unwrap();
    let out = run(
        home,
        &["accept", file.to_str().unwrap(), response.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stderr(&out).contains(reason), "{reason}: {}", stderr(&out));
    assert!(stderr(&out).contains("未记录"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(file).unwrap(),
        before,
        "{reason}: the file changed"
    );
}

#[test]
fn two_signers_sign_for_themselves_and_check_verifies_it() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let (file, ids) = project(home, "项目.liaison", 2);
    let f = file.to_str().unwrap();
    let (key_a, card_a) = identity(home, home, "李娜");
    let (key_b, card_b) = identity(home, home, "王强");
    let out = ok(run(
        home,
        &[
            "bind",
            f,
            card_a.to_str().unwrap(),
            "--person",
            &ids[0].to_string(),
        ],
    ));
    assert!(out.contains("李娜"), "{out}");
    ok(run(
        home,
        &[
            "bind",
            f,
            card_b.to_str().unwrap(),
            "--person",
            &ids[1].to_string(),
        ],
    ));
    let requests = home.join("requests");
    std::fs::create_dir(&requests).unwrap();
    let out = ok(run(
        home,
        &[
            "request",
            "registration",
            f,
            "--out",
            requests.to_str().unwrap(),
        ],
    ));
    let request = PathBuf::from(out.trim().rsplit('：').next().unwrap());
    assert!(request.exists(), "{out}");
    let r = Request::parse(&std::fs::read(&request).unwrap()).unwrap();
    assert_eq!(r.signers.len(), 2);
    assert!(r.pdf_bytes().unwrap().starts_with(b"%PDF"));
    // A decision the document does not offer is refused by the signer's Liaison.
    let bad = sign(
        home,
        &request,
        &key_a,
        "confirm",
        &home.join("x.liaison-response"),
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(!home.join("x.liaison-response").exists());
    let resp_a = home.join("a.liaison-response");
    let resp_b = home.join("b.liaison-response");
    ok(sign(home, &request, &key_a, "approve", &resp_a));
    ok(sign(home, &request, &key_b, "approve", &resp_b));
    let out = ok(run(
        home,
        &[
            "accept",
            f,
            resp_a.to_str().unwrap(),
            resp_b.to_str().unwrap(),
        ],
    ));
    assert!(out.contains("李娜") && out.contains("王强"), "{out}");
    let out = ok(run(home, &["check", f]));
    assert!(out.contains("完好"), "{out}");
    let p = Project::open(&file).unwrap();
    let how = liaison_core::remote_sign::methods(p.conn(), liaison_core::DocKind::Registration, 1)
        .unwrap();
    assert!(how.iter().all(|h| h.method == "electronic"), "{how:?}");
    assert_eq!(
        liaison_core::doc_state::state(p.conn(), liaison_core::DocKind::Registration, 1).unwrap(),
        signoff::State::Signed
    );
    drop(p);
    // The same response again is a replay: refused, nothing changes.
    refused(home, &file, &resp_a, "已经记录过");
    // The PDF's sign-off block says how each signed; `verify` vouches for it.
    let pdf = home.join("登记表.pdf");
    let p = pdf.to_str().unwrap();
    ok(run(home, &["export", "registration", f, "--out", p]));
    ok(run(home, &["verify", p, f]));
    let text = Command::new("pdftotext").args([p, "-"]).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout).replace(' ', "");
    assert_eq!(text.matches("电子签名").count(), 2, "{text}");

    // Changed outside the app: the binding of a key moved to another person.
    let copy = home.join("改过.liaison");
    std::fs::copy(&file, &copy).unwrap();
    forge(
        &copy,
        "UPDATE person_key SET person_id = (SELECT max(id) FROM person) WHERE id = 1",
    );
    let out = run(home, &["check", copy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("签名密钥绑定"), "{}", stderr(&out));
    // A flipped decision of an electronic signature.
    let copy = home.join("改过2.liaison");
    std::fs::copy(&file, &copy).unwrap();
    forge(
        &copy,
        "UPDATE signature SET decision = 'reject' WHERE id = 1",
    );
    let out = run(home, &["check", copy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    // `verify` no longer vouches for the PDF: the electronic signature does not verify.
    let out = run(home, &["verify", p, copy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("电子签名验证不通过"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_bad_response_is_refused_and_the_project_file_stays_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let (file, ids) = project(home, "项目.liaison", 3);
    let (other, other_ids) = project(home, "别的项目.liaison", 3);
    let f = file.to_str().unwrap();
    let people = ["李娜", "王强", "陈静", "赵六"];
    let keys: Vec<(PathBuf, PathBuf)> = people.iter().map(|n| identity(home, home, n)).collect();
    // 李娜, 王强 and 赵六 are bound; 陈静 (a signer) is not; 赵六 is not a signer.
    for i in [0, 1, 3] {
        ok(run(
            home,
            &[
                "bind",
                f,
                keys[i].1.to_str().unwrap(),
                "--person",
                &ids[i].to_string(),
            ],
        ));
    }
    ok(run(
        home,
        &[
            "bind",
            other.to_str().unwrap(),
            keys[0].1.to_str().unwrap(),
            "--person",
            &other_ids[0].to_string(),
        ],
    ));
    let request = |project: &Path| {
        let req_dir = project.with_extension("requests");
        std::fs::create_dir_all(&req_dir).unwrap();
        let out = ok(run(
            home,
            &[
                "request",
                "registration",
                project.to_str().unwrap(),
                "--out",
                req_dir.to_str().unwrap(),
                "--force",
            ],
        ));
        PathBuf::from(out.trim().rsplit('：').next().unwrap())
    };
    let req = request(&file);
    let resp = |name: &str, req: &Path, who: usize, decision: &str| {
        let p = home.join(format!("{name}.liaison-response"));
        ok(sign(home, req, &keys[who].0, decision, &p));
        p
    };
    // Another project's response.
    let other_req = request(&other);
    refused(
        home,
        &file,
        &resp("other", &other_req, 0, "approve"),
        "另一个项目",
    );
    // A stale revision: the request changed to name revision 2.
    let mut stale = Request::parse(&std::fs::read(&req).unwrap()).unwrap();
    stale.revision = 2;
    let stale_req = home.join("stale.liaison-request");
    std::fs::write(&stale_req, signing_files::to_bytes(&stale)).unwrap();
    refused(
        home,
        &file,
        &resp("stale", &stale_req, 0, "approve"),
        "已过期",
    );
    // An unbound key, and a bound key of someone who is not a signer.
    refused(home, &file, &resp("unbound", &req, 2, "approve"), "未绑定");
    refused(
        home,
        &file,
        &resp("outsider", &req, 3, "approve"),
        "不是本轮的签核人",
    );
    // A tampered byte, and a response from a newer version.
    let good = resp("good", &req, 0, "approve");
    let bytes = std::fs::read(&good).unwrap();
    let tampered = home.join("tampered.liaison-response");
    let mut t = bytes.clone();
    let at = t.len() / 2;
    t[at] ^= 0x02;
    std::fs::write(&tampered, &t).unwrap();
    refused(home, &file, &tampered, "");
    let mut text = String::from_utf8(bytes).unwrap();
    let at = text.rfind("\"version\":1").unwrap();
    text.replace_range(at..at + 11, "\"version\":2");
    let newer = home.join("newer.liaison-response");
    std::fs::write(&newer, text).unwrap();
    refused(home, &file, &newer, "更新版本");
    // The good one is recorded; a second response from the same key is refused.
    ok(run(home, &["accept", f, good.to_str().unwrap()]));
    refused(
        home,
        &file,
        &resp("second", &req, 0, "reject"),
        "第二份回执",
    );
    // 王强 rejects: the round ends; a later response for it is refused.
    ok(run(
        home,
        &[
            "accept",
            f,
            resp("reject", &req, 1, "reject").to_str().unwrap(),
        ],
    ));
    let mut p = Project::open(&file).unwrap();
    let card = std::fs::read(&keys[2].1).unwrap();
    Card::parse(&card).unwrap();
    liaison_core::remote_sign::bind(p.conn_mut(), "张伟", ids[2], &card).unwrap();
    drop(p);
    refused(home, &file, &resp("late", &req, 2, "approve"), "已结束");
    let out = ok(run(home, &["check", f]));
    assert!(out.contains("完好"), "{out}");
}
