//! The Word writer: an annex as a DOCX file (WordprocessingML in an OPC package).
//!
//! It reads what the Typst writer reads: the annex body as Markdown (with the draft
//! placeholders and the page-break token of [`crate::markup::placeholder`]) and the data of the
//! title block, header and footer ([`Job`]). Every text stays text: it is escaped by the XML
//! writer ([`xml`]), never spliced into markup.
//!
//! - Headings use Word's heading styles and one multi-level list, so Word numbers them as the
//!   annex does ("§ 5", "5.2", "5.2.1"); the writer checks every number it replaces and keeps
//!   a heading whose number does not follow as written, unnumbered.
//! - Lists, tables (the header row repeats on every page), footnotes, links, the title block,
//!   a table of contents (a field Word updates with page numbers), header and footer with
//!   "page x of y", document properties, and in a draft the diagonal watermark (the VML shape
//!   Word itself writes) and the grey placeholders.
//! - Reproducible: no clock, no counter shared between documents; the ZIP entries come in a
//!   fixed order with the annex date as their time.
//!
//! Why not the `docx-rs` crate: its revision, footnote and header ids are process-wide
//! counters (a batch would number each document differently), it cannot set the title,
//! keywords or language of the core properties, and it has no repeating header rows and no
//! watermark. quick-xml and zip, both well kept, do the escaping and the packaging here.

mod body;
mod columns;
mod cover;
mod flow;
mod package;
mod parts;
mod styles;
mod watermark;
mod xml;

#[cfg(test)]
mod tests;

/// A party of the title block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Party {
    /// The name.
    pub name: String,
    /// The lines of the address.
    pub address: Vec<String>,
    /// Who represents the party.
    pub representative: Option<String>,
}

/// The title block: what the first page shows above the contents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cover {
    /// The number line ("Anlage 4"), if any.
    pub number: Option<String>,
    /// The title.
    pub title: String,
    /// The main contract.
    pub main_contract: String,
    /// The client.
    pub client: Party,
    /// The provider.
    pub provider: Party,
    /// The date as printed ("1. Dezember 2026").
    pub date: String,
    /// The annex version.
    pub version: String,
    /// The annex id.
    pub id: String,
}

impl Cover {
    /// "Anlage 4 · Informationssicherheit und Service Level": the header and the document
    /// title.
    pub fn name(&self) -> String {
        match &self.number {
            Some(number) => format!("{number} · {}", self.title),
            None => self.title.clone(),
        }
    }
}

/// Everything the writer needs for one document.
#[derive(Debug, Clone)]
pub struct Job<'a> {
    /// The annex language, `de` or `en`.
    pub lang: &'a str,
    /// The frame's labels of that language (`page`, `of`, `version`, `draft`, …).
    pub labels: &'a std::collections::BTreeMap<String, String>,
    /// How a section is named before its number ("§", "Clause").
    pub section_sign: &'a str,
    /// The title block.
    pub cover: Cover,
    /// The body: numbered sections and the appendix, as Markdown.
    pub body: &'a str,
    /// Whether it is a draft: watermark, notice, placeholders.
    pub draft: bool,
    /// A draft's open points, one line each.
    pub open_points: Vec<String>,
    /// The keywords of the document properties.
    pub keywords: &'a [String],
    /// The annex date (year, month, day): the document's creation date and the time of the
    /// ZIP entries.
    pub date: (i32, u8, u8),
    /// Who made a redline's changes (its insertions and deletions become Word's tracked
    /// changes by this author, dated `date`); `None` for an annex.
    pub author: Option<String>,
}

impl Job<'_> {
    /// A label of the frame, or `fallback` if the locale does not have it.
    fn label<'l>(&'l self, key: &str, fallback: &'l str) -> &'l str {
        self.labels.get(key).map_or(fallback, String::as_str)
    }
}

/// The DOCX file of a job (an error only by a defect of the writer).
pub fn write(job: &Job<'_>) -> std::io::Result<Vec<u8>> {
    let body = body::write(job);
    let parts = parts::Parts::new(job, &body);
    package::zip(&parts.files(), job.date)
}
