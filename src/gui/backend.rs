//! The calls into core modules the steps use (digest calculator, pasted-output parsers). The
//! GUI adds no conclusion here: it only turns what the core returns into lines.

use std::net::IpAddr;

use super::i18n::S;
use super::state::{CalcState, ClientState};
use crate::checks::{self, clock};
use crate::clients;
use crate::digest;
use crate::kb::Lang;
use crate::secret::Secret;

type Lines = Result<Vec<(bool, String)>, String>;
/// (title, text) blocks of generated settings.
type Blocks = Vec<(String, String)>;

/// The digest calculator: the response for inputs typed by hand (RFC 2617 / RFC 7616, computed
/// by `crate::digest`).
pub fn compute_digest(c: &CalcState, secret: &Secret, lang: Lang) -> Result<String, String> {
    let algorithm = digest::Algorithm::parse(Some(c.algorithm.trim()).filter(|s| !s.is_empty()))
        .map_err(|e| e.text().render(lang))?;
    let qop = digest::Qop::parse(Some(c.qop.trim())).map_err(|e| e.text().render(lang))?;
    for (name, v) in [
        ("username", &c.username),
        ("realm", &c.realm),
        ("nonce", &c.nonce),
        ("uri", &c.uri),
    ] {
        if v.trim().is_empty() {
            return Err(crate::text!(CalcEmpty, field = name).render(lang));
        }
    }
    if qop != digest::Qop::None && (c.cnonce.trim().is_empty() || c.nc.trim().is_empty()) {
        return Err(crate::text!(CalcQopNeeds).render(lang));
    }
    if secret.expose().is_empty() {
        return Err(crate::text!(PbTypeSecret).render(lang));
    }
    let p = digest::DigestParams {
        algorithm,
        username: c.username.trim(),
        realm: &c.realm,
        method: c.method.trim(),
        uri: c.uri.trim(),
        nonce: c.nonce.trim(),
        qop,
        nc: c.nc.trim(),
        cnonce: c.cnonce.trim(),
        body: &[],
        userhash: false,
    };
    Ok(digest::response(&p, secret))
}

/// Read pasted `fail2ban-client status [jail]` output and look the phone's address up in it:
/// the core's verdict (`checks::fail2ban_verdict`, the same as the CLI's), in the user's
/// language.
pub fn check_fail2ban(text: &str, ip: &str, lang: Lang) -> (Lines, Vec<String>, bool) {
    let addr = ip.parse::<IpAddr>().ok();
    match checks::fail2ban_verdict(text, addr) {
        Ok(v) => {
            let lines = v
                .lines
                .iter()
                .map(|l| (l.is_problem(), l.text(lang)))
                .collect();
            (Ok(lines), v.commands, v.problem)
        }
        Err(e) => (Err(e.text().render(lang)), Vec::new(), false),
    }
}

/// Read pasted `timedatectl` / `chronyc tracking` / `ntpq -p` (and friends) output.
pub fn check_clock(text: &str, lang: Lang) -> (Lines, Vec<String>, bool) {
    match clock::parse(text) {
        Ok(st) => {
            let word = match st.synchronised {
                clock::Synced::Yes => S::Synchronised,
                clock::Synced::No => S::NotSynchronised,
                clock::Synced::Unknown => S::SyncUnknown,
            };
            let mut head = format!("{} · {}", word.get(lang), st.format.label());
            if let Some(o) = st.offset_ms {
                head.push_str(&format!(" · {} {o:+.3} ms", S::Offset.get(lang)));
            }
            let problem = st.is_problem();
            let mut lines = vec![(problem, head), (problem, st.summary_in(lang))];
            lines.extend(st.notes.iter().map(|n| (false, n.render(lang))));
            (Ok(lines), Vec::new(), problem)
        }
        Err(e) => (Err(e.text().render(lang)), Vec::new(), false),
    }
}

/// Client settings for the known-good softphones: (title, text) blocks, and the checklist.
pub fn client_settings(
    c: &ClientState,
    lang: Lang,
) -> Result<(Blocks, Vec<(bool, String)>), String> {
    let opt = |s: &str| {
        let t = s.trim();
        (!t.is_empty()).then(|| t.to_string())
    };
    let account = clients::Account {
        user: c.user.trim().to_string(),
        auth_user: opt(&c.auth_user),
        domain: c.domain.trim().to_string(),
        proxy: opt(&c.proxy),
        transport: c.transport,
        port: None,
        realm: None,
    };
    let g = clients::generate_in(&account, None, lang).map_err(|e| e.text().render(lang))?;
    let zoiper = g
        .zoiper
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join("\n");
    let blocks = vec![
        ("Linphone (linphonerc)".to_string(), g.linphonerc),
        ("Zoiper".to_string(), zoiper),
        ("baresip (accounts)".to_string(), g.baresip_accounts),
        ("sipp".to_string(), g.sipp_command),
    ];
    let checklist = g
        .checklist
        .iter()
        .map(|i| {
            let colon = if lang == Lang::Zh { "：" } else { ": " };
            match &i.finding {
                Some(f) => (true, format!("{}{colon}{f}", i.setting)),
                None => (false, format!("{}{colon}{}", i.setting, i.why)),
            }
        })
        .collect();
    Ok((blocks, checklist))
}
