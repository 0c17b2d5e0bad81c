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
mod draft;
mod explain;
mod faults;
mod fuzz_regressions;
mod injection;
mod language;
mod layers;
mod loading;
mod regimes;
mod rendering;
mod selection;
mod signable;
mod templates;
mod watch;
