//! A small XML builder over quick-xml's writer: elements are closed in the order they were
//! opened (the builder keeps the stack, so a part is always well-formed), every text and
//! attribute value is escaped by quick-xml, and characters XML 1.0 cannot hold become U+FFFD.

use std::borrow::Cow;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// One XML part being written.
pub(super) struct Xml {
    writer: Writer<Vec<u8>>,
    open: Vec<String>,
}

impl Xml {
    /// A part starting with the XML declaration.
    pub(super) fn part() -> Xml {
        let mut xml = Xml::fragment();
        xml.event(Event::Decl(BytesDecl::new(
            "1.0",
            Some("UTF-8"),
            Some("yes"),
        )));
        xml
    }

    /// A fragment without declaration (a paragraph written apart, to be spliced in with
    /// [`Xml::raw`]).
    pub(super) fn fragment() -> Xml {
        Xml {
            writer: Writer::new(Vec::new()),
            open: Vec::new(),
        }
    }

    // Writing into a `Vec<u8>` cannot fail: quick-xml's `io::Result` is always `Ok` here.
    fn event(&mut self, event: Event<'_>) {
        let _ = self.writer.write_event(event);
    }

    /// Opens `name` with `attributes`.
    pub(super) fn open(&mut self, name: &str, attributes: &[(&str, &str)]) -> &mut Xml {
        self.event(Event::Start(start(name, attributes)));
        self.open.push(name.to_owned());
        self
    }

    /// Closes the element opened last.
    pub(super) fn close(&mut self) -> &mut Xml {
        if let Some(name) = self.open.pop() {
            self.event(Event::End(BytesEnd::new(name)));
        }
        self
    }

    /// Closes every element opened since `depth` elements were open.
    pub(super) fn close_to(&mut self, depth: usize) {
        while self.open.len() > depth {
            self.close();
        }
    }

    /// How many elements are open.
    pub(super) fn depth(&self) -> usize {
        self.open.len()
    }

    /// An element without content.
    pub(super) fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) -> &mut Xml {
        self.event(Event::Empty(start(name, attributes)));
        self
    }

    /// `<name w:val="value"/>`, the most common shape of a WordprocessingML property.
    pub(super) fn val(&mut self, name: &str, value: &str) -> &mut Xml {
        self.empty(name, &[("w:val", value)])
    }

    /// Escaped text.
    pub(super) fn text(&mut self, text: &str) -> &mut Xml {
        self.event(Event::Text(BytesText::new(&clean(text))));
        self
    }

    /// `<name>text</name>`.
    pub(super) fn element(&mut self, name: &str, text: &str) -> &mut Xml {
        self.open(name, &[]).text(text).close()
    }

    /// A fragment written by another builder, spliced in as it is (it is well-formed and
    /// escaped: it was written by an [`Xml`]).
    pub(super) fn raw(&mut self, fragment: &Xml) -> &mut Xml {
        if let Ok(text) = std::str::from_utf8(fragment.writer.get_ref()) {
            self.event(Event::Text(BytesText::from_escaped(text)));
        }
        self
    }

    /// The bytes, with every element closed.
    pub(super) fn finish(mut self) -> Vec<u8> {
        self.close_to(0);
        self.writer.into_inner()
    }
}

/// The start tag of `name` with `attributes`, their values cleaned (quick-xml escapes them).
fn start<'a>(name: &'a str, attributes: &[(&str, &str)]) -> BytesStart<'a> {
    let cleaned: Vec<(&str, String)> = attributes
        .iter()
        .map(|(k, v)| (*k, clean(v).into_owned()))
        .collect();
    BytesStart::new(name).with_attributes(cleaned.iter().map(|(k, v)| (*k, v.as_str())))
}

/// `text` with the characters XML 1.0 cannot hold (C0 controls but tab, line feed and carriage
/// return; U+FFFE, U+FFFF) replaced by U+FFFD. Tabs and line feeds become spaces: in a Word run
/// they would be whitespace anyway.
pub(super) fn clean(text: &str) -> Cow<'_, str> {
    let bad = |c: char| (c < ' ' && c != '\r') || c == '\u{FFFE}' || c == '\u{FFFF}';
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\t' | '\n' => ' ',
                c if bad(c) => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_close_in_order_and_text_is_escaped() {
        let mut xml = Xml::fragment();
        xml.open("w:p", &[("w:rsidR", "a\"b<")])
            .open("w:r", &[])
            .element("w:t", "x < y & </w:t> \u{1} z");
        let out = String::from_utf8(xml.finish()).unwrap_or_default();
        assert_eq!(
            out,
            "<w:p w:rsidR=\"a&quot;b&lt;\"><w:r><w:t>x &lt; y &amp; &lt;/w:t&gt; \u{FFFD} z</w:t></w:r></w:p>"
        );
    }

    #[test]
    fn a_fragment_is_spliced_verbatim() {
        let mut inner = Xml::fragment();
        inner.element("w:t", "a&b");
        let mut outer = Xml::part();
        outer.open("w:p", &[]).raw(&inner);
        let out = String::from_utf8(outer.finish()).unwrap_or_default();
        assert!(out.ends_with("<w:p><w:t>a&amp;b</w:t></w:p>"), "{out}");
        assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"));
    }
}
