//! Terminal output of the command line: control characters shown as visible signs, never sent.

use super::*;

/// `text` with every control character shown as a visible sign: C0 codes as their Unicode
/// pictures (ESC → ␛, BEL → ␇, NUL → ␀), DEL as ␡, C1 codes and the bidirectional overrides
/// (which reorder what a terminal shows) as `\u0085`-style escapes (also valid inside JSON
/// strings). Line breaks and tabs stay.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if !hidden(c) => out.push(c),
            '\u{0}'..='\u{1F}' => {
                out.push(char::from_u32(0x2400 + c as u32).expect("control pictures"))
            }
            '\u{7F}' => out.push('\u{2421}'),
            c => out.push_str(&format!("\\u{:04x}", c as u32)),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A writer that passes text through [`visible`].
pub(super) struct Visible<'a>(pub(super) &'a mut dyn Write);

impl Write for Visible<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // Formatting writes whole `str` pieces, so a piece is valid UTF-8 on its own.
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(visible(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}
