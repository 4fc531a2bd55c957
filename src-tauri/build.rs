//! Build script: declares the app's commands so that each must be granted to a window in `capabilities/`,
//! and checks that `fonts/` (the bundle's resources, filled by `scripts/setup`) is there.

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for f in ["NotoSansCJK-Regular.ttc", "DejaVuSans.ttf"] {
        if !root.join("fonts").join(f).is_file() {
            panic!("fonts/{f} is missing: run scripts/setup, which copies the fonts PDFs embed (and the app bundle ships) from Debian's fonts-noto-cjk and fonts-dejavu-core");
        }
    }
    let commands: &[&str] = &include!("src/command_names.in");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri-build failed");
}
