//! The draft watermark: the diagonal label behind the text of every page.

use super::parts::BODY_FONT;
use super::xml::Xml;

/// The diagonal draft label behind the text of every page: the WordArt shape Word writes for
/// its own watermarks (LibreOffice reads it as a watermark too).
pub(super) fn watermark(xml: &mut Xml, label: &str) {
    xml.open("w:r", &[]);
    xml.open("w:rPr", &[]).empty("w:noProof", &[]).close();
    xml.open("w:pict", &[]);
    xml.open(
        "v:shapetype",
        &[
            ("id", "_x0000_t136"),
            ("coordsize", "21600,21600"),
            ("o:spt", "136"),
            ("adj", "10800"),
            ("path", "m@7,l@8,m@5,21600l@6,21600e"),
        ],
    );
    xml.open("v:formulas", &[]);
    for eqn in [
        "sum #0 0 10800",
        "prod #0 2 1",
        "sum 21600 0 @1",
        "sum 0 0 @2",
        "sum 21600 0 @3",
        "if @0 @3 0",
        "if @0 21600 @1",
        "if @0 0 @2",
        "if @0 @4 21600",
        "mid @5 @6",
        "mid @8 @5",
        "mid @7 @8",
        "mid @6 @7",
        "sum @6 0 @5",
    ] {
        xml.empty("v:f", &[("eqn", eqn)]);
    }
    xml.close();
    xml.empty(
        "v:path",
        &[
            ("textpathok", "t"),
            ("o:connecttype", "custom"),
            ("o:connectlocs", "@9,0;@10,10800;@11,21600;@12,10800"),
            ("o:connectangles", "270,180,90,0"),
        ],
    );
    xml.empty("v:textpath", &[("on", "t"), ("fitshape", "t")]);
    xml.open("v:handles", &[])
        .empty(
            "v:h",
            &[("position", "#0,bottomRight"), ("xrange", "6629,14971")],
        )
        .close();
    xml.empty(
        "o:lock",
        &[("v:ext", "edit"), ("text", "t"), ("shapetype", "t")],
    );
    xml.close();
    // As wide as the PDF's label: about 20 cm across the diagonal, a third as high.
    let chars = label.chars().count().max(1) as f64;
    let width = (chars * 62.0).min(470.0);
    let height = (width / chars * 1.3).min(160.0);
    let style = format!(
        "position:absolute;margin-left:0;margin-top:0;width:{width:.0}pt;height:{height:.0}pt;rotation:310;z-index:-251654144;mso-wrap-edited:f;mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin"
    );
    xml.open(
        "v:shape",
        &[
            ("id", "PowerPlusWaterMarkObject1"),
            ("o:spid", "_x0000_s2049"),
            ("type", "#_x0000_t136"),
            ("style", &style),
            ("o:allowincell", "f"),
            ("fillcolor", "#e8e8e8"),
            ("stroked", "f"),
        ],
    );
    xml.empty("v:fill", &[("opacity", "1")]);
    let font = format!("font-family:\"{BODY_FONT}\";font-size:1pt;font-weight:bold");
    xml.empty("v:textpath", &[("style", &font), ("string", label)]);
    xml.empty("w10:wrap", &[("anchorx", "margin"), ("anchory", "margin")]);
    xml.close();
    xml.close();
    xml.close();
}
