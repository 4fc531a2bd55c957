// Text widths estimated without a layout, in em: what a list (<select class="fit">) needs so that its
// longest choice shows whole. WebKit sizes a select by its text and ignores the room the chevron
// takes, so the width is set from this (as --fit-em) instead. Pure; tested in measure.test.js.

/** The width of `text` in em: ideographs and full-width forms 1 em, other characters about 0.6 em. */
export function textEm(text) {
  let em = 0;
  for (const ch of String(text ?? '')) {
    const c = ch.codePointAt(0);
    const wide = (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xff60) || c >= 0x20000;
    em += wide ? 1 : 0.6;
  }
  return Math.round(em * 100) / 100;
}

/** The width in em of the longest of `texts`. */
export function longestEm(texts) {
  return texts.reduce((max, s) => Math.max(max, textEm(s)), 0);
}
