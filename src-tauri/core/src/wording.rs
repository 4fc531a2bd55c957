//! Flags vague wording (尽快, 大概, "ASAP" …) and tells whether a goal names a number.
//!
//! The guides ask for concrete goals: "首月销量达1万件", not "尽快提升销量".

/// Words that are vague wherever they stand.
const ALWAYS_VAGUE: &[&str] = &[
    "尽快",
    "尽早",
    "尽量",
    "大概",
    "大约",
    "差不多",
    "大致",
    "也许",
    "或许",
    "适当",
    "若干",
    "一些",
    "有关方面",
    "择机",
    "酌情",
    "asap",
    "as soon as possible",
    "roughly",
    "approximately",
    "more or less",
    "sometime",
    "somehow",
    "tbd",
    "kind of",
    "sort of",
    "if possible",
];

/// Words that are vague unless the same text names a number ("提升效率" vs "效率提升20%").
const VAGUE_WITHOUT_NUMBER: &[&str] = &[
    "提升效率",
    "提高效率",
    "提升",
    "提高",
    "改善",
    "优化",
    "加强",
    "增强",
    "显著",
    "明显",
    "更好",
    "较好",
    "有效",
    "improve efficiency",
    "improve",
    "increase",
    "enhance",
    "optimize",
    "optimise",
    "better",
    "significant",
    "efficient",
];

/// Characters that write a number in Chinese.
const CN_NUMERALS: &str = "零〇一二两三四五六七八九十百千万亿";

/// Measure words and units that make a single Chinese numeral a quantity ("十个", "三天").
const CN_UNITS: &str = "件个台天日周月年万千百人次倍成家座项条元块名位份套场%％期轮批辆箱米吨";

/// The vague terms found in `text`, in the order of the lists, each once.
pub fn vague_terms(text: &str) -> Vec<&'static str> {
    let lower = text.to_lowercase();
    let mut found: Vec<&'static str> = ALWAYS_VAGUE
        .iter()
        .copied()
        .filter(|t| contains_term(&lower, t))
        .collect();
    if !has_number(text) {
        for t in VAGUE_WITHOUT_NUMBER {
            // "提升效率" already covers "提升" inside it.
            if contains_term(&lower, t) && !found.iter().any(|f| f.contains(t)) {
                found.push(t);
            }
        }
    }
    found
}

/// Whether `text` names a quantity: digits, a percent sign, 百分之, or Chinese numerals used as a number.
pub fn has_number(text: &str) -> bool {
    if text
        .chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c) || c == '%' || c == '％')
    {
        return true;
    }
    if text.contains("百分之") {
        return true;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if CN_NUMERALS.contains(chars[i]) {
            let start = i;
            while i < chars.len() && CN_NUMERALS.contains(chars[i]) {
                i += 1;
            }
            let run = i - start;
            let next = chars.get(i).copied();
            if run >= 2 || next.is_some_and(|c| CN_UNITS.contains(c)) {
                return true;
            }
        } else {
            i += 1;
        }
    }
    false
}

/// A Latin term must stand as whole words; a Chinese one may stand anywhere.
fn contains_term(lower: &str, term: &str) -> bool {
    if !term.is_ascii() {
        return lower.contains(term);
    }
    let bytes = lower.as_bytes();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(term) {
        let at = from + pos;
        let end = at + term.len();
        let before_ok = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        let after_ok = end >= bytes.len() || !bytes[end].is_ascii_alphanumeric();
        if before_ok && after_ok {
            return true;
        }
        from = at + 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: &[&str]) {
        assert_eq!(vague_terms(text), expect, "for {text:?}");
    }

    #[test]
    fn vague_wording_is_found_in_both_languages() {
        check("尽快上市，大概三个月", &["尽快", "大概"]);
        check("提升效率", &["提升效率"]);
        check("协作效率提升20%", &[]);
        check("首月销量达1万件", &[]);
        check("Launch ASAP", &["asap"]);
        check("launch as soon as possible", &["as soon as possible"]);
        check("Improve efficiency", &["improve efficiency"]);
        check("Improve efficiency by 20%", &[]);
        check("差不多完成就行", &["差不多"]);
        // Whole words only for Latin terms.
        check("a basaparagus", &[]);
    }

    #[test]
    fn numbers_are_recognised_in_digits_and_chinese() {
        for yes in [
            "1万件",
            "１０件",
            "三个月",
            "二十",
            "百分之五",
            "5%",
            "十天内",
        ] {
            assert!(has_number(yes), "{yes}");
        }
        for no in ["统一口径", "一起推进", "尽快上市", "improve efficiency", ""] {
            assert!(!has_number(no), "{no}");
        }
    }
}
