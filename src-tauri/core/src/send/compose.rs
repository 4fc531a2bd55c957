//! The e-mail itself: a body said once and written as plain text and as HTML (every value
//! escaped), the calendar invitation as an alternative part, attachments whose Chinese names
//! survive (RFC 2231 in Content-Disposition, RFC 2047 in Content-Type's `name`), a Message-ID.

use super::server::Server;
use crate::error::{Error, Result};
use chrono::{Local, NaiveDateTime, TimeZone};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};

/// What a message says: a greeting, paragraphs, labelled rows, a list, the closing line.
#[derive(Debug, Default, Clone)]
pub(super) struct Body {
    pub greeting: String,
    pub paragraphs: Vec<String>,
    pub rows: Vec<(String, String)>,
    pub list: Vec<String>,
    pub closing: String,
}

impl Body {
    pub(super) fn text(&self) -> String {
        let mut out = format!("{}\n\n", self.greeting);
        for p in &self.paragraphs {
            out.push_str(p);
            out.push_str("\n\n");
        }
        for (label, value) in &self.rows {
            let value = value.replace('\n', "\n    ");
            out.push_str(&format!("{label}：{value}\n"));
        }
        if !self.rows.is_empty() {
            out.push('\n');
        }
        for item in &self.list {
            out.push_str(&format!("- {item}\n"));
        }
        if !self.list.is_empty() {
            out.push('\n');
        }
        out.push_str(&self.closing);
        out.push('\n');
        out
    }

    pub(super) fn html(&self) -> String {
        let mut out = String::from(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head>\
             <body style=\"font-family: sans-serif; font-size: 14px\">",
        );
        out.push_str(&format!("<p>{}</p>", escape(&self.greeting)));
        for p in &self.paragraphs {
            out.push_str(&format!("<p>{}</p>", escape(p)));
        }
        if !self.rows.is_empty() {
            out.push_str("<table cellpadding=\"4\" style=\"border-collapse: collapse\">");
            for (label, value) in &self.rows {
                out.push_str(&format!(
                    "<tr><th align=\"left\" valign=\"top\" style=\"white-space: nowrap\">{}</th><td>{}</td></tr>",
                    escape(label),
                    escape(value).replace('\n', "<br>")
                ));
            }
            out.push_str("</table>");
        }
        if !self.list.is_empty() {
            out.push_str("<ul>");
            for item in &self.list {
                out.push_str(&format!("<li>{}</li>", escape(item)));
            }
            out.push_str("</ul>");
        }
        out.push_str(&format!(
            "<p style=\"color: #666\">{}</p></body></html>",
            escape(&self.closing)
        ));
        out
    }
}

/// Text as HTML: markup characters escaped, so what people typed is never markup.
pub(super) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A file attached to a message.
#[derive(Debug, Clone)]
pub(super) struct File {
    pub name: String,
    pub mime: &'static str,
    pub data: Vec<u8>,
}

/// The MIME type of a background file, from its extension.
pub(super) fn mime_of(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// A Content-Type's `name` parameter as RFC 2047 encoded words of at most 75 characters (the
/// form older mail programs read; newer ones read Content-Disposition's RFC 2231 `filename*`).
fn encoded_name(name: &str) -> String {
    use base64::Engine;
    if name.is_ascii() && !name.contains(['"', '\\', '\r', '\n']) {
        return name.to_string();
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in name.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(std::mem::take(&mut chunk));
        }
        chunk.push(c);
    }
    words.push(chunk);
    words
        .iter()
        .map(|w| {
            format!(
                "=?utf-8?b?{}?=",
                base64::engine::general_purpose::STANDARD.encode(w.as_bytes())
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A new Message-ID under the sender's domain.
fn message_id(from: &Address) -> String {
    use rand_core::RngCore;
    let mut bytes = [0u8; 12];
    rand_core::OsRng.fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("<liaison.{hex}@{}>", from.domain())
}

/// One message ready to go.
pub(super) struct Letter {
    pub message: Message,
    pub message_id: String,
}

/// What a message carries besides its body.
#[derive(Default)]
pub(super) struct Extras<'a> {
    /// An invitation (`text/calendar; method=REQUEST`), as the alternative calendars read.
    pub calendar: Option<&'a str>,
    pub files: &'a [File],
}

/// Builds the message from the server's sender to `to`, dated `at` (local time).
pub(super) fn letter(
    server: &Server,
    to: Mailbox,
    subject: &str,
    body: &Body,
    extras: Extras,
    at: NaiveDateTime,
) -> Result<Letter> {
    let from_address: Address = server
        .smtp
        .from_address
        .parse()
        .map_err(|_| Error::refused("send.no_server", &[]))?;
    let name = Some(server.smtp.from_name.clone()).filter(|n| !n.is_empty());
    let from = Mailbox::new(name, from_address.clone());
    let id = message_id(&from_address);
    let date = Local
        .from_local_datetime(&at)
        .earliest()
        .map(std::time::SystemTime::from)
        .unwrap_or_else(std::time::SystemTime::now);
    let mut alternative = MultiPart::alternative()
        .singlepart(SinglePart::plain(body.text()))
        .singlepart(SinglePart::html(body.html()));
    if let Some(ics) = extras.calendar {
        let ct = ContentType::parse("text/calendar; charset=utf-8; method=REQUEST")
            .expect("a valid content type");
        alternative =
            alternative.singlepart(SinglePart::builder().header(ct).body(ics.to_string()));
    }
    let content = if extras.files.is_empty() {
        alternative
    } else {
        let mut mixed = MultiPart::mixed().multipart(alternative);
        for f in extras.files {
            let ct = ContentType::parse(&format!("{}; name=\"{}\"", f.mime, encoded_name(&f.name)))
                .or_else(|_| ContentType::parse(f.mime))
                .unwrap_or(ContentType::parse("application/octet-stream").expect("valid"));
            mixed = mixed.singlepart(Attachment::new(f.name.clone()).body(f.data.clone(), ct));
        }
        mixed
    };
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .message_id(Some(id.clone()))
        .date(date)
        .user_agent(format!("Liaison {}", env!("CARGO_PKG_VERSION")))
        .multipart(content)
        .map_err(|_| Error::refused("send.build_failed", &[]))?;
    Ok(Letter {
        message,
        message_id: id,
    })
}
