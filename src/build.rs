//! Build script:
//! - rebuild when anything in `templates/` changes, including new files, which the
//!   `include_dir!` embedding of the built-in library would not notice on its own;
//! - `ANNEX_BUILD`: one SHA-256 over the sources, the built-in templates and `Cargo.lock`, so
//!   that an incremental `render` knows whether this program made an annex's files, even
//!   between two builds of the same version (see `up_to_date`). It depends on the text only,
//!   not on where or when it is built.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn main() {
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rerun-if-changed=Cargo.toml");
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut files = Vec::new();
    for dir in ["src", "templates"] {
        walk(&root.join(dir), &mut files);
    }
    files.push(root.join("Cargo.lock"));
    files.push(root.join("Cargo.toml"));
    files.sort();
    let mut hash = Sha256::new();
    for file in &files {
        let name = file.strip_prefix(&root).unwrap_or(file);
        hash.update(name.to_string_lossy().replace('\\', "/").as_bytes());
        hash.update([0]);
        // A file that cannot be read (Cargo.lock before the first build) counts as empty.
        let bytes = std::fs::read(file).unwrap_or_default();
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(&bytes);
    }
    let digest: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    println!("cargo:rustc-env=ANNEX_BUILD={digest}");
}

/// Every file under `dir`, recursively (links are not followed).
fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&entry.path(), files),
            Ok(t) if t.is_file() => files.push(entry.path()),
            _ => {}
        }
    }
}
