//! The fonts documents are set in: Noto Sans CJK SC (SIL OFL 1.1), shipped with the app, and a
//! Latin fallback for the odd symbol it lacks. A character in neither is drawn as a box and
//! reported, never left silently blank.
//!
//! The font files are not in the repository: `scripts/setup` takes them from the platform's
//! package registry (Debian's `fonts-noto-cjk`) into `fonts/`, and the bundle ships that folder.

use crate::error::{Error, Result};
use printpdf::ParsedFont;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// A font file and the face in it to use.
struct Candidate {
    file: &'static str,
    face: usize,
}

/// The main face: Noto Sans CJK SC, as a collection (face 2 is Simplified Chinese) or alone.
const MAIN: &[Candidate] = &[
    Candidate {
        file: "NotoSansCJK-Regular.ttc",
        face: 2,
    },
    Candidate {
        file: "NotoSansCJKsc-Regular.otf",
        face: 0,
    },
    Candidate {
        file: "NotoSansSC-Regular.otf",
        face: 0,
    },
];

/// A fallback for symbols the CJK face lacks.
const FALLBACK: &[Candidate] = &[Candidate {
    file: "DejaVuSans.ttf",
    face: 0,
}];

/// Folders searched, after the ones the caller names (the app's resource folder).
fn search_dirs(extra: &[PathBuf]) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(d) = std::env::var_os("LIAISON_FONT_DIR") {
        dirs.push(PathBuf::from(d));
    }
    dirs.extend(extra.iter().cloned());
    if let Ok(exe) = std::env::current_exe() {
        if let Some(dir) = exe.parent() {
            dirs.push(dir.join("fonts"));
            dirs.push(dir.join("../lib/liaison/fonts"));
            dirs.push(dir.join("../Resources/fonts"));
        }
    }
    // A build from the source tree: the folder scripts/setup fills.
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fonts"));
    for d in [
        "/usr/share/fonts/opentype/noto",
        "/usr/share/fonts/noto-cjk",
        "/usr/share/fonts/google-noto-cjk",
        "/usr/share/fonts/truetype/dejavu",
        "/usr/share/fonts/TTF",
    ] {
        dirs.push(PathBuf::from(d));
    }
    dirs
}

/// A loaded face with its metrics cached per character.
pub struct Face {
    pub parsed: ParsedFont,
    pub path: PathBuf,
    upm: f32,
}

impl Face {
    fn load(dirs: &[PathBuf], candidates: &[Candidate]) -> Option<Face> {
        for dir in dirs {
            for c in candidates {
                let path = dir.join(c.file);
                let Ok(bytes) = std::fs::read(&path) else {
                    continue;
                };
                let mut warnings = Vec::new();
                if let Some(parsed) = ParsedFont::from_bytes(&bytes, c.face, &mut warnings) {
                    let upm = f32::from(parsed.pdf_font_metrics.units_per_em.max(1));
                    return Some(Face { parsed, path, upm });
                }
            }
        }
        None
    }

    /// The glyph of `c` and its advance in ems, if the face has it.
    fn advance(&self, c: char) -> Option<(u16, f32)> {
        let gid = self.parsed.lookup_glyph_index(c as u32)?;
        if gid == 0 {
            return None;
        }
        Some((
            gid,
            f32::from(self.parsed.get_horizontal_advance(gid)) / self.upm,
        ))
    }
}

/// Which face has a character, its glyph id there, and its advance in ems.
type Found = (usize, u16, f32);

/// The faces a document uses, main first.
pub struct Fonts {
    pub faces: Vec<Face>,
    /// Per character: which face has it, its glyph and its advance in ems (`None`: no face has
    /// it). Looking a character up in a CJK font's cmap is slow; each is looked up once.
    metrics: Mutex<HashMap<char, Option<Found>>>,
}

/// Which face sets a character, and how wide it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Glyph {
    In { face: usize, gid: u16, em: f32 },
    Missing,
}

impl Fonts {
    /// Loads the fonts, searching `extra` folders first. Refuses with a clear message when the
    /// Chinese font is not installed.
    pub fn load(extra: &[PathBuf]) -> Result<Fonts> {
        let dirs = search_dirs(extra);
        let main = Face::load(&dirs, MAIN).ok_or_else(|| {
            Error::refused(
                "pdf.font_missing",
                &[("files", "NotoSansCJK-Regular.ttc".to_string())],
            )
        })?;
        let mut faces = vec![main];
        faces.extend(Face::load(&dirs, FALLBACK));
        Ok(Fonts {
            faces,
            metrics: Mutex::new(HashMap::new()),
        })
    }

    /// The fonts of this process, loaded once (parsing a CJK collection takes a while).
    pub fn shared(extra: &[PathBuf]) -> Result<&'static Fonts> {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        if let Some(f) = FONTS.get() {
            return Ok(f);
        }
        let loaded = Fonts::load(extra)?;
        Ok(FONTS.get_or_init(|| loaded))
    }

    /// Which face sets `c` and its advance in ems.
    pub fn glyph(&self, c: char) -> Glyph {
        let mut m = self.metrics.lock().unwrap_or_else(|e| e.into_inner());
        let hit = *m.entry(c).or_insert_with(|| {
            self.faces
                .iter()
                .enumerate()
                .find_map(|(i, f)| f.advance(c).map(|(gid, em)| (i, gid, em)))
        });
        match hit {
            Some((face, gid, em)) => Glyph::In { face, gid, em },
            None => Glyph::Missing,
        }
    }

    /// The width of `c` at `size` points (a missing character is drawn as a box of 0.6 em).
    pub fn width(&self, c: char, size: f32) -> f32 {
        if c == '\t' {
            return size;
        }
        match self.glyph(c) {
            Glyph::In { em, .. } => em * size,
            Glyph::Missing => 0.6 * size,
        }
    }
}
