//! Fuzz target `markup`: see `annex::fuzzing::markup`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| annex::fuzzing::markup(data));
