//! The integration tests: one binary, one module per feature.

#![allow(clippy::unwrap_used)]

mod support;

mod cli;
mod coverage;
mod draft;
mod explain;
mod faults;
mod fuzz_regressions;
mod injection;
mod language;
mod loading;
mod rendering;
mod selection;
mod templates;
mod watch;
