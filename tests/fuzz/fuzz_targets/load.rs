//! Fuzz target `load`: see `annex::testing::fuzzing::load`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| annex::testing::fuzzing::load(data));
