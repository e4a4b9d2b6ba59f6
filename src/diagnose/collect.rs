//! Collecting findings: one per code, evidence merged, sorted root cause first.

use std::collections::{BTreeMap, HashMap};

use crate::sip::intern::FxBuild;

use crate::finding::{Evidence, Finding, FindingCode, FindingText, Severity};
use crate::msg::Text;

/// At most this many evidence lines per finding (the rest are counted).
pub const MAX_EVIDENCE: usize = 12;

/// A finding as a rule states it: message ids and parameters (`crate::msg`), never English
/// text, built with [`Draft::new`] and the `with_*` methods, then given to [`Collector::add`].
#[derive(Debug, Clone)]
pub struct Draft {
    pub code: FindingCode,
    pub severity: Severity,
    pub title: Text,
    pub explanation: Text,
    pub causes: Vec<Text>,
    pub evidence: Vec<Evidence>,
    pub exchange: Option<usize>,
    /// A more specific kb entry than the code's (see `Finding::kb_override`).
    pub kb: Option<&'static str>,
}

impl Draft {
    pub fn new(
        code: FindingCode,
        severity: Severity,
        title: impl Into<Text>,
        explanation: impl Into<Text>,
    ) -> Draft {
        Draft {
            code,
            severity,
            title: title.into(),
            explanation: explanation.into(),
            causes: Vec::new(),
            evidence: Vec::new(),
            exchange: None,
            kb: None,
        }
    }

    /// Link a more specific knowledge-base entry than the code's own.
    pub fn with_kb(mut self, id: &'static str) -> Draft {
        self.kb = Some(id);
        self
    }

    /// Most likely causes, in order.
    pub fn with_causes(mut self, causes: Vec<Text>) -> Draft {
        self.causes = causes;
        self
    }

    pub fn with_evidence(mut self, evidence: Vec<Evidence>) -> Draft {
        self.evidence = evidence;
        self
    }

    /// The exchange (id) it is about.
    pub fn about(mut self, exchange: usize) -> Draft {
        self.exchange = Some(exchange);
        self
    }
}

/// Collects findings by code, merging evidence. The first draft of a code gives its title and
/// explanation; the most severe one its severity.
#[derive(Default)]
pub struct Collector {
    by_code: BTreeMap<FindingCode, Finding>,
    places: Places,
}

/// Where each exchange sits in its finding's `exchanges`. The exchanges of a code come in
/// order (the rules go through the exchanges in order): its finding's `exchanges` then stay
/// sorted, and a draft finds its exchange's place at the end or by a binary search. For the
/// codes in `unordered` (an exchange came before one already there), `position` holds where
/// each (code, exchange) sits. Either way a finding of 100,000 exchanges is merged without
/// scanning them for every draft, and without a table entry per exchange when they come in
/// order.
#[derive(Default)]
struct Places {
    position: HashMap<(FindingCode, usize), usize, FxBuild>,
    unordered: Vec<FindingCode>,
}

impl Collector {
    pub fn add(&mut self, d: Draft) {
        let f = self.by_code.entry(d.code).or_insert_with(|| {
            let text = FindingText {
                title: d.title,
                explanation: d.explanation,
                causes: d.causes,
                who: None,
            };
            let mut f = Finding::new(d.code, d.severity, text);
            f.kb_override = d.kb;
            f
        });
        f.severity = f.severity.min(d.severity);
        if d.exchange.is_none() {
            f.frames.extend(d.evidence.iter().map(|e| e.frame));
        }
        for ev in d.evidence {
            if f.evidence.contains(&ev) {
                continue;
            }
            if f.evidence.len() < MAX_EVIDENCE {
                f.evidence.push(ev);
            } else {
                f.more_evidence += 1;
            }
        }
        if let Some(x) = d.exchange {
            self.places.about(f, d.code, x, d.severity);
        }
    }

    /// Add the draft `make` writes, or when it could change nothing but counts (its finding
    /// shows [`MAX_EVIDENCE`] lines already, none of them at `frames`, the frames of its
    /// evidence) count it without writing it: a finding of 100,000 exchanges writes the
    /// words of the few it shows only. `severity` and `exchange` are the draft's.
    pub fn add_with(
        &mut self,
        code: FindingCode,
        severity: Severity,
        exchange: Option<usize>,
        frames: &[u64],
        make: impl FnOnce() -> Draft,
    ) {
        let full = self.by_code.get(&code).is_some_and(|f| {
            f.evidence.len() >= MAX_EVIDENCE
                && !f.evidence.iter().any(|e| frames.contains(&e.frame))
        });
        if !full {
            let d = make();
            debug_assert!(d.code == code && d.severity == severity && d.exchange == exchange);
            debug_assert!(
                d.evidence
                    .iter()
                    .map(|e| e.frame)
                    .eq(frames.iter().copied())
            );
            return self.add(d);
        }
        let f = self.by_code.get_mut(&code).expect("full means present");
        f.severity = f.severity.min(severity);
        f.more_evidence += frames.len();
        match exchange {
            Some(x) => self.places.about(f, code, x, severity),
            None => f.frames.extend_from_slice(frames),
        }
    }

    /// The finding of `code` collected so far, to adjust it.
    pub fn get_mut(&mut self, code: FindingCode) -> Option<&mut Finding> {
        self.by_code.get_mut(&code)
    }

    pub fn into_sorted(self) -> Vec<Finding> {
        let mut v: Vec<Finding> = self.by_code.into_values().collect();
        v.sort_by_key(|f| (f.severity, f.code.rank()));
        v
    }
}

impl Places {
    /// Record that a draft of `code` with `severity` is about exchange `x`.
    fn about(&mut self, f: &mut Finding, code: FindingCode, x: usize, severity: Severity) {
        let Places {
            position,
            unordered,
        } = self;
        if !unordered.contains(&code) {
            // Sorted, no exchange twice.
            let at = match f.exchanges.last() {
                Some(&last) if last >= x => f.exchanges.binary_search(&x),
                _ => Err(f.exchanges.len()),
            };
            match at {
                Ok(p) => {
                    let s = &mut f.exchange_severity[p];
                    *s = (*s).min(severity);
                }
                Err(p) if p == f.exchanges.len() => {
                    f.exchanges.push(x);
                    f.exchange_severity.push(severity);
                }
                Err(_) => {
                    // Out of order: every place indexed from now on.
                    unordered.push(code);
                    for (p, &e) in f.exchanges.iter().enumerate() {
                        position.insert((code, e), p);
                    }
                    position.insert((code, x), f.exchanges.len());
                    f.exchanges.push(x);
                    f.exchange_severity.push(severity);
                }
            }
            return;
        }
        match position.entry((code, x)) {
            std::collections::hash_map::Entry::Occupied(p) => {
                let s = &mut f.exchange_severity[*p.get()];
                *s = (*s).min(severity);
            }
            std::collections::hash_map::Entry::Vacant(p) => {
                p.insert(f.exchanges.len());
                f.exchanges.push(x);
                f.exchange_severity.push(severity);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_by_code_keeps_the_first_title_and_the_worst_severity() {
        let mut c = Collector::default();
        c.add(
            Draft::new(FindingCode::StaleNonce, Severity::Info, "first", "x")
                .with_evidence(vec![Evidence::new(1, "a")])
                .about(0),
        );
        c.add(
            Draft::new(FindingCode::StaleNonce, Severity::Warning, "second", "y")
                .with_evidence(vec![Evidence::new(1, "a"), Evidence::new(2, "b")])
                .about(1),
        );
        c.add(Draft::new(FindingCode::AuthOk, Severity::Info, "ok", "z"));
        c.add(Draft::new(
            FindingCode::WrongPassword,
            Severity::Warning,
            "w",
            "z",
        ));
        let v = c.into_sorted();
        let codes: Vec<&str> = v.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["wrong-password", "stale-nonce", "auth-ok"]);
        let s = &v[1];
        assert_eq!(s.title, "first");
        assert_eq!(s.severity, Severity::Warning);
        assert_eq!(s.evidence.len(), 2, "duplicate evidence merged");
        assert_eq!(s.exchanges, [0, 1]);
        // Each exchange keeps the severity of its own drafts.
        assert_eq!(s.exchange_severity, [Severity::Info, Severity::Warning]);
        assert_eq!(
            (s.severity_for(0), s.severity_for(1)),
            (Severity::Info, Severity::Warning)
        );
    }

    #[test]
    fn an_error_finding_knows_which_exchanges_were_only_warnings() {
        let mut c = Collector::default();
        let draft = |s, x| Draft::new(FindingCode::CredentialsRejected, s, "t", "x").about(x);
        c.add(draft(Severity::Warning, 3));
        c.add(draft(Severity::Error, 5));
        c.add(draft(Severity::Warning, 5));
        c.add(draft(Severity::Warning, 3));
        c.add(
            Draft::new(FindingCode::ClockSkew, Severity::Warning, "t", "x")
                .with_evidence((1..=20).map(|i| Evidence::new(i, "e")).collect()),
        );
        let v = c.into_sorted();
        let f = &v[0];
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(f.exchanges, [3, 5]);
        assert_eq!(f.severity_for(0), Severity::Warning);
        assert_eq!(f.severity_for(1), Severity::Error);
        assert!(f.frames.is_empty(), "tied to exchanges");
        // Tied to no exchange: every frame kept, beyond the evidence shown.
        assert_eq!(v[1].frames, (1..=20).collect::<Vec<u64>>());
        assert_eq!(v[1].evidence.len(), MAX_EVIDENCE);
    }

    /// Exchanges in order, repeated, then out of order and repeated again: each finding lists
    /// every exchange once, where it first came, with the worst severity of its drafts (what
    /// a scan of the list for every draft gives).
    #[test]
    fn exchanges_in_and_out_of_order_keep_their_first_place_and_worst_severity() {
        let xs = [0usize, 0, 2, 5, 5, 2, 9, 3, 9, 1, 3, 0, 12];
        let mut c = Collector::default();
        let (mut order, mut worst): (Vec<usize>, Vec<Severity>) = (Vec::new(), Vec::new());
        for (i, &x) in xs.iter().enumerate() {
            let sev = [Severity::Info, Severity::Error, Severity::Warning][i % 3];
            for code in [FindingCode::AuthOk, FindingCode::StaleNonce] {
                // StaleNonce sees the exchanges in order only.
                if code == FindingCode::StaleNonce && i > 6 {
                    continue;
                }
                c.add(Draft::new(code, sev, "t", "x").about(x));
            }
            match order.iter().position(|&e| e == x) {
                Some(p) => worst[p] = worst[p].min(sev),
                None => {
                    order.push(x);
                    worst.push(sev);
                }
            }
        }
        let v = c.into_sorted();
        let ok = v.iter().find(|f| f.code == FindingCode::AuthOk).unwrap();
        assert_eq!(ok.exchanges, order);
        assert_eq!(ok.exchange_severity, worst);
        let stale = v
            .iter()
            .find(|f| f.code == FindingCode::StaleNonce)
            .unwrap();
        assert_eq!(stale.exchanges, [0, 2, 5, 9]);
        assert_eq!(
            stale.exchange_severity,
            [
                Severity::Error,
                Severity::Warning,
                Severity::Error,
                Severity::Info
            ]
        );
    }

    #[test]
    fn evidence_beyond_the_limit_is_counted() {
        let mut c = Collector::default();
        let evidence = (0..20).map(|i| Evidence::new(i, "e")).collect();
        c.add(
            Draft::new(FindingCode::NoResponse, Severity::Error, "t", "x").with_evidence(evidence),
        );
        let f = &c.into_sorted()[0];
        assert_eq!(f.evidence.len(), MAX_EVIDENCE);
        assert_eq!(f.more_evidence, 20 - MAX_EVIDENCE);
    }

    #[test]
    fn a_draft_counted_without_its_words_merges_like_one_added() {
        let draft = |i: u64| {
            let sev = if i.is_multiple_of(3) {
                Severity::Error
            } else {
                Severity::Warning
            };
            Draft::new(FindingCode::AuthOk, sev, "t", "x")
                .with_evidence(vec![Evidence::new(i % 15, format!("e{}", i % 15))])
                .about(i as usize % 17)
        };
        let (mut added, mut lazy) = (Collector::default(), Collector::default());
        let mut written = 0;
        for i in 0..40 {
            added.add(draft(i));
            let d = draft(i);
            lazy.add_with(d.code, d.severity, d.exchange, &[i % 15], || {
                written += 1;
                draft(i)
            });
        }
        let (a, b) = (added.into_sorted(), lazy.into_sorted());
        assert!(written < 40, "the counted drafts were not written");
        assert_eq!(a[0].evidence, b[0].evidence);
        assert_eq!(a[0].more_evidence, b[0].more_evidence);
        assert_eq!(a[0].exchanges, b[0].exchanges);
        assert_eq!(a[0].exchange_severity, b[0].exchange_severity);
        assert_eq!(a[0].severity, b[0].severity);
    }
}
