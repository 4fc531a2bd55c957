//! The group robots against a loopback stand-in (Python's http.server, which checks DingTalk's
//! and Feishu's signatures with its own hmac), and `liaison send` run in-process.

use super::*;

fn webhook() -> Helper {
    Helper::start(include_str!("testdata/webhook.py"), &["SECtest-密钥"])
}

/// The posts the stand-in received.
fn posts(hook: &Helper) -> Vec<serde_json::Value> {
    let mut files: Vec<_> = std::fs::read_dir(hook.out())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap())
        .collect()
}

fn post_at(conn: &mut Connection, what: Post, now: NaiveDateTime) -> Result<RecipientResult> {
    at_time(now, || post(conn, &job(now), &what))
}

#[test]
fn robots_post_signed_messages_and_every_post_is_recorded() {
    let hook = webhook();
    let (_dir, _path, mut conn, id) = setup();
    let now = at("2023-10-23T09:00:00");
    assert_eq!(
        post_at(&mut conn, Post::Notice { meeting: id }, now)
            .unwrap_err()
            .key(),
        "send.robot.none"
    );
    let base = format!("http://127.0.0.1:{}", hook.port);
    let set = |conn: &mut Connection, kind, path: &str, secret: &str| {
        save_robot(
            conn,
            ME,
            &Robot {
                kind,
                url: format!("{base}{path}"),
                secret: secret.into(),
            },
        )
        .unwrap()
    };
    // DingTalk: markdown, signed in the query.
    set(
        &mut conn,
        RobotKind::Dingtalk,
        "/dingtalk/robot/send?access_token=abc",
        "SECtest-密钥",
    );
    let r = post_at(&mut conn, Post::Notice { meeting: id }, now).unwrap();
    assert_eq!(r.status, Status::Sent, "{r:?}");
    assert_eq!(r.address.as_deref(), Some("dingtalk 127.0.0.1"));
    // Feishu: text, signed in the body; the warnings.
    set(
        &mut conn,
        RobotKind::Feishu,
        "/feishu/open-apis/bot/v2/hook/xyz",
        "SECtest-密钥",
    );
    let r = post_at(&mut conn, Post::Warnings, at("2023-10-27T09:00:00")).unwrap();
    assert_eq!(r.status, Status::Sent, "{r:?}");
    // WeCom: the key in the URL, nothing signed.
    set(
        &mut conn,
        RobotKind::Wecom,
        "/wecom/cgi-bin/webhook/send?key=k1",
        "",
    );
    assert_eq!(
        post_at(&mut conn, Post::Notice { meeting: id }, now)
            .unwrap()
            .status,
        Status::Sent
    );
    // A platform's error code is a failure with its words.
    set(
        &mut conn,
        RobotKind::Dingtalk,
        "/dingtalk/fail?access_token=abc",
        "SECtest-密钥",
    );
    let r = post_at(&mut conn, Post::Notice { meeting: id }, now).unwrap();
    assert_eq!(r.status, Status::Failed);
    assert!(r.answer.contains("310000 sign not match"), "{}", r.answer);

    let got = posts(&hook);
    assert_eq!(got.len(), 4);
    let ding = &got[0];
    assert_eq!(ding["signed"], true, "{ding}");
    let query = ding["query"].as_str().unwrap();
    let ms = |t: &str| {
        use chrono::TimeZone;
        chrono::Local
            .from_local_datetime(&at(t))
            .unwrap()
            .timestamp_millis()
    };
    let expected = format!(
        "access_token=abc&timestamp={}&sign=",
        ms("2023-10-23T09:00:00")
    );
    assert!(query.starts_with(&expected), "{query}");
    // The signature is URL-encoded: its base64 padding `=` (always there for 32 bytes) as %3D.
    assert!(query.ends_with("%3D"), "{query}");
    assert!(
        !query.contains('+') && !query["access_token=abc&".len()..].contains('/'),
        "{query}"
    );
    assert_eq!(ding["body"]["msgtype"], "markdown");
    assert!(ding["body"]["markdown"]["title"]
        .as_str()
        .unwrap()
        .contains("渠道铺货协调会"));
    let text = ding["body"]["markdown"]["text"].as_str().unwrap();
    assert!(
        text.contains("线上腾讯会议 123-456") && text.contains("何芳"),
        "{text}"
    );
    assert!(ding["type"]
        .as_str()
        .unwrap()
        .starts_with("application/json"));
    let feishu = &got[1];
    assert_eq!(feishu["signed"], true, "{feishu}");
    assert_eq!(
        feishu["body"]["timestamp"],
        (ms("2023-10-27T09:00:00") / 1000).to_string()
    );
    assert_eq!(feishu["body"]["msg_type"], "text");
    assert!(feishu["body"]["content"]["text"]
        .as_str()
        .unwrap()
        .contains("当前预警"));
    let wecom = &got[2];
    assert_eq!(wecom["query"], "key=k1");
    assert_eq!(wecom["body"]["msgtype"], "markdown");
    assert!(wecom["body"]["markdown"]["content"]
        .as_str()
        .unwrap()
        .starts_with("### 会议通知"));

    // Recorded like an e-mail; the audit log keeps neither the key nor the secret.
    let log = messages(&conn, "", None).unwrap();
    assert_eq!(log.iter().filter(|r| r.kind == "robot").count(), 4);
    assert_eq!(log[0].result, "failed");
    assert!(log[0].answer.contains("310000"));
    let audit: Vec<String> = conn
        .prepare("SELECT coalesce(before, '') || coalesce(after, '') FROM audit_log WHERE record IN ('robot:1') OR record LIKE 'message:%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(audit.len() >= 8);
    assert!(
        audit
            .iter()
            .all(|a| !a.contains("SECtest") && !a.contains("access_token") && !a.contains("k1")),
        "{audit:?}"
    );
    // The secret is in the project file, where the platform's owner put it.
    assert_eq!(robot(&conn).unwrap().unwrap().secret, "SECtest-密钥");
    // Both tables travel with the project's JSON, and the rebuilt file passes `check`.
    let text = crate::interchange::json::export_text(&conn).unwrap();
    let copy = hook.dir.path().join("copy.liaison");
    crate::interchange::json::import(&text, &copy).unwrap();
    let copy = Connection::open(&copy).unwrap();
    assert_eq!(messages(&copy, "", None).unwrap(), log);
    assert_eq!(robot(&copy).unwrap(), robot(&conn).unwrap());
}

#[test]
fn a_webhook_must_be_https_unless_it_is_this_computer() {
    let (_dir, _path, mut conn, _) = setup();
    for url in [
        "http://oapi.dingtalk.com/robot/send?access_token=x",
        "ftp://x/y",
        "not a url",
    ] {
        let e = save_robot(
            &mut conn,
            ME,
            &Robot {
                kind: RobotKind::Dingtalk,
                url: url.into(),
                secret: String::new(),
            },
        )
        .unwrap_err();
        assert!(e.is_refusal(), "{url}");
        for lang in [Lang::Zh, Lang::En] {
            let text = e.message(lang);
            assert!(
                !text.contains("send.") && !text.contains("validation."),
                "{text}"
            );
        }
    }
    assert!(robot(&conn).unwrap().is_none());
    let ok = save_robot(
        &mut conn,
        ME,
        &Robot {
            kind: RobotKind::Wecom,
            url: " https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc ".into(),
            secret: String::new(),
        },
    )
    .unwrap();
    assert_eq!(
        ok.url,
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"
    );
    remove_robot(&mut conn, ME).unwrap();
    assert!(robot(&conn).unwrap().is_none());
}

use crate::cli::run_captured as cli;

#[test]
fn the_command_line_sends_lists_and_fails_with_exit_codes() {
    use crate::cli::Invocation::Exit;
    let smtp = smtp_server(&["refuse=li.na@example.com"]);
    let (_dir, path, conn, id) = setup();
    drop(conn);
    let file = path.to_str().unwrap();
    let id = id.to_string();
    // The only test that sets LIAISON_SMTP (the others pass the server in).
    std::env::set_var(
        ENV,
        format!(
            "smtp://127.0.0.1:{}?from=coordinator@example.com",
            smtp.port
        ),
    );
    let (inv, out, err) = cli(&["send", "notice", file, "--id", &id, "--dry-run"]);
    assert_eq!(inv, Exit(0), "{err}");
    assert_eq!(out.lines().count(), 4, "{out}");
    assert!(
        out.contains("liu.yang@example.com") && out.contains("何芳"),
        "{out}"
    );
    assert!(received(&smtp.out()).is_empty(), "a dry run sends nothing");
    // 李娜 is refused: exit 1, her line names the server's answer, nothing marked.
    let (inv, out, err) = cli(&["send", "notice", file, "--id", &id]);
    assert_eq!(inv, Exit(1), "{out}{err}");
    assert!(out.contains("[3/4]") && out.contains("550"), "{out}");
    assert!(!err.is_empty() && !err.contains("cli.send"), "{err}");
    let conn = Connection::open(&path).unwrap();
    assert!(meetings::meeting(&conn, id.parse().unwrap())
        .unwrap()
        .notice_sent_at
        .is_none());
    assert_eq!(received(&smtp.out()).len(), 2);
    // A meeting with everyone reachable: exit 0, recorded as sent.
    let mut m = meetings::meeting(&conn, id.parse().unwrap()).unwrap();
    drop(conn);
    let mut conn = Connection::open(&path).unwrap();
    m.attendees.retain(|p| *p != person(&conn, "李娜").id);
    meetings::save_meeting(&mut conn, ME, &m).unwrap();
    drop(conn);
    let (inv, out, err) = cli(&["send", "notice", file, "--id", &id, "--lang", "en"]);
    assert_eq!(inv, Exit(0), "{out}{err}");
    let mails = received(&smtp.out());
    assert!(mails.last().unwrap()["subject"]
        .as_str()
        .unwrap()
        .starts_with("Meeting notice: "));
    let conn = Connection::open(&path).unwrap();
    assert!(meetings::meeting(&conn, id.parse().unwrap())
        .unwrap()
        .notice_sent_at
        .is_some());
    drop(conn);
    // Usage errors exit 2; a refusal exits 1 in words.
    assert_eq!(cli(&["send", "notice", file]).0, Exit(2));
    assert_eq!(cli(&["send", "request", file]).0, Exit(2));
    assert_eq!(cli(&["send", "frob", file]).0, Exit(2));
    let (inv, _, err) = cli(&["send", "robot", file, "warnings"]);
    assert_eq!(inv, Exit(1));
    assert!(!err.contains("send.robot"), "{err}");
    let (inv, _, err) = cli(&["send", "reminder", file, "--id", "9999"]);
    assert_eq!(inv, Exit(1), "{err}");
    std::env::remove_var(ENV);
}
