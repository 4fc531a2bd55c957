//! What changed since a document was exported, field by field, and the verdict in words.

use super::*;

/// The differences between the sections recorded at export and the sections now.
pub(super) fn diff_sections(
    conn: &Connection,
    kind: DocKind,
    stored: &str,
    now: &[Section],
    lang: Lang,
) -> Result<Vec<Difference>> {
    let then: Vec<Value> = serde_json::from_str(stored).unwrap_or_default();
    let several = then.len() > 1 || now.len() > 1;
    let label = |id: i64| {
        if several {
            format!("{} #{id}", title(kind, lang))
        } else {
            String::new()
        }
    };
    let mut out = Vec::new();
    for t in &then {
        let (Some(sk), Some(id), Some(fp)) = (
            t["kind"].as_str(),
            t["id"].as_i64(),
            t["fingerprint"].as_str(),
        ) else {
            continue;
        };
        let current = now.iter().find(|s| s.id == id);
        if current.is_some_and(|c| c.fingerprint == fp) {
            continue;
        }
        let old = if t["content"].is_null() {
            let frozen: Option<String> = conn
                .query_row(
                    "SELECT content FROM signoff_round WHERE kind = ?1 AND doc_id = ?2 AND fingerprint = ?3
                     ORDER BY revision DESC LIMIT 1",
                    params![sk, id, fp],
                    |r| r.get(0),
                )
                .optional()?;
            frozen
                .and_then(|c| serde_json::from_str(&c).ok())
                .unwrap_or(Value::Null)
        } else {
            t["content"].clone()
        };
        match current {
            None => out.push(Difference {
                section: label(id),
                field: i18n::text(lang, "verify.removed"),
                before: String::new(),
                after: String::new(),
            }),
            // What was exported is not on record (no frozen round holds it): say so once rather
            // than show every field as changed from nothing.
            Some(_) if old.is_null() => out.push(Difference {
                section: label(id),
                field: i18n::text(lang, "verify.content_unavailable"),
                before: String::new(),
                after: String::new(),
            }),
            Some(c) => {
                let (a, b) = (flatten(&old), flatten(&c.content));
                let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
                for k in keys {
                    let (x, y) = (a.get(k), b.get(k));
                    if x != y {
                        out.push(Difference {
                            section: label(id),
                            field: field_label(kind, k, &old, &c.content, lang),
                            before: x.cloned().unwrap_or_default(),
                            after: y.cloned().unwrap_or_default(),
                        });
                    }
                }
            }
        }
    }
    for s in now {
        if !then.iter().any(|t| t["id"].as_i64() == Some(s.id)) {
            out.push(Difference {
                section: label(s.id),
                field: i18n::text(lang, "verify.added"),
                before: String::new(),
                after: String::new(),
            });
        }
    }
    Ok(out)
}

/// A JSON value as a map of paths (`milestones[0].date`) to scalars.
pub(super) fn flatten(v: &Value) -> BTreeMap<String, String> {
    fn walk(v: &Value, path: String, out: &mut BTreeMap<String, String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    walk(x, p, out);
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, format!("{path}[{i}]"), out);
                }
            }
            Value::Null => {}
            Value::String(s) => {
                out.insert(path, s.clone());
            }
            other => {
                out.insert(path, other.to_string());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(v, String::new(), &mut out);
    out
}

/// A readable name for a path: `里程碑 #1 · 节点`, `任务 1.2 渠道铺货 · 开始`.
pub(super) fn field_label(
    kind: DocKind,
    path: &str,
    old: &Value,
    new: &Value,
    lang: Lang,
) -> String {
    let mut parts = Vec::new();
    let mut cur_old = Some(old);
    let mut cur_new = Some(new);
    for seg in path.split('.') {
        let (key, index) = match seg.find('[') {
            Some(i) => (&seg[..i], seg[i + 1..seg.len() - 1].parse::<usize>().ok()),
            None => (seg, None),
        };
        parts.push(build::field_name(kind, key, lang));
        cur_old = cur_old.map(|v| &v[key]);
        cur_new = cur_new.map(|v| &v[key]);
        if let Some(i) = index {
            let (o, n) = (cur_old.map(|v| &v[i]), cur_new.map(|v| &v[i]));
            let item = n.filter(|v| v.is_object()).or(o);
            let name = item.and_then(|v| {
                let outline = v["outline"].as_str();
                let title = v["name"]
                    .as_str()
                    .or(v["title"].as_str())
                    .or(v["node"].as_str());
                match (outline, title) {
                    (Some(o), Some(t)) => Some(format!("{o} {t}")),
                    (None, Some(t)) => Some(t.to_string()),
                    _ => None,
                }
            });
            let last = parts.last_mut().expect("pushed");
            match name {
                Some(n) => *last = format!("{last}「{n}」"),
                None => *last = format!("{last} #{}", i + 1),
            }
            cur_old = o;
            cur_new = n;
        }
    }
    parts.join(" · ")
}

/// The verdict in words, one line each.
pub fn describe(v: &Verdict, lang: Lang) -> String {
    let doc = title(v.kind, lang);
    let mut out = String::new();
    let exported = |out: &mut String| {
        if let Some((at, by)) = &v.exported {
            out.push_str(&i18n::format(
                lang,
                "verify.exported",
                &[("at", &at.replace('T', " ")), ("by", by)],
            ));
            out.push('\n');
        }
    };
    match v.file {
        FileCheck::Genuine => {}
        FileCheck::Appended { added } => {
            out.push_str(&i18n::format(
                lang,
                "verify.appended",
                &[("doc", &doc), ("n", &added.to_string())],
            ));
            out.push('\n');
            exported(&mut out);
            return out;
        }
        FileCheck::Altered | FileCheck::Unknown => {
            let key = if v.file == FileCheck::Altered {
                "verify.altered"
            } else {
                "verify.unknown"
            };
            out.push_str(&i18n::format(lang, key, &[("doc", &doc)]));
            out.push('\n');
            return out;
        }
        FileCheck::Unrecorded => {
            out.push_str(&i18n::format(lang, "verify.unrecorded", &[("doc", &doc)]));
            out.push('\n');
            exported(&mut out);
            return out;
        }
    }
    if v.matches {
        let key = if v.signed {
            "verify.match_signed"
        } else {
            "verify.match_unsigned"
        };
        out.push_str(&i18n::format(lang, key, &[("doc", &doc)]));
    } else {
        out.push_str(&i18n::format(lang, "verify.mismatch", &[("doc", &doc)]));
    }
    out.push('\n');
    if let Some((at, by)) = &v.exported {
        out.push_str(&i18n::format(
            lang,
            "verify.exported",
            &[("at", &at.replace('T', " ")), ("by", by)],
        ));
        out.push('\n');
    } else if !v.matches {
        out.push_str(&i18n::text(lang, "verify.no_record"));
        out.push('\n');
    }
    out.push_str(&i18n::format(
        lang,
        "verify.fingerprints",
        &[("pdf", &v.pdf_fingerprint), ("now", &v.project_fingerprint)],
    ));
    out.push('\n');
    let shown = 30;
    for d in v.differences.iter().take(shown) {
        let section = if d.section.is_empty() {
            String::new()
        } else {
            format!("{} · ", d.section)
        };
        let (b, a) = (clip(&d.before), clip(&d.after));
        if b.is_empty() && a.is_empty() {
            out.push_str(&format!("  - {section}{}\n", d.field));
        } else {
            out.push_str(&format!("  - {section}{}：「{b}」→「{a}」\n", d.field));
        }
    }
    if v.differences.len() > shown {
        out.push_str(&i18n::format(
            lang,
            "verify.more",
            &[("n", &(v.differences.len() - shown).to_string())],
        ));
        out.push('\n');
    }
    out
}

pub(super) fn clip(s: &str) -> String {
    let n = s.chars().count();
    if n > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}
