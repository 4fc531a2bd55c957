//! Reaching the participants in the app (issue 18): a meeting notice e-mailed through a real SMTP
//! server on loopback (aiosmtpd), with the send dialog's recipients, progress and per-recipient
//! results; Cancel sends nothing; a refused recipient is named with the server's answer and
//! nothing is marked sent; once every address is good the notice is marked sent.

use super::harness::*;
use crate::util::*;
use liaison_core::meetings::{self, Meeting};
use liaison_core::people;
use liaison_core::Project;
use serde_json::json;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The core's test SMTP server (`smtp_server.py`), refusing `refuse` with 550; stopped on drop.
struct Smtp {
    child: Child,
    port: u16,
    out: PathBuf,
}

impl Smtp {
    fn start(dir: &Path, refuse: &str) -> Smtp {
        let script = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src-tauri/core/src/send/testdata/smtp_server.py");
        let out = dir.join("mail");
        std::fs::create_dir_all(&out).unwrap();
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .arg(&out)
            .arg(format!("refuse={refuse}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("/usr/bin/python3 with python3-aiosmtpd (scripts/setup)");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().parse().expect("the SMTP server's port");
        Smtp { child, port, out }
    }

    /// How many messages arrived.
    fn received(&self) -> usize {
        std::fs::read_dir(&self.out)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "eml"))
            })
            .count()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The worked example with e-mail contacts for three people and a new meeting they attend.
fn project(dir: &Path) -> (PathBuf, Vec<(i64, String)>) {
    let file = demo_file(dir, "邮件.liaison");
    let mut p = Project::open(&file).unwrap();
    let conn = p.conn_mut();
    let mut attendees = Vec::new();
    for (name, address) in [
        ("张伟", "zhang.wei@example.com"),
        ("王强", "wang.qiang@example.com"),
        ("刘洋", "liu.yang@example.com"),
    ] {
        let mut person = people::list(conn)
            .unwrap()
            .into_iter()
            .find(|x| x.name == name)
            .unwrap();
        person.contact = format!("{name} <{address}> 13800000000");
        people::update(conn, "张伟", &person).unwrap();
        attendees.push((person.id, address.to_string()));
    }
    let m = Meeting {
        title: "邮件通知测试会".into(),
        starts_at: "2023-11-08T10:00:00".into(),
        place: "3 号会议室".into(),
        form: "onsite".into(),
        attendees: attendees.iter().map(|a| a.0).collect(),
        recorder_id: Some(attendees[0].0),
        agenda: vec!["铺货进度".into()],
        ..Default::default()
    };
    meetings::save_meeting(conn, "张伟", &m).unwrap();
    drop(p);
    (file, attendees)
}

#[test]
fn e2e_a_notice_is_mailed_with_per_recipient_results_and_marked_sent_only_when_all_got_it() {
    run(async {
        let mut env = Env::new();
        let (file, attendees) = project(env.dir.path());
        let smtp = Smtp::start(env.dir.path(), "wang.qiang@example.com");
        env.smtp = Some(format!(
            "smtp://127.0.0.1:{}?from=pm@example.com",
            smtp.port
        ));
        let wang = attendees[1].0;
        let smtp = &smtp;
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                app.click("#stage-meetings").await?;
                app.wait_js("return [...document.querySelectorAll('.m-title')].some(e => e.textContent === '邮件通知测试会');")
                    .await?;
                app.js("[...document.querySelectorAll('.m-title')].find(e => e.textContent === '邮件通知测试会').click();", vec![])
                    .await?;
                app.wait_js("const e = document.getElementById('m-title'); return e && e.value === '邮件通知测试会';")
                    .await?;
                // Cancel: the dialog lists the three attendees, and nothing is sent.
                app.click("#notice-mail").await?;
                app.wait_js("return document.getElementById('send-dialog')?.open").await?;
                let listed = app.text("#send-list").await?;
                for a in &attendees {
                    assert!(listed.contains(&a.1), "{listed}");
                }
                app.shot("send-dialog").await;
                app.click("#send-cancel").await?;
                app.wait_js("return !document.getElementById('send-dialog')").await?;
                assert_eq!(smtp.received(), 0, "Cancel sent something");
                // Send: 王强's address is refused by the server; the others get it.
                app.click("#notice-mail").await?;
                app.wait_js("return document.getElementById('send-dialog')?.open").await?;
                app.click("#send-go").await?;
                app.wait_js("return document.getElementById('send-summary')?.classList.contains('refusal') && document.getElementById('send-cancel').textContent === '关闭';")
                    .await?;
                let row = app.text(&format!("#send-list tr[data-person='{wang}']")).await?;
                assert!(row.contains("未发出") && row.contains("550"), "{row}");
                let summary = app.text("#send-summary").await?;
                assert!(summary.contains("1 人未发出"), "{summary}");
                app.shot("send-refused").await;
                app.click("#send-cancel").await?;
                assert_eq!(smtp.received(), 2);
                // Nothing was marked sent, and the record shows what was tried.
                assert!(!app.text("#notice").await?.contains("通知已发出"));
                app.wait_js("return document.querySelector('#notice-log details summary')?.textContent.includes('失败 1');")
                    .await?;
                // 王强 gets a working address; the next send reaches everyone and marks the notice.
                app.js(
                    "return window.__TAURI__.core.invoke('person_update', { person: arguments[0] });",
                    vec![json!({ "id": wang, "name": "王强", "department": "研发部", "role": "head", "contact": "wq@example.com" })],
                )
                .await?;
                app.click("#notice-mail").await?;
                app.wait_js("return document.getElementById('send-dialog')?.open").await?;
                app.click("#send-go").await?;
                app.wait_js("return document.getElementById('send-summary')?.classList.contains('done');").await?;
                assert!(app.text("#send-summary").await?.contains("已记录为“已发出”"));
                app.click("#send-cancel").await?;
                app.wait_js("return document.getElementById('notice')?.textContent.includes('通知已发出');").await?;
                assert_eq!(smtp.received(), 5);
                // The minutes by e-mail: each attendee gets the PDF and a request; the round opens.
                app.click("#minutes-mail").await?;
                app.wait_js("return document.getElementById('send-dialog')?.open").await?;
                app.click("#send-go").await?;
                app.wait_js("return document.getElementById('send-summary')?.classList.contains('done');").await?;
                app.click("#send-cancel").await?;
                app.wait_js("return document.getElementById('minutes-state')?.textContent === '待确认' && document.getElementById('minutes').textContent.includes('纪要已发出');")
                    .await?;
                assert_eq!(smtp.received(), 8);
                // Preferences ▸ 邮件发送 says that LIAISON_SMTP is what sends now.
                app.click("#user-button").await?;
                app.wait_js("return document.getElementById('mail-settings')?.textContent.includes('LIAISON_SMTP');").await?;
                app.shot("mail-settings").await;
                app.js("document.getElementById('prefs-dialog').close()", vec![]).await?;
                // The project's group robot, in Organization: an http webhook is refused beside it.
                app.click("#stage-organization").await?;
                app.wait_js("return !!document.getElementById('robot-url');").await?;
                app.type_into("#robot-url", "http://oapi.example.com/robot/send?access_token=x").await?;
                app.click("#robot-save").await?;
                let refusal = app.refusal().await?;
                assert!(refusal.contains("https"), "{refusal}");
                app.js("document.getElementById('robot').scrollIntoView()", vec![]).await?;
                app.shot("robot-settings").await;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await?;
        let out = liaison(env.dir.path(), &["check", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        Ok(())
    });
}
