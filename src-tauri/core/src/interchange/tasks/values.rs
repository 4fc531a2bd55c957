//! Reading the values of cells as people write them: dates, lists, yes/no, status, percent, dependency references.

use super::*;

pub(super) fn split_list(s: &str) -> Vec<String> {
    s.split(['、', ',', '，', ';', '；', '/', '\n'])
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

pub(super) fn yes(s: &str) -> Option<bool> {
    match normalize(s).as_str() {
        "" | "否" | "no" | "false" | "0" | "n" => Some(false),
        "是" | "yes" | "true" | "1" | "y" | "◆" | "√" | "✓" => Some(true),
        _ => None,
    }
}

/// The status code a cell names (是 the catalog's words in either language, or the code).
pub(super) fn status_of(s: &str) -> Option<String> {
    let n = normalize(s);
    if n.is_empty() {
        return Some("not_started".into());
    }
    [
        "not_started",
        "in_progress",
        "done",
        "blocked",
        "needs_support",
    ]
    .into_iter()
    .find(|code| {
        n == normalize(code)
            || n == normalize(&i18n::text(Lang::Zh, &format!("status.{code}")))
            || n == normalize(&i18n::text(Lang::En, &format!("status.{code}")))
    })
    .map(str::to_string)
}

/// Percent done: 40, 40%, or a fraction 0.4 (as Excel stores a percentage).
pub(super) fn percent_of(s: &str) -> Option<i64> {
    let t = s.trim();
    if t.is_empty() {
        return Some(0);
    }
    let (num, pct) = match t.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (t, false),
    };
    let v: f64 = num.parse().ok()?;
    let v = if !pct && v > 0.0 && v <= 1.0 && num.contains('.') {
        v * 100.0
    } else {
        v
    };
    let v = if !pct && v == 1.0 && num == "1" {
        100.0
    } else {
        v
    };
    (0.0..=100.0).contains(&v).then(|| v.round() as i64)
}

/// A predecessor reference: `1.2`, `1.2FS+2`, `销售培训材料制作SS`, with its kind and lag.
pub(super) fn parse_ref(token: &str) -> (String, &'static str, i64) {
    let mut s = token.trim().to_string();
    let mut lag = 0;
    if let Some(i) = s.rfind(['+', '-']) {
        if i > 0 {
            if let Ok(n) = s[i..].parse::<i64>() {
                lag = n;
                s.truncate(i);
            }
        }
    }
    let upper = s.to_uppercase();
    let kind = ["FS", "SS", "FF"]
        .into_iter()
        .find(|k| upper.ends_with(k) && s.len() > 2)
        .unwrap_or("");
    if !kind.is_empty() {
        s.truncate(s.len() - 2);
    }
    let kind = match kind {
        "SS" => "ss",
        "FF" => "ff",
        _ => "fs",
    };
    (s.trim().to_string(), kind, lag)
}
