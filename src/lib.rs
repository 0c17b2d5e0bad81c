//! annex

pub mod pdf;
