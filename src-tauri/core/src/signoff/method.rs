//! How each signature was obtained (issue 17) — 电子签名 (the signer's own key, the verified
//! response kept), 纸质签字 (a scan of the signed PDF, with its SHA-256) or 代为登记 (recorded by the
//! coordinator): recorded in the signature's transaction, read for the panel and the PDFs.

use crate::error::{Error, Result};
use crate::fingerprint::{canonical, sha256_hex};
use crate::signing_files::Response;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;

/// The largest scan of a paper signature kept in the project.
pub const MAX_SCAN: usize = 50 * 1024 * 1024;

/// How a signature was obtained.
#[derive(Debug, Clone)]
pub enum Method {
    /// Recorded by the app's user on the signer's behalf.
    Proxy,
    /// Signed on the printed document; `scan` is the signed PDF (or image) as scanned.
    Paper { name: String, scan: Vec<u8> },
    /// Signed with the signer's own key: the verified response.
    Electronic(Box<Response>),
}

impl Method {
    /// `electronic`, `paper` or `proxy`, as stored.
    pub fn code(&self) -> &'static str {
        match self {
            Method::Proxy => "proxy",
            Method::Paper { .. } => "paper",
            Method::Electronic(_) => "electronic",
        }
    }
}

/// How one signature was obtained, as the panel and the PDF show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HowSigned {
    pub round_id: i64,
    pub person_id: i64,
    /// `electronic`, `paper` or `proxy` (also for signatures from before methods were recorded).
    pub method: String,
    /// Who recorded it (the audit entry's actor for older signatures).
    pub recorded_by: String,
    pub key_fingerprint: Option<String>,
    pub scan_name: Option<String>,
    pub scan_sha256: Option<String>,
}

/// A method row as stored, and the audit text that recorded it.
pub(crate) struct MethodRow {
    pub signature_id: i64,
    pub method: String,
    pub recorded_by: String,
    pub key_fingerprint: Option<String>,
    pub response: Option<String>,
    pub key_signature: Option<String>,
    pub scan_name: Option<String>,
    pub scan_sha256: Option<String>,
}

impl MethodRow {
    /// The audit text: the method, readable, and a digest of the whole row.
    pub(crate) fn text(&self) -> String {
        let d = sha256_hex(
            canonical(&json!({
                "signature": self.signature_id, "method": self.method,
                "recordedBy": self.recorded_by, "key": self.key_fingerprint,
                "response": self.response, "keySignature": self.key_signature,
                "scanName": self.scan_name, "scan": self.scan_sha256,
            }))
            .as_bytes(),
        );
        let detail = match (&self.key_fingerprint, &self.scan_sha256) {
            (Some(k), _) => format!(" {}", crate::identity::grouped(k)),
            (None, Some(s)) => format!(" {}", &s[..16.min(s.len())]),
            _ => String::new(),
        };
        format!("{}{detail} · #{}", self.method, &d[..32])
    }
}

/// Records how signature `signature_id` was obtained (inside the signature's transaction) and
/// returns the text of its audit entry.
pub(crate) fn record_method(
    tx: &Connection,
    actor: &str,
    signature_id: i64,
    method: &Method,
) -> Result<String> {
    let mut row = MethodRow {
        signature_id,
        method: method.code().into(),
        recorded_by: actor.into(),
        key_fingerprint: None,
        response: None,
        key_signature: None,
        scan_name: None,
        scan_sha256: None,
    };
    let mut scan: Option<&[u8]> = None;
    match method {
        Method::Proxy => {}
        Method::Paper { name, scan: bytes } => {
            if bytes.is_empty() {
                return Err(Error::refused("keys.scan_required", &[]));
            }
            if bytes.len() > MAX_SCAN {
                return Err(Error::refused("keys.scan_too_large", &[]));
            }
            row.scan_name = Some(crate::validate::display_text(name, 255));
            row.scan_sha256 = Some(sha256_hex(bytes));
            scan = Some(bytes);
        }
        Method::Electronic(r) => {
            row.key_fingerprint = Some(r.signed.key_fingerprint.clone());
            row.response = Some(response_text(r));
            row.key_signature = Some(r.signature.clone());
        }
    }
    tx.execute(
        "INSERT INTO signature_method (signature_id, method, recorded_by, key_fingerprint,
                                       response, key_signature, scan_name, scan, scan_sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            row.signature_id,
            row.method,
            row.recorded_by,
            row.key_fingerprint,
            row.response,
            row.key_signature,
            row.scan_name,
            scan,
            row.scan_sha256
        ],
    )?;
    Ok(row.text())
}

/// The response as kept in the project: the exact bytes of the file without its final newline.
fn response_text(r: &Response) -> String {
    let bytes = crate::signing_files::to_bytes(r);
    String::from_utf8_lossy(&bytes).trim_end().to_string()
}

/// How each signature of the rounds of document `kind`/`id` was obtained.
pub fn methods(conn: &Connection, kind: crate::kind::DocKind, id: i64) -> Result<Vec<HowSigned>> {
    let mut stmt = conn.prepare(
        "SELECT g.round_id, g.person_id, m.method, m.recorded_by, m.key_fingerprint, m.scan_name,
                m.scan_sha256,
                (SELECT l.actor FROM audit_log l WHERE l.record = r.kind || ':' || r.doc_id
                   AND l.field = 'signoff.signed' AND l.after LIKE g.name || '（%'
                   ORDER BY l.seq LIMIT 1)
         FROM signature g JOIN signoff_round r ON r.id = g.round_id
         LEFT JOIN signature_method m ON m.signature_id = g.id
         WHERE r.kind = ?1 AND r.doc_id = ?2 ORDER BY g.id",
    )?;
    let rows = stmt.query_map(params![kind.as_str(), id], |r| {
        Ok(HowSigned {
            round_id: r.get(0)?,
            person_id: r.get(1)?,
            method: r
                .get::<_, Option<String>>(2)?
                .unwrap_or_else(|| "proxy".into()),
            recorded_by: match r.get::<_, Option<String>>(3)? {
                Some(by) => by,
                None => r.get::<_, Option<String>>(7)?.unwrap_or_default(),
            },
            key_fingerprint: r.get(4)?,
            scan_name: r.get(5)?,
            scan_sha256: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How a signature was obtained, in words (the sign-off block of a PDF): 电子签名 with the key
/// fingerprint, 纸质签字 with the scan's SHA-256, or 代为登记 with who recorded it.
pub fn method_label(h: &HowSigned, lang: crate::i18n::Lang) -> String {
    use crate::i18n::{format, text};
    let label = text(lang, &format!("signoff.method.{}", h.method));
    let detail = match (h.method.as_str(), &h.key_fingerprint, &h.scan_sha256) {
        ("electronic", Some(k), _) => format(
            lang,
            "signoff.method.key",
            &[("fingerprint", &crate::identity::grouped(k))],
        ),
        ("paper", _, Some(sha)) => format(
            lang,
            "signoff.method.scan",
            &[("sha", &sha[..16.min(sha.len())])],
        ),
        _ if !h.recorded_by.is_empty() => {
            format(lang, "signoff.method.by", &[("name", &h.recorded_by)])
        }
        _ => String::new(),
    };
    if detail.is_empty() {
        label
    } else {
        format!("{label}\n{detail}")
    }
}

/// The scan of a paper signature: its file name and bytes.
pub fn scan(conn: &Connection, round_id: i64, person_id: i64) -> Result<Option<(String, Vec<u8>)>> {
    Ok(conn
        .query_row(
            "SELECT coalesce(m.scan_name, ''), m.scan FROM signature_method m
             JOIN signature g ON g.id = m.signature_id
             WHERE g.round_id = ?1 AND g.person_id = ?2 AND m.scan IS NOT NULL",
            params![round_id, person_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}
