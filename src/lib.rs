//! annex

pub mod markup;
