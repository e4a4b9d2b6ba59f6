//! Accounts: who is in a whole-server capture, one entry per phone line.
//!
//! A capture taken on the server (`sngrep -d eth0 port 5060`) holds every phone and trunk of
//! that server. An *account* is one user (the To user of a REGISTER, which is the AoR it
//! registers, else its From user; the From user of an INVITE or any other request) from one
//! client IP. The port is not part of it: a phone behind NAT changes ports between
//! registrations. Each account collects its exchanges (see [`crate::transaction`]), the
//! username of its credentials, the realm, the latest client address and User-Agent, and the
//! worst outcome.
//!
//! This layer sits between `transaction` and `diagnose`: it uses `capture`, `sip` and
//! `transaction` only. The diagnosis fills in an account's root cause and findings later
//! ([`attach`]).
//!
//! Everything here is linear in the number of messages: accounts are found through a
//! `HashMap` keyed by (user, IP), each auth header is parsed once, and a [`Focus`] is resolved
//! by one pass over the accounts and their exchanges.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use serde::Serialize;

use crate::capture::Nanos;
use crate::finding::{Finding, FindingCode, Severity};
use crate::msg::{Arg, Lang, Msg, Text, count};
use crate::sip::auth::PackedAuth;
use crate::sip::intern::FxHashMap;
use crate::sip::{KeptName, SipMessage, Sym};
use crate::transaction::{Exchange, IcmpNote, Outcome};

/// One user from one client IP, and everything it did in the capture.
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    /// Position in the list (0-based), in order of first appearance.
    pub id: usize,
    /// The user part of the To (REGISTER) or From (other requests) URI; empty when the URI
    /// has no user part.
    pub user: String,
    /// The username of the latest Authorization/Proxy-Authorization, when it sent one.
    pub auth_user: Option<String>,
    /// The realm of its latest credentials, else of the latest challenge it received.
    pub realm: Option<String>,
    /// Address of its latest request (`"ip:port"` in JSON).
    pub client: SocketAddr,
    /// Where its latest request went.
    pub server: SocketAddr,
    /// User-Agent of its latest request that had one.
    pub user_agent: Option<String>,
    /// Its exchanges (ids into the capture's exchanges), in order.
    pub exchanges: Vec<usize>,
    /// The worst outcome of its exchanges (see [`outcome_rank`]).
    pub outcome: Outcome,
    /// Requests sent (retransmissions not counted), over all its exchanges.
    pub attempts: usize,
    /// Capture time of its first and last message.
    pub first_seen: Nanos,
    pub last_seen: Nanos,
    /// Every distinct auth username it used (what `--account` matches besides `user`).
    #[serde(skip)]
    pub auth_users: Vec<String>,
    /// Every client port it used.
    #[serde(skip)]
    pub client_ports: Vec<u16>,
    /// The code of its first error finding (None when healthy); filled by [`attach`].
    pub root_cause: Option<FindingCode>,
    /// Indexes into the analysis' findings that speak of it, in the findings' order.
    pub findings: Vec<usize>,
}

/// How bad an outcome is, for "the worst outcome" of an account: healthy < waiting < refused <
/// silent < rejected.
pub fn outcome_rank(o: Outcome) -> u8 {
    match o {
        Outcome::Accepted => 0,
        Outcome::Recovered => 1,
        Outcome::Pending => 2,
        Outcome::ChallengeUnanswered => 3,
        Outcome::Rechallenged => 4,
        Outcome::NoResponse => 5,
        Outcome::Unreachable => 6,
        Outcome::Rejected => 7,
    }
}

/// True for the outcomes of a working line.
pub fn is_healthy(o: Outcome) -> bool {
    matches!(o, Outcome::Accepted | Outcome::Recovered)
}

/// The user an exchange belongs to: To user of a REGISTER (its AoR), else the From user.
fn exchange_user(e: &Exchange) -> &str {
    let register = e.method.eq_ignore_ascii_case("REGISTER");
    exchange_user_sym(e, register).map_or("", |u| u.as_str())
}

/// [`exchange_user`] as its symbol, given whether the exchange is a REGISTER.
fn exchange_user_sym(e: &Exchange, register: bool) -> Option<Sym> {
    if register {
        e.to_user.or(e.from_user)
    } else {
        e.from_user
    }
}

/// The kept headers the accounts and the diagnosis read in every exchange, each found by
/// its [`KeptName`] ([`kept_value`]).
pub struct KeptNames {
    pub to: Option<KeptName>,
    pub from: Option<KeptName>,
    pub contact: Option<KeptName>,
    pub user_agent: Option<KeptName>,
}

/// The [`KeptNames`], worked out once.
pub static KEPT: std::sync::LazyLock<KeptNames> = std::sync::LazyLock::new(|| KeptNames {
    to: KeptName::of("to"),
    from: KeptName::of("from"),
    contact: KeptName::of("contact"),
    user_agent: KeptName::of("user-agent"),
});

/// The first value of the kept header `name` of `m`: what [`SipMessage::header`] finds by
/// its name's text, found by its [`KeptName`] (a byte compared per header, not a string),
/// for the passes that read one in every exchange.
pub fn kept_value(m: &SipMessage, name: Option<KeptName>) -> Option<&str> {
    let name = name?;
    m.headers
        .iter()
        .find(|h| h.name == name)
        .map(|h| h.value.as_str())
}

/// What an account is found by while the accounts are built: the number of its user's
/// symbol (equal users, equal numbers: no text hashed or compared per exchange) and its
/// client IP.
type AccountKey = (u32, IpAddr);

/// The symbols [`account_key`] compares with, made once per [`build`].
struct KeySyms {
    /// The grouping upper-cases methods: a REGISTER is nearly always this very symbol.
    register: Sym,
    /// No user and an empty one are the same user ("").
    no_user: u32,
}

impl KeySyms {
    fn new() -> Self {
        KeySyms {
            register: Sym::new("REGISTER"),
            no_user: Sym::new("").id(),
        }
    }
}

/// The key of the account of `e`: its [`exchange_user`] and client IP.
fn account_key(e: &Exchange, syms: &KeySyms) -> AccountKey {
    let register = e.method == syms.register || e.method.eq_ignore_ascii_case("REGISTER");
    let user = exchange_user_sym(e, register);
    (user.map_or(syms.no_user, Sym::id), e.client.ip())
}

/// The parameters of an auth header that the accounts and the diagnosis read, found in one
/// walk over its parameters: each `PackedAuth::get` walks them all, and the rules read up to
/// a dozen of them per request. Each field is the first parameter of that name (any case),
/// as `get` finds it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuthFields<'a> {
    pub realm: Option<&'a str>,
    pub nonce: Option<&'a str>,
    pub algorithm: Option<&'a str>,
    pub uri: Option<&'a str>,
    pub response: Option<&'a str>,
    pub stale: Option<&'a str>,
    username: Option<&'a str>,
    username_ext: Option<&'a str>,
}

impl<'a> AuthFields<'a> {
    pub fn of(c: &'a PackedAuth) -> AuthFields<'a> {
        let mut f = AuthFields::default();
        for (name, value, _) in c.params() {
            let slot = match name.len() {
                3 if name.eq_ignore_ascii_case("uri") => &mut f.uri,
                5 if name.eq_ignore_ascii_case("realm") => &mut f.realm,
                5 if name.eq_ignore_ascii_case("nonce") => &mut f.nonce,
                5 if name.eq_ignore_ascii_case("stale") => &mut f.stale,
                8 if name.eq_ignore_ascii_case("response") => &mut f.response,
                8 if name.eq_ignore_ascii_case("username") => &mut f.username,
                9 if name.eq_ignore_ascii_case("algorithm") => &mut f.algorithm,
                9 if name.eq_ignore_ascii_case("username*") => &mut f.username_ext,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(value);
            }
        }
        f
    }

    /// [`PackedAuth::username`], borrowed from the header when it needs no decoding:
    /// `username*` decoded when present and decodable, else `username`.
    pub fn username(&self) -> Option<std::borrow::Cow<'a, str>> {
        if let Some(decoded) = self
            .username_ext
            .and_then(crate::sip::auth::decode_ext_value)
        {
            return Some(decoded.into());
        }
        self.username.map(Into::into)
    }

    /// [`PackedAuth::stale`]: `stale=true`, any case, quoted or not.
    pub fn stale(&self) -> bool {
        self.stale
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }
}

/// What the latest exchange of an account said so far, borrowed from the messages while
/// the accounts are built (copied once at the end).
#[derive(Default)]
struct Latest<'m> {
    realm: Option<&'m str>,
    user_agent: Option<&'m str>,
    auth_user: Option<Cow<'m, str>>,
}

/// What one exchange tells its account, borrowed from the messages: read for many exchanges
/// at a time on both cores ([`facts_of_all`]), then taken in, in order, by [`build`].
#[derive(Default)]
struct Facts<'m> {
    /// Its auth usernames, each once, in the order they were first sent (the first one apart:
    /// most exchanges send one).
    first_user: Option<Cow<'m, str>>,
    more_users: Vec<Cow<'m, str>>,
    /// The last auth username, realm and User-Agent it sent or received.
    last_user: Option<Cow<'m, str>>,
    realm: Option<&'m str>,
    user_agent: Option<&'m str>,
}

impl<'m> Facts<'m> {
    fn users(&self) -> impl Iterator<Item = &Cow<'m, str>> {
        self.first_user.iter().chain(&self.more_users)
    }
}

/// An exchange's facts. Every auth username is read (once per request, one walk over its
/// credentials' parameters); of the realm and User-Agent only the exchange's last one counts
/// (an account keeps its latest), so they are looked for from its last attempt back.
fn facts_of<'m>(e: &Exchange, messages: &'m [SipMessage]) -> Facts<'m> {
    let mut f = Facts::default();
    // The realm of the last credentials that name one, and their attempt.
    let mut cred_realm: Option<(usize, &'m str)> = None;
    for (i, at) in e.attempts.iter().enumerate() {
        if let Some(name) = &at.credentials
            && let Some(Ok(c)) = messages[at.request()].credentials(name)
        {
            let fields = AuthFields::of(c);
            if let Some(realm) = fields.realm {
                cred_realm = Some((i, realm));
            }
            if let Some(u) = fields.username() {
                if f.first_user.is_none() {
                    f.first_user = Some(u.clone());
                } else if !f.users().any(|x| *x == u) {
                    f.more_users.push(u.clone());
                }
                f.last_user = Some(u);
            }
        }
    }
    // A challenge's realm counts when no later credentials name one: those of its own
    // attempt come after it.
    let after = cred_realm.map_or(0, |(i, _)| i + 1);
    let challenge_realm = e.attempts[after..].iter().rev().find_map(|at| {
        at.responses().iter().rev().find_map(|&r| {
            let resp = &messages[r];
            if !matches!(resp.status(), Some(401 | 407)) {
                return None;
            }
            let mut last = None;
            for ch in resp.challenges().filter(|c| c.is_digest()) {
                last = ch.realm().or(last);
            }
            last
        })
    });
    f.realm = challenge_realm.or(cred_realm.map(|(_, r)| r));
    f.user_agent = e
        .attempts
        .iter()
        .rev()
        .find_map(|at| kept_value(&messages[at.request()], KEPT.user_agent));
    f
}

/// Exchanges whose facts are read at a time: half on another core. Few enough that their
/// facts take little room (~100 bytes each), many enough that a thread per batch costs
/// nothing next to them.
const FACTS_BATCH: usize = if cfg!(test) { 4 } else { 8192 };
/// Fewer exchanges than this are read on one core (a thread costs more than they do).
const FACTS_ON_TWO_CORES: usize = if cfg!(test) { 2 } else { 512 };

/// The facts of a batch of exchanges, in order, half of them read on a second thread.
fn facts_of_all<'m>(exchanges: &[Exchange], messages: &'m [SipMessage]) -> Vec<Facts<'m>> {
    let read = |part: &[Exchange]| -> Vec<Facts<'m>> {
        part.iter().map(|e| facts_of(e, messages)).collect()
    };
    if exchanges.len() < FACTS_ON_TWO_CORES {
        return read(exchanges);
    }
    let (first, second) = exchanges.split_at(exchanges.len() / 2);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| read(second));
        let mut all = read(first);
        all.extend(other.join().expect("reading facts does not panic"));
        all
    })
}

/// Take an exchange's facts into its account.
fn take_facts<'m>(f: Facts<'m>, acc: &mut Account, l: &mut Latest<'m>) {
    for u in f.users() {
        // Copied only when new to the account (most exchanges repeat the last one).
        if !acc.auth_users.iter().any(|x| *x == **u) {
            acc.auth_users.push(u.to_string());
        }
    }
    if let Some(u) = f.last_user {
        l.auth_user = Some(u);
    }
    if let Some(realm) = f.realm {
        l.realm = Some(realm);
    }
    if let Some(ua) = f.user_agent {
        l.user_agent = Some(ua);
    }
}

/// Group the exchanges into accounts. `messages` are the capture's messages (indexes as in
/// the exchanges), `exchanges` what [`crate::transaction::group`] produced.
pub fn build(messages: &[SipMessage], exchanges: &[Exchange]) -> Vec<Account> {
    let mut accounts: Vec<Account> = Vec::new();
    let mut latest: Vec<Latest> = Vec::new();
    let mut by_key: FxHashMap<AccountKey, usize> = FxHashMap::default();
    let syms = KeySyms::new();
    for batch in exchanges.chunks(FACTS_BATCH) {
        let facts = facts_of_all(batch, messages);
        for (e, f) in batch.iter().zip(facts) {
            let key = account_key(e, &syms);
            let id = account_for(&mut accounts, &mut latest, &mut by_key, key, e);
            let a = &mut accounts[id];
            a.exchanges.push(e.id);
            a.attempts += e.attempts.len();
            if outcome_rank(e.outcome) > outcome_rank(a.outcome) {
                a.outcome = e.outcome;
            }
            a.first_seen = a.first_seen.min(e.first_ts);
            if e.last_ts >= a.last_seen || a.exchanges.len() == 1 {
                a.client = *e.client;
                a.server = *e.server;
            }
            a.last_seen = a.last_seen.max(e.last_ts);
            if !a.client_ports.contains(&e.client.port()) {
                a.client_ports.push(e.client.port());
            }
            take_facts(f, a, &mut latest[id]);
        }
    }
    for (a, l) in accounts.iter_mut().zip(latest) {
        a.realm = l.realm.map(str::to_string);
        a.user_agent = l.user_agent.map(str::to_string);
        a.auth_user = l.auth_user.map(Cow::into_owned);
    }
    accounts
}

/// The account of an exchange's user and client IP, made when it is the first.
fn account_for(
    accounts: &mut Vec<Account>,
    latest: &mut Vec<Latest>,
    by_key: &mut FxHashMap<AccountKey, usize>,
    key: AccountKey,
    e: &Exchange,
) -> usize {
    *by_key.entry(key).or_insert_with(|| {
        accounts.push(Account {
            id: accounts.len(),
            user: exchange_user(e).to_string(),
            auth_user: None,
            realm: None,
            client: *e.client,
            server: *e.server,
            user_agent: None,
            exchanges: Vec::new(),
            outcome: e.outcome,
            attempts: 0,
            first_seen: e.first_ts,
            last_seen: e.last_ts,
            auth_users: Vec::new(),
            client_ports: Vec::new(),
            root_cause: None,
            findings: Vec::new(),
        });
        latest.push(Latest::default());
        accounts.len() - 1
    })
}

/// For every exchange id (0..n), the account it belongs to.
pub fn account_of_exchange(accounts: &[Account], n_exchanges: usize) -> Vec<Option<usize>> {
    let mut of = vec![None; n_exchanges];
    for a in accounts {
        for &e in &a.exchanges {
            if let Some(slot) = of.get_mut(e) {
                *slot = Some(a.id);
            }
        }
    }
    of
}

/// Whose a frame of an exchange-less finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// A request: the account that sent it (a phone's Date header).
    Account(usize),
    /// A response: the server that sent it, so every account of that server.
    Server(IpAddr),
    /// One end of a TLS stream: the account(s) at that client address.
    Client(IpAddr),
}

/// For each finding tied to no exchange (clock skew, TLS; see [`attach`]), the accounts its
/// frames belong to. Linear: one pass over the exchanges' messages, and only when such a
/// finding has frames.
fn owners_of_unattached(
    accounts: &[Account],
    findings: &[Finding],
    exchanges: &[Exchange],
    messages: &[SipMessage],
    tls: &[(u64, IpAddr, IpAddr)],
    of: &[Option<usize>],
) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); findings.len()];
    let wanted: std::collections::HashSet<u64> = findings
        .iter()
        .filter(|f| f.exchanges.is_empty())
        .flat_map(|f| f.frames.iter().copied())
        .collect();
    if wanted.is_empty() {
        return out;
    }
    let mut owner: HashMap<u64, Vec<Owner>> = HashMap::new();
    for e in exchanges {
        for m in e.messages().iter().filter_map(|&mi| messages.get(mi)) {
            if !wanted.contains(&m.frame()) {
                continue;
            }
            let o = if m.is_request() {
                match of.get(e.id).copied().flatten() {
                    Some(a) => Owner::Account(a),
                    None => continue,
                }
            } else {
                Owner::Server(e.server.ip())
            };
            owner.entry(m.frame()).or_default().push(o);
        }
    }
    for &(frame, x, y) in tls.iter().filter(|t| wanted.contains(&t.0)) {
        owner
            .entry(frame)
            .or_default()
            .extend([Owner::Client(x), Owner::Client(y)]);
    }
    let mut by_server: HashMap<IpAddr, Vec<usize>> = HashMap::new();
    let mut by_client: HashMap<IpAddr, Vec<usize>> = HashMap::new();
    for a in accounts {
        by_server.entry(a.server.ip()).or_default().push(a.id);
        by_client.entry(a.client.ip()).or_default().push(a.id);
    }
    for (f, ids) in findings.iter().zip(out.iter_mut()) {
        if !f.exchanges.is_empty() {
            continue;
        }
        let mut servers: Vec<IpAddr> = Vec::new();
        let mut clients: Vec<IpAddr> = Vec::new();
        for o in f.frames.iter().filter_map(|fr| owner.get(fr)).flatten() {
            match *o {
                Owner::Account(a) => ids.push(a),
                Owner::Server(ip) if !servers.contains(&ip) => servers.push(ip),
                Owner::Client(ip) if !clients.contains(&ip) => clients.push(ip),
                _ => {}
            }
        }
        for ip in &servers {
            ids.extend(by_server.get(ip).into_iter().flatten());
        }
        for ip in &clients {
            ids.extend(by_client.get(ip).into_iter().flatten());
        }
    }
    out
}

/// Give each account its findings and its root cause: the code of its first finding that is
/// an error *for that account* (a finding merges the drafts of one code with the worst
/// severity; an account whose own part of it was only a warning does not get it as root
/// cause, see [`Finding::severity_for`]).
///
/// A finding is an account's through the exchanges it is about. A finding tied to no
/// exchange is traced through its frames ([`Finding::frames`]): a phone's Date header (a
/// request) is that phone's account's; a server's clock (a response's Date or nonce time) is
/// every account of that server's; a TLS stream is the account(s) at its client address
/// (`tls`: frame and both ends of each TLS note). What belongs to the whole capture (no-sip:
/// there are no accounts then) stays with no account.
///
/// With more than one account, every finding that speaks of some of them says how many and
/// which. Linear: one pass over the findings' exchanges (and, for exchange-less findings, over
/// the exchanges' messages).
pub fn attach(
    accounts: &mut [Account],
    findings: &mut [Finding],
    exchanges: &[Exchange],
    messages: &[SipMessage],
    tls: &[(u64, IpAddr, IpAddr)],
) {
    let of = account_of_exchange(accounts, exchanges.len());
    let unattached = owners_of_unattached(accounts, findings, exchanges, messages, tls, &of);
    for a in accounts.iter_mut() {
        a.findings.clear();
        a.root_cause = None;
    }
    let total = accounts.len();
    // How often each user occurs: a user on several IPs is named user@ip.
    let qualified: Vec<bool> = {
        let mut users: FxHashMap<&str, usize> = FxHashMap::default();
        for a in accounts.iter() {
            *users.entry(a.user.as_str()).or_default() += 1;
        }
        accounts
            .iter()
            .map(|a| users[a.user.as_str()] > 1 || a.user.is_empty())
            .collect()
    };
    let mut names: Vec<Option<Text>> = Vec::with_capacity(findings.len());
    for (f, owners) in findings.iter().zip(unattached) {
        // (account, the finding is an error for it)
        let mut ids: Vec<(usize, bool)> = f
            .exchanges
            .iter()
            .enumerate()
            .filter_map(|(p, &x)| {
                let a = of.get(x).copied().flatten()?;
                Some((a, f.severity_for(p) == Severity::Error))
            })
            .chain(
                owners
                    .into_iter()
                    .map(|a| (a, f.severity == Severity::Error)),
            )
            .collect();
        // Per account, an error part first; then one entry per account.
        ids.sort_unstable_by_key(|&(a, error)| (a, !error));
        ids.dedup_by_key(|x| x.0);
        let label = |a: &Account| {
            if qualified[a.id] {
                format!("{}@{}", a.user, a.client.ip())
            } else {
                a.user.clone()
            }
        };
        names.push((total > 1 && !ids.is_empty()).then(|| {
            // Only the names shown are written.
            let shown = ids
                .iter()
                .take(MAX_NAMES)
                .map(|&(i, _)| label(&accounts[i]));
            who_shown(ids.len(), total, shown.collect(), ids.len())
        }));
        let fi = names.len() - 1;
        for &(i, error) in &ids {
            let a = &mut accounts[i];
            a.findings.push(fi);
            if a.root_cause.is_none() && error {
                a.root_cause = Some(f.code);
            }
        }
    }
    for (f, n) in findings.iter_mut().zip(names) {
        if let Some(n) = n {
            f.set_who(n);
        }
        // Several accounts: a title says "an account" (or nothing), never "the phone".
        if total > 1
            && let Some(m) = f.text.title.id.for_accounts()
        {
            let mut t = f.text.title.clone();
            t.id = m;
            f.set_title(t);
        }
    }
}

/// Most account names listed in a finding; the rest are counted.
pub const MAX_NAMES: usize = 10;

/// "4 of 40 accounts: 2031, 2032, 2033, 2034" (at most [`MAX_NAMES`] names, then "and N more").
pub fn who(n: usize, total: usize, names: impl Iterator<Item = String>) -> String {
    who_text(n, total, names).en()
}

/// [`who`] as a message (the names are values, the words translated).
pub fn who_text(n: usize, total: usize, names: impl Iterator<Item = String>) -> Text {
    let names: Vec<String> = names.collect();
    let listed = names.len();
    who_shown(n, total, names, listed)
}

/// [`who_text`] from the first names (at least the [`MAX_NAMES`] shown, when there are that
/// many) of `listed` names.
fn who_shown(n: usize, total: usize, mut names: Vec<String>, listed: usize) -> Text {
    names.truncate(MAX_NAMES);
    let shown = names.len();
    let t = if listed > shown {
        crate::text!(WhoMore, more = listed - shown)
    } else {
        crate::text!(Who)
    };
    t.arg("n", n)
        .arg("total", total)
        .arg("names", names.join(", "))
}

/// Counts of a whole-server capture: how many accounts fail and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Census {
    pub total: usize,
    /// Accounts with a root cause or an unhealthy outcome.
    pub failing: usize,
    /// Failing accounts by root cause, most frequent first (then by rank).
    pub by_cause: Vec<CauseCount>,
    /// Failing accounts the diagnosis found no error for.
    pub unexplained: usize,
    /// "7 of 40 accounts fail: 4 credentials refused, 1 unknown auth user, ..."
    pub sentence: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CauseCount {
    pub code: FindingCode,
    pub count: usize,
}

/// A few words for a root cause in the census sentence.
pub fn cause_words(code: FindingCode) -> &'static str {
    cause_msg(code).template(Lang::En)
}

/// [`cause_words`] as a message id.
pub fn cause_msg(code: FindingCode) -> Msg {
    use FindingCode as C;
    match code {
        C::BruteForceBlock => Msg::CauseBan,
        C::ForbiddenBeforeAuth => Msg::CauseForbiddenBefore,
        C::WrongPassword => Msg::CauseWrongPassword,
        C::PasswordOkButRejected => Msg::CauseRightPassword,
        C::RealmMismatch => Msg::CauseWrongRealm,
        C::AlgorithmMismatch => Msg::CauseWrongAlgo,
        C::ProxyAuthWrongHeader => Msg::CauseWrongHeader,
        C::AuthUsernameMismatch => Msg::CauseAuthUserOther,
        C::UriMismatch => Msg::CauseUri,
        C::UnsupportedChallenge => Msg::CauseUnanswered,
        C::StaleNonce => Msg::CauseStale,
        C::CredentialsRejected => Msg::CauseRefused,
        C::ForbiddenAfterAuth => Msg::CauseForbiddenAfter,
        C::NoResponse => Msg::CauseNoAnswer,
        C::TlsEncrypted => Msg::CauseEncrypted,
        C::NoSip => Msg::CauseNoSip,
        C::ClockSkew => Msg::CauseClock,
        C::NatPrivateContact => Msg::CauseNat,
        C::AuthOk => Msg::CauseOk,
    }
}

/// How an exchange ended, in `lang` (English: the wire name).
pub fn outcome_words(o: Outcome, lang: Lang) -> &'static str {
    match o {
        Outcome::Accepted => Msg::OutcomeAccepted,
        Outcome::Recovered => Msg::OutcomeRecovered,
        Outcome::ChallengeUnanswered => Msg::OutcomeChallengeUnanswered,
        Outcome::Rechallenged => Msg::OutcomeRechallenged,
        Outcome::Rejected => Msg::OutcomeRejected,
        Outcome::Pending => Msg::OutcomePending,
        Outcome::NoResponse => Msg::OutcomeNoResponse,
        Outcome::Unreachable => Msg::OutcomeUnreachable,
    }
    .template(lang)
}

impl Census {
    /// The census sentence as a message.
    pub fn sentence_text(&self) -> Text {
        let head = if self.failing == 0 {
            crate::text!(CensusAllWork, total = count(self.total))
        } else {
            crate::text!(
                CensusFail,
                failing = count(self.failing),
                total = count(self.total)
            )
        };
        let mut parts: Vec<Text> = self
            .by_cause
            .iter()
            .map(|c| crate::text!(CensusPart, n = count(c.count), cause = cause_msg(c.code)))
            .collect();
        if self.unexplained > 0 {
            parts.push(crate::text!(CensusUnexplained, n = count(self.unexplained)));
        }
        if parts.is_empty() {
            head
        } else {
            crate::text!(CensusWhy, head = head, parts = Arg::List(parts))
        }
    }

    /// The census sentence in `lang` ("7 of 40 accounts fail: ...").
    pub fn sentence_in(&self, lang: Lang) -> String {
        self.sentence_text().render(lang)
    }
}

/// The census of the accounts, when there is more than one.
pub fn census(accounts: &[Account]) -> Option<Census> {
    if accounts.len() <= 1 {
        return None;
    }
    let mut counts: HashMap<FindingCode, usize> = HashMap::new();
    let mut failing = 0;
    let mut unexplained = 0;
    for a in accounts {
        match a.root_cause {
            Some(c) => {
                failing += 1;
                *counts.entry(c).or_default() += 1;
            }
            None if !is_healthy(a.outcome) => {
                failing += 1;
                unexplained += 1;
            }
            None => {}
        }
    }
    let mut by_cause: Vec<CauseCount> = counts
        .into_iter()
        .map(|(code, count)| CauseCount { code, count })
        .collect();
    by_cause.sort_by_key(|c| (std::cmp::Reverse(c.count), c.code.rank()));
    let mut c = Census {
        total: accounts.len(),
        failing,
        by_cause,
        unexplained,
        sentence: String::new(),
    };
    c.sentence = c.sentence_in(Lang::En);
    Some(c)
}

/// A client address filter: an IP, or an exact IP and port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientFilter {
    Ip(IpAddr),
    Addr(SocketAddr),
}

impl ClientFilter {
    pub fn matches(&self, addr: SocketAddr) -> bool {
        match self {
            ClientFilter::Ip(ip) => addr.ip() == *ip,
            ClientFilter::Addr(a) => addr == *a,
        }
    }
}

/// A `--client` value that is not an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadClient(pub String);

impl fmt::Display for BadClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "--client {:?}: expected IP or IP:PORT (e.g. 192.0.2.10, 192.0.2.10:5060, [2001:db8::1]:5060)",
            self.0
        )
    }
}

impl std::error::Error for BadClient {}

impl FromStr for ClientFilter {
    type Err = BadClient;
    /// `192.0.2.10`, `192.0.2.10:5060`, `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:5060`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if let Ok(a) = SocketAddr::from_str(t) {
            return Ok(ClientFilter::Addr(a));
        }
        let bare = t
            .strip_prefix('[')
            .and_then(|x| x.strip_suffix(']'))
            .unwrap_or(t);
        IpAddr::from_str(bare)
            .map(ClientFilter::Ip)
            .map_err(|_| BadClient(s.to_string()))
    }
}

/// What to narrow an analysis to: `--account USER` (the user or an auth username, any case)
/// and/or `--client IP[:PORT]`. Both given: accounts matching both. Neither: everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Focus {
    pub account: Option<String>,
    pub client: Option<ClientFilter>,
}

impl Focus {
    /// True when the focus narrows nothing.
    pub fn is_empty(&self) -> bool {
        self.account.is_none() && self.client.is_none()
    }

    /// True when the account is in focus.
    pub fn matches(&self, a: &Account) -> bool {
        let user_ok = self.account.as_deref().is_none_or(|want| {
            let want = want.trim();
            a.user.eq_ignore_ascii_case(want)
                || a.auth_users.iter().any(|u| u.eq_ignore_ascii_case(want))
        });
        let client_ok = self.client.is_none_or(|c| match c {
            ClientFilter::Ip(ip) => a.client.ip() == ip,
            ClientFilter::Addr(addr) => {
                a.client.ip() == addr.ip() && a.client_ports.contains(&addr.port())
            }
        });
        user_ok && client_ok
    }
}

/// What a focus selects: accounts, their exchanges, messages and capture frames (each sorted,
/// no duplicates). With `--client IP:PORT` only the exchanges sent from that exact address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Selection {
    pub accounts: Vec<usize>,
    pub exchanges: Vec<usize>,
    pub messages: Vec<usize>,
    pub frames: Vec<u64>,
}

impl Selection {
    pub fn has_exchange(&self, id: usize) -> bool {
        self.exchanges.binary_search(&id).is_ok()
    }
    pub fn has_message(&self, index: usize) -> bool {
        self.messages.binary_search(&index).is_ok()
    }
    pub fn has_frame(&self, frame: u64) -> bool {
        self.frames.binary_search(&frame).is_ok()
    }
}

/// Resolve a focus against the accounts: the exchange ids, message indexes and frames
/// (every frame of every message, and the ICMP errors quoting its requests) it selects.
pub fn select(
    focus: &Focus,
    accounts: &[Account],
    exchanges: &[Exchange],
    messages: &[SipMessage],
    icmp: &[IcmpNote],
) -> Selection {
    let mut sel = Selection::default();
    for a in accounts.iter().filter(|a| focus.matches(a)) {
        sel.accounts.push(a.id);
        for &id in &a.exchanges {
            let Some(e) = exchanges.get(id) else { continue };
            if let Some(ClientFilter::Addr(addr)) = focus.client
                && *e.client != addr
            {
                continue;
            }
            sel.exchanges.push(id);
            for &mi in &e.messages() {
                if let Some(m) = messages.get(mi) {
                    sel.messages.push(mi);
                    sel.frames.extend(m.frames().iter());
                    sel.frames.push(m.frame());
                }
            }
            for at in &e.attempts {
                for &n in at.icmp() {
                    if let Some(note) = icmp.get(n) {
                        sel.frames.push(note.frame);
                    }
                }
            }
        }
    }
    for v in [&mut sel.exchanges, &mut sel.messages] {
        v.sort_unstable();
        v.dedup();
    }
    sel.frames.sort_unstable();
    sel.frames.dedup();
    sel
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::Transport;
    use crate::transaction;

    /// Hand-made messages of one capture, in order.
    #[derive(Default)]
    struct Cap {
        msgs: Vec<SipMessage>,
    }

    const SRV: &str = "192.0.2.1:5060";

    impl Cap {
        fn push(&mut self, src: &str, dst: &str, text: &str) {
            let index = self.msgs.len();
            let m = crate::sip::Scanner::message_from_datagram(
                index,
                (index as u64 + 1, 1_000_000_000 * index as i64),
                (src.parse().unwrap(), dst.parse().unwrap()),
                Transport::Udp,
                text.replace('\n', "\r\n").as_bytes(),
            );
            self.msgs.push(m.expect("SIP"));
        }

        /// REGISTER of `user` from `client` (Call-ID `cid`, CSeq `cseq`), with credentials of
        /// `auth` when given, answered with `status` (None: no answer).
        fn register(
            &mut self,
            client: &str,
            user: &str,
            cid: &str,
            cseq: u32,
            auth: Option<&str>,
            status: Option<&str>,
        ) {
            let creds = auth.map_or(String::new(), |u| {
                format!(
                    "Authorization: Digest username=\"{u}\", realm=\"lab\", nonce=\"n{cseq}\", \
                     uri=\"sip:lab\", response=\"0123456789abcdef0123456789abcdef\"\n"
                )
            });
            let common = format!(
                "Via: SIP/2.0/UDP {client};branch=z9hG4bK{cid}{cseq}\nFrom: <sip:{user}@lab>;tag=a\n\
                 To: <sip:{user}@lab>\nCall-ID: {cid}\nCSeq: {cseq} REGISTER\n"
            );
            self.push(
                client,
                SRV,
                &format!(
                    "REGISTER sip:lab SIP/2.0\n{common}{creds}User-Agent: Phone/{user}\n\
                     Content-Length: 0\n\n"
                ),
            );
            if let Some(st) = status {
                let ch = if st.starts_with("401") {
                    format!(
                        "WWW-Authenticate: Digest realm=\"lab\", nonce=\"n{}\"\n",
                        cseq + 1
                    )
                } else {
                    String::new()
                };
                self.push(
                    SRV,
                    client,
                    &format!("SIP/2.0 {st}\n{common}{ch}Content-Length: 0\n\n"),
                );
            }
        }

        fn accounts(&self) -> (Vec<Account>, Vec<Exchange>) {
            let g = transaction::group(&self.msgs, &mut []);
            (build(&self.msgs, &g.exchanges), g.exchanges)
        }
    }

    fn find<'a>(accs: &'a [Account], user: &str, ip: &str) -> &'a Account {
        let ip: IpAddr = ip.parse().unwrap();
        accs.iter()
            .find(|a| a.user == user && a.client.ip() == ip)
            .unwrap_or_else(|| panic!("no account {user}@{ip}"))
    }

    /// A small office: two good phones, one wrong password, one with another user's
    /// credentials (403), one banned after guessing, one phone that changes ports.
    fn office() -> Cap {
        const CH: Option<&str> = Some("401 Unauthorized");
        const OK: Option<&str> = Some("200 OK");
        const NO: Option<&str> = Some("403 Forbidden");
        type Step = (
            &'static str,
            &'static str,
            &'static str,
            u32,
            Option<&'static str>,
        );
        let steps: &[(Step, Option<&str>)] = &[
            (("10.0.0.1:5060", "2001", "c1", 1, None), CH),
            (("10.0.0.1:5060", "2001", "c1", 2, Some("2001")), OK),
            (("10.0.0.2:5062", "2002", "c2", 1, None), CH),
            (("10.0.0.2:5062", "2002", "c2", 2, Some("2002")), CH),
            (("10.0.0.2:5062", "2002", "c2", 3, Some("2002")), CH),
            (("10.0.0.3:5060", "2003", "c3", 1, None), CH),
            (("10.0.0.3:5060", "2003", "c3", 2, Some("2004")), NO),
            (("10.0.0.5:5060", "2005", "c5", 1, None), CH),
            (("10.0.0.5:5060", "2005", "c5", 2, Some("2005")), CH),
            (("10.0.0.5:5060", "2005", "c5", 3, Some("2005")), CH),
            (("10.0.0.5:5060", "2005", "c5", 4, Some("2005")), CH),
            (("10.0.0.5:5060", "2005", "c5", 5, Some("2005")), CH),
            (("10.0.0.5:5060", "2005", "c5", 6, Some("2005")), NO),
            // 2006: registers from 5060, later (NAT) from 5070 with a new Call-ID
            (("10.0.0.6:5060", "2006", "c6", 1, None), CH),
            (("10.0.0.6:5060", "2006", "c6", 2, Some("2006")), OK),
            (("10.0.0.6:5070", "2006", "c6b", 1, None), CH),
            (("10.0.0.6:5070", "2006", "c6b", 2, Some("2006")), OK),
            // the same user 2001 from another IP is another account
            (("10.0.0.9:5060", "2001", "c9", 1, None), None),
        ];
        let mut c = Cap::default();
        for &((client, user, cid, cseq, auth), status) in steps {
            c.register(client, user, cid, cseq, auth, status);
        }
        c
    }

    /// Accounts found by their user's symbol are those of the user's text: on the office
    /// capture (and a lab INVITE), every exchange is in the account of its user and client
    /// IP, each (user, IP) is one account, in the order first seen.
    #[test]
    fn accounts_by_user_symbol_are_accounts_by_user_text() {
        for name in ["13-office-register-mixed.pcap", "03a-invite-407-ok.pcap"] {
            let a = crate::testutil::fixture(name);
            let accs = build(&a.messages, &a.exchanges);
            let mut want: Vec<(String, IpAddr)> = Vec::new();
            for e in &a.exchanges {
                let key = (exchange_user(e).to_string(), e.client.ip());
                if !want.contains(&key) {
                    want.push(key);
                }
            }
            let got: Vec<(String, IpAddr)> = accs
                .iter()
                .map(|x| (x.user.clone(), x.client.ip()))
                .collect();
            assert_eq!(got, want, "{name}");
            for x in &accs {
                for &id in &x.exchanges {
                    let e = &a.exchanges[id];
                    assert_eq!((exchange_user(e), e.client.ip()), (&*x.user, x.client.ip()));
                }
            }
            assert!(accs.len() > 1 || name.starts_with("03a"), "{name}");
        }
        // Two exchanges have the same key when they have the same user text and client IP:
        // the lab's exchanges, copies of them from another phone's address, and copies with
        // no user and with an empty one (the same user, "").
        let syms = KeySyms::new();
        let mut exchanges: Vec<Exchange> = Vec::new();
        for name in ["03a-invite-407-ok.pcap", "13-office-register-mixed.pcap"] {
            exchanges.extend(crate::testutil::fixture(name).exchanges);
        }
        let n = exchanges.len();
        for k in 0..n {
            let mut moved = exchanges[k].clone();
            moved.client = exchanges[(k * 7 + 3) % n].client;
            let mut none = exchanges[k].clone();
            (none.from_user, none.to_user) = (None, None);
            let mut empty = none.clone();
            empty.to_user = Some(Sym::new(""));
            exchanges.extend([moved, none, empty]);
        }
        let all: Vec<((&str, IpAddr), AccountKey)> = exchanges
            .iter()
            .map(|e| ((exchange_user(e), e.client.ip()), account_key(e, &syms)))
            .collect();
        let users: std::collections::HashSet<&str> = all.iter().map(|x| x.0.0).collect();
        assert!(users.len() > 20 && users.contains(""));
        for (t1, k1) in &all {
            for (t2, k2) in &all {
                assert_eq!(t1 == t2, k1 == k2, "{t1:?} {t2:?}");
            }
        }
    }

    /// A kept header found by its [`KeptName`] is the one [`SipMessage::header`] finds by
    /// its name, in every message of the lab captures (the office one included: 20+ phones,
    /// compact forms, several Contacts), for every name the passes read.
    #[test]
    fn kept_values_are_what_header_finds() {
        let mut found = 0;
        for name in [
            "01-register-ok.pcap",
            "03a-invite-407-ok.pcap",
            "12a-register-ok-tcp.pcap",
            "13-office-register-mixed.pcap",
        ] {
            let a = crate::testutil::fixture(name);
            for m in &a.messages {
                for (kept, h) in [
                    (KEPT.to, "to"),
                    (KEPT.from, "from"),
                    (KEPT.contact, "contact"),
                    (KEPT.user_agent, "user-agent"),
                    (KeptName::of("server"), "server"),
                    (KeptName::of("call-id"), "call-id"),
                ] {
                    assert_eq!(kept_value(m, kept), m.header(h), "{name} {h}");
                    found += usize::from(kept_value(m, kept).is_some());
                }
            }
        }
        assert!(found > 500, "{found}");
        // Repeated and compact headers: the first one, in any form.
        let raw = "REGISTER sip:lab SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1\r\nf: <sip:1001@lab>;tag=1\r\nt: <sip:1001@lab>\r\ni: c1\r\nCSeq: 1 REGISTER\r\nm: <sip:1001@10.0.0.2>\r\nContact: <sip:1001@192.0.2.10>\r\nUser-Agent: one\r\nuser-agent: two\r\nContent-Length: 0\r\n\r\n";
        let m = crate::sip::Scanner::message_from_datagram(
            0,
            (1, 0),
            (
                "192.0.2.10:5060".parse().unwrap(),
                "192.0.2.1:5060".parse().unwrap(),
            ),
            crate::capture::Transport::Udp,
            raw.as_bytes(),
        )
        .unwrap();
        for (kept, h, want) in [
            (KEPT.contact, "contact", "<sip:1001@10.0.0.2>"),
            (KEPT.user_agent, "user-agent", "one"),
            (KEPT.from, "from", "<sip:1001@lab>;tag=1"),
        ] {
            assert_eq!(kept_value(&m, kept), Some(want));
            assert_eq!(m.header(h), Some(want));
        }
        assert_eq!(
            kept_value(
                &crate::testutil::fixture("01-register-ok.pcap").messages[0],
                None
            ),
            None
        );
    }

    #[test]
    fn one_account_per_user_and_ip() {
        let (accs, ex) = office().accounts();
        assert_eq!(accs.len(), 6, "{accs:#?}");
        for (i, a) in accs.iter().enumerate() {
            assert_eq!(a.id, i);
        }
        let ids: Vec<usize> = accs.iter().flat_map(|a| a.exchanges.clone()).collect();
        assert_eq!(ids.len(), ex.len(), "every exchange in exactly one account");
        let a = find(&accs, "2001", "10.0.0.1");
        assert_eq!(a.outcome, Outcome::Accepted);
        assert_eq!(a.auth_user.as_deref(), Some("2001"));
        assert_eq!(a.realm.as_deref(), Some("lab"));
        assert_eq!(a.user_agent.as_deref(), Some("Phone/2001"));
        assert_eq!(a.server, SRV.parse().unwrap());
        assert_eq!(a.attempts, 2);
        let other = find(&accs, "2001", "10.0.0.9");
        assert_ne!(other.id, a.id);
        assert_eq!(other.outcome, Outcome::NoResponse);
        assert_eq!(other.auth_user, None);
    }

    #[test]
    fn port_change_stays_one_account_with_the_latest_client() {
        let (accs, _) = office().accounts();
        let a = find(&accs, "2006", "10.0.0.6");
        assert_eq!(a.exchanges.len(), 2);
        assert_eq!(a.client, "10.0.0.6:5070".parse().unwrap());
        assert_eq!(a.client_ports, vec![5060, 5070]);
        assert_eq!(a.attempts, 4);
        assert!(a.first_seen < a.last_seen);
    }

    #[test]
    fn worst_outcome_of_every_account() {
        let (accs, _) = office().accounts();
        let wrong = find(&accs, "2002", "10.0.0.2");
        assert_eq!(wrong.outcome, Outcome::Rechallenged);
        let other = find(&accs, "2003", "10.0.0.3");
        assert_eq!(other.auth_user.as_deref(), Some("2004"));
        assert_eq!(other.outcome, Outcome::Rejected);
        let banned = find(&accs, "2005", "10.0.0.5");
        assert_eq!(banned.outcome, Outcome::Rejected);
        assert_eq!(banned.attempts, 6);
        // A later success does not hide an earlier failure: the worst outcome counts.
        let mut c = office();
        c.register(
            "10.0.0.2:5062",
            "2002",
            "c2x",
            1,
            None,
            Some("401 Unauthorized"),
        );
        c.register(
            "10.0.0.2:5062",
            "2002",
            "c2x",
            2,
            Some("2002"),
            Some("200 OK"),
        );
        let (accs, _) = c.accounts();
        let a = find(&accs, "2002", "10.0.0.2");
        assert_eq!(a.exchanges.len(), 2);
        assert_eq!(a.outcome, Outcome::Rechallenged);
        assert!(outcome_rank(Outcome::Rejected) > outcome_rank(Outcome::Accepted));
    }

    #[test]
    fn forbidden_without_challenge_and_realm_from_challenge() {
        let mut c = Cap::default();
        c.register(
            "10.0.0.7:5060",
            "2007",
            "c7",
            1,
            None,
            Some("403 Forbidden"),
        );
        c.register(
            "10.0.0.8:5060",
            "2008",
            "c8",
            1,
            None,
            Some("401 Unauthorized"),
        );
        let (accs, _) = c.accounts();
        assert_eq!(accs[0].outcome, Outcome::Rejected);
        assert_eq!(accs[0].realm, None);
        assert_eq!(accs[1].outcome, Outcome::ChallengeUnanswered);
        assert_eq!(
            accs[1].realm.as_deref(),
            Some("lab"),
            "realm of the challenge"
        );
        assert_eq!(accs[1].auth_user, None);
    }

    /// Each field of [`AuthFields`] is what the header's own accessor finds: the first
    /// parameter of that name in any case, `username*` decoded before `username`.
    #[test]
    fn auth_fields_are_what_the_accessors_find() {
        for v in [
            "Digest username=\"1001\", realm=\"lab\", nonce=\"n1\", uri=\"sip:lab\", \
             response=\"0123\", algorithm=MD5",
            "Digest REALM=\"a\", realm=\"b\", Nonce=x, NONCE=y, Uri=\"sip:u\", uri=z",
            "Digest realm=\"x\", USERNAME=\"a\", username=\"b\", Algorithm=SHA-256",
            "Digest username*=UTF-8''J%C3%A4s%C3%B8n, username=\"plain\"",
            "Digest username*=broken, username=\"plain\", stale=TRUE",
            "Digest realm=\"x\", stale=\" true \", stale=false",
            "Digest realm=\"\", nonce=\"\", response=\"\"",
            "Digest opaque=\"o\", qop=auth",
            "Basic realm=\"b\"",
        ] {
            let c = crate::sip::auth::pack_credentials(v)
                .or_else(|_| {
                    crate::sip::auth::pack_challenges(v)
                        .into_iter()
                        .next()
                        .ok_or(())
                })
                .unwrap_or_else(|_| panic!("{v} parses"));
            let f = AuthFields::of(&c);
            assert_eq!(f.realm, c.realm(), "{v}");
            assert_eq!(f.nonce, c.nonce(), "{v}");
            assert_eq!(f.algorithm, c.algorithm(), "{v}");
            assert_eq!(f.uri, c.uri(), "{v}");
            assert_eq!(f.response, c.response(), "{v}");
            assert_eq!(f.stale, c.get("stale"), "{v}");
            assert_eq!(f.stale(), c.stale(), "{v}");
            assert_eq!(f.username().map(|u| u.into_owned()), c.username(), "{v}");
        }
    }

    /// The realm, User-Agent and auth username an account keeps are the last ones its
    /// exchanges sent or received, in capture order (what a walk over every attempt, each
    /// challenge then the credentials answering it, leaves): on hand-made exchanges where a
    /// challenge comes after the last credentials, and on the lab's captures.
    #[test]
    fn an_account_keeps_the_last_realm_user_agent_and_auth_user() {
        /// Every attempt in order, as the accounts were built before they were looked for
        /// from the end.
        fn walked(
            a: &Account,
            exchanges: &[Exchange],
            messages: &[SipMessage],
        ) -> [Option<String>; 3] {
            let (mut realm, mut ua, mut au) = (None, None, None);
            for at in a.exchanges.iter().flat_map(|&x| &exchanges[x].attempts) {
                let req = &messages[at.request()];
                ua = req.header("user-agent").map(str::to_string).or(ua);
                for &r in at.responses() {
                    if matches!(messages[r].status(), Some(401 | 407)) {
                        for ch in messages[r].challenges().filter(|c| c.is_digest()) {
                            realm = ch.realm().map(str::to_string).or(realm);
                        }
                    }
                }
                if let Some(Ok(c)) = at.credentials.as_ref().and_then(|h| req.credentials(h)) {
                    realm = c.realm().map(str::to_string).or(realm);
                    au = c.username().or(au);
                }
            }
            [realm, ua, au]
        }
        let kept = |a: &Account| [a.realm.clone(), a.user_agent.clone(), a.auth_user.clone()];
        let mut c = Cap::default();
        let via = "Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK";
        let head = "From: <sip:2009@lab>;tag=a\nTo: <sip:2009@lab>\nCall-ID: c9\n";
        let cl = "10.0.0.9:5060";
        let ask = |n: u32, extra: &str| {
            format!(
                "REGISTER sip:lab SIP/2.0\n{via}{n}\n{head}CSeq: {n} REGISTER\n{extra}Content-Length: 0\n\n"
            )
        };
        let answer = |n: u32, realm: &str| {
            format!(
                "SIP/2.0 401 Unauthorized\n{via}{n}\n{head}CSeq: {n} REGISTER\n\
                 WWW-Authenticate: Digest realm=\"{realm}\", nonce=\"n{n}\"\n\
                 WWW-Authenticate: Digest nonce=\"m{n}\"\nContent-Length: 0\n\n"
            )
        };
        let creds = |user: &str, realm: &str| {
            format!(
                "Authorization: Digest username=\"{user}\", realm=\"{realm}\", nonce=\"n\", \
                 uri=\"sip:lab\", response=\"0123456789abcdef0123456789abcdef\"\n"
            )
        };
        c.push(cl, SRV, &ask(1, "User-Agent: Old/1\n"));
        c.push(SRV, cl, &answer(1, "first"));
        c.push(cl, SRV, &ask(2, &creds("auth-a", "second")));
        c.push(SRV, cl, &answer(2, "third"));
        c.push(cl, SRV, &ask(3, &creds("auth-b", "")));
        c.push(SRV, cl, &answer(3, "fourth"));
        c.push(cl, SRV, &ask(4, "User-Agent: New/2\n"));
        c.push(SRV, cl, &answer(4, "fifth"));
        c.push(cl, SRV, &ask(5, &creds("auth-a", "sixth")));
        c.push(
            SRV,
            cl,
            &format!(
                "SIP/2.0 403 Forbidden\n{via}5\n{head}CSeq: 5 REGISTER\nContent-Length: 0\n\n"
            ),
        );
        let (accs, exchanges) = c.accounts();
        let a = find(&accs, "2009", "10.0.0.9");
        assert_eq!(kept(a), walked(a, &exchanges, &c.msgs));
        assert_eq!(a.realm.as_deref(), Some("sixth"));
        assert_eq!(a.user_agent.as_deref(), Some("New/2"));
        assert_eq!(a.auth_user.as_deref(), Some("auth-a"));
        assert_eq!(a.auth_users, ["auth-a", "auth-b"]);
        // Without the last request: the realm of the last challenge, after the credentials.
        c.msgs.truncate(8);
        let (accs, exchanges) = c.accounts();
        let a = find(&accs, "2009", "10.0.0.9");
        assert_eq!(kept(a), walked(a, &exchanges, &c.msgs));
        assert_eq!(a.realm.as_deref(), Some("fifth"));
        assert_eq!(a.auth_user.as_deref(), Some("auth-b"));
        for name in [
            "01-register-ok.pcap",
            "02-register-wrong-password.pcap",
            "07-register-realm-mismatch.pcap",
            "08-register-stale-nonce.pcap",
            "13-office-register-mixed.pcap",
        ] {
            let f = crate::testutil::fixture(name);
            assert!(!f.accounts.is_empty(), "{name}");
            for a in &f.accounts {
                assert_eq!(kept(a), walked(a, &f.exchanges, &f.messages), "{name}");
            }
        }
    }

    #[test]
    fn invite_belongs_to_its_from_user() {
        let mut c = Cap::default();
        let common = "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKi1\nFrom: <sip:2001@lab>;tag=a\n\
                      To: <sip:3000@lab>\nCall-ID: inv1\nCSeq: 1 INVITE\n";
        c.push(
            "10.0.0.1:5060",
            SRV,
            &format!("INVITE sip:3000@lab SIP/2.0\n{common}Content-Length: 0\n\n"),
        );
        c.push(
            SRV,
            "10.0.0.1:5060",
            &format!(
                "SIP/2.0 407 Proxy Authentication Required\n{common}\
                 Proxy-Authenticate: Digest realm=\"pbx\", nonce=\"x\"\nContent-Length: 0\n\n"
            ),
        );
        c.register(
            "10.0.0.1:5060",
            "2001",
            "r1",
            1,
            None,
            Some("401 Unauthorized"),
        );
        let (accs, ex) = c.accounts();
        assert_eq!(ex.len(), 2);
        assert_eq!(
            accs.len(),
            1,
            "INVITE from 2001 and REGISTER of 2001: one account"
        );
        assert_eq!(accs[0].user, "2001");
        assert_eq!(accs[0].exchanges, vec![0, 1]);
        assert_eq!(account_of_exchange(&accs, ex.len()), vec![Some(0), Some(0)]);
    }

    #[test]
    fn client_filter_parses_ip_and_ip_port() {
        let ip = |s: &str| ClientFilter::Ip(s.parse().unwrap());
        let addr = |s: &str| ClientFilter::Addr(s.parse().unwrap());
        assert_eq!("10.0.0.1".parse(), Ok(ip("10.0.0.1")));
        assert_eq!(" 10.0.0.1:5060 ".parse(), Ok(addr("10.0.0.1:5060")));
        assert_eq!("2001:db8::1".parse(), Ok(ip("2001:db8::1")));
        assert_eq!("[2001:db8::1]".parse(), Ok(ip("2001:db8::1")));
        assert_eq!("[2001:db8::1]:5060".parse(), Ok(addr("[2001:db8::1]:5060")));
        for bad in ["", "10.0.0", "phone-1", "10.0.0.1:99999", "[::1"] {
            let err = bad.parse::<ClientFilter>().unwrap_err();
            assert!(err.to_string().contains("IP:PORT"), "{bad}: {err}");
        }
    }

    #[test]
    fn focus_by_user_auth_user_and_client() {
        let c = office();
        let (accs, ex) = c.accounts();
        let sel = |f: Focus| select(&f, &accs, &ex, &c.msgs, &[]);
        let all = sel(Focus::default());
        assert!(Focus::default().is_empty());
        assert_eq!(all.accounts.len(), accs.len());
        assert_eq!(all.messages.len(), c.msgs.len());

        // user, any case; two accounts have user 2001
        let f = sel(Focus {
            account: Some("2001".into()),
            client: None,
        });
        assert_eq!(f.accounts.len(), 2);
        // an auth username matches too: 2004 is only the auth user of 2003's account
        let f = sel(Focus {
            account: Some("2004".into()),
            client: None,
        });
        let a = find(&accs, "2003", "10.0.0.3");
        assert_eq!(f.accounts, vec![a.id]);
        assert_eq!(f.exchanges, a.exchanges);
        assert!(
            f.messages
                .iter()
                .all(|&m| c.msgs[m].src.ip().to_string() == "10.0.0.3"
                    || c.msgs[m].dst.ip().to_string() == "10.0.0.3")
        );
        assert_eq!(
            f.frames,
            f.messages.iter().map(|&m| m as u64 + 1).collect::<Vec<_>>()
        );
        assert!(f.has_frame(f.frames[0]) && !f.has_frame(0));

        // user + IP narrows to one account
        let f = sel(Focus {
            account: Some("2001".into()),
            client: Some("10.0.0.9".parse().unwrap()),
        });
        assert_eq!(f.accounts, vec![find(&accs, "2001", "10.0.0.9").id]);

        // IP:PORT selects only the exchanges from that port
        let a = find(&accs, "2006", "10.0.0.6");
        let f = sel(Focus {
            account: None,
            client: Some("10.0.0.6:5060".parse().unwrap()),
        });
        assert_eq!(f.accounts, vec![a.id]);
        assert_eq!(f.exchanges, vec![a.exchanges[0]]);
        assert!(f.has_exchange(a.exchanges[0]) && !f.has_exchange(a.exchanges[1]));
        assert!(f.messages.iter().all(|&m| f.has_message(m)));
        let f = sel(Focus {
            account: None,
            client: Some("10.0.0.6:5999".parse().unwrap()),
        });
        assert!(f.accounts.is_empty() && f.frames.is_empty());
        let f = sel(Focus {
            account: Some("nobody".into()),
            client: None,
        });
        assert_eq!(f, Selection::default());
    }

    #[test]
    fn focus_takes_the_icmp_frames_of_its_requests() {
        let mut c = Cap::default();
        c.register("10.0.0.1:5060", "2001", "c1", 1, None, None);
        c.register("10.0.0.2:5060", "2002", "c2", 1, None, None);
        let mut icmp = vec![IcmpNote {
            frame: 99,
            ts: 2_000_000_000,
            reporter: "192.0.2.1".parse().unwrap(),
            kind: "port unreachable".into(),
            src: "10.0.0.2:5060".parse().unwrap(),
            dst: SRV.parse().unwrap(),
            message: None,
        }];
        let g = transaction::group(&c.msgs, &mut icmp);
        let accs = build(&c.msgs, &g.exchanges);
        let f = |u: &str| Focus {
            account: Some(u.into()),
            client: None,
        };
        let two = select(&f("2002"), &accs, &g.exchanges, &c.msgs, &icmp);
        assert_eq!(two.frames, vec![2, 99]);
        let one = select(&f("2001"), &accs, &g.exchanges, &c.msgs, &icmp);
        assert_eq!(one.frames, vec![1]);
    }

    fn finding(
        code: FindingCode,
        severity: Severity,
        exchanges: Vec<usize>,
        exchange_severity: Vec<Severity>,
        frames: Vec<u64>,
    ) -> Finding {
        let text = crate::finding::FindingText {
            title: crate::text!(Verbatim, text = ""),
            explanation: crate::text!(Verbatim, text = "x"),
            causes: Vec::new(),
            who: None,
        };
        let mut f = Finding::new(code, severity, text);
        f.exchanges = exchanges;
        f.exchange_severity = exchange_severity;
        f.frames = frames;
        f
    }

    #[test]
    fn root_cause_is_the_first_finding_that_is_an_error_for_that_account() {
        use FindingCode as C;
        use Severity::{Error, Warning};
        let c = office();
        let (mut accs, ex) = c.accounts();
        let x = |user: &str, ip: &str| find(&accs, user, ip).exchanges[0];
        let (wrong, banned) = (x("2002", "10.0.0.2"), x("2005", "10.0.0.5"));
        let silent = x("2001", "10.0.0.9");
        // One credentials-rejected finding of both: an error for 2002, only a warning for
        // 2005 (merged by code, it takes the worst severity).
        let mut fs = vec![
            finding(
                C::CredentialsRejected,
                Error,
                vec![wrong, banned],
                vec![Error, Warning],
                vec![],
            ),
            finding(C::BruteForceBlock, Error, vec![banned], vec![Error], vec![]),
        ];
        attach(&mut accs, &mut fs, &ex, &c.msgs, &[]);
        let wrong = find(&accs, "2002", "10.0.0.2");
        assert_eq!(wrong.root_cause, Some(C::CredentialsRejected));
        let banned = find(&accs, "2005", "10.0.0.5");
        assert_eq!(banned.root_cause, Some(C::BruteForceBlock));
        assert_eq!(banned.findings, [0, 1], "both findings speak of it");
        assert!(
            fs[0]
                .explanation
                .starts_with("2 of 6 accounts: 2002, 2005. ")
        );
        // A finding lowered to a warning as a whole is no root cause for anyone.
        let mut fs = vec![finding(
            C::NoResponse,
            Warning,
            vec![silent],
            vec![Error],
            vec![],
        )];
        attach(&mut accs, &mut fs, &ex, &c.msgs, &[]);
        assert_eq!(find(&accs, "2001", "10.0.0.9").root_cause, None);
        assert_eq!(find(&accs, "2001", "10.0.0.9").findings, [0]);
    }

    #[test]
    fn findings_without_an_exchange_go_where_their_frames_say() {
        use FindingCode as C;
        let c = office();
        let (mut accs, ex) = c.accounts();
        // frame 1: 2001's first REGISTER (its Date header); frame 2: the server's 401.
        assert!(c.msgs[0].is_request() && c.msgs[0].src.ip().to_string() == "10.0.0.1");
        assert_eq!(c.msgs[1].src, SRV.parse().unwrap());
        let w = Severity::Warning;
        let mut fs = vec![
            finding(C::ClockSkew, w, vec![], vec![], vec![1]),
            finding(C::ClockSkew, w, vec![], vec![], vec![2, 4]),
            finding(C::TlsEncrypted, Severity::Info, vec![], vec![], vec![999]),
            finding(C::NoSip, w, vec![], vec![], vec![]),
        ];
        let tls = [(
            999,
            "10.0.0.3".parse().unwrap(),
            "192.0.2.1".parse().unwrap(),
        )];
        attach(&mut accs, &mut fs, &ex, &c.msgs, &tls);
        let with = |fi: usize| -> Vec<String> {
            accs.iter()
                .filter(|a| a.findings.contains(&fi))
                .map(|a| format!("{}@{}", a.user, a.client.ip()))
                .collect()
        };
        assert_eq!(with(0), ["2001@10.0.0.1"], "the phone's clock: its account");
        assert_eq!(
            with(1).len(),
            accs.len(),
            "the server's clock: all its accounts"
        );
        assert_eq!(
            with(2),
            ["2003@10.0.0.3"],
            "TLS: the account at that address"
        );
        assert!(with(3).is_empty(), "capture-wide: no account");
        assert!(accs.iter().all(|a| a.root_cause.is_none()), "warnings only");
        assert!(
            fs[0]
                .explanation
                .starts_with("1 of 6 accounts: 2001@10.0.0.1. ")
        );
    }

    /// An account with a root cause (None: healthy, `bad`: failing without a diagnosis).
    fn with_cause(id: usize, cause: Option<FindingCode>, bad: bool) -> Account {
        let (mut accs, _) = office().accounts();
        let mut a = accs.swap_remove(0);
        a.id = id;
        a.root_cause = cause;
        a.outcome = if bad || cause.is_some() {
            Outcome::Rechallenged
        } else {
            Outcome::Accepted
        };
        a
    }

    #[test]
    fn census_counts_by_cause_most_first() {
        use FindingCode as C;
        let causes = [
            Some(C::CredentialsRejected),
            None,
            Some(C::BruteForceBlock),
            Some(C::CredentialsRejected),
            None,
            Some(C::AuthUsernameMismatch),
            Some(C::CredentialsRejected),
            Some(C::CredentialsRejected),
        ];
        let mut accs: Vec<Account> = causes
            .iter()
            .enumerate()
            .map(|(i, &c)| with_cause(i, c, false))
            .collect();
        accs.push(with_cause(8, None, true));
        let c = census(&accs).unwrap();
        assert_eq!((c.total, c.failing, c.unexplained), (9, 7, 1));
        assert_eq!(
            c.sentence,
            "7 of 9 accounts fail: 4 credentials refused, 1 source banned, \
             1 unknown or other auth user, 1 without a diagnosed cause"
        );
        assert_eq!(c.by_cause[0].count, 4);
        let healthy: Vec<Account> = (0..3).map(|i| with_cause(i, None, false)).collect();
        assert_eq!(census(&healthy).unwrap().sentence, "all 3 accounts work");
        assert!(census(&healthy[..1]).is_none(), "one account: no census");
        assert!(census(&[]).is_none());
        let names = (1..=12).map(|i| format!("20{i:02}"));
        assert_eq!(
            who(12, 40, names),
            "12 of 40 accounts: 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010 \
             and 2 more"
        );
        assert_eq!(
            who(1, 2, ["2001".to_string()].into_iter()),
            "1 of 2 accounts: 2001"
        );
    }

    #[test]
    fn many_accounts_stay_linear_in_shape() {
        // 3,000 phones, each from its own address: 3,000 accounts, one exchange each.
        let mut c = Cap::default();
        for i in 0..3000u32 {
            let client = format!("10.{}.{}.{}:5060", i >> 16, (i >> 8) & 255, i & 255);
            c.register(
                &client,
                &format!("u{i}"),
                &format!("c{i}"),
                1,
                None,
                Some("401 Unauthorized"),
            );
            c.register(
                &client,
                &format!("u{i}"),
                &format!("c{i}"),
                2,
                Some(&format!("u{i}")),
                Some(if i % 5 == 0 {
                    "401 Unauthorized"
                } else {
                    "200 OK"
                }),
            );
        }
        let (accs, _) = c.accounts();
        assert_eq!(accs.len(), 3000);
        let failing = accs.iter().filter(|a| !is_healthy(a.outcome)).count();
        assert_eq!(failing, 600);
        assert!(
            accs.iter()
                .all(|a| a.exchanges.len() == 1 && a.attempts == 2)
        );
    }
}
