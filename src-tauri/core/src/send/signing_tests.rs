//! Minutes for confirmation, signing requests and reminders, sent to a real SMTP server and
//! read back: the PDF and one request per signer, exactly as Liaison reads them.

use super::*;

#[test]
fn minutes_go_out_for_confirmation_with_the_pdf_and_one_signing_request_per_attendee() {
    let smtp = smtp_server(&[]);
    let (_dir, _path, mut conn, id) = setup();
    let server = server(smtp.port);
    // Before the meeting ended: refused, no round started, nothing sent.
    let (e, _) = send(
        &mut conn,
        &server,
        What::Minutes { meeting: id },
        at("2023-10-25T10:30:00"),
    );
    assert_eq!(e.unwrap_err().key(), "meeting.minutes_before_meeting");
    assert!(crate::signoff::rounds(&conn, DocKind::Minutes, id)
        .unwrap()
        .is_empty());
    let (outcome, _) = send(
        &mut conn,
        &server,
        What::Minutes { meeting: id },
        at("2023-10-25T15:00:00"),
    );
    let outcome = outcome.unwrap();
    assert!(outcome.marked_sent, "{outcome:?}");
    assert_eq!(
        meetings::meeting(&conn, id)
            .unwrap()
            .minutes_sent_at
            .as_deref(),
        Some("2023-10-25T15:00:00")
    );
    let rounds = crate::signoff::rounds(&conn, DocKind::Minutes, id).unwrap();
    assert_eq!(rounds.len(), 1);
    assert_eq!(rounds[0].status, "open");
    let mails = received(&smtp.out());
    assert_eq!(mails.len(), 3);
    for mail in &mails {
        assert_eq!(
            mail["subject"],
            "请确认会议纪要「渠道铺货协调会」（新品上市项目）"
        );
        let files = mail["attachments"].as_array().unwrap();
        assert_eq!(files.len(), 2, "{files:?}");
        let pdf = &files[0];
        assert_eq!(pdf["type"], "application/pdf");
        assert!(
            pdf["filename"].as_str().unwrap().contains("渠道铺货协调会"),
            "{}",
            pdf["filename"]
        );
        assert!(b64(&pdf["data"]).starts_with(b"%PDF"));
        // The request names the recipient and is exactly what Liaison reads.
        let request = &files[1];
        let to = mail["envelope"]["to"][0].as_str().unwrap();
        let name = CONTACTS.iter().find(|(_, c)| c.contains(to)).unwrap().0;
        let file_name = request["filename"].as_str().unwrap();
        assert!(
            file_name.ends_with(&format!("-{name}.liaison-request")),
            "{file_name}"
        );
        let parsed = crate::signing_files::Request::parse(&b64(&request["data"])).unwrap();
        assert_eq!(parsed.for_person, Some(person(&conn, name).id));
        assert_eq!(parsed.round, rounds[0].id);
        assert_eq!(parsed.fingerprint, rounds[0].fingerprint);
        assert_eq!(parsed.pdf_bytes().unwrap(), b64(&pdf["data"]));
        let plain = mail["plain"].as_str().unwrap();
        assert!(
            plain.contains("2023-10-26"),
            "confirm within one working day: {plain}"
        );
    }
    // Sending again reuses the open round (no second round, same fingerprint).
    let (again, _) = send(
        &mut conn,
        &server,
        What::Minutes { meeting: id },
        at("2023-10-25T16:00:00"),
    );
    assert!(again.unwrap().all_sent());
    assert_eq!(
        crate::signoff::rounds(&conn, DocKind::Minutes, id)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn requests_and_reminders_go_to_whoever_has_not_signed_and_warnings_to_the_heads() {
    let smtp = smtp_server(&[]);
    let (_dir, _path, mut conn, _) = setup();
    let server = server(smtp.port);
    let now = at("2023-10-27T09:00:00");
    // The example's second change request waits for the heads but one.
    let round = conn
        .query_row(
            "SELECT id, doc_id FROM signoff_round WHERE kind = 'change_request' AND status = 'open'",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
        )
        .unwrap();
    let pending: Vec<String> = crate::signoff::rounds(&conn, DocKind::ChangeRequest, round.1)
        .unwrap()
        .into_iter()
        .find(|r| r.id == round.0)
        .unwrap()
        .signers
        .into_iter()
        .filter(|s| s.signature.is_none())
        .map(|s| s.person.name)
        .collect();
    assert!(!pending.is_empty());
    let what = What::Request {
        kind: DocKind::ChangeRequest,
        id: None,
    };
    let (outcome, _) = send(&mut conn, &server, what, now);
    let outcome = outcome.unwrap();
    let names: Vec<&str> = outcome.results.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        pending.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert!(!outcome.marked_sent, "requests mark nothing");
    let mails = received(&smtp.out());
    assert_eq!(
        mails.len(),
        outcome
            .results
            .iter()
            .filter(|r| r.status == Status::Sent)
            .count()
    );
    assert!(mails[0]["subject"]
        .as_str()
        .unwrap()
        .starts_with("请签核：跨部门协作变更申请表 #"));
    assert_eq!(
        messages(&conn, "change_request", Some(round.1))
            .unwrap()
            .len(),
        mails.len()
    );
    // A reminder of the round: the same people, a reminder's subject.
    let (outcome, _) = send(
        &mut conn,
        &server,
        What::Reminder {
            round: Some(round.0),
        },
        now,
    );
    assert_eq!(outcome.unwrap().results.len(), pending.len());
    let mails = received(&smtp.out());
    assert!(mails.last().unwrap()["subject"]
        .as_str()
        .unwrap()
        .starts_with("提醒："));
    // The warnings: to the heads and the owner, the list in the body.
    let (outcome, _) = send(&mut conn, &server, What::Reminder { round: None }, now);
    let outcome = outcome.unwrap();
    let to: Vec<&str> = outcome.results.iter().map(|r| r.name.as_str()).collect();
    for head in ["张伟", "李娜", "王强", "陈静", "刘洋"] {
        assert!(to.contains(&head), "{to:?}");
    }
    assert!(
        !to.contains(&"周杰"),
        "interface persons are not reminded of warnings: {to:?}"
    );
    let last = received(&smtp.out()).pop().unwrap();
    assert!(last["subject"].as_str().unwrap().contains("当前预警"));
    assert!(
        last["plain"].as_str().unwrap().contains("\n- ["),
        "{}",
        last["plain"]
    );
    assert!(!messages(&conn, "project", None).unwrap().is_empty());
}
