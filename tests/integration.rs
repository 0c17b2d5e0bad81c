//! The integration tests: one binary, one module per feature.

// A failed expectation is what a test is for.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

mod budgets;
mod cli;
mod coverage;
mod docx;
mod draft;
mod explain;
mod faults;
mod fonts;
mod fuzz_regressions;
mod incremental;
mod injection;
mod language;
mod layers;
mod loading;
mod redline;
mod regimes;
mod register;
mod rendering;
mod selection;
mod signable;
mod templates;
mod watch;
