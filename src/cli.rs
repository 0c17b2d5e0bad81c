//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// annex writes the information-security and service-level annex of an IT outsourcing contract
/// (BSI IT-Grundschutz OPS.2.3) as Markdown, PDF and Word from a project description in JSON.
#[derive(Debug, Parser)]
#[command(name = "annex", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render annexes: writes DIR/<annex.id>.md and DIR/<annex.id>.pdf (and .docx with --format) for each project.
    Render {
        /// Project files, or folders whose *.json files are projects.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        output: OutputArgs,
        #[command(flatten)]
        library: LibraryArgs,
        #[command(flatten)]
        fonts: FontArgs,
        /// Worker threads (default: the number of available cores).
        #[arg(short = 'j', long, value_name = "N")]
        jobs: Option<usize>,
        /// Stop at the first project that fails (the others are reported as skipped).
        #[arg(long)]
        fail_fast: bool,
        /// Render every annex, even one whose files are up to date (by default such an annex is
        /// left as it is: its manifest records the same project, templates, fonts, options and
        /// annex build, and its files are as written).
        #[arg(long)]
        force: bool,
    },
    /// Show the frameworks that bind each project and which sections regulate each of their requirements.
    Coverage {
        /// Project files, or folders whose *.json files are projects.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// Output: text for people, csv for spreadsheets, json as in `<id>.coverage.json`.
        #[arg(long, value_enum, default_value = "text")]
        format: CoverageFormat,
        #[command(flatten)]
        library: LibraryArgs,
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// Validate projects, select clauses and render the Markdown without writing anything.
    Check {
        /// Project files, or folders whose *.json files are projects.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// Worker threads (default: the number of available cores).
        #[arg(short = 'j', long, value_name = "N")]
        jobs: Option<usize>,
        /// Stop at the first project that fails (the others are reported as skipped).
        #[arg(long)]
        fail_fast: bool,
        #[command(flatten)]
        library: LibraryArgs,
        #[command(flatten)]
        fonts: FontArgs,
        /// Check as a draft: values the project does not give are listed as placeholders
        /// (warnings) instead of failing the check.
        #[arg(long)]
        draft: bool,
        /// Also list every figure of the annex with its source, as `explain --figures` does.
        #[arg(long)]
        figures: bool,
    },
    /// Show why each topic is in the annex (section, clause, variant) or left out.
    Explain {
        /// Project files, or folders whose *.json files are projects.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// Print JSON for machines (an array with one object per project) instead of text.
        #[arg(long)]
        json: bool,
        /// List every figure of the annex with its source (the project, a level's default,
        /// the library, a clause text) instead of the selection.
        #[arg(long)]
        figures: bool,
        #[command(flatten)]
        library: LibraryArgs,
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// Render a project, then again whenever it or a file under --templates changes (Ctrl-C stops).
    Watch {
        /// The project file.
        #[arg(value_name = "INPUT")]
        input: PathBuf,
        #[command(flatten)]
        output: OutputArgs,
        #[command(flatten)]
        library: LibraryArgs,
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// Compare two versions of an annex clause by clause: writes the redline DIR/<annex.id>.redline.md,
    /// .pdf and .docx (Word's tracked changes) and prints which clauses changed and why. Without
    /// OLD and NEW, `--templates DIR` compares that library with the built-in one, file by file
    /// (DIR/templates.redline.md and .docx).
    Diff {
        /// The old version: a project file, or a rendered annex's manifest (<annex.id>.manifest.json,
        /// compared with the <annex.id>.md written beside it).
        #[arg(value_name = "OLD", requires = "new")]
        old: Option<PathBuf>,
        /// The new version: a project file (or a manifest: then only the Markdown redline is written).
        #[arg(value_name = "NEW")]
        new: Option<PathBuf>,
        /// Output folder (created if missing).
        #[arg(
            short = 'o',
            long = "out",
            value_name = "DIR",
            default_value = "output"
        )]
        out: PathBuf,
        /// Formats of the redline, comma-separated: md, pdf, docx.
        #[arg(long, value_delimiter = ',', default_value = "md,pdf,docx")]
        format: Vec<Format>,
        #[command(flatten)]
        library: LibraryArgs,
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// Write a starter project: every required field and the common optional ones, each with
    /// a placeholder that `check` reports until it is replaced.
    Init {
        /// The file to write.
        #[arg(value_name = "FILE", default_value = "project.json")]
        file: PathBuf,
        /// The language of the annex and of the placeholders.
        #[arg(long, value_enum, default_value = "de")]
        lang: Lang,
        /// Overwrite the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Print the JSON Schema of the project format, or with --markdown the field reference.
    Schema {
        /// Print the reference of every field for people (Markdown) instead of the JSON Schema.
        #[arg(long)]
        markdown: bool,
    },
    /// Work with the template library: copy it to edit it, list its clauses, check it.
    Templates {
        /// What to do with the templates.
        #[command(subcommand)]
        command: TemplatesCommand,
    },
}

/// `annex templates …`.
#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Copy the whole built-in library (and its authoring guide) into DIR, ready to edit.
    Eject {
        /// The folder to copy into (created if missing).
        #[arg(value_name = "DIR", default_value = "annex-templates")]
        dir: PathBuf,
        /// Overwrite files that exist already.
        #[arg(long)]
        force: bool,
    },
    /// List every clause: topic, languages, level variants, conditions and origin.
    List {
        /// The folder laid over the built-in templates, as with --templates.
        #[arg(value_name = "DIR", conflicts_with = "templates")]
        dir: Option<PathBuf>,
        #[command(flatten)]
        library: LibraryArgs,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show what a template folder changes: a diff against the built-in text for each file
    /// that replaces one, and the files it adds.
    Diff {
        /// The folder laid over the built-in templates, as with --templates.
        #[arg(value_name = "DIR", conflicts_with = "templates")]
        dir: Option<PathBuf>,
        #[command(flatten)]
        library: LibraryArgs,
    },
    /// Check a template library without a project and report every problem.
    Check {
        /// The folder laid over the built-in templates (default: `templates` in annex.toml,
        /// else the built-in library alone).
        #[arg(value_name = "DIR", conflicts_with = "templates")]
        dir: Option<PathBuf>,
        #[command(flatten)]
        library: LibraryArgs,
        #[command(flatten)]
        fonts: FontArgs,
    },
}

/// Where the user's templates are.
#[derive(Debug, Args)]
pub struct LibraryArgs {
    /// A folder laid over the built-in templates: same path replaces, new path adds
    /// (default: `templates` in annex.toml).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

/// Fonts added to the embedded ones: for every command that checks or renders project texts.
#[derive(Debug, Args)]
pub struct FontArgs {
    /// A folder of font files (.ttf, .otf, .ttc, .otc) added to the embedded fonts, for
    /// scripts those lack (Japanese, Chinese, Arabic, Hebrew, …); repeatable. Adds to `fonts`
    /// in annex.toml; the manifest lists each added font file with its SHA-256.
    #[arg(long = "font-path", value_name = "DIR")]
    pub font_path: Vec<PathBuf>,
}

/// What to write and where: shared by `render` and `watch`.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output folder (created if missing).
    #[arg(
        short = 'o',
        long = "out",
        value_name = "DIR",
        default_value = "output"
    )]
    pub out: PathBuf,
    /// Output formats, comma-separated: md, pdf, docx.
    #[arg(long, value_delimiter = ',', default_value = "md,pdf")]
    pub format: Vec<Format>,
    /// PDF standard(s), comma-separated: a-3b (default, archival, with the project and the
    /// manifest attached), a-3a, a-2b, a-2a, ua-1, "a-2b, ua-1", … or "none" for plain PDF 1.7.
    #[arg(long, value_name = "STANDARD", default_value = "a-3b")]
    pub pdf_standard: String,
    /// Also write DIR/<annex.id>.typst/ with the exact Typst files the PDF is compiled from
    /// (main.typ, body.typ, annex.json); `typst compile DIR/<annex.id>.typst/main.typ` gives
    /// the same document.
    #[arg(long)]
    pub emit_typst: bool,
    /// Leave the coverage appendix out of the annex (DIR/<annex.id>.coverage.json is still written).
    #[arg(long)]
    pub no_coverage: bool,
    /// Render a draft even if clauses need values the project does not give: each shows as
    /// a placeholder [field], the PDF is watermarked ENTWURF / DRAFT, and the files are
    /// named DIR/<annex.id>.draft.md, .draft.pdf, …
    #[arg(long)]
    pub draft: bool,
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Markdown (CommonMark with tables).
    Md,
    /// PDF.
    Pdf,
    /// Word (DOCX), for negotiating the annex with tracked changes.
    Docx,
}

/// The language of an annex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// German.
    De,
    /// English.
    En,
}

/// How `annex coverage` prints the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CoverageFormat {
    /// Plain text for people.
    Text,
    /// One row per requirement item, with a header row (RFC 4180).
    Csv,
    /// The matrix as JSON, as written to `<id>.coverage.json`.
    Json,
}
