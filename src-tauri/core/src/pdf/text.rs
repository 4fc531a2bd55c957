//! Line breaking for mixed Chinese and Latin text.
//!
//! A line may break between any two CJK characters and at spaces; a Latin word (a run of
//! non-space, non-CJK characters) is kept whole unless it is wider than the line by itself. The
//! Chinese rules (禁则): no line starts with closing punctuation (。，、）」 …) and none ends with
//! opening punctuation (（「“ …); such characters travel with their neighbour instead.

/// Characters that may not start a line.
const NO_START: &str = "。，、．：；！？）」』】》〉〕］｝”’…—～％‰・·,.;:!?)]}%";
/// Characters that may not end a line.
const NO_END: &str = "（「『【《〈〔［｛“‘([{";

/// Whether `c` is set as one CJK unit (ideographs, kana, CJK and full-width punctuation), which a
/// line may break before or after.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF       // radicals, Kangxi
        | 0x3000..=0x303F     // CJK symbols and punctuation
        | 0x3040..=0x30FF     // kana
        | 0x3100..=0x31FF     // bopomofo, kana extensions
        | 0x3200..=0x4DBF     // enclosed, compatibility, extension A
        | 0x4E00..=0x9FFF     // unified ideographs
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7AF     // hangul
        | 0xF900..=0xFAFF     // compatibility ideographs
        | 0xFE30..=0xFE4F     // compatibility forms
        | 0xFF00..=0xFFEF     // full-width forms
        | 0x20000..=0x3FFFF) // extensions B and later (𠮷)
        || c == '“'
        || c == '”'
        || c == '‘'
        || c == '’'
        || c == '…'
        || c == '—'
}

/// One unbreakable piece of a line: its text, its width, and whether it is a space.
struct Piece {
    text: String,
    width: f32,
    space: bool,
}

/// Splits `text` into pieces: single CJK characters, Latin words, spaces.
fn atoms(text: &str, width: &impl Fn(char) -> f32) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let mut word = String::new();
    let mut word_w = 0.0;
    let flush = |out: &mut Vec<Piece>, word: &mut String, w: &mut f32| {
        if !word.is_empty() {
            out.push(Piece {
                text: std::mem::take(word),
                width: *w,
                space: false,
            });
            *w = 0.0;
        }
    };
    for c in text.chars() {
        if c.is_whitespace() {
            flush(&mut out, &mut word, &mut word_w);
            out.push(Piece {
                text: " ".into(),
                width: width(' '),
                space: true,
            });
        } else if is_cjk(c) || NO_START.contains(c) || NO_END.contains(c) {
            flush(&mut out, &mut word, &mut word_w);
            out.push(Piece {
                text: c.to_string(),
                width: width(c),
                space: false,
            });
        } else {
            word.push(c);
            word_w += width(c);
        }
    }
    flush(&mut out, &mut word, &mut word_w);
    out
}

/// Glues pieces that may not be separated: closing punctuation to what precedes it, opening
/// punctuation to what follows it.
fn glue(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    let mut hold_open = false;
    for p in pieces {
        let first = p.text.chars().next().unwrap_or(' ');
        let closes = !p.space && NO_START.contains(first);
        let attach = match out.last() {
            Some(prev) if !prev.space => closes || hold_open,
            _ => false,
        };
        let opens = !p.space && p.text.chars().count() == 1 && NO_END.contains(first);
        if attach {
            let prev = out.last_mut().expect("checked");
            prev.text.push_str(&p.text);
            prev.width += p.width;
        } else {
            out.push(p);
        }
        hold_open = opens;
    }
    out
}

/// Breaks `text` into lines no wider than `max` (where a single character allows), honouring
/// hard line breaks in the text. `width` gives a character's advance at the size used.
pub fn break_lines(text: &str, max: f32, width: impl Fn(char) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let para = para.trim_end_matches('\r');
        let mut line = String::new();
        let mut line_w = 0.0f32;
        for piece in glue(atoms(para, &width)) {
            if piece.space {
                if !line.is_empty() {
                    line.push(' ');
                    line_w += piece.width;
                }
                continue;
            }
            if line_w + piece.width <= max {
                line.push_str(&piece.text);
                line_w += piece.width;
                continue;
            }
            if !line.is_empty() {
                let kept = line.trim_end().to_string();
                lines.push(kept);
                line.clear();
                line_w = 0.0;
            }
            if piece.width <= max {
                line.push_str(&piece.text);
                line_w = piece.width;
            } else {
                // Wider than a whole line (a long URL or number): cut it by characters.
                for c in piece.text.chars() {
                    let w = width(c);
                    if line_w + w > max && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += w;
                }
            }
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CJK characters 10 units wide, everything else 5.
    fn w(c: char) -> f32 {
        if is_cjk(c) {
            10.0
        } else {
            5.0
        }
    }

    #[test]
    fn chinese_breaks_anywhere_but_never_before_closing_or_after_opening_punctuation() {
        // Width 50: five characters a line. The comma would start line 2; it travels with the
        // character before it instead.
        let lines = break_lines("研发部负责，市场部配合推广活动。", 50.0, w);
        assert_eq!(lines.join(""), "研发部负责，市场部配合推广活动。");
        for l in &lines {
            let first = l.chars().next().unwrap();
            let last = l.chars().last().unwrap();
            assert!(
                !"。，、）」".contains(first),
                "line starts with {first}: {lines:?}"
            );
            assert!(!"（「“".contains(last), "line ends with {last}: {lines:?}");
            assert!(l.chars().map(w).sum::<f32>() <= 60.0, "{l} too wide");
        }
        assert!(lines.iter().all(|l| !l.starts_with('，')), "{lines:?}");

        // An opening bracket at the end of a line goes down with the word it opens.
        let lines = break_lines("一二三四（五六）七八", 50.0, w);
        assert!(lines.iter().all(|l| !l.ends_with('（')), "{lines:?}");
        assert!(lines.iter().any(|l| l.starts_with('（')), "{lines:?}");
        assert!(lines.iter().all(|l| !l.starts_with('）')), "{lines:?}");

        let lines = break_lines("他说“好的”。然后「开始」吧", 40.0, w);
        for l in &lines {
            assert!(!l.ends_with('“') && !l.ends_with('「'), "{lines:?}");
            assert!(!l.starts_with('。') && !l.starts_with('」'), "{lines:?}");
        }
    }

    #[test]
    fn latin_words_stay_whole_and_long_ones_are_cut() {
        let lines = break_lines("Launch the product in Q4 with sales", 60.0, w);
        for l in &lines {
            assert!(l.chars().count() * 5 <= 60, "{l}");
        }
        let words: Vec<&str> = lines.iter().flat_map(|l| l.split(' ')).collect();
        assert_eq!(
            words,
            ["Launch", "the", "product", "in", "Q4", "with", "sales"]
        );

        // Mixed: a Latin word inside Chinese text is not split.
        let lines = break_lines("使用Excel表格登记", 50.0, w);
        assert!(lines.iter().any(|l| l.contains("Excel")), "{lines:?}");

        // A word wider than the line is cut by characters, losing nothing.
        let url = "https://example.com/a/very/long/path";
        let lines = break_lines(url, 50.0, w);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), url);
    }

    #[test]
    fn hard_breaks_and_empty_text() {
        assert_eq!(break_lines("", 50.0, w), vec![String::new()]);
        assert_eq!(break_lines("甲\n乙", 50.0, w), vec!["甲", "乙"]);
        // Characters outside the BMP are single units too.
        assert!(is_cjk('𠮷'));
        assert_eq!(break_lines("𠮷野家", 20.0, w), vec!["𠮷野", "家"]);
    }
}
