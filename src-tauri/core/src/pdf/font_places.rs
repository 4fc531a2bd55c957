//! Where documents' fonts are looked for, as data: the files and faces that will do on each
//! operating system, and the folders of an installed app and of the system, per OS.
//!
//! The lists take the OS as an argument so that all three are tested on any machine; the running
//! one is chosen at compile time (`Os::CURRENT`).

use std::path::{Path, PathBuf};

/// The operating systems whose font folders Liaison knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Linux,
    MacOs,
    Windows,
}

impl Os {
    #[cfg(target_os = "windows")]
    pub const CURRENT: Os = Os::Windows;
    #[cfg(target_os = "macos")]
    pub const CURRENT: Os = Os::MacOs;
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    pub const CURRENT: Os = Os::Linux;
}

/// A font file and the faces in it that will do, by PostScript name, best first. In a collection
/// (.ttc) the face is found by its name, never by a position that differs between versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub file: &'static str,
    pub faces: &'static [&'static str],
}

const fn c(file: &'static str, faces: &'static [&'static str]) -> Candidate {
    Candidate { file, faces }
}

/// The name documents give the main font when it is missing.
pub const MAIN_FONT: &str = "Noto Sans CJK SC";

/// Noto Sans CJK SC (SIL OFL 1.1), the face the app ships: the collection Debian's
/// `fonts-noto-cjk` installs (Simplified Chinese is one face of it), or the region's own file.
const NOTO: &[Candidate] = &[
    c("NotoSansCJK-Regular.ttc", &["NotoSansCJKsc-Regular"]),
    c("NotoSansCJKsc-Regular.otf", &["NotoSansCJKsc-Regular"]),
    c("NotoSansSC-Regular.otf", &["NotoSansSC-Regular"]),
];

/// Microsoft YaHei (face 0 of msyh.ttc; face 1 is "YaHei UI"), then SimSun (face 0 of
/// simsun.ttc; face 1 is NSimSun, the monospaced one).
const WINDOWS_MAIN: &[Candidate] = &[
    c("msyh.ttc", &["MicrosoftYaHei"]),
    c("msyh.ttf", &["MicrosoftYaHei"]),
    c("simsun.ttc", &["SimSun"]),
];

/// PingFang SC (one face of PingFang.ttc among the HK and TC ones), then Heiti SC, Hiragino GB.
const MACOS_MAIN: &[Candidate] = &[
    c("PingFang.ttc", &["PingFangSC-Regular"]),
    c("STHeiti Light.ttc", &["STHeitiSC-Light"]),
    c("STHeiti Medium.ttc", &["STHeitiSC-Medium"]),
    c("Hiragino Sans GB.ttc", &["HiraginoSansGB-W3"]),
];

const WINDOWS_FALLBACK: &[Candidate] =
    &[c("segoeui.ttf", &["SegoeUI"]), c("arial.ttf", &["ArialMT"])];

const MACOS_FALLBACK: &[Candidate] = &[c("Arial Unicode.ttf", &["ArialUnicodeMS"])];

/// The system's own Simplified Chinese faces, used only when the shipped font is not found.
fn system_main(os: Os) -> &'static [Candidate] {
    match os {
        // Debian's, Fedora's and Arch's Noto packages: the same files as shipped.
        Os::Linux => &[],
        Os::Windows => WINDOWS_MAIN,
        Os::MacOs => MACOS_MAIN,
    }
}

/// The candidates for the main face on `os`, in order: the shipped font, then the system's.
pub fn main_candidates(os: Os) -> Vec<Candidate> {
    NOTO.iter().chain(system_main(os)).copied().collect()
}

/// The candidates for the fallback face (symbols the CJK face lacks) on `os`.
pub fn fallback_candidates(os: Os) -> Vec<Candidate> {
    let shipped = c("DejaVuSans.ttf", &["DejaVuSans"]);
    let system: &[Candidate] = match os {
        Os::Linux => &[],
        Os::Windows => WINDOWS_FALLBACK,
        Os::MacOs => MACOS_FALLBACK,
    };
    std::iter::once(shipped)
        .chain(system.iter().copied())
        .collect()
}

/// Where an installed app keeps its resources' `fonts/` on `os`, given the folder of its
/// executable, the product name (the Linux bundles' `/usr/lib/<product>`) and, in an AppImage,
/// `$APPDIR`. A build in `target/` keeps them beside the executable (Tauri copies them there).
pub fn bundle_dirs(os: Os, exe_dir: &Path, product: &str, appdir: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs = vec![exe_dir.join("fonts")];
    match os {
        Os::Windows => {}
        Os::MacOs => dirs.push(exe_dir.join("../Resources/fonts")),
        Os::Linux => {
            dirs.push(exe_dir.join("../lib").join(product).join("fonts"));
            if let Some(a) = appdir {
                dirs.push(a.join("usr/lib").join(product).join("fonts"));
            }
        }
    }
    dirs
}

/// The system's font folders on `os`. `windir` is `%WINDIR%` (Windows), `home` the user's home
/// folder (macOS keeps per-user fonts there).
pub fn system_dirs(os: Os, windir: Option<&Path>, home: Option<&Path>) -> Vec<PathBuf> {
    match os {
        Os::Linux => [
            "/usr/share/fonts/opentype/noto",
            "/usr/share/fonts/noto-cjk",
            "/usr/share/fonts/google-noto-cjk",
            "/usr/share/fonts/truetype/dejavu",
            "/usr/share/fonts/TTF",
        ]
        .iter()
        .map(PathBuf::from)
        .collect(),
        Os::Windows => vec![windir
            .unwrap_or_else(|| Path::new(r"C:\Windows"))
            .join("Fonts")],
        Os::MacOs => {
            let mut dirs: Vec<PathBuf> = [
                "/System/Library/Fonts",
                "/System/Library/Fonts/Supplemental",
                "/Library/Fonts",
            ]
            .iter()
            .map(PathBuf::from)
            .collect();
            if let Some(h) = home {
                dirs.push(h.join("Library/Fonts"));
            }
            dirs
        }
    }
}

/// The folders searched, in order: the one `LIAISON_FONT_DIR` names, the caller's (the app's
/// resource folder), the installed app's, the source tree's `fonts/` (a build from a clone, filled
/// by `scripts/setup`), then the system's. A folder named twice is searched once.
pub fn search_order(
    env_dir: Option<PathBuf>,
    extra: &[PathBuf],
    bundle: Vec<PathBuf>,
    source_tree: PathBuf,
    system: Vec<PathBuf>,
) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    let all = env_dir
        .into_iter()
        .chain(extra.iter().cloned())
        .chain(bundle)
        .chain(std::iter::once(source_tree))
        .chain(system);
    for d in all {
        if !dirs.contains(&d) {
            dirs.push(d);
        }
    }
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[Candidate]) -> Vec<&str> {
        list.iter().map(|c| c.file).collect()
    }

    #[test]
    fn every_os_tries_the_shipped_noto_first_then_its_own_chinese_faces() {
        for os in [Os::Linux, Os::MacOs, Os::Windows] {
            let main = main_candidates(os);
            assert_eq!(
                main[0],
                c("NotoSansCJK-Regular.ttc", &["NotoSansCJKsc-Regular"])
            );
            assert!(files(&main[..3]).iter().all(|f| f.starts_with("NotoSans")));
            assert_eq!(fallback_candidates(os)[0].file, "DejaVuSans.ttf");
        }
        assert_eq!(
            main_candidates(Os::Linux).len(),
            3,
            "Linux: the Noto files only"
        );
        assert_eq!(
            files(&main_candidates(Os::Windows)[3..]),
            ["msyh.ttc", "msyh.ttf", "simsun.ttc"]
        );
        assert_eq!(
            files(&main_candidates(Os::MacOs)[3..]),
            [
                "PingFang.ttc",
                "STHeiti Light.ttc",
                "STHeiti Medium.ttc",
                "Hiragino Sans GB.ttc"
            ]
        );
    }

    #[test]
    fn system_collections_are_picked_by_their_simplified_chinese_face() {
        let face = |os, file: &str| {
            main_candidates(os)
                .into_iter()
                .find(|c| c.file == file)
                .map(|c| c.faces.to_vec())
        };
        // Not YaHei UI, not NSimSun, not PingFang HK/TC, not Heiti TC.
        assert_eq!(face(Os::Windows, "msyh.ttc"), Some(vec!["MicrosoftYaHei"]));
        assert_eq!(face(Os::Windows, "simsun.ttc"), Some(vec!["SimSun"]));
        assert_eq!(
            face(Os::MacOs, "PingFang.ttc"),
            Some(vec!["PingFangSC-Regular"])
        );
        assert_eq!(
            face(Os::MacOs, "STHeiti Light.ttc"),
            Some(vec!["STHeitiSC-Light"])
        );
        assert_eq!(face(Os::Linux, "msyh.ttc"), None);
        assert_eq!(face(Os::Windows, "PingFang.ttc"), None);
    }

    #[test]
    fn system_folders_per_os() {
        assert_eq!(
            system_dirs(Os::Windows, Some(Path::new(r"D:\WINNT")), None),
            [Path::new(r"D:\WINNT").join("Fonts")]
        );
        assert_eq!(
            system_dirs(Os::Windows, None, None),
            [Path::new(r"C:\Windows").join("Fonts")]
        );
        let mac = system_dirs(Os::MacOs, None, Some(Path::new("/Users/li")));
        assert_eq!(mac[0], Path::new("/System/Library/Fonts"));
        assert_eq!(mac.last().unwrap(), Path::new("/Users/li/Library/Fonts"));
        let linux = system_dirs(Os::Linux, Some(Path::new("/ignored")), None);
        assert_eq!(linux[0], Path::new("/usr/share/fonts/opentype/noto"));
        assert!(linux.contains(&PathBuf::from("/usr/share/fonts/truetype/dejavu")));
        assert!(linux.iter().all(|d| d.starts_with("/usr/share/fonts")));
    }

    #[test]
    fn an_installed_app_keeps_its_fonts_where_each_os_bundles_resources() {
        let exe = Path::new("/opt/x/bin");
        assert_eq!(
            bundle_dirs(Os::Windows, exe, "Liaison", None),
            [exe.join("fonts")]
        );
        assert_eq!(
            bundle_dirs(Os::MacOs, exe, "Liaison", None),
            [exe.join("fonts"), exe.join("../Resources/fonts")]
        );
        assert_eq!(
            bundle_dirs(
                Os::Linux,
                exe,
                "Liaison 协作台",
                Some(Path::new("/tmp/.mount"))
            ),
            [
                exe.join("fonts"),
                exe.join("../lib/Liaison 协作台/fonts"),
                PathBuf::from("/tmp/.mount/usr/lib/Liaison 协作台/fonts")
            ]
        );
    }

    #[test]
    fn the_resource_folder_comes_before_the_system_and_nothing_is_searched_twice() {
        let p = PathBuf::from;
        let order = search_order(
            Some(p("/env")),
            &[p("/res/fonts"), p("/env")],
            vec![p("/exe/fonts")],
            p("/src/fonts"),
            vec![p("/sys"), p("/res/fonts")],
        );
        assert_eq!(
            order,
            [
                p("/env"),
                p("/res/fonts"),
                p("/exe/fonts"),
                p("/src/fonts"),
                p("/sys")
            ]
        );
        let order = search_order(None, &[], vec![], p("/src/fonts"), vec![p("/sys")]);
        assert_eq!(order, [p("/src/fonts"), p("/sys")]);
    }
}
