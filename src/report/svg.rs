//! A drawn ladder (sequence diagram) of one auth exchange, as inline SVG for the HTML report.
//!
//! Written here because it is a few dozen lines of text output: an SVG or plotting crate would
//! add a dependency tree for rectangles, lines and labels. The input is plain data (who sent
//! what, when), so the drawing knows nothing of how exchanges are found.

use std::fmt::Write;

/// How an arrow is drawn: by what the message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrowKind {
    Request,
    /// 1xx.
    Provisional,
    /// 2xx.
    Success,
    /// 401 or 407: a challenge.
    Challenge,
    /// Any other final error (403, 404, 5xx...).
    Failure,
    /// A retransmission of an earlier message (drawn dashed and grey).
    Retransmission,
    /// An ICMP error that came back instead of an answer.
    Icmp,
}

impl ArrowKind {
    /// The kind of a response by its status code.
    pub fn of_status(code: u16) -> ArrowKind {
        match code {
            100..=199 => ArrowKind::Provisional,
            200..=299 => ArrowKind::Success,
            401 | 407 => ArrowKind::Challenge,
            _ => ArrowKind::Failure,
        }
    }

    fn colour(self) -> &'static str {
        match self {
            ArrowKind::Request => "#1f2937",
            ArrowKind::Provisional => "#6b7280",
            ArrowKind::Success => "#15803d",
            ArrowKind::Challenge => "#b45309",
            ArrowKind::Failure | ArrowKind::Icmp => "#b91c1c",
            ArrowKind::Retransmission => "#9ca3af",
        }
    }
}

/// One message of the ladder.
#[derive(Debug, Clone)]
pub struct Arrow {
    /// Sent by the client (left) to the server (right); else the other way.
    pub from_client: bool,
    pub kind: ArrowKind,
    /// What is written on the arrow ("REGISTER (CSeq 2) +Auth user=\"1001\"", "401 Unauthorized").
    pub label: String,
    /// Seconds since the exchange's first message.
    pub secs: f64,
    pub frame: u64,
}

const WIDTH: u32 = 760;
const LEFT: u32 = 200;
const RIGHT: u32 = 640;
const TOP: u32 = 64;
const ROW: u32 = 34;
/// Labels longer than this are cut with "…" so they stay between the lifelines.
const MAX_LABEL_CHARS: usize = 64;

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0 text: show them as a code.
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

fn cut(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL_CHARS {
        return label.to_string();
    }
    let mut s: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
    s.push('…');
    s
}

/// The ladder as an `<svg>` element: the client's lifeline on the left, the server's on the
/// right, one arrow per message from top to bottom with its time and frame in the margin.
/// `title` is its accessible name and `margin` heads the time/frame column ("time · frame",
/// in the report's language); every text is XML-escaped.
pub fn ladder(title: &str, margin: &str, client: &str, server: &str, arrows: &[Arrow]) -> String {
    let height = TOP + ROW * arrows.len() as u32 + 24;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\
         <title>{}</title>\
         <defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" \
         markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" \
         fill=\"context-stroke\"/></marker></defs>",
        xml_escape(title)
    );
    for (x, name) in [(LEFT, client), (RIGHT, server)] {
        let _ = write!(
            s,
            "<rect x=\"{}\" y=\"8\" width=\"200\" height=\"26\" rx=\"4\" fill=\"#eef2ff\" \
             stroke=\"#6366f1\"/><text x=\"{x}\" y=\"25\" text-anchor=\"middle\">{}</text>\
             <line x1=\"{x}\" y1=\"34\" x2=\"{x}\" y2=\"{}\" stroke=\"#9ca3af\" \
             stroke-dasharray=\"4 3\"/>",
            x - 100,
            xml_escape(name),
            height - 8
        );
    }
    let _ = write!(
        s,
        "<text x=\"8\" y=\"{}\" fill=\"#6b7280\">{}</text>",
        TOP - 16,
        xml_escape(margin)
    );
    for (i, a) in arrows.iter().enumerate() {
        let y = TOP + ROW * i as u32 + 14;
        let (x1, x2) = if a.from_client {
            (LEFT, RIGHT)
        } else {
            (RIGHT, LEFT)
        };
        let dash = if a.kind == ArrowKind::Retransmission {
            " stroke-dasharray=\"6 4\""
        } else {
            ""
        };
        let colour = a.kind.colour();
        let _ = write!(
            s,
            "<text x=\"8\" y=\"{}\" fill=\"#6b7280\">+{:.3} s · #{}</text>\
             <line x1=\"{x1}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" stroke=\"{colour}\" \
             stroke-width=\"1.6\" marker-end=\"url(#head)\"{dash}/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{colour}\">{}</text>",
            y + 4,
            a.secs,
            a.frame,
            (LEFT + RIGHT) / 2,
            y - 5,
            xml_escape(&cut(&a.label))
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arrow(from_client: bool, kind: ArrowKind, label: &str, frame: u64) -> Arrow {
        Arrow {
            from_client,
            kind,
            label: label.into(),
            secs: frame as f64 / 1000.0,
            frame,
        }
    }

    #[test]
    fn one_arrow_per_message_in_order_and_direction() {
        let arrows = [
            arrow(true, ArrowKind::Request, "REGISTER (CSeq 1)", 1),
            arrow(false, ArrowKind::of_status(401), "401 Unauthorized", 2),
            arrow(true, ArrowKind::Request, "REGISTER (CSeq 2) +Auth", 3),
            arrow(false, ArrowKind::of_status(200), "200 OK", 4),
        ];
        let svg = ladder(
            "Exchange 1",
            "time · frame",
            "client 10.0.0.5:5060",
            "server 10.0.0.1:5060",
            &arrows,
        );
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("marker-end=").count(), 4);
        let at = |t: &str| svg.find(t).unwrap_or_else(|| panic!("{t} missing"));
        assert!(at("REGISTER (CSeq 1)") < at("401 Unauthorized"));
        assert!(at("401 Unauthorized") < at("200 OK"));
        // Requests go right (client at x=200 to server at x=640), answers left.
        assert!(svg.contains("x1=\"200\" y1=\"78\" x2=\"640\""), "{svg}");
        assert!(svg.contains("x1=\"640\" y1=\"112\" x2=\"200\""), "{svg}");
        assert!(svg.contains(ArrowKind::Challenge.colour()));
        assert!(svg.contains(ArrowKind::Success.colour()));
        assert!(svg.contains("+0.003 s · #3"));
    }

    #[test]
    fn capture_text_is_escaped_and_cut() {
        let evil = "REGISTER <script>alert(1)</script> & \"x\" \u{1b}[2J";
        let long = "x".repeat(200);
        let arrows = [
            arrow(true, ArrowKind::Request, evil, 1),
            arrow(false, ArrowKind::Retransmission, &long, 2),
        ];
        let svg = ladder("<t>", "m", "c&d", "s", &arrows);
        assert!(!svg.contains("<script>"));
        assert!(!svg.contains('\u{1b}'));
        assert!(svg.contains("&lt;script&gt;") && svg.contains("&amp;") && svg.contains("\\u{1b}"));
        assert!(svg.contains("<title>&lt;t&gt;</title>"));
        assert!(svg.contains(&format!("{}…", "x".repeat(MAX_LABEL_CHARS - 1))));
        assert!(!svg.contains(&"x".repeat(MAX_LABEL_CHARS + 1)));
        assert!(svg.contains("stroke-dasharray=\"6 4\""));
    }
}
