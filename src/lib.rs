//! annex writes the information-security and service-level annex of an IT outsourcing
//! contract (BSI IT-Grundschutz OPS.2.3, formerly M 2.253) from a project description.
//!
//! The pipeline is a chain of stages, each handing the next a typed value:
//!
//! ```text
//! project.json ─load─▶ Loaded ─validate─▶ Validated ─select─▶ Selected ─document─▶ Document
//!              ─typeset─▶ Annex (Markdown, Typst files, PDF) ─output::write─▶ files
//! ```
//!
//! | stage | module | value |
//! |---|---|---|
//! | load | [`project`] | [`validate::Loaded`]: the parsed project and its source text |
//! | validate | [`validate`] (with [`service_levels`], [`select::check_choices`]) | [`validate::Validated`] |
//! | select | [`select`] | [`document::Selected`] |
//! | document | [`render`] (Tera), [`coverage`] | [`document::Document`] |
//! | typeset | [`typeset`], [`markup`] (Markdown → Typst), [`pdf`] | [`typeset::Annex`] |
//! | output | [`output`], [`manifest`] | files with their SHA-256 |
//!
//! [`Generator`] owns the parts built once per process (template library, Tera, fonts and the
//! Typst standard library) and runs the stages; [`batch`] runs many projects on every core,
//! [`watch`] re-renders on changes, [`explain`] traces the selection and [`lint`] checks a
//! template library by rendering its example projects through the same stages.
//!
//! An annex is final by default: a value a clause needs and the project does not give is an
//! error that names it. In [`Mode::Draft`] it becomes a placeholder instead, and the annex is
//! marked as a draft everywhere (see [`render::draft`] and [`markup::placeholder`]).
//!
//! ```no_run
//! let generator = annex::Generator::new()?;
//! let annex = generator.generate(std::path::Path::new("project.json"), &annex::Options::default())?;
//! annex::output::write(&annex, std::path::Path::new("output"))?;
//! # Ok::<(), annex::Failure>(())
//! ```

// The modules in the order of their layers (README, "Layout of the code"): each uses only
// modules above it (`tests/layers.rs` checks it); blank lines keep rustfmt from sorting them.

// Vocabulary.
pub mod language;

pub mod diagnostic;

pub mod failure;

pub mod digest;
mod json_text;
pub mod level;

// Converters that know nothing of annexes.
pub mod markup;
// The Word writer (self-contained: Markdown and title data in, DOCX bytes out).
pub mod docx;
pub mod pdf;

// The input.
pub mod config;
pub mod project;

// The figures and their rules.
pub mod deviations;

pub mod rules;

pub mod service_levels;

// The template library.
pub mod library;

// The stages.
pub mod regime;

pub mod select;

pub mod validate;

pub mod coverage;

pub mod register;

pub mod render;

pub mod document;

pub mod manifest;

pub mod typeset;

pub mod output;
pub mod up_to_date;

// Running them.
pub mod generator;

pub mod batch;
pub mod explain;
pub mod lint;
pub mod redline;
pub mod watch;

// Test support, only with the `testing` feature.
#[cfg(feature = "testing")]
pub mod testing;

pub use document::{Document, Mode, Selected};
pub use failure::{Failure, Kind};
pub use generator::{Generator, Peek};
pub use typeset::{Annex, Formats, Options, Timings, TypstFiles};
