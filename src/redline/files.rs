//! The files of a redline: `<id>.redline.md`, `.pdf` and `.docx`.

use crate::document::Document;
use crate::failure::Failure;
use crate::generator::Generator;
use crate::language::Language;
use crate::markup::placeholder;

use super::{Redline, Side};

/// Which files to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// `<id>.redline.md`.
    pub markdown: bool,
    /// `<id>.redline.pdf`.
    pub pdf: bool,
    /// `<id>.redline.docx`, with Word's tracked changes.
    pub docx: bool,
}

/// The files of a redline (name and bytes), and the formats left out.
pub type Files = (Vec<(String, Vec<u8>)>, Vec<&'static str>);

/// "Redline" in the annex's language.
fn label(lang: Language) -> &'static str {
    match lang {
        Language::De => "Änderungsfassung",
        Language::En => "Redline",
    }
}

/// The redline's files (name and bytes). The PDF and the Word document take their title block
/// from the new version's project (`new_document`); without it (a manifest) only the Markdown
/// is written, and the second value says which formats were left out.
pub fn files(
    generator: &Generator,
    old: &Side,
    new: &Side,
    new_document: Option<&Document<'_>>,
    redline: &Redline,
    formats: Formats,
    standard: Option<&str>,
) -> Result<Files, Failure> {
    let lang = new.language;
    let body = format!("{}{}", redline.preamble(old, new, lang), redline.body);
    let name = |ext: &str| format!("{}.redline.{ext}", new.id);
    let mut out = Vec::new();
    let mut left_out = Vec::new();
    if formats.markdown {
        // The new version's title block, its title marked as a redline.
        let title_block = match new.title_block.split_once('\n') {
            Some((first, rest)) if first.starts_with("# ") => {
                format!("# {}: {}\n{rest}", label(lang), &first[2..])
            }
            _ => new.title_block.clone(),
        };
        // The page break before the appendix is the PDF's and Word's; the file has none.
        let page_break = format!("\n{}\n", placeholder::PAGE_BREAK);
        let text = format!("{}\n\n{body}", title_block.trim_end()).replace(&page_break, "\n");
        out.push((
            name("md"),
            placeholder::to_markdown(&text).into_owned().into_bytes(),
        ));
    }
    match new_document {
        Some(document) => {
            let mut title = document.title.clone();
            title.title = format!("{}: {}", label(lang), title.title);
            let library = generator.library();
            if formats.pdf {
                let pdf = crate::typeset::pdf_of(
                    library,
                    generator.engine(),
                    document,
                    &title,
                    &body,
                    standard,
                )?;
                out.push((name("pdf"), pdf.bytes));
            }
            if formats.docx {
                let author = format!("annex ({} → {})", old.version, new.version);
                let docx = crate::typeset::word_of(
                    library,
                    document,
                    &title,
                    &body,
                    Vec::new(),
                    Some(author),
                )?;
                out.push((name("docx"), docx));
            }
        }
        None => {
            if formats.pdf {
                left_out.push("pdf");
            }
            if formats.docx {
                left_out.push("docx");
            }
        }
    }
    Ok((out, left_out))
}
