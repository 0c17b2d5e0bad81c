//! Test support, compiled only with the `testing` feature (which the tests, the benchmark
//! and the fuzz targets turn on): the fuzz targets' entry points and the generators of the
//! authoring guide's reference tables. Not part of the API.

pub mod fuzzing;
pub mod reference;
