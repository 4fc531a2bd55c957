//! The PostScript names of the faces in a font file (TrueType/OpenType, or a .ttc collection),
//! read from its `name` table with plain byte reads: which face of a collection is which, without
//! parsing its glyphs.

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The offsets of the faces' table directories: one for a plain font, several for a collection.
fn face_offsets(b: &[u8]) -> Vec<usize> {
    if b.get(0..4) == Some(b"ttcf") {
        let n = u32_at(b, 8).unwrap_or(0).min(256) as usize;
        (0..n)
            .filter_map(|i| u32_at(b, 12 + 4 * i).map(|o| o as usize))
            .collect()
    } else {
        vec![0]
    }
}

/// The PostScript name (name id 6) of the face whose table directory starts at `dir`.
fn postscript_name(b: &[u8], dir: usize) -> Option<String> {
    let tables = u16_at(b, dir + 4)? as usize;
    let name = (0..tables).find_map(|i| {
        let rec = dir + 12 + 16 * i;
        (b.get(rec..rec + 4)? == b"name").then(|| u32_at(b, rec + 8).map(|o| o as usize))?
    })?;
    let count = u16_at(b, name + 2)? as usize;
    let strings = name + u16_at(b, name + 4)? as usize;
    for i in 0..count {
        let rec = name + 6 + 12 * i;
        let (platform, name_id) = (u16_at(b, rec)?, u16_at(b, rec + 6)?);
        if name_id != 6 {
            continue;
        }
        let (len, off) = (u16_at(b, rec + 8)? as usize, u16_at(b, rec + 10)? as usize);
        let raw = b.get(strings + off..strings + off + len)?;
        let text = match platform {
            // Windows and Unicode platforms: UTF-16BE.
            0 | 3 => String::from_utf16_lossy(
                &raw.chunks_exact(2)
                    .map(|p| u16::from_be_bytes([p[0], p[1]]))
                    .collect::<Vec<_>>(),
            ),
            // Macintosh: PostScript names are ASCII.
            _ => raw.iter().map(|&c| c as char).collect(),
        };
        if !text.is_empty() {
            return Some(text);
        }
    }
    None
}

/// The PostScript name of every face in the file, by face index (`None`: unreadable).
pub fn face_names(bytes: &[u8]) -> Vec<Option<String>> {
    face_offsets(bytes)
        .into_iter()
        .map(|dir| postscript_name(bytes, dir))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::face_names;

    /// A minimal face: a table directory with one `name` table holding one PostScript name.
    fn face(ps: &str, utf16: bool, at: usize) -> Vec<u8> {
        let text: Vec<u8> = if utf16 {
            ps.encode_utf16().flat_map(|u| u.to_be_bytes()).collect()
        } else {
            ps.bytes().collect()
        };
        let name_at = at + 12 + 16;
        let mut b = vec![0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        b.extend(b"name");
        b.extend([0; 4]);
        b.extend((name_at as u32).to_be_bytes());
        b.extend(((18 + text.len()) as u32).to_be_bytes());
        // name table: format 0, one record, strings after it (6 + 12 bytes).
        b.extend([0, 0, 0, 1, 0, 18]);
        let platform: u16 = if utf16 { 3 } else { 1 };
        for v in [platform, 1, 0x409, 6, text.len() as u16, 0] {
            b.extend(v.to_be_bytes());
        }
        b.extend(text);
        b
    }

    #[test]
    fn names_of_a_plain_font_and_of_each_face_of_a_collection() {
        assert_eq!(
            face_names(&face("DejaVuSans", false, 0)),
            [Some("DejaVuSans".to_string())]
        );
        // A collection of two faces: header (12 bytes + 2 offsets), then the faces.
        let first = 20;
        let a = face("PingFangHK-Regular", true, first);
        let second = first + a.len();
        let b = face("PingFangSC-Regular", true, second);
        let mut ttc = b"ttcf".to_vec();
        ttc.extend([0, 1, 0, 0, 0, 0, 0, 2]);
        ttc.extend((first as u32).to_be_bytes());
        ttc.extend((second as u32).to_be_bytes());
        ttc.extend(a);
        ttc.extend(b);
        assert_eq!(
            face_names(&ttc),
            [
                Some("PingFangHK-Regular".to_string()),
                Some("PingFangSC-Regular".to_string())
            ]
        );
    }

    #[test]
    fn a_truncated_or_foreign_file_has_no_names_and_does_not_panic() {
        let whole = face("DejaVuSans", false, 0);
        for cut in 0..whole.len() {
            assert_eq!(face_names(&whole[..cut]), [None], "cut at {cut}");
        }
        assert_eq!(face_names(b"ttcf\0\x01\0\0\xff\xff\xff\xff"), Vec::new());
        assert_eq!(face_names(b"%PDF-1.7"), [None]);
    }

    #[test]
    fn the_debian_collection_has_simplified_chinese_as_its_third_face() {
        let path = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
        let Ok(bytes) = std::fs::read(path) else {
            eprintln!("{path} not installed (scripts/setup): skipped");
            return;
        };
        let names = face_names(&bytes);
        assert_eq!(
            names[2].as_deref(),
            Some("NotoSansCJKsc-Regular"),
            "{names:?}"
        );
        assert_eq!(names[0].as_deref(), Some("NotoSansCJKjp-Regular"));
    }
}
