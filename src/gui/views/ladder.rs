//! The ladder diagram (call flow) of one exchange, painted with egui's painter: one column per
//! address, one arrow per message, time on the left; challenges and refusals in colour,
//! retransmissions dimmed. Each row is a clickable widget with an accessible name.

use std::net::SocketAddr;

use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Stroke, Ui, Vec2, pos2, vec2};

use super::palette;
use crate::gui::i18n::S;
use crate::gui::state::{Intent, Loaded};
use crate::kb::Lang;
use crate::sip::StartLine;
use crate::transaction::Exchange;

const ROW_H: f32 = 34.0;
const HEADER_H: f32 = 44.0;
const TIME_W: f32 = 118.0;
const MIN_COL: f32 = 170.0;
/// Room on each side of the outer columns for their address labels.
const SIDE: f32 = 80.0;

enum Row {
    Msg(usize),
    Icmp(usize),
}

/// The accessible name of a ladder row (tests click rows by it).
pub fn row_label(lang: Lang, frame: u64, summary: &str) -> String {
    format!("{} {frame}: {summary}", S::Frame.get(lang))
}

/// Columns (client, server, then any other address in order of appearance) and rows (messages
/// and ICMP errors, in time order) of an exchange.
fn layout(l: &Loaded, e: &Exchange) -> (Vec<SocketAddr>, Vec<(i64, Row)>) {
    let a = &l.analysis;
    let mut cols: Vec<SocketAddr> = vec![*e.client, *e.server];
    let mut rows: Vec<(i64, Row)> = Vec::new();
    for &mi in &e.messages() {
        let Some(m) = a.messages.get(mi) else {
            continue;
        };
        for addr in [*m.src, *m.dst] {
            if !cols.contains(&addr) {
                cols.push(addr);
            }
        }
        rows.push((m.ts, Row::Msg(mi)));
    }
    for at in &e.attempts {
        for &ii in at.icmp() {
            if let Some(n) = a.icmp.get(ii) {
                rows.push((n.ts, Row::Icmp(ii)));
            }
        }
    }
    rows.sort_by_key(|r| r.0);
    (cols, rows)
}

/// Where and with what the ladder is painted.
struct Canvas<'a> {
    l: &'a Loaded,
    selected: Option<usize>,
    lang: Lang,
    painter: egui::Painter,
    rect: Rect,
    width: f32,
    cols: &'a [SocketAddr],
    col_w: f32,
    text_col: Color32,
    weak: Color32,
    bad: Color32,
    small: FontId,
    mono: FontId,
}

impl Canvas<'_> {
    fn x_of(&self, addr: SocketAddr) -> f32 {
        let i = self.cols.iter().position(|c| *c == addr).unwrap_or(0);
        self.rect.left() + TIME_W + SIDE + self.col_w * i as f32
    }

    /// Column headers (address and role) and dashed lifelines.
    fn headers(&self, lang: Lang) {
        let (painter, rect) = (&self.painter, self.rect);
        for (i, c) in self.cols.iter().enumerate() {
            let x = self.x_of(*c);
            let role = match i {
                0 => S::Client.get(lang),
                1 => S::Server.get(lang),
                _ => "",
            };
            painter.text(
                pos2(x, rect.top() + 4.0),
                Align2::CENTER_TOP,
                c.to_string(),
                FontId::monospace(13.0),
                self.text_col,
            );
            painter.text(
                pos2(x, rect.top() + 22.0),
                Align2::CENTER_TOP,
                role,
                self.small.clone(),
                self.weak,
            );
            let mut y = rect.top() + HEADER_H - 4.0;
            while y < rect.bottom() - 4.0 {
                painter.line_segment(
                    [pos2(x, y), pos2(x, (y + 5.0).min(rect.bottom()))],
                    Stroke::new(1.0, self.weak),
                );
                y += 9.0;
            }
        }
        painter.text(
            pos2(rect.left() + 4.0, rect.top() + 22.0),
            Align2::LEFT_TOP,
            S::Time.get(lang),
            self.small.clone(),
            self.weak,
        );
    }

    /// The time and frame column of a row.
    fn time(&self, top: f32, rel: f64, frame: u64, colour: Color32) {
        self.painter.text(
            pos2(self.rect.left() + 4.0, top + ROW_H * 0.5),
            Align2::LEFT_CENTER,
            format!("{rel:+.3} s  #{frame}"),
            self.mono.clone(),
            colour,
        );
    }

    /// An arrow from `x1` to `x2` with its label above.
    fn arrow(&self, x1: f32, x2: f32, y: f32, text: String, colour: Color32, dashed: bool) {
        arrow(&self.painter, x1, x2, y, colour, dashed);
        self.painter.text(
            pos2((x1 + x2) / 2.0, y - 5.0),
            Align2::CENTER_BOTTOM,
            text,
            FontId::proportional(14.0),
            colour,
        );
    }
}

/// The colour of a message's arrow: challenges, refusals and successes stand out.
fn message_colour(ui: &Ui, start: &StartLine, text_col: Color32) -> Color32 {
    let p = palette(ui);
    match start {
        StartLine::Response { code, .. } => match code {
            401 | 407 => p.warn,
            403 => p.bad,
            200..=299 => p.ok,
            100..=199 => ui.visuals().weak_text_color(),
            _ => p.bad,
        },
        StartLine::Request { .. } => text_col,
    }
}

/// One message row: a clickable widget with an accessible name, its time, its arrow.
fn message_row(ui: &mut Ui, c: &Canvas, mi: usize, top: f32, rel: f64, out: &mut Vec<Intent>) {
    let (a, lang) = (&c.l.analysis, c.lang);
    let m = &a.messages[mi];
    let row_rect = Rect::from_min_size(pos2(c.rect.left(), top), vec2(c.width, ROW_H));
    let retrans = a
        .roles
        .get(mi)
        .is_some_and(|r| r.retransmission_of.is_some());
    let mut colour = message_colour(ui, &m.start(), c.text_col);
    if retrans {
        colour = colour.gamma_multiply(0.4);
    }
    let summary = m.summary();
    let id = ui.scope_id().with(("ladder-row", mi));
    let resp = ui.interact(row_rect, id, Sense::click());
    let label = row_label(lang, m.frame(), &summary);
    let is_sel = c.selected == Some(mi);
    resp.widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::Button, true, is_sel, label.clone())
    });
    if is_sel {
        c.painter
            .rect_filled(row_rect, 3.0, ui.visuals().selection.bg_fill);
    } else if resp.hovered() {
        c.painter
            .rect_filled(row_rect, 3.0, ui.visuals().widgets.hovered.weak_bg_fill);
    }
    if resp.clicked() {
        out.push(Intent::SelectMessage(Some(mi)));
    }
    let _ = resp.on_hover_text(format!(
        "{}\n{} → {}",
        crate::time::format_ts(m.ts),
        m.src,
        m.dst
    ));
    c.time(
        top,
        rel,
        m.frame(),
        if retrans { c.weak } else { c.text_col },
    );
    let auth =
        m.credentials("authorization").is_some() || m.credentials("proxy-authorization").is_some();
    let mut text = short(&summary, 60);
    if auth {
        text.push_str("  +auth");
    }
    if retrans {
        text = format!("{text}  ({})", S::Retransmission.get(lang));
    }
    let y = top + ROW_H * 0.72;
    c.arrow(c.x_of(*m.src), c.x_of(*m.dst), y, text, colour, false);
}

pub fn draw(
    ui: &mut Ui,
    l: &Loaded,
    e: &Exchange,
    selected: Option<usize>,
    lang: Lang,
    out: &mut Vec<Intent>,
) {
    let (cols, rows) = layout(l, e);
    let avail = ui.available_width() - 14.0;
    let ncols = cols.len().max(2);
    let col_w = ((avail - TIME_W - 2.0 * SIDE) / (ncols - 1) as f32).max(MIN_COL);
    let width = TIME_W + 2.0 * SIDE + col_w * (ncols - 1) as f32;
    let height = HEADER_H + ROW_H * rows.len() as f32 + 16.0;

    egui::ScrollArea::both()
        .id_salt(("ladder", e.id))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let (rect, _) = ui.allocate_exact_size(vec2(width, height), Sense::hover());
            let c = Canvas {
                l,
                selected,
                lang,
                painter: ui.painter_at(rect),
                rect,
                width,
                cols: &cols,
                col_w,
                text_col: ui.visuals().text_color(),
                weak: ui.visuals().weak_text_color(),
                bad: palette(ui).bad,
                small: FontId::proportional(12.5),
                mono: FontId::monospace(12.5),
            };
            c.headers(lang);
            for (ri, (ts, row)) in rows.iter().enumerate() {
                let top = rect.top() + HEADER_H + ROW_H * ri as f32;
                let rel = (*ts - e.first_ts) as f64 / 1e9;
                match row {
                    Row::Msg(mi) => message_row(ui, &c, *mi, top, rel, out),
                    Row::Icmp(ii) => {
                        let n = &l.analysis.icmp[*ii];
                        c.time(top, rel, n.frame, c.bad);
                        let text = format!("ICMP {} (from {})", n.kind, n.reporter);
                        let y = top + ROW_H * 0.72;
                        c.arrow(c.x_of(n.dst), c.x_of(n.src), y, text, c.bad, true);
                    }
                }
            }
        });
}

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

fn arrow(painter: &egui::Painter, x1: f32, x2: f32, y: f32, colour: Color32, dashed: bool) {
    let stroke = Stroke::new(if dashed { 1.5 } else { 2.0 }, colour);
    if (x1 - x2).abs() < 1.0 {
        // To itself: a small loop.
        let pts = [
            pos2(x1, y - 8.0),
            pos2(x1 + 30.0, y - 8.0),
            pos2(x1 + 30.0, y),
            pos2(x1 + 4.0, y),
        ];
        painter.line(pts.to_vec(), stroke);
        return;
    }
    let dir = if x2 > x1 { 1.0 } else { -1.0 };
    let tip = pos2(x2 - dir * 2.0, y);
    let start = pos2(x1 + dir * 2.0, y);
    if dashed {
        let shapes = egui::Shape::dashed_line(&[start, tip], stroke, 6.0, 4.0);
        painter.extend(shapes);
    } else {
        painter.line_segment([start, tip], stroke);
    }
    let head = 9.0;
    let pts: Vec<Pos2> = vec![
        tip,
        tip - Vec2::new(dir * head, head * 0.5),
        tip - Vec2::new(dir * head, -head * 0.5),
    ];
    painter.add(egui::Shape::convex_polygon(pts, colour, Stroke::NONE));
}
