//! The accounts table's state: which accounts show, in what order, for what search.
//!
//! Everything here is computed when something changes (a capture loads, a key is typed, a
//! column or filter is clicked), never per frame: the lowercase search key of each account is
//! built once per analysis, and `shown` holds the indexes the table draws. The accounts and
//! their root causes come from the core; this only filters and sorts them for display.

use std::cmp::Ordering;

use crate::accounts::{Account, is_healthy, outcome_rank};
use crate::finding::{Finding, FindingCode};
use crate::transaction::{Exchange, Outcome};

/// A sortable column of the accounts table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    User,
    AuthUser,
    Client,
    UserAgent,
    Outcome,
    RootCause,
    Attempts,
    FirstSeen,
    LastSeen,
}

impl Column {
    pub const ALL: [Column; 9] = [
        Column::User,
        Column::AuthUser,
        Column::Client,
        Column::UserAgent,
        Column::Outcome,
        Column::RootCause,
        Column::Attempts,
        Column::FirstSeen,
        Column::LastSeen,
    ];
}

/// Which accounts the table keeps (besides the search).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    Problems,
    Healthy,
    Cause(FindingCode),
    Outcome(Outcome),
}

/// The root cause of an account, as the core gives it.
pub fn root_cause(a: &Account) -> Option<FindingCode> {
    a.root_cause
}

/// An account the core's census counts as failing: a root cause, or an unhealthy outcome.
pub fn is_problem(a: &Account) -> bool {
    a.root_cause.is_some() || !is_healthy(a.outcome)
}

#[derive(Default)]
pub struct AccountsView {
    /// Per account: user, auth users, client IP, User-Agent and Call-IDs, lowercase.
    keys: Vec<String>,
    /// Indexes into the accounts, in the order drawn.
    pub shown: Vec<usize>,
    /// The search box's text (edited by the view; `refilter` after a change).
    pub search: String,
    pub filter: Option<Filter>,
    /// The sort column and direction; None: problems first (the default).
    pub sort: Option<(Column, bool)>,
    /// Failing accounts per root cause, most first (the core's census).
    pub counts: Vec<(FindingCode, usize)>,
    /// The knowledge-base entry of each root cause: that of the capture's finding of the code
    /// (`Finding::kb_id`, e.g. a server's own ban rather than fail2ban), else the code's.
    kb: Vec<(FindingCode, &'static str)>,
    pub problems: usize,
    /// Put the keyboard focus in the search box on the next frame (Ctrl+F).
    pub focus_search: bool,
}

impl AccountsView {
    pub fn new(accounts: &[Account], exchanges: &[Exchange], findings: &[Finding]) -> AccountsView {
        let census = crate::accounts::census(accounts);
        let keys = accounts
            .iter()
            .map(|a| {
                let mut k = String::with_capacity(96);
                k.push_str(&a.user);
                for u in a.auth_users.iter().chain(a.auth_user.as_ref()) {
                    k.push('\n');
                    k.push_str(u);
                }
                k.push('\n');
                k.push_str(&a.client.to_string());
                k.push('\n');
                k.push_str(a.user_agent.as_deref().unwrap_or(""));
                for e in a.exchanges.iter().filter_map(|&id| exchanges.get(id)) {
                    k.push('\n');
                    k.push_str(&e.call_id);
                }
                k.to_lowercase()
            })
            .collect();
        let mut kb: Vec<(FindingCode, &'static str)> = Vec::new();
        for f in findings {
            if !kb.iter().any(|k| k.0 == f.code) {
                kb.push((f.code, f.kb_id()));
            }
        }
        let mut v = AccountsView {
            keys,
            problems: census.as_ref().map(|c| c.failing).unwrap_or(0),
            counts: census
                .map(|c| c.by_cause.iter().map(|x| (x.code, x.count)).collect())
                .unwrap_or_default(),
            kb,
            ..AccountsView::default()
        };
        v.refilter(accounts);
        v
    }

    /// The knowledge-base entry id a root cause is shown with.
    pub fn kb_id(&self, code: FindingCode) -> &'static str {
        self.kb
            .iter()
            .find(|k| k.0 == code)
            .map_or(code.kb_id(), |k| k.1)
    }

    /// Recompute `shown` after the search, filter or sort changed.
    pub fn refilter(&mut self, accounts: &[Account]) {
        let needle = self.search.trim().to_lowercase();
        let filter = self.filter;
        self.shown = accounts
            .iter()
            .enumerate()
            .filter(|(i, a)| {
                let keep = match filter {
                    None => true,
                    Some(Filter::Problems) => is_problem(a),
                    Some(Filter::Healthy) => !is_problem(a),
                    Some(Filter::Cause(c)) => root_cause(a) == Some(c),
                    Some(Filter::Outcome(o)) => a.outcome == o,
                };
                keep && (needle.is_empty() || self.keys[*i].contains(&needle))
            })
            .map(|(i, _)| i)
            .collect();
        match self.sort {
            None => self.shown.sort_by_key(|&i| {
                let a = &accounts[i];
                (
                    !is_problem(a),
                    root_cause(a).is_none(),
                    std::cmp::Reverse(outcome_rank(a.outcome)),
                    i,
                )
            }),
            Some((col, descending)) => self.shown.sort_by(|&x, &y| {
                let o = compare(col, &accounts[x], &accounts[y]).then(x.cmp(&y));
                if descending { o.reverse() } else { o }
            }),
        }
    }

    /// A click on a column header: sort by it, then the other way, then back to the default.
    pub fn sort_by(&mut self, col: Column, accounts: &[Account]) {
        self.sort = match self.sort {
            Some((c, false)) if c == col => Some((col, true)),
            Some((c, true)) if c == col => None,
            _ => Some((col, false)),
        };
        self.refilter(accounts);
    }
}

fn compare(col: Column, a: &Account, b: &Account) -> Ordering {
    match col {
        Column::User => a.user.cmp(&b.user),
        Column::AuthUser => a.auth_user.cmp(&b.auth_user),
        Column::Client => a.client.cmp(&b.client),
        Column::UserAgent => a.user_agent.cmp(&b.user_agent),
        Column::Outcome => outcome_rank(a.outcome).cmp(&outcome_rank(b.outcome)),
        Column::RootCause => root_cause(a)
            .map(FindingCode::as_str)
            .cmp(&root_cause(b).map(FindingCode::as_str)),
        Column::Attempts => a.attempts.cmp(&b.attempts),
        Column::FirstSeen => a.first_seen.cmp(&b.first_seen),
        Column::LastSeen => a.last_seen.cmp(&b.last_seen),
    }
}
