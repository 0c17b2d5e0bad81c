//! Fuzz target `render`: see `annex::testing::fuzzing::render`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| annex::testing::fuzzing::render(data));
