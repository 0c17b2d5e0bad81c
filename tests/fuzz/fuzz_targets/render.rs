//! Fuzz target `render`: see `annex::fuzzing::render`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| annex::fuzzing::render(data));
