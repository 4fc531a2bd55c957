//! The installers tried as a user's machine runs them (slow, so ignored by default: `scripts/package`
//! builds the bundles and then runs these, `scripts/package --check` runs only these): the unpacked
//! .deb and the release binary export a PDF with the system's font folders hidden, in a private
//! mount namespace (`unshare -m`, an empty folder bound over `/usr/share/fonts`), and the PDF embeds
//! the Noto subset.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Runs `bin` with `args` in a private mount namespace where each folder of `hidden` is empty, and
/// without `LIAISON_FONT_DIR`.
fn run_hidden(bin: &Path, args: &[&Path], hidden: &[PathBuf], home: &Path) -> Output {
    let empty = home.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let script = r#"set -e
e=$1; b=$2; n=$3; shift 3
i=0
for d in "$@"; do
  i=$((i + 1))
  if [ "$i" -le "$n" ]; then
    if [ -d "$d" ]; then mount --bind "$e" "$d"; fi
  fi
done
shift "$n"
exec "$b" "$@""#;
    Command::new("unshare")
        .arg("-m")
        .args(["sh", "-c", script, "sh"])
        .arg(&empty)
        .arg(bin)
        .arg(hidden.len().to_string())
        .args(hidden)
        .args(args)
        .env_remove("LIAISON_FONT_DIR")
        .env("LIAISON_LANG", "zh-CN")
        .env("LIAISON_DEMO_TODAY", "2023-10-27")
        .env("LIAISON_CONFIG_DIR", home.join("config"))
        .env("LIAISON_DOCUMENTS_DIR", home.join("docs"))
        .output()
        .expect("unshare (util-linux) runs")
}

/// Writes the sample with `bin`, exports its registration with the `hidden` folders empty, and
/// returns the command's output and the PDF's path.
fn export_sample(bin: &Path, hidden: &[PathBuf], home: &Path) -> (Output, PathBuf) {
    let sample = home.join("示例.liaison");
    let pdf = home.join("立项登记表.pdf");
    let _ = std::fs::remove_file(&pdf);
    if !sample.exists() {
        let o = run_hidden(bin, &[Path::new("demo"), &sample], &[], home);
        assert!(o.status.success(), "demo: {}", text(&o));
    }
    let args: [&Path; 6] = [
        Path::new("export"),
        Path::new("registration"),
        &sample,
        Path::new("--out"),
        &pdf,
        Path::new("--force"),
    ];
    (run_hidden(bin, &args, hidden, home), pdf)
}

/// The PDF embeds a subset of Noto Sans CJK SC (`pdffonts`: a `ABCDEF+` name, embedded, subset).
fn assert_noto_subset(pdf: &Path) {
    let o = Command::new("pdffonts")
        .arg(pdf)
        .output()
        .expect("pdffonts");
    let fonts = String::from_utf8_lossy(&o.stdout).into_owned();
    let noto = fonts
        .lines()
        .find(|l| l.contains("NotoSansCJKsc-Regular"))
        .unwrap_or_else(|| panic!("no Noto Sans CJK SC in:\n{fonts}"));
    let name = noto.split_whitespace().next().unwrap_or_default();
    assert!(
        name.len() > 7 && name.as_bytes()[6] == b'+',
        "not a subset: {noto}"
    );
    assert!(noto.contains("yes yes"), "not embedded as a subset: {noto}");
    eprintln!("{pdf:?}: {noto}");
}

#[test]
#[ignore = "slow: needs the .deb of scripts/package, root (unshare -m) and pdffonts"]
fn package_the_unpacked_deb_exports_with_its_own_font_while_the_system_fonts_are_hidden() {
    let bundles = root().join("target/release/bundle/deb");
    let deb = std::fs::read_dir(&bundles)
        .ok()
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "deb"))
        .unwrap_or_else(|| panic!("no .deb in {}: run scripts/package", bundles.display()));
    let home = tempfile::tempdir().unwrap();
    let unpacked = home.path().join("unpacked");
    let o = Command::new("dpkg-deb")
        .arg("-x")
        .arg(&deb)
        .arg(&unpacked)
        .output()
        .expect("dpkg-deb");
    assert!(o.status.success(), "dpkg -x: {}", text(&o));
    let bin = unpacked.join("usr/bin/liaison");
    assert!(bin.is_file(), "{} in the .deb", bin.display());
    // The bundle ships the font and its licence in its resource folder (/usr/lib/<product>/fonts).
    let fonts = std::fs::read_dir(unpacked.join("usr/lib"))
        .unwrap()
        .flatten()
        .map(|e| e.path().join("fonts"))
        .find(|d| d.join("NotoSansCJK-Regular.ttc").is_file())
        .expect("fonts/NotoSansCJK-Regular.ttc under usr/lib/<product> in the .deb");
    for f in [
        "LICENSE-NotoSansCJK.txt",
        "DejaVuSans.ttf",
        "LICENSE-DejaVu.txt",
    ] {
        assert!(fonts.join(f).is_file(), "{f} in {}", fonts.display());
    }
    // Hidden: the system's fonts and the source tree's (the build's own fallback folder).
    let hidden = vec![PathBuf::from("/usr/share/fonts"), root().join("fonts")];
    let (o, pdf) = export_sample(&bin, &hidden, home.path());
    assert!(o.status.success(), "export: {}", text(&o));
    assert_noto_subset(&pdf);

    // The same with the bundle's folder hidden too: refused, naming the font and where it looked.
    let mut all = hidden.clone();
    all.push(fonts.clone());
    let (o, pdf) = export_sample(&bin, &all, home.path());
    assert!(!o.status.success(), "exported with no font at all");
    assert!(!pdf.exists());
    let said = text(&o);
    for needle in [
        "Noto Sans CJK SC",
        "NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto",
    ] {
        assert!(said.contains(needle), "{needle} not in: {said}");
    }
    assert!(
        said.contains(&fonts.display().to_string()),
        "the bundle's folder not named: {said}"
    );
}

#[test]
#[ignore = "slow: needs the release build (scripts/run or scripts/package), root (unshare -m) and pdffonts"]
fn package_the_release_build_exports_with_the_source_trees_font_while_the_system_fonts_are_hidden()
{
    let bin = root().join("target/release/liaison");
    assert!(
        bin.is_file(),
        "{}: build it with scripts/run or scripts/package",
        bin.display()
    );
    let home = tempfile::tempdir().unwrap();
    let (o, pdf) = export_sample(&bin, &[PathBuf::from("/usr/share/fonts")], home.path());
    assert!(o.status.success(), "export: {}", text(&o));
    assert_noto_subset(&pdf);
}
