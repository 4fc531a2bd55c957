//! The fonts documents are set in: Noto Sans CJK SC (SIL OFL 1.1), shipped with the app, and a
//! Latin fallback for the odd symbol it lacks. A character in neither is drawn as a box and
//! reported, never left silently blank.
//!
//! The font files are not in the repository: `scripts/setup` takes them from the platform's
//! package registry (Debian's `fonts-noto-cjk`) into `fonts/`, and the bundle ships that folder
//! as a resource. Where else they are looked for, per OS, is the data of `font_places`.

use super::font_places::{self as places, Candidate, Os};
use crate::error::{Error, Result};
use printpdf::ParsedFont;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// The product name of the installed app (its Linux bundles keep resources in
/// `/usr/lib/<product>`), set once by the desktop layer before anything is exported.
static PRODUCT: OnceLock<String> = OnceLock::new();

/// Tells the font search the installed app's product name, so that the command line of an
/// installed app finds the fonts its bundle ships.
pub fn set_product_name(name: &str) {
    let _ = PRODUCT.set(name.to_string());
}

/// Folders searched, in order (see `font_places::search_order`): `LIAISON_FONT_DIR`, the ones the
/// caller names (the app's resource folder), the installed app's, the source tree's, the system's.
pub fn search_dirs(extra: &[PathBuf]) -> Vec<PathBuf> {
    let os = Os::CURRENT;
    let bundle = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .map(|dir| {
            let appdir = std::env::var_os("APPDIR").map(PathBuf::from);
            let product = PRODUCT.get().map(String::as_str).unwrap_or("liaison");
            places::bundle_dirs(os, &dir, product, appdir.as_deref())
        })
        .unwrap_or_default();
    let windir = std::env::var_os("WINDIR").map(PathBuf::from);
    let home = std::env::var_os("HOME").map(PathBuf::from);
    places::search_order(
        std::env::var_os("LIAISON_FONT_DIR").map(PathBuf::from),
        extra,
        bundle,
        // A build from the source tree: the folder scripts/setup fills.
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fonts"),
        places::system_dirs(os, windir.as_deref(), home.as_deref()),
    )
}

/// The files of `candidates` found in `dirs` (folders first, then files) that have one of the
/// candidate's faces, each with its bytes and the index of that face, read as they are asked for.
fn matches<'a>(
    dirs: &'a [PathBuf],
    candidates: &'a [Candidate],
) -> impl Iterator<Item = (PathBuf, Vec<u8>, usize)> + 'a {
    dirs.iter()
        .flat_map(move |dir| candidates.iter().map(move |c| (dir.join(c.file), c)))
        .filter_map(|(path, c)| {
            let bytes = std::fs::read(&path).ok()?;
            let names = super::sfnt::face_names(&bytes);
            let index = c
                .faces
                .iter()
                .find_map(|want| names.iter().position(|n| n.as_deref() == Some(*want)))?;
            Some((path, bytes, index))
        })
}

/// The first file of `candidates` in `dirs` that has one of the candidate's faces.
pub fn locate(dirs: &[PathBuf], candidates: &[Candidate]) -> Option<(PathBuf, Vec<u8>, usize)> {
    matches(dirs, candidates).next()
}

/// The refusal of an export when the main font is in none of `dirs`: which font, which files
/// would do, and every folder looked in.
fn missing(dirs: &[PathBuf], candidates: &[Candidate]) -> Error {
    let files: Vec<&str> = candidates.iter().map(|c| c.file).collect();
    let dirs: Vec<String> = dirs.iter().map(|d| tidy(d).display().to_string()).collect();
    Error::refused(
        "pdf.font_missing",
        &[
            ("font", places::MAIN_FONT.to_string()),
            ("files", files.join(", ")),
            ("dirs", dirs.join("; ")),
        ],
    )
}

/// `path` with `.` and `..` resolved in its text (`/usr/bin/../lib` → `/usr/lib`), as a message
/// shows it.
fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// A loaded face with its metrics cached per character.
pub struct Face {
    pub parsed: ParsedFont,
    pub path: PathBuf,
    upm: f32,
}

impl Face {
    /// The first face of `candidates` in `dirs` that parses (a damaged file is passed over).
    fn load(dirs: &[PathBuf], candidates: &[Candidate]) -> Option<Face> {
        matches(dirs, candidates).find_map(|(path, bytes, face)| {
            let mut warnings = Vec::new();
            let parsed = ParsedFont::from_bytes(&bytes, face, &mut warnings)?;
            let upm = f32::from(parsed.pdf_font_metrics.units_per_em.max(1));
            Some(Face { parsed, path, upm })
        })
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
        Fonts::load_from(&search_dirs(extra), Os::CURRENT)
    }

    /// Loads the fonts from `dirs` with the candidates of `os`.
    pub fn load_from(dirs: &[PathBuf], os: Os) -> Result<Fonts> {
        let main_candidates = places::main_candidates(os);
        let main =
            Face::load(dirs, &main_candidates).ok_or_else(|| missing(dirs, &main_candidates))?;
        let mut faces = vec![main];
        faces.extend(Face::load(dirs, &places::fallback_candidates(os)));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    const NOTO: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

    #[test]
    fn the_first_folder_holding_a_usable_face_wins_and_the_face_is_found_by_name() {
        if !Path::new(NOTO).exists() {
            eprintln!("{NOTO} not installed (scripts/setup): skipped");
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let (broken, shipped) = (tmp.path().join("broken"), tmp.path().join("shipped"));
        std::fs::create_dir_all(&broken).unwrap();
        std::fs::create_dir_all(&shipped).unwrap();
        // A file of the right name that is no font is passed over, not taken.
        std::fs::write(broken.join("NotoSansCJK-Regular.ttc"), b"not a font").unwrap();
        std::os::unix::fs::symlink(NOTO, shipped.join("NotoSansCJK-Regular.ttc")).unwrap();
        let system = PathBuf::from("/usr/share/fonts/opentype/noto");
        let dirs = [broken.clone(), shipped.clone(), system.clone()];
        let (path, _, face) = locate(&dirs, &places::main_candidates(Os::Linux)).unwrap();
        assert_eq!(path, shipped.join("NotoSansCJK-Regular.ttc"));
        assert_eq!(face, 2, "the Simplified Chinese face of the collection");
        let (path, _, _) = locate(
            &[broken, system.clone()],
            &places::main_candidates(Os::Linux),
        )
        .unwrap();
        assert_eq!(path, system.join("NotoSansCJK-Regular.ttc"));
        // The fallback list does not take the CJK collection for DejaVu.
        assert!(locate(&[shipped], &places::fallback_candidates(Os::Linux)).is_none());
    }

    #[test]
    fn no_font_anywhere_says_which_font_and_every_folder_looked_in() {
        let tmp = tempfile::tempdir().unwrap();
        let dirs = [
            tmp.path().join("资源/fonts"),
            tmp.path().join("Windows/Fonts"),
        ];
        let Err(e) = Fonts::load_from(&dirs, Os::Windows) else {
            panic!("no font in empty folders");
        };
        assert_eq!(e.key(), "pdf.font_missing");
        for lang in [Lang::Zh, Lang::En] {
            let m = e.message(lang);
            for needle in [
                "Noto Sans CJK SC",
                "NotoSansCJK-Regular.ttc",
                "msyh.ttc",
                "simsun.ttc",
            ] {
                assert!(m.contains(needle), "{needle} not in {m}");
            }
            for d in &dirs {
                assert!(
                    m.contains(&d.display().to_string()),
                    "{} not in {m}",
                    d.display()
                );
            }
            assert!(!m.contains('{'), "every placeholder filled: {m}");
        }
        assert!(e.message(Lang::Zh).contains("找不到"));
        let shown = missing(&[PathBuf::from("/opt/l/bin/../lib/./Liaison/fonts")], &[]);
        assert!(
            shown.message(Lang::En).contains("/opt/l/lib/Liaison/fonts"),
            "{}",
            shown.message(Lang::En)
        );
        // Every folder the real search uses is named too, the resource folder first.
        let res = tmp.path().join("res");
        let order = search_dirs(std::slice::from_ref(&res));
        let env_first = usize::from(std::env::var_os("LIAISON_FONT_DIR").is_some());
        assert_eq!(order[env_first], res);
    }
}
