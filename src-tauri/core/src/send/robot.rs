//! The project's group robot: a DingTalk, Feishu/Lark or WeCom incoming webhook (table `robot`,
//! one per project), signed where the platform signs, posting a meeting notice or the current
//! warnings as the platform's text or markdown message; each post recorded like an e-mail.
//!
//! The platforms' rules (their documentation of custom robots): DingTalk adds `timestamp` (ms)
//! and `sign` — base64 of HMAC-SHA256 keyed with the secret over "timestamp\nsecret", URL-encoded
//! — to the query; Feishu puts `timestamp` (s) and `sign` — base64 of HMAC-SHA256 keyed with
//! "timestamp\nsecret" over an empty message — in the JSON body; WeCom's key is in the URL and it
//! signs nothing. All three answer HTTP 200 with an error code in the body.

use super::log::{self, MessageKind};
use super::{Job, RecipientResult, Status};
use crate::audit::{self, Change};
use crate::clock::stamp;
use crate::error::{Error, Result};
use crate::i18n::{self, Lang};
use crate::prefs::is_loopback;
use base64::Engine;
use chrono::{Local, NaiveDateTime, TimeZone};
use hmac::{Hmac, Mac};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::Sha256;
use std::time::Duration;

/// The platform of a group robot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RobotKind {
    #[default]
    Dingtalk,
    Feishu,
    Wecom,
}

impl RobotKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RobotKind::Dingtalk => "dingtalk",
            RobotKind::Feishu => "feishu",
            RobotKind::Wecom => "wecom",
        }
    }

    pub fn parse(s: &str) -> Option<RobotKind> {
        match s {
            "dingtalk" => Some(RobotKind::Dingtalk),
            "feishu" | "lark" => Some(RobotKind::Feishu),
            "wecom" => Some(RobotKind::Wecom),
            _ => None,
        }
    }
}

/// The project's robot: its platform, webhook and signing secret (kept in the project file: it is
/// what the platform hands the group owner; empty when the robot does not sign).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Robot {
    pub kind: RobotKind,
    pub url: String,
    pub secret: String,
}

/// What a robot posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "camelCase")]
pub enum Post {
    Notice { meeting: i64 },
    Warnings,
}

/// The project's robot, if one is set.
pub fn robot(conn: &Connection) -> Result<Option<Robot>> {
    Ok(conn
        .query_row(
            "SELECT kind, url, secret FROM robot WHERE id = 1",
            [],
            |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .map(|(kind, url, secret)| Robot {
            kind: RobotKind::parse(&kind).unwrap_or_default(),
            url,
            secret,
        }))
}

/// The host of a webhook that may be used: https, or http to this computer (tests); refused
/// otherwise, in words.
fn host_of(url: &str) -> Result<String> {
    let bad = |key: &str| Error::Invalid {
        field: "send.robot.url".into(),
        detail: key.into(),
    };
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| bad("send.robot.bad_url"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.rsplit_once(':') {
        Some((h, p)) if !h.is_empty() && p.chars().all(|c| c.is_ascii_digit()) => h,
        _ => authority,
    };
    if host.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("send.robot.bad_url"));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(host.to_string()),
        "http" if is_loopback(host) => Ok(host.to_string()),
        _ => Err(bad("send.robot.https_only")),
    }
}

/// What the audit log keeps of a robot: platform and host, never the key or the secret.
fn described(r: &Robot) -> String {
    let host = host_of(&r.url).unwrap_or_default();
    let signed = if r.secret.is_empty() { "" } else { " (signed)" };
    format!("{} {host}{signed}", r.kind.as_str())
}

/// The audit entry of a robot set, changed or removed (as `described`: no key, no secret).
fn audit_change(
    tx: &Connection,
    actor: &str,
    before: Option<&Robot>,
    after: Option<&Robot>,
) -> Result<()> {
    let (b, a) = (before.map(described), after.map(described));
    audit::append(
        tx,
        actor,
        &[Change {
            record: "robot:1",
            field: "robot",
            before: b.as_deref(),
            after: a.as_deref(),
        }],
    )
}

/// Sets the project's robot (webhook checked: https, or http to this computer), audited.
pub fn save_robot(conn: &mut Connection, actor: &str, r: &Robot) -> Result<Robot> {
    let r = Robot {
        kind: r.kind,
        url: r.url.trim().to_string(),
        secret: r.secret.trim().to_string(),
    };
    host_of(&r.url)?;
    if r.url.len() > 2000 || r.secret.len() > 500 || r.secret.chars().any(char::is_control) {
        return Err(Error::Invalid {
            field: "send.robot.secret".into(),
            detail: "validation.control_chars".into(),
        });
    }
    let before = robot(conn)?;
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO robot (id, kind, url, secret, saved_at, saved_by) VALUES (1, ?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET kind = ?1, url = ?2, secret = ?3, saved_at = ?4, saved_by = ?5",
        params![r.kind.as_str(), r.url, r.secret, stamp(crate::clock::now()), actor],
    )?;
    audit_change(&tx, actor, before.as_ref(), Some(&r))?;
    tx.commit()?;
    Ok(r)
}

/// Removes the project's robot, audited.
pub fn remove_robot(conn: &mut Connection, actor: &str) -> Result<()> {
    let Some(before) = robot(conn)? else {
        return Ok(());
    };
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM robot WHERE id = 1", [])?;
    audit_change(&tx, actor, Some(&before), None)?;
    tx.commit()?;
    Ok(())
}

fn hmac_base64(key: &[u8], message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// DingTalk's `sign` (before URL-encoding): HMAC-SHA256 keyed with the secret over
/// "timestamp\nsecret", base64; the timestamp in milliseconds.
pub fn dingtalk_sign(timestamp_ms: i64, secret: &str) -> String {
    hmac_base64(
        secret.as_bytes(),
        format!("{timestamp_ms}\n{secret}").as_bytes(),
    )
}

/// Feishu's `sign`: HMAC-SHA256 keyed with "timestamp\nsecret" over an empty message, base64;
/// the timestamp in seconds.
pub fn feishu_sign(timestamp_s: i64, secret: &str) -> String {
    hmac_base64(format!("{timestamp_s}\n{secret}").as_bytes(), b"")
}

/// A query value: everything but unreserved characters percent-encoded.
fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The title and the text (markdown for DingTalk and WeCom, plain for Feishu) of a post.
pub fn robot_message(
    conn: &Connection,
    post: &Post,
    kind: RobotKind,
    lang: Lang,
    now: NaiveDateTime,
) -> Result<(String, String)> {
    let md = kind != RobotKind::Feishu;
    let project = crate::registration::name(conn)?;
    let (title, lines) = match post {
        Post::Notice { meeting } => {
            let m = crate::meetings::meeting(conn, *meeting)?;
            let people = crate::people::list(conn)?;
            let start = crate::clock::parse_time(&m.starts_at).unwrap_or(now);
            let end = start + chrono::Duration::minutes(m.duration);
            let when = format!("{}–{}", start.format("%Y-%m-%d %H:%M"), end.format("%H:%M"));
            let key = if m.sequence > 0 {
                "send.subject.notice_changed"
            } else {
                "send.subject.notice"
            };
            let title = i18n::format(lang, key, &[("title", &m.title), ("time", &when)]);
            let names: Vec<&str> = m
                .attendees
                .iter()
                .filter_map(|a| people.iter().find(|p| p.id == *a))
                .map(|p| p.name.as_str())
                .collect();
            let label = |k: &str| i18n::text(lang, k);
            let mut lines = vec![
                format!("{}：{project}", label("send.field.project")),
                format!("{}：{when}", label("field.meeting.starts_at")),
            ];
            if !m.place.is_empty() {
                lines.push(format!("{}：{}", label("field.meeting.place"), m.place));
            }
            lines.push(format!(
                "{}：{}",
                label("doc.field.attendees"),
                names.join("、")
            ));
            if !m.agenda.is_empty() {
                lines.push(format!("{}：", label("field.meeting.agenda")));
                lines.extend(
                    m.agenda
                        .iter()
                        .enumerate()
                        .map(|(i, a)| format!("{}. {a}", i + 1)),
                );
            }
            (title, lines)
        }
        Post::Warnings => {
            let list = super::letters::warning_lines(conn, lang, now)?;
            if list.is_empty() {
                return Err(Error::refused("send.no_warnings", &[]));
            }
            let n = list.len().to_string();
            let title = i18n::format(
                lang,
                "send.subject.warnings",
                &[("project", &project), ("n", &n)],
            );
            (title, list)
        }
    };
    let text = if md {
        let body: Vec<String> = lines.iter().map(|l| format!("- {l}")).collect();
        format!("### {title}\n\n{}", body.join("\n"))
    } else {
        format!("{title}\n{}", lines.join("\n"))
    };
    Ok((title, text))
}

/// The request a platform expects: the URL (with DingTalk's signature) and the JSON body.
fn request(r: &Robot, title: &str, text: &str, now: NaiveDateTime) -> (String, Value) {
    let epoch_ms = Local
        .from_local_datetime(&now)
        .earliest()
        .map(|t| t.timestamp_millis())
        .unwrap_or_default();
    match r.kind {
        RobotKind::Dingtalk => {
            let mut url = r.url.clone();
            if !r.secret.is_empty() {
                let sep = if url.contains('?') { '&' } else { '?' };
                let sign = url_encode(&dingtalk_sign(epoch_ms, &r.secret));
                url.push_str(&format!("{sep}timestamp={epoch_ms}&sign={sign}"));
            }
            let body = json!({"msgtype": "markdown", "markdown": {"title": title, "text": text}});
            (url, body)
        }
        RobotKind::Feishu => {
            let mut body = json!({"msg_type": "text", "content": {"text": text}});
            if !r.secret.is_empty() {
                let ts = epoch_ms / 1000;
                body["timestamp"] = json!(ts.to_string());
                body["sign"] = json!(feishu_sign(ts, &r.secret));
            }
            (r.url.clone(), body)
        }
        RobotKind::Wecom => (
            r.url.clone(),
            json!({"msgtype": "markdown", "markdown": {"content": text}}),
        ),
    }
}

/// Whether the platform took the post: its error code is 0 (`errcode` for DingTalk and WeCom,
/// `code` or `StatusCode` for Feishu); otherwise its code and message.
fn accepted(status: u16, body: &str) -> std::result::Result<String, String> {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let code = ["errcode", "code", "StatusCode"]
        .iter()
        .find_map(|k| v.get(*k).and_then(Value::as_i64));
    let msg = ["errmsg", "msg", "StatusMessage"]
        .iter()
        .find_map(|k| v.get(*k).and_then(Value::as_str))
        .unwrap_or("");
    let short: String = body.chars().take(300).collect();
    match (status, code) {
        (200..=299, Some(0)) => Ok(format!("{status} {msg}").trim().to_string()),
        (_, Some(c)) => Err(format!("HTTP {status}: {c} {msg}").trim().to_string()),
        _ => Err(format!("HTTP {status}: {short}").trim().to_string()),
    }
}

/// Posts `post` to the project's robot and records it; the result names the platform's answer.
/// Refused when no robot is set, the project is archived or the webhook is not https.
pub fn post(conn: &mut Connection, job: &Job, what: &Post) -> Result<RecipientResult> {
    if crate::storage::closed_at(conn)?.is_some() {
        return Err(Error::refused("archive.read_only", &[]));
    }
    let r = robot(conn)?.ok_or_else(|| Error::refused("send.robot.none", &[]))?;
    let host = host_of(&r.url)?;
    let (title, text) = robot_message(conn, what, r.kind, job.lang, job.now)?;
    let (url, body) = request(&r, &title, &text, job.now);
    let mut config = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(20)))
        .http_status_as_error(false);
    if is_loopback(&host) {
        config = config.proxy(None);
    }
    let agent: ureq::Agent = config.build().into();
    let answer = agent
        .post(&url)
        .header("Content-Type", "application/json; charset=utf-8")
        .send(body.to_string().as_bytes())
        .map_err(|e| reason(&e, job.lang))
        .and_then(|mut resp| {
            let status = resp.status().as_u16();
            let text = resp
                .body_mut()
                .with_config()
                .limit(64 * 1024)
                .read_to_string()
                .unwrap_or_default();
            accepted(status, &text)
        });
    let address = format!("{} {host}", r.kind.as_str());
    let record = match what {
        Post::Notice { meeting } => ("meeting".to_string(), Some(*meeting)),
        Post::Warnings => ("project".to_string(), None),
    };
    let mut row = log::row(MessageKind::Robot, &record, job.actor, job.now);
    row.address = address.clone();
    row.subject = title;
    let result = match answer {
        Ok(said) => {
            row.answer = said.clone();
            RecipientResult {
                person_id: None,
                name: i18n::text(job.lang, &format!("send.robot.kind.{}", r.kind.as_str())),
                address: Some(address),
                status: Status::Sent,
                answer: said,
                message_id: None,
            }
        }
        Err(why) => {
            row.result = "failed".into();
            row.answer = why.clone();
            RecipientResult {
                person_id: None,
                name: i18n::text(job.lang, &format!("send.robot.kind.{}", r.kind.as_str())),
                address: Some(address),
                status: Status::Failed,
                answer: why,
                message_id: None,
            }
        }
    };
    log::record(conn, &row)?;
    Ok(result)
}

/// Why an HTTP request got no answer, in the user's language.
fn reason(e: &ureq::Error, lang: Lang) -> String {
    let key = match e {
        ureq::Error::Timeout(_) => "reason.send.timeout",
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => "reason.send.tls",
        _ => "reason.send.connection",
    };
    i18n::text(lang, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_match_the_platforms_examples_and_urls_are_checked() {
        // Independent values (Python's hmac/base64 over the same inputs).
        assert_eq!(
            dingtalk_sign(1_700_000_000_000, "SECabc"),
            "jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM="
        );
        assert_eq!(
            feishu_sign(1_700_000_000, "abc"),
            "VIS10b0EBvzzSdFnuk4tznEmK5wHaruvf/WnViv2yR4="
        );
        assert_eq!(url_encode("a+b/c="), "a%2Bb%2Fc%3D");
        assert!(host_of("https://oapi.dingtalk.com/robot/send?access_token=x").is_ok());
        assert!(host_of("http://127.0.0.1:8080/hook").is_ok());
        for bad in [
            "http://oapi.dingtalk.com/robot",
            "ftp://x",
            "https://",
            "oapi",
        ] {
            let e = host_of(bad).unwrap_err();
            assert!(e.is_refusal(), "{bad}");
            assert!(
                !e.message(Lang::Zh).contains("send.robot"),
                "{}",
                e.message(Lang::Zh)
            );
        }
        assert_eq!(
            accepted(200, r#"{"errcode":0,"errmsg":"ok"}"#),
            Ok("200 ok".into())
        );
        assert!(accepted(200, r#"{"code":19021,"msg":"sign match fail"}"#)
            .unwrap_err()
            .contains("19021 sign match fail"));
        assert!(accepted(502, "<html>").is_err());
    }
}
