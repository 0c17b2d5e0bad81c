//! Fuzz target `load`: see `annex::fuzzing::load`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| annex::fuzzing::load(data));
