//! Sending for real: a Python SMTP server (aiosmtpd) on 127.0.0.1 takes the messages, refuses a
//! recipient with 550 or drops the connection when told; Python's `email` package and
//! `icalendar` read back what arrived. The worked example's people get e-mail contacts.

use super::*;
use crate::clock::{at_time, parse_time};
use crate::meetings::{self, Meeting};
use crate::prefs::Prefs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const ME: &str = "张伟";

/// A Python helper server (written into a temporary folder), stopped when dropped.
pub(super) struct Helper {
    child: Child,
    pub port: u16,
    pub dir: tempfile::TempDir,
}

impl Helper {
    pub(super) fn start(script: &str, args: &[&str]) -> Helper {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("helper.py");
        std::fs::write(&path, script).unwrap();
        std::fs::create_dir(dir.path().join("out")).unwrap();
        let log = std::fs::File::create(dir.path().join("helper.log")).unwrap();
        let mut child = Command::new("/usr/bin/python3")
            .arg(&path)
            .arg(dir.path().join("out"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("/usr/bin/python3 (with python3-aiosmtpd, installed by scripts/setup)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| {
            panic!(
                "the helper did not start: {}",
                std::fs::read_to_string(dir.path().join("helper.log")).unwrap_or_default()
            )
        });
        Helper { child, port, dir }
    }

    pub(super) fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }
}

impl Drop for Helper {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(super) fn smtp_server(args: &[&str]) -> Helper {
    Helper::start(include_str!("testdata/smtp_server.py"), args)
}

/// What arrived, as Python's email package reads it.
pub(super) fn received(dir: &Path) -> Vec<serde_json::Value> {
    let script = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(script.path(), include_str!("testdata/read_mail.py")).unwrap();
    let out = Command::new("/usr/bin/python3")
        .arg(script.path())
        .arg(dir)
        .output()
        .expect("/usr/bin/python3 with icalendar");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

pub(super) fn prefs() -> Prefs {
    Prefs {
        display_name: "张伟（产品部）".into(),
        ..Prefs::default()
    }
}

pub(super) fn server(port: u16) -> Server {
    Server::from_url(
        &format!("smtp://127.0.0.1:{port}?from=coordinator@example.com"),
        &prefs(),
    )
    .unwrap()
}

pub(super) fn at(s: &str) -> NaiveDateTime {
    parse_time(s).unwrap()
}

/// Contacts as people write them; 何芳 and 赵敏 have no e-mail address.
const CONTACTS: &[(&str, &str)] = &[
    ("张伟", "zhang.wei@example.com"),
    ("李娜", "李娜 <li.na@example.com>"),
    ("何芳", "13900000000"),
    ("王强", "wang.qiang@example.com"),
    ("赵敏", "微信 zhaomin"),
    ("陈静", "电话 138-0000-0000；邮箱：chen.jing@example.com"),
    ("孙丽", "sun.li@example.com"),
    ("刘洋", "mailto:liu.yang@example.com"),
    ("周杰", "zhou.jie@example.com"),
];

/// The worked example in a file, with e-mail contacts, and a meeting with four attendees (one
/// without an address) and a background file with a Chinese name.
pub(super) fn setup() -> (tempfile::TempDir, PathBuf, Connection, i64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("send.liaison");
    drop(crate::demo::write_example(&path).unwrap());
    let mut conn = Connection::open(&path).unwrap();
    for p in crate::people::list(&conn).unwrap() {
        if let Some((_, contact)) = CONTACTS.iter().find(|(n, _)| *n == p.name) {
            let mut q = p.clone();
            q.contact = contact.to_string();
            crate::people::update(&mut conn, ME, &q).unwrap();
        }
    }
    let people = crate::people::list(&conn).unwrap();
    let id = |n: &str| people.iter().find(|p| p.name == n).unwrap().id;
    let m = meetings::save_meeting(
        &mut conn,
        ME,
        &Meeting {
            title: "渠道铺货协调会".into(),
            starts_at: "2023-10-25T10:00:00".into(),
            duration: 60,
            place: "线上腾讯会议 123-456".into(),
            agenda: vec!["资金审批".into(), "物流排期 <紧急>".into()],
            recorder_id: Some(id("张伟")),
            attendees: vec![id("张伟"), id("刘洋"), id("李娜"), id("何芳")],
            ..Default::default()
        },
    )
    .unwrap();
    meetings::attach(
        &mut conn,
        ME,
        m.id,
        "渠道铺货方案（第二版）.pdf",
        b"%PDF-1.4 background",
    )
    .unwrap();
    (dir, path, conn, m.id)
}

pub(super) fn person(conn: &Connection, name: &str) -> Person {
    crate::people::list(conn)
        .unwrap()
        .into_iter()
        .find(|p| p.name == name)
        .unwrap()
}

fn job(now: NaiveDateTime) -> Job<'static> {
    Job {
        actor: ME,
        lang: Lang::Zh,
        now,
        fonts: None,
    }
}

/// Sends `what` at `now`, with progress recorded as (done, total, status).
fn send(
    conn: &mut Connection,
    server: &Server,
    what: What,
    now: NaiveDateTime,
) -> (Result<Outcome>, Vec<(usize, usize, Status)>) {
    let mut seen = Vec::new();
    let out = at_time(now, || {
        mail(conn, server, &job(now), &what, &mut |d, t, r| {
            seen.push((d, t, r.status))
        })
    });
    (out, seen)
}

fn b64(v: &serde_json::Value) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(v.as_str().unwrap())
        .unwrap()
}

#[test]
fn addresses_are_found_in_contacts_as_people_write_them() {
    let cases = [
        ("wang@example.com", Some("wang@example.com")),
        ("王芳 <wang@example.com>", Some("wang@example.com")),
        (
            "138-0000-0000 / wang@example.com；微信 wf",
            Some("wang@example.com"),
        ),
        ("邮箱：wang@example.com。", Some("wang@example.com")),
        ("mailto:wang@example.com", Some("wang@example.com")),
        ("13900000000", None),
        ("wang@", None),
        ("@example.com", None),
        ("wang@@example.com", None),
        ("", None),
    ];
    for (contact, want) in cases {
        assert_eq!(
            crate::people::email_address(contact).as_deref(),
            want,
            "{contact}"
        );
    }
}

#[test]
fn the_server_comes_from_the_environment_or_preferences_and_the_password_from_the_store() {
    let p = prefs();
    let s = Server::from_url("smtp://127.0.0.1:2525", &p).unwrap();
    assert_eq!(
        (s.smtp.host.as_str(), s.smtp.port(), s.smtp.security),
        ("127.0.0.1", 2525, crate::prefs::Security::None)
    );
    assert_eq!(s.smtp.from_address, "liaison@localhost");
    let s = Server::from_url("smtps://mail.example.com?from=pm@example.com", &p).unwrap();
    assert_eq!(
        (s.smtp.port(), s.smtp.from_address.as_str()),
        (465, "pm@example.com")
    );
    // Plain only to this computer; nonsense refused in words.
    for bad in [
        "smtp://mail.example.com:25",
        "http://x",
        "smtp://127.0.0.1:notaport",
    ] {
        let e = Server::from_url(bad, &p).unwrap_err();
        assert!(e.is_refusal(), "{bad}");
        let zh = e.message(Lang::Zh);
        assert!(!zh.contains("send.") && !zh.contains("prefs."), "{zh}");
    }
    // Preferences: no host, then a login without a saved password, then with it.
    let store = Memory::default();
    let mut p = prefs();
    assert_eq!(
        Server::resolve_with(&p, &store, None).unwrap_err().key(),
        "send.no_server"
    );
    p.set_smtp(&crate::prefs::Smtp {
        host: " mail.example.com ".into(),
        username: "pm".into(),
        from_address: "pm@example.com".into(),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(p.smtp.host, "mail.example.com");
    assert_eq!(
        Server::resolve_with(&p, &store, None).unwrap_err().key(),
        "send.no_password"
    );
    assert!(!has_password(&store, &p.smtp));
    assert_eq!(save_password(&store, &p.smtp, "s3cret"), Kept::Session);
    assert!(has_password(&store, &p.smtp));
    let s = Server::resolve_with(&p, &store, None).unwrap();
    assert_eq!(s.password.as_deref(), Some("s3cret"));
    assert_eq!(s.smtp.from_name, "张伟（产品部）");
    assert!(
        !format!("{s:?}").contains("s3cret"),
        "the password never shows in logs"
    );
    forget_password(&store, &p.smtp);
    assert!(Server::resolve_with(&p, &store, None).is_err());
    // The environment wins over Preferences.
    let s = Server::resolve_with(&p, &store, Some("smtp://127.0.0.1:2600")).unwrap();
    assert_eq!(s.smtp.port(), 2600);
    // A sender address lettre refuses is refused when set.
    let e = p
        .set_smtp(&crate::prefs::Smtp {
            host: "mail.example.com".into(),
            from_address: "not an address".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.field(), Some("prefs.smtp.from_address"));
}

#[test]
fn a_notice_reaches_every_attendee_with_its_invitation_and_files_and_updates_it_after_a_reschedule()
{
    let smtp = smtp_server(&[]);
    let (_dir, _path, mut conn, id) = setup();
    let server = server(smtp.port);
    let (outcome, seen) = send(
        &mut conn,
        &server,
        What::Notice { meeting: id },
        at("2023-10-23T09:00:00"),
    );
    let outcome = outcome.unwrap();
    // Four attendees: three sent, 何芳 listed without an address; progress after each.
    let mut statuses: Vec<(String, Status)> = outcome
        .results
        .iter()
        .map(|r| (r.name.clone(), r.status))
        .collect();
    statuses.sort_by(|a, b| a.0.cmp(&b.0));
    let mut want = vec![
        ("张伟".to_string(), Status::Sent),
        ("刘洋".into(), Status::Sent),
        ("李娜".into(), Status::Sent),
        ("何芳".into(), Status::NoAddress),
    ];
    want.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(statuses, want);
    assert_eq!(
        seen.iter().map(|(d, t, _)| (*d, *t)).collect::<Vec<_>>(),
        [(1, 4), (2, 4), (3, 4), (4, 4)]
    );
    assert!(outcome.all_sent() && outcome.marked_sent && !outcome.late);
    let m = meetings::meeting(&conn, id).unwrap();
    assert_eq!(m.notice_sent_at.as_deref(), Some("2023-10-23T09:00:00"));
    let log = messages(&conn, "meeting", Some(id)).unwrap();
    assert_eq!(log.len(), 3);
    assert!(log
        .iter()
        .all(|r| r.kind == "notice" && r.result == "ok" && r.answer.starts_with("250")));

    let mails = received(&smtp.out());
    assert_eq!(mails.len(), 3);
    let uid = crate::ics::uid(&conn, id).unwrap();
    let addresses = [
        ("张伟", "zhang.wei@example.com"),
        ("刘洋", "liu.yang@example.com"),
        ("李娜", "li.na@example.com"),
    ];
    for mail in &mails {
        let to = mail["envelope"]["to"][0].as_str().unwrap();
        let (name, address) = *addresses.iter().find(|(_, a)| *a == to).unwrap();
        assert_eq!(mail["envelope"]["to"], serde_json::json!([address]));
        assert_eq!(mail["envelope"]["from"], "coordinator@example.com");
        assert_eq!(mail["to"], format!("{name} <{address}>"));
        assert_eq!(mail["from"], "张伟（产品部） <coordinator@example.com>");
        assert_eq!(
            mail["subject"],
            "会议通知：渠道铺货协调会（2023-10-25 10:00–11:00）"
        );
        assert!(
            mail["subject_raw"]
                .as_str()
                .unwrap()
                .starts_with("=?utf-8?"),
            "{}",
            mail["subject_raw"]
        );
        assert!(log
            .iter()
            .any(|r| Some(r.message_id.as_deref().unwrap()) == mail["message_id"].as_str()));
        // mixed: alternative (plain, HTML, invitation) then the background file.
        assert_eq!(
            mail["tree"],
            serde_json::json!({"type": "multipart/mixed", "parts": [
                {"type": "multipart/alternative", "parts": [
                    {"type": "text/plain"}, {"type": "text/html"}, {"type": "text/calendar"}]},
                {"type": "application/pdf"}]})
        );
        let plain = mail["plain"].as_str().unwrap();
        assert!(plain.starts_with(&format!("{name}，您好：")), "{plain}");
        assert!(
            plain.contains("线上腾讯会议 123-456") && plain.contains("2. 物流排期 <紧急>"),
            "{plain}"
        );
        assert!(
            ["张伟", "刘洋", "李娜", "何芳"]
                .iter()
                .all(|n| plain.contains(&format!("{n}、")) || plain.contains(&format!("、{n}"))),
            "{plain}"
        );
        let html = mail["html"].as_str().unwrap();
        assert!(
            html.contains("物流排期 &lt;紧急&gt;") && !html.contains("<紧急>"),
            "{html}"
        );
        // The attachment keeps its Chinese name (RFC 2231 and RFC 2047) and its bytes.
        let file = &mail["attachments"][0];
        assert_eq!(file["filename"], "渠道铺货方案（第二版）.pdf");
        assert_eq!(file["name_param"], "渠道铺货方案（第二版）.pdf");
        assert!(
            file["disposition_raw"]
                .as_str()
                .unwrap()
                .contains("filename*"),
            "{}",
            file["disposition_raw"]
        );
        assert_eq!(b64(&file["data"]), b"%PDF-1.4 background");
        // The invitation.
        assert_eq!(mail["calendar_params"]["method"], "REQUEST");
        let cal = &mail["calendar"];
        assert_eq!(cal["method"], "REQUEST");
        assert_eq!(cal["uid"], uid.as_str());
        assert_eq!(cal["sequence"], 0);
        assert_eq!(cal["summary"], "渠道铺货协调会");
        assert_eq!(cal["organizer"], "mailto:coordinator@example.com");
        let attendees = cal["attendees"].as_array().unwrap();
        assert_eq!(attendees.len(), 4);
        for a in [
            "mailto:zhang.wei@example.com",
            "mailto:liu.yang@example.com",
            "mailto:li.na@example.com",
        ] {
            assert!(attendees.iter().any(|x| x == a), "{attendees:?}");
        }
    }
    assert!(
        uid.contains(&format!("meeting-{id}@")) && !uid.contains("2023"),
        "{uid}"
    );

    // Moved by a day: the same event, a higher SEQUENCE, a changed notice; calendars update.
    let mut moved = meetings::meeting(&conn, id).unwrap();
    moved.starts_at = "2023-10-26T14:00:00".into();
    let moved = meetings::save_meeting(&mut conn, ME, &moved).unwrap();
    assert_eq!(moved.sequence, 1);
    // A change of the agenda alone is not a new time or place.
    let mut again = moved.clone();
    again.agenda.push("其他".into());
    assert_eq!(
        meetings::save_meeting(&mut conn, ME, &again)
            .unwrap()
            .sequence,
        1
    );
    let (outcome, _) = send(
        &mut conn,
        &server,
        What::Notice { meeting: id },
        at("2023-10-25T17:00:00"),
    );
    let outcome = outcome.unwrap();
    assert!(
        outcome.marked_sent && outcome.late,
        "less than a working day before"
    );
    let mails = received(&smtp.out());
    assert_eq!(mails.len(), 6);
    for mail in &mails[3..] {
        assert_eq!(
            mail["subject"],
            "会议变更通知：渠道铺货协调会（2023-10-26 14:00–15:00）"
        );
        assert_eq!(mail["calendar"]["uid"], uid.as_str());
        assert_eq!(mail["calendar"]["sequence"], 1);
        assert!(mail["calendar"]["start"]
            .as_str()
            .unwrap()
            .starts_with("2023-10-26"));
    }
    assert_eq!(messages(&conn, "meeting", Some(id)).unwrap().len(), 6);
}

#[test]
fn a_refused_recipient_or_a_dropped_connection_is_named_and_nothing_is_marked_sent() {
    let (_dir, _path, mut conn, id) = setup();
    let now = at("2023-10-23T09:00:00");
    // 550 for 刘洋: the others get it, his result carries the server's answer.
    let smtp = smtp_server(&["refuse=liu.yang@example.com"]);
    let (outcome, seen) = send(
        &mut conn,
        &server(smtp.port),
        What::Notice { meeting: id },
        now,
    );
    let outcome = outcome.unwrap();
    assert_eq!(seen.len(), 4);
    let liu = outcome.results.iter().find(|r| r.name == "刘洋").unwrap();
    assert_eq!(liu.status, Status::Failed);
    assert!(
        liu.answer.starts_with("550") && liu.answer.contains("User unknown"),
        "{}",
        liu.answer
    );
    assert_eq!(
        outcome
            .results
            .iter()
            .filter(|r| r.status == Status::Sent)
            .count(),
        2
    );
    assert!(!outcome.all_sent() && !outcome.marked_sent);
    assert_eq!(meetings::meeting(&conn, id).unwrap().notice_sent_at, None);
    let failed: Vec<MessageRow> = messages(&conn, "meeting", Some(id))
        .unwrap()
        .into_iter()
        .filter(|r| r.result == "failed")
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].person_name, "刘洋");
    assert_eq!(failed[0].address, "liu.yang@example.com");
    assert!(failed[0].answer.contains("550"));
    assert_eq!(received(&smtp.out()).len(), 2);
    drop(smtp);

    // The connection dropped at 李娜: she is named with the reason in words; nothing marked.
    let smtp = smtp_server(&["drop=li.na@example.com"]);
    let (outcome, _) = send(
        &mut conn,
        &server(smtp.port),
        What::Notice { meeting: id },
        now,
    );
    let outcome = outcome.unwrap();
    let li = outcome.results.iter().find(|r| r.name == "李娜").unwrap();
    assert_eq!(li.status, Status::Failed);
    assert!(li.answer.contains("连接"), "{}", li.answer);
    assert!(
        outcome
            .results
            .iter()
            .filter(|r| r.status == Status::Sent)
            .count()
            == 2
    );
    assert!(!outcome.marked_sent);
    assert_eq!(meetings::meeting(&conn, id).unwrap().notice_sent_at, None);
    let port = smtp.port;
    drop(smtp);

    // Nobody listening: every recipient with an address fails, in words.
    let (outcome, _) = send(&mut conn, &server(port), What::Notice { meeting: id }, now);
    let outcome = outcome.unwrap();
    assert!(outcome
        .results
        .iter()
        .all(|r| r.status != Status::Sent && !r.answer.contains("rror")));
    assert_eq!(meetings::meeting(&conn, id).unwrap().notice_sent_at, None);
    // Every attempt is on record: 3 + 3 + 3.
    assert_eq!(messages(&conn, "meeting", Some(id)).unwrap().len(), 9);
    // The manual marking still works.
    meetings::send_notice(&mut conn, ME, id, now).unwrap();
    assert!(meetings::meeting(&conn, id)
        .unwrap()
        .notice_sent_at
        .is_some());
}

#[test]
fn nobody_with_an_address_or_an_archived_project_is_refused_before_anything_is_sent() {
    let (_dir, _path, mut conn, id) = setup();
    let mut m = meetings::meeting(&conn, id).unwrap();
    m.attendees = vec![person(&conn, "何芳").id, person(&conn, "赵敏").id];
    meetings::save_meeting(&mut conn, ME, &m).unwrap();
    let smtp = smtp_server(&[]);
    let (e, seen) = send(
        &mut conn,
        &server(smtp.port),
        What::Notice { meeting: id },
        at("2023-10-23T09:00:00"),
    );
    let e = e.unwrap_err();
    assert_eq!(e.key(), "send.no_addresses");
    assert!(
        e.message(Lang::Zh).contains("何芳、赵敏"),
        "{}",
        e.message(Lang::Zh)
    );
    assert!(seen.is_empty());
    // The dry run lists them all, with or without an address.
    let listed = recipients(
        &conn,
        &What::Notice { meeting: id },
        at("2023-10-23T09:00:00"),
    )
    .unwrap();
    assert!(listed.iter().all(|r| r.address.is_none()) && listed.len() == 2);
    // Archived: refused in words, nothing sent.
    conn.execute(
        "INSERT INTO project_meta (key, value) VALUES ('closed_at', '2023-12-31')",
        [],
    )
    .unwrap();
    let (e, _) = send(
        &mut conn,
        &server(smtp.port),
        What::Notice { meeting: id },
        at("2023-10-23T09:00:00"),
    );
    assert_eq!(e.unwrap_err().key(), "archive.read_only");
    assert!(received(&smtp.out()).is_empty());
}

#[test]
fn a_login_is_sent_with_the_password_from_the_store() {
    let smtp = smtp_server(&["login=pm:s3cret"]);
    let (_dir, _path, mut conn, id) = setup();
    let mut server = server(smtp.port);
    // The settings' "test" button: the server answers; a closed port is said in words.
    assert_eq!(server.test(Lang::Zh), Ok(()));
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_port = dead.local_addr().unwrap().port();
    drop(dead);
    let why = self::server(dead_port).test(Lang::En).unwrap_err();
    assert!(why.contains("could not be reached"), "{why}");
    let (outcome, _) = send(
        &mut conn,
        &server,
        What::Notice { meeting: id },
        at("2023-10-23T09:00:00"),
    );
    let outcome = outcome.unwrap();
    assert!(
        outcome.results.iter().all(|r| r.status != Status::Sent),
        "no login, no mail"
    );
    assert!(
        outcome.results[0].answer.starts_with("530"),
        "{}",
        outcome.results[0].answer
    );
    server.smtp.username = "pm".into();
    server.password = Some("wrong".into());
    let (outcome, _) = send(
        &mut conn,
        &server,
        What::Notice { meeting: id },
        at("2023-10-23T09:00:00"),
    );
    let answer = outcome.unwrap().results[0].answer.clone();
    assert!(answer.starts_with("535"), "{answer}");
    server.password = Some("s3cret".into());
    let (outcome, _) = send(
        &mut conn,
        &server,
        What::Notice { meeting: id },
        at("2023-10-23T09:00:00"),
    );
    assert!(outcome.unwrap().marked_sent);
    let mails = received(&smtp.out());
    assert_eq!(mails.len(), 3);
    assert_eq!(mails[0]["envelope"]["login"], "pm");
}

#[path = "robot_tests.rs"]
mod robot_tests;
#[path = "signing_tests.rs"]
mod signing_tests;
