//! Collecting findings: one per code, evidence merged, sorted root cause first.

use std::collections::{BTreeMap, HashSet};

use crate::finding::{Evidence, Finding, FindingCode, Severity};

/// At most this many evidence lines per finding (the rest are counted).
pub const MAX_EVIDENCE: usize = 12;

/// A finding as a rule states it: built with [`Draft::new`] and the `with_*` methods, then
/// given to [`Collector::add`].
#[derive(Debug, Clone)]
pub struct Draft {
    pub code: FindingCode,
    pub severity: Severity,
    pub title: String,
    pub explanation: String,
    pub causes: Vec<String>,
    pub evidence: Vec<Evidence>,
    pub exchange: Option<usize>,
    /// A more specific kb entry than the code's (see `Finding::kb_override`).
    pub kb: Option<&'static str>,
}

impl Draft {
    pub fn new(
        code: FindingCode,
        severity: Severity,
        title: impl Into<String>,
        explanation: impl Into<String>,
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
    pub fn with_causes(mut self, causes: Vec<String>) -> Draft {
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
    /// The exchanges of each finding as a set, so a finding about 100,000 exchanges does not
    /// search its list for every one added.
    exchange_sets: BTreeMap<FindingCode, HashSet<usize>>,
}

impl Collector {
    pub fn add(&mut self, d: Draft) {
        let f = self.by_code.entry(d.code).or_insert_with(|| Finding {
            code: d.code,
            severity: d.severity,
            title: d.title,
            explanation: d.explanation,
            causes: d.causes,
            evidence: Vec::new(),
            more_evidence: 0,
            exchanges: Vec::new(),
            kb_override: d.kb,
        });
        f.severity = f.severity.min(d.severity);
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
        if let Some(x) = d.exchange
            && self.exchange_sets.entry(d.code).or_default().insert(x)
        {
            f.exchanges.push(x);
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
}
