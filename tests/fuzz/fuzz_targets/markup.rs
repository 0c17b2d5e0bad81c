//! Fuzz target `markup`: see `annex::testing::fuzzing::markup`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| annex::testing::fuzzing::markup(data));
