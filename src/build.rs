//! Build script: rebuild when anything in `templates/` changes, including new files, which the
//! `include_dir!` embedding of the built-in library would not notice on its own.

fn main() {
    println!("cargo:rerun-if-changed=templates");
}
