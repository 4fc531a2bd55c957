//! The renderer read back with poppler: text extracts, fonts are embedded subsets, tables repeat
//! their header, lines follow the Chinese rules.

use super::*;
use std::process::Command;

fn fonts() -> &'static Fonts {
    Fonts::shared(&[]).expect("the CJK font is installed (scripts/setup)")
}

fn doc(blocks: Vec<Block>) -> Doc {
    Doc {
        lang: Lang::Zh,
        title: "测试文档".into(),
        subtitle: "新品上市项目".into(),
        landscape: false,
        blocks,
        fingerprint: "ab".repeat(32),
        author: "张三".into(),
        subject: "测试".into(),
        identifier: "liaison:test".into(),
        keywords: vec![],
    }
}

/// Writes the PDF and runs a poppler tool on it.
/// The file is kept in the temporary folder (`liaison-pdf-tests/`) to be looked at.
fn poppler(bytes: &[u8], tool: &str, args: &[&str]) -> String {
    let dir = std::env::temp_dir().join("liaison-pdf-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let name = std::thread::current()
        .name()
        .unwrap_or("t")
        .replace("::", "-");
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new(tool)
        .args(args)
        .arg(&path)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) runs: {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| *c != ' ').collect()
}

#[test]
fn rare_and_traditional_characters_extract_and_the_font_is_an_embedded_subset() {
    let para = "吉野家的「𠮷」字與繁體中文段落：臺灣、廣東、後續協調會議記錄。";
    let r = render(
        &doc(vec![
            Block::Fields(vec![("负责人".into(), "𠮷田 优子".into())]),
            Block::Para(para.into()),
        ]),
        fonts(),
    )
    .unwrap();
    assert!(r.missing.is_empty(), "{:?}", r.missing);
    let text = poppler(&r.bytes, "pdftotext", &[]);
    assert!(text.contains("𠮷田 优子"), "{text}");
    assert!(text.replace('\n', "").contains(para), "{text}");
    // pdftotext drops the spaces between Chinese and digits.
    assert!(squeeze(&text).contains("第1页/共1页"), "{text}");
    let fonts = poppler(&r.bytes, "pdffonts", &[]);
    let row = fonts
        .lines()
        .find(|l| l.contains("NotoSansCJK"))
        .unwrap_or_else(|| panic!("{fonts}"));
    // "emb sub uni" columns: yes yes yes; a subset's name has a six-letter tag.
    assert!(row.contains("yes yes yes"), "{row}");
    assert!(
        row.split_whitespace().next().unwrap().chars().nth(6) == Some('+'),
        "{row}"
    );
    assert!(r.bytes.len() < 300_000, "{} bytes", r.bytes.len());
}

#[test]
fn a_long_table_repeats_its_header_on_every_page_and_counts_pages() {
    let rows: Vec<Vec<String>> = (1..=150)
        .map(|i| {
            vec![
                i.to_string(),
                format!("任务{i}：完成渠道铺货，覆盖华东区域门店"),
                "市场部".into(),
            ]
        })
        .collect();
    let r = render(
        &doc(vec![Block::Table(Table {
            columns: vec![
                Column::new("序号", 0.1),
                Column::new("任务名称", 0.6),
                Column::new("主导部门", 0.3),
            ],
            rows,
            label_first: false,
            min_row: 0.0,
        })]),
        fonts(),
    )
    .unwrap();
    assert!(r.pages >= 3, "{} pages", r.pages);
    let text = poppler(&r.bytes, "pdftotext", &[]);
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(pages.len(), r.pages);
    for (i, p) in pages.iter().enumerate() {
        assert!(
            p.contains("任务名称"),
            "page {} has no header row:\n{p}",
            i + 1
        );
        let footer = format!("第{}页/共{}页", i + 1, r.pages);
        assert!(
            squeeze(p).contains(&footer),
            "page {} lacks {footer}",
            i + 1
        );
        assert!(
            p.contains(&"ab".repeat(32)),
            "page {} lacks the fingerprint",
            i + 1
        );
    }
    for i in [1, 75, 150] {
        assert!(text.contains(&format!("任务{i}：")), "row {i} lost");
    }
}

#[test]
fn lines_in_the_pdf_never_start_with_closing_or_end_with_opening_punctuation() {
    let s = "项目目标（首月销量）达到一万件，渠道覆盖率达到百分之八十。市场部负责推广「新品」，研发部负责“技术支持”，销售部负责铺货、培训、回款。".repeat(8);
    let r = render(&doc(vec![Block::Para(s.clone())]), fonts()).unwrap();
    let text = poppler(&r.bytes, "pdftotext", &[]);
    let body: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("项目") || l.contains("负责") || l.len() > 20)
        .collect();
    assert!(body.len() > 5, "{text}");
    for l in &body {
        let l = l.trim();
        let first = l.chars().next().unwrap();
        let last = l.chars().last().unwrap();
        assert!(
            !"。，、）」”".contains(first),
            "line starts with {first}: {l}"
        );
        assert!(!"（「“".contains(last), "line ends with {last}: {l}");
    }
    assert!(text.replace('\n', "").contains(&s[..60]));
}

#[test]
fn a_character_no_font_has_is_reported_not_left_blank() {
    // A private-use character: no font has it.
    let r = render(
        &doc(vec![Block::Para("私用区字符\u{E000}在此".into())]),
        fonts(),
    )
    .unwrap();
    assert_eq!(r.missing, vec!['\u{E000}']);
    // A symbol the CJK face lacks comes from the fallback face when one is installed.
    let fonts = fonts();
    if fonts.faces.len() > 1 {
        let c = '\u{2654}'; // ♔
        assert!(
            matches!(fonts.glyph(c), Glyph::In { face: 1, .. }),
            "{:?}",
            fonts.glyph(c)
        );
    }
}

#[test]
fn a_short_row_moves_whole_to_the_next_page_and_its_heading_and_header_go_with_it() {
    // Fill the page with k paragraphs so that the section (heading, note, table of one three-line
    // row) meets the page's end at every possible line: the row is never cut in two, and neither
    // the heading nor the table's header is left alone at the bottom of a page.
    let mut straddled = 0;
    // Paragraphs and notes differ in height, so together they reach the page's end in small steps.
    for (k, j) in (24..40).flat_map(|k| (0..4).map(move |j| (k, j))) {
        let mut blocks: Vec<Block> = (0..k).map(|i| Block::Para(format!("第{i}段"))).collect();
        blocks.extend((0..j).map(|i| Block::Note(format!("注{i}"))));
        blocks.push(Block::Heading("签核记录".into()));
        blocks.push(Block::Note("第 1 版 · 已签核通过".into()));
        blocks.push(Block::Table(Table {
            columns: vec![Column::new("姓名", 0.3), Column::new("签字", 0.7)],
            rows: vec![vec![
                "李娜".into(),
                "电子签名\n密钥指纹行一\n密钥指纹行二".into(),
            ]],
            label_first: false,
            min_row: 0.0,
        }));
        let r = render(&doc(blocks), fonts()).unwrap();
        let text = poppler(&r.bytes, "pdftotext", &[]);
        let pages: Vec<&str> = text.split('\u{c}').collect();
        let page_of = |needle: &str| pages.iter().position(|p| p.contains(needle));
        let at = [
            page_of("签核记录"),
            page_of("已签核通过"),
            page_of("签字"),
            page_of("电子签名"),
            page_of("密钥指纹行一"),
            page_of("密钥指纹行二"),
        ];
        assert!(at.iter().all(Option::is_some), "{k}/{j}: {text}");
        assert!(
            at.iter().all(|p| *p == at[0]),
            "{k}/{j}: the section was cut: {at:?}"
        );
        if at[0] == Some(1) {
            straddled += 1;
        }
    }
    assert!(straddled > 0, "no filler put the row on the second page");
}
