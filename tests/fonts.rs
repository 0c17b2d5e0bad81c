//! Fonts added to the embedded ones (`--font-path`, `fonts` in annex.toml): a name in a script
//! the embedded fonts lack is refused without them and printed with them; `check` accepts
//! what `render` accepts; the manifest lists the added fonts with their SHA-256; broken font
//! folders are located errors.
//!
//! Fixtures: `fixtures/fonts/japanese-provider.json` (the web hosting example with the provider
//! 株式会社サンプル), `fixtures/fonts/noto-sans-cjk-jp-subset/` (Noto Sans CJK JP cut down to
//! the eight characters of that name, with its licence, OFL.txt, which the walk skips) and
//! `fixtures/fonts/damaged/` (the same font cut off after 600 bytes).

use std::path::Path;

use crate::support::{annex, root, stderr};

const PROJECT: &str = "fixtures/fonts/japanese-provider.json";
const FONTS: &str = "fixtures/fonts/noto-sans-cjk-jp-subset";
const FONT_FILE: &str = "NotoSansCJKjp-annex-subset.otf";
const DAMAGED: &str = "fixtures/fonts/damaged";

fn path(rel: &str) -> String {
    root().join(rel).to_str().unwrap().to_owned()
}

/// The SHA-256 of the fixture font, as annex computes it.
fn font_sha256() -> String {
    annex::digest::sha256_hex(&std::fs::read(root().join(FONTS).join(FONT_FILE)).unwrap())
}

/// Every stream of a PDF, decompressed, and every font's `/BaseFont`.
fn pdf_contents(file: &Path) -> (Vec<String>, Vec<String>) {
    let doc = lopdf::Document::load(file).expect("the PDF parses");
    let mut streams = Vec::new();
    let mut fonts = Vec::new();
    for object in doc.objects.values() {
        match object {
            lopdf::Object::Stream(s) => {
                let mut s = s.clone();
                let _ = s.decompress();
                streams.push(String::from_utf8_lossy(&s.content).into_owned());
            }
            lopdf::Object::Dictionary(d) => {
                if let Ok(name) = d.get(b"BaseFont").and_then(lopdf::Object::as_name) {
                    fonts.push(String::from_utf8_lossy(name).into_owned());
                }
            }
            _ => {}
        }
    }
    (streams, fonts)
}

#[test]
fn a_japanese_name_is_refused_without_an_added_font_and_the_message_names_the_option() {
    let dir = crate::support::tempdir();
    for command in ["check", "render"] {
        let o = annex(&[command, &path(PROJECT), "-j", "1"], dir.path());
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(
                "provider.name: the character 株 (U+682A) cannot be printed: none of the fonts annex embeds has it"
            ),
            "{err}"
        );
        assert!(
            err.contains("--font-path DIR, or fonts = [\"DIR\"] in annex.toml"),
            "{err}"
        );
    }
    // render wrote nothing but its report.
    assert!(!dir.path().join("output/sample-jp-hosting.pdf").exists());
}

#[test]
fn with_font_path_the_japanese_name_renders_in_the_added_font_and_the_manifest_lists_it() {
    let dir = crate::support::tempdir();
    let render = |out: &str| {
        let o = annex(
            &[
                "render",
                &path(PROJECT),
                "--font-path",
                &path(FONTS),
                "-o",
                out,
            ],
            dir.path(),
        );
        assert!(o.status.success(), "{}", stderr(&o));
        // OFL.txt beside the font is skipped without a word.
        assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
        dir.path().join(out)
    };
    let out = render("one");

    // The PDF embeds the added font, and its text has the name.
    let pdf = out.join("sample-jp-hosting.pdf");
    let (streams, fonts) = pdf_contents(&pdf);
    assert!(
        fonts.iter().any(|f| f.ends_with("+NotoSansCJKjp-Regular")),
        "{fonts:?}"
    );
    let doc = lopdf::Document::load(&pdf).unwrap();
    let text: String = doc
        .extract_text(&[1])
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    assert!(text.contains("株式会社サンプル"), "{text}");

    // The manifest, written and attached, lists the font file with its SHA-256.
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("sample-jp-hosting.manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        manifest["fonts"],
        serde_json::json!([{
            "file": FONT_FILE,
            "families": ["Noto Sans CJK JP"],
            "sha256": font_sha256(),
        }])
    );
    assert!(
        streams
            .iter()
            .any(|s| s.contains(FONT_FILE) && s.contains(&font_sha256())),
        "the attached manifest lists the font"
    );

    // The same fonts give the same bytes.
    let again = render("two");
    for name in ["sample-jp-hosting.pdf", "sample-jp-hosting.manifest.json"] {
        assert!(
            std::fs::read(out.join(name)).unwrap() == std::fs::read(again.join(name)).unwrap(),
            "{name} differs between two runs with the same fonts"
        );
    }

    // check accepts what render accepts, and so do the other commands that read projects.
    for args in [
        vec!["check"],
        vec!["explain"],
        vec!["coverage"],
        vec!["check", "--draft"],
    ] {
        let mut args: Vec<&str> = args;
        let (project, fonts) = (path(PROJECT), path(FONTS));
        args.extend([project.as_str(), "--font-path", fonts.as_str()]);
        let o = annex(&args, dir.path());
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn a_run_without_added_fonts_has_no_fonts_in_its_manifest() {
    let dir = crate::support::tempdir();
    let o = annex(
        &[
            "render",
            &path("fixtures/projects/valid-minimal.json"),
            "-o",
            "out",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let manifest =
        std::fs::read_to_string(dir.path().join("out/stadtwerke-hosting.manifest.json")).unwrap();
    assert!(!manifest.contains("\"fonts\""), "{manifest}");
}

#[test]
fn fonts_in_annex_toml_are_relative_to_it_and_the_flag_adds_to_them() {
    let dir = crate::support::tempdir();
    let fonts = dir.path().join("house/fonts/jp");
    std::fs::create_dir_all(&fonts).unwrap();
    std::fs::copy(root().join(FONTS).join(FONT_FILE), fonts.join(FONT_FILE)).unwrap();
    std::fs::write(dir.path().join("annex.toml"), "fonts = [\"house/fonts\"]\n").unwrap();
    let o = annex(&["render", &path(PROJECT), "-o", "out"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let manifest =
        std::fs::read_to_string(dir.path().join("out/sample-jp-hosting.manifest.json")).unwrap();
    assert!(manifest.contains(&font_sha256()), "{manifest}");
    let o = annex(&["check", &path(PROJECT)], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));

    // --font-path adds to annex.toml's folders: the same font twice is listed once.
    let o = annex(
        &[
            "render",
            &path(PROJECT),
            "-o",
            "both",
            "--font-path",
            &path(FONTS),
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("both/sample-jp-hosting.manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["fonts"].as_array().map(Vec::len), Some(1));

    // A folder that does not exist is an error at its key in annex.toml.
    std::fs::write(
        dir.path().join("annex.toml"),
        "lang = \"en\"\nfonts = [\"missing\"]\n",
    )
    .unwrap();
    let o = annex(&["check", &path(PROJECT)], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("annex.toml:2:1: error: the font folder `")
            && stderr(&o).contains("missing` does not exist"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_damaged_font_file_is_an_error_at_its_path_in_both_languages() {
    let dir = crate::support::tempdir();
    let damaged = root().join(DAMAGED).join("truncated.otf");
    for command in ["check", "render"] {
        let o = annex(
            &[command, &path(PROJECT), "--font-path", &path(DAMAGED)],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert_eq!(
            stderr(&o),
            format!(
                "{}: error: the font file cannot be read: it is damaged or not a TrueType or OpenType font\n  hint: replace it with an intact copy (from the font's publisher), or remove it from the font folder\n",
                damaged.display()
            )
        );
    }
    std::fs::write(dir.path().join("annex.toml"), "lang = \"de\"\n").unwrap();
    let o = crate::support::annex_as_user(
        &["check", &path(PROJECT), "--font-path", &path(DAMAGED)],
        dir.path(),
    );
    let err = stderr(&o);
    assert!(
        err.contains(": Fehler: die Schriftdatei kann nicht gelesen werden"),
        "{err}"
    );
    let leaks = crate::support::english_in_german(&err);
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));

    // A folder that does not exist, given on the command line.
    let o = annex(
        &["check", &path(PROJECT), "--font-path", "no-such-folder"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .starts_with("no-such-folder: error: the font folder `no-such-folder` does not exist"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn templates_check_takes_the_added_fonts() {
    let dir = crate::support::tempdir();
    let o = annex(
        &["templates", "check", "--font-path", &path(DAMAGED)],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("truncated.otf: error: "),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_walk_is_bounded_and_says_what_it_skips() {
    use annex::pdf::AddedFonts;
    use annex::pdf::fonts::{MAX_DEPTH, MAX_FONT_FILES};
    let dir = crate::support::tempdir();
    let font = std::fs::read(root().join(FONTS).join(FONT_FILE)).unwrap();

    // Too deep: an error at the folder annex does not look into.
    let mut deep = dir.path().join("deep");
    for level in 0..=MAX_DEPTH {
        deep = deep.join(format!("level-{level}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join(FONT_FILE), &font).unwrap();
    let failure = AddedFonts::load(&[dir.path().join("deep")]).unwrap_err();
    let shown = failure.display(annex::language::Language::En).to_string();
    assert!(shown.contains("levels below the font folder"), "{shown}");

    // Too many font files (copies of one font: the count is of files, before reading them).
    let many = dir.path().join("many");
    std::fs::create_dir(&many).unwrap();
    for n in 0..=MAX_FONT_FILES {
        std::fs::write(many.join(format!("f{n:03}.ttf")), b"").unwrap();
    }
    let failure = AddedFonts::load(&[many]).unwrap_err();
    let shown = failure.display(annex::language::Language::En).to_string();
    assert!(
        shown.contains(&format!("more than {MAX_FONT_FILES} font files")),
        "{shown}"
    );

    // A web font is skipped with a warning, hidden files and other files without one; the
    // same bytes twice are added once; a font file may be given itself.
    let mixed = dir.path().join("mixed");
    std::fs::create_dir(&mixed).unwrap();
    std::fs::write(mixed.join("a.otf"), &font).unwrap();
    std::fs::write(mixed.join("b.OTF"), &font).unwrap();
    std::fs::write(mixed.join("c.woff2"), b"wOF2").unwrap();
    std::fs::write(mixed.join("._a.otf"), b"resource fork").unwrap();
    std::fs::write(mixed.join("README"), b"fonts").unwrap();
    let added = AddedFonts::load(&[mixed.clone(), mixed.join("a.otf")]).unwrap();
    let names: Vec<&str> = added.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["a.otf"]);
    assert_eq!(added.warnings.len(), 1);
    let warning = added.warnings[0]
        .display(annex::language::Language::En)
        .to_string();
    assert!(
        warning.contains("c.woff2: warning: a web font is not read"),
        "{warning}"
    );
}

#[test]
fn an_added_font_prints_its_script_and_takes_nothing_from_the_embedded_fonts() {
    let added = annex::pdf::AddedFonts::load(&[root().join(FONTS)]).unwrap();
    let engine = annex::pdf::PdfEngine::with_fonts(&added);
    let embedded = annex::pdf::PdfEngine::new();
    assert_eq!(engine.unprintable("株式会社サンプル"), None);
    assert_eq!(embedded.unprintable("株式会社サンプル"), Some('株'));
    // Characters the subset lacks stay unprintable; what the embedded fonts print (a
    // combining accent on a Latin letter, Greek, symbols) stays printable.
    assert_eq!(engine.unprintable("株式会社サンプル東京"), Some('東'));
    // A combining mark is shaped with its letter, in the letter's font: an accent on a
    // Japanese letter needs an added font that draws both (the subset does not).
    assert_eq!(engine.unprintable("株\u{301}"), Some('\u{301}'));
    for text in ["Cafe\u{301}", "Ελλάδα", "§ 3 € „x“", "Hosting ✕ Nord"] {
        assert_eq!(
            engine.unprintable(text),
            embedded.unprintable(text),
            "{text}"
        );
    }
}
