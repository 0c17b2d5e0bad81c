//! The OPC package: the parts in a ZIP archive, in a fixed order, each with the annex date as
//! its time, so that the same annex gives the same bytes.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// One part: its name in the package and its bytes.
pub(super) struct File {
    pub(super) name: &'static str,
    pub(super) bytes: Vec<u8>,
}

/// The archive of `files`, in their order (writing into memory fails only by a defect).
pub(super) fn zip(files: &[File], (year, month, day): (i32, u8, u8)) -> std::io::Result<Vec<u8>> {
    // DOS time starts in 1980; a date outside its range (annex validates dates) takes its start.
    let time = u16::try_from(year)
        .ok()
        .and_then(|y| DateTime::from_date_and_time(y, month, day, 0, 0, 0).ok())
        .unwrap_or_default();
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(time)
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for file in files {
        zip.start_file(file.name, options)
            .map_err(std::io::Error::other)?;
        zip.write_all(&file.bytes)?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}
