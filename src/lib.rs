//! annex
