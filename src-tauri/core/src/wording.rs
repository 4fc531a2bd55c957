//! Flags vague wording (尽快, 大概, "ASAP" …) and tells whether a goal can be measured.
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
    if !is_measurable(text) {
        for t in VAGUE_WITHOUT_NUMBER {
            // "提升效率" already covers "提升" inside it.
            if contains_term(&lower, t) && !found.iter().any(|f| f.contains(t)) {
                found.push(t);
            }
        }
    }
    found
}

/// Words that, standing just before a number, make it a name rather than a quantity ("version 2").
const CODE_WORDS_BEFORE: &[&str] = &[
    "v", "ver", "version", "release", "rev", "revision", "build", "model", "phase", "no", "number",
    "iso", "gb", "sprint",
];

/// Characters that, following a number, make it a version, model or code ("2.0版", "3号", "5型").
const CODE_AFTER: &str = "版代号型款";

/// Latin unit abbreviations that may follow a number directly ("10k", "5h", "20ms").
const LATIN_UNITS: &[&str] = &[
    "k", "m", "b", "w", "h", "hr", "hrs", "min", "mins", "ms", "s", "x", "pcs", "kg", "km", "cm",
    "mm", "t", "mb", "gb", "tb", "pp", "st", "nd", "rd", "th",
];

/// Whether `text` names something a goal can be measured by: a quantity with a unit, a
/// percentage, a count or a date. A number that names a version, model or code ("V2.0",
/// "2.0版本", "RK3588", "ISO 9001", "3号楼") does not count.
pub fn is_measurable(text: &str) -> bool {
    let chars: Vec<char> = text.chars().map(narrow).collect();
    if text.contains("百分之") {
        return true;
    }
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            let mut dots = 0;
            let mut dashes = 0;
            while i < chars.len() {
                let c = chars[i];
                let joins = matches!(c, '.' | ',' | '-' | '/' | ':')
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit)
                    && i > start;
                if c.is_ascii_digit() {
                    i += 1;
                } else if joins {
                    dots += usize::from(c == '.');
                    dashes += usize::from(matches!(c, '-' | '/'));
                    i += 1;
                } else {
                    break;
                }
            }
            if digits_count(&chars, start, i, dots, dashes) {
                return true;
            }
        } else if CN_NUMERALS.contains(chars[i]) {
            let start = i;
            while i < chars.len() && CN_NUMERALS.contains(chars[i]) {
                i += 1;
            }
            let next = chars.get(i).copied();
            let code = next.is_some_and(|c| CODE_AFTER.contains(c));
            if !code && (i - start >= 2 || next.is_some_and(|c| CN_UNITS.contains(c))) {
                return true;
            }
        } else {
            i += 1;
        }
    }
    false
}

/// Whether the digits `chars[start..end]` are a quantity, a percentage, a count or a date.
fn digits_count(chars: &[char], start: usize, end: usize, dots: usize, dashes: usize) -> bool {
    // "1.2.3" is a version; "2026-12-31" and "2026/12/31" are dates.
    if dots >= 2 {
        return false;
    }
    if dashes > 0 {
        return dashes == 2 && dots == 0 && end - start >= 8;
    }
    // A letter or a hyphenated prefix glued in front makes a code: "V2.0", "A3", "ISO-9001".
    let before = start.checked_sub(1).map(|i| chars[i]);
    if before.is_some_and(|c| c.is_ascii_alphabetic() || c == '#' || c == '_') {
        return false;
    }
    if before == Some('-') && start >= 2 && chars[start - 2].is_ascii_alphanumeric() {
        return false;
    }
    let word_before = latin_word_before(chars, start);
    if CODE_WORDS_BEFORE.contains(&word_before.as_str()) {
        return false;
    }
    // What follows: a code mark, a unit, or letters.
    let next = chars.get(end).copied();
    if next.is_some_and(|c| CODE_AFTER.contains(c)) {
        return false;
    }
    if next.is_some_and(|c| c.is_ascii_alphabetic()) {
        let word: String = chars[end..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_lowercase();
        return LATIN_UNITS.contains(&word.as_str());
    }
    if next == Some('.') && chars.get(end + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
        // "2.x" names a version line.
        return false;
    }
    true
}

/// The Latin word just before `start` (skipping spaces and a dot or colon), in lower case.
fn latin_word_before(chars: &[char], start: usize) -> String {
    let mut k = start;
    while k > 0 && matches!(chars[k - 1], ' ' | '.' | ':') {
        k -= 1;
    }
    let end = k;
    while k > 0 && chars[k - 1].is_ascii_alphabetic() {
        k -= 1;
    }
    chars[k..end].iter().collect::<String>().to_lowercase()
}

/// Full-width digits, percent signs and separators read as their ASCII forms.
fn narrow(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        '％' => '%',
        '．' => '.',
        '，' => ',',
        'Ａ'..='Ｚ' => char::from(b'A' + (c as u32 - 'Ａ' as u32) as u8),
        'ａ'..='ｚ' => char::from(b'a' + (c as u32 - 'ａ' as u32) as u8),
        _ => c,
    }
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
    fn measurable_goals_name_a_quantity_a_percentage_a_count_or_a_date() {
        for yes in [
            "首月销量达1万件",
            "１０件",
            "三个月内上线",
            "二十",
            "百分之五",
            "转化率提升5%",
            "十天内完成",
            "客户满意度达到９０％",
            "2027年3月31日前上线",
            "3月底前完成发布",
            "2027-03-31 前完成发布",
            "日活用户达到100000",
            "覆盖30个城市",
            "Sell 10,000 units in the first month",
            "Launch by 2027-03-31",
            "Cut response time to 200ms",
            "Reach 10k users",
            "Raise conversion by 5 percent",
            "Ship to 3 regions by March 31",
            "缺陷率低于0.5%",
            "第3季度完成",
        ] {
            assert!(is_measurable(yes), "should be measurable: {yes}");
        }
        for no in [
            "保证产品V2.0版本按时上线，同步市场推广方案",
            "保证产品2.0版本按时上线",
            "V3 按时上线",
            "发布 v1.2.3",
            "完成第二版设计",
            "采用RK3588芯片方案",
            "通过ISO 9001认证",
            "通过 ISO-9001 认证",
            "3号楼装修完成",
            "推出5型新品",
            "Ship version 2 on time",
            "Release 2.0 with marketing",
            "Deliver the v2.x line",
            "Adopt model A3",
            "统一口径",
            "一起推进",
            "尽快上市",
            "improve efficiency",
            "",
        ] {
            assert!(!is_measurable(no), "should not be measurable: {no}");
        }
    }

    #[test]
    fn a_version_does_not_make_vague_wording_concrete() {
        check("提升到V2.0", &["提升"]);
        check("提升到2.0版本", &["提升"]);
        check("提升20%", &[]);
    }
}
