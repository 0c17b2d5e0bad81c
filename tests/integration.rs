//! The integration tests: one binary, one module per feature.

mod support;

mod cli;
mod loading;
mod rendering;
mod selection;
