//! The coverage matrix as CSV.

use super::{Coverage, Status};

impl Coverage {
    /// The matrix as CSV (one row per item; RFC 4180 quoting).
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "annex,framework_id,item_id,label,title,status,sections,needs_missing,reasons\r\n",
        );
        for row in &self.items {
            let (status, sections, reasons) = match &row.status {
                Status::Covered { sections } => ("covered", sections.join("; "), String::new()),
                Status::Excluded { reasons } => ("excluded", String::new(), reasons.join("; ")),
                Status::Open { sections, topics } => {
                    ("open", sections.join("; "), topics.join("; "))
                }
            };
            let missing = row.missing();
            let fields = [
                self.annex.as_str(),
                &row.framework_id,
                &row.id,
                &row.label,
                &row.title,
                status,
                &sections,
                &missing.join("; "),
                &reasons,
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
        out
    }
}

/// One CSV field: quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-`
/// or `@` is prefixed with `'` so a spreadsheet never reads project text as a formula.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}
