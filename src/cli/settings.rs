//! `sipdoctor-cli settings --user U [--auth-user A] --domain D [--proxy P] [--transport
//! udp|tcp|tls] [--port N] [--realm R] [--client linphone|zoiper|baresip|sipp|all] [--json]`:
//! print the settings that reproduce the account in a known-good client, plus the checklist of
//! phone-side settings that break auth. The password is never asked for: every output holds
//! the `<PASSWORD>` placeholder.
//!
//! Exit codes: 0 printed; 2 bad arguments.

use crate::clients::{self, Account, Transport};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Client {
    Linphone,
    Zoiper,
    Baresip,
    Sipp,
    All,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// SIP user (extension / user part of the address).
    #[arg(long)]
    pub user: String,
    /// Authentication user name, when it differs from the user.
    #[arg(long)]
    pub auth_user: Option<String>,
    /// SIP domain.
    #[arg(long)]
    pub domain: String,
    /// Outbound proxy host[:port].
    #[arg(long)]
    pub proxy: Option<String>,
    /// udp, tcp or tls.
    #[arg(long, default_value = "udp")]
    pub transport: Transport,
    /// Server port when not the transport's default.
    #[arg(long)]
    pub port: Option<u16>,
    /// Realm the server challenges with, if known.
    #[arg(long)]
    pub realm: Option<String>,
    /// Only the settings of this client.
    #[arg(long, value_enum, default_value = "all")]
    pub client: Client,
    /// Print one JSON object (the settings of each client; notes in English unless --lang).
    #[arg(long)]
    pub json: bool,
    /// Language of the text: en, zh, vi (default: the environment's, see README; the client
    /// settings themselves stay as written).
    #[arg(long)]
    pub lang: Option<crate::msg::Lang>,
}

pub fn run(args: Args) -> i32 {
    let (code, out) = settings_text(&args);
    match out {
        Ok(s) => print!("{s}"),
        Err(s) => eprint!("{s}"),
    }
    code
}

pub fn account_of(args: &Args) -> Account {
    Account {
        user: args.user.clone(),
        auth_user: args.auth_user.clone().filter(|a| !a.is_empty()),
        domain: args.domain.clone(),
        proxy: args.proxy.clone().filter(|p| !p.is_empty()),
        transport: args.transport,
        port: args.port,
        realm: args.realm.clone().filter(|r| !r.is_empty()),
    }
}

pub fn settings_text(args: &Args) -> (i32, Result<String, String>) {
    let a = account_of(args);
    // The text in the environment's language by default; JSON only in the one asked for.
    let lang = match (args.lang, args.json) {
        (Some(l), _) => l,
        (None, true) => crate::msg::Lang::En,
        (None, false) => super::exit::error_lang(),
    };
    let g = match clients::generate_in(&a, None, lang) {
        Ok(g) => g,
        Err(e) => {
            let line = crate::text!(StCommand, e = e.text());
            return (2, Err(line.render(super::exit::error_lang()) + "\n"));
        }
    };
    let want = |c: Client| args.client == Client::All || args.client == c;
    if args.json {
        let mut v = serde_json::to_value(&g).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            if !want(Client::Linphone) {
                o.remove("linphonerc");
            }
            if !want(Client::Zoiper) {
                o.remove("zoiper");
            }
            if !want(Client::Baresip) {
                o.remove("baresip_accounts");
            }
            if !want(Client::Sipp) {
                o.remove("sipp_command");
                o.remove("sipp_scenario");
            }
        }
        return (
            0,
            Ok(serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"),
        );
    }
    use crate::text;
    let head = text!(
        StAccountHead,
        user = a.user.trim(),
        domain = a.domain.trim(),
        au = a.auth_user().trim(),
        transport = a.transport.label(),
        host = a.server().0,
        port = a.server().1
    );
    let mut s = format!(
        "{}\n{}\n\n",
        head.render(lang),
        text!(StPassword, p = &g.password).render(lang)
    );
    let heading = |m: crate::msg::Msg| format!("== {} ==\n", m.template(lang));
    if want(Client::Linphone) {
        s.push_str(&heading(crate::msg::Msg::StLinphone));
        s.push_str(&g.linphonerc);
        s.push('\n');
    }
    if want(Client::Zoiper) {
        s.push_str(&heading(crate::msg::Msg::StZoiper));
        for (k, v) in &g.zoiper {
            s.push_str(&format!("  {k:<26} {v}\n"));
        }
        s.push('\n');
    }
    if want(Client::Baresip) {
        s.push_str(&heading(crate::msg::Msg::StBaresip));
        s.push_str(&g.baresip_accounts);
        s.push_str("\n\n");
    }
    if want(Client::Sipp) {
        s.push_str(&heading(crate::msg::Msg::StSipp));
        s.push_str(&g.sipp_command);
        s.push_str("\n\n");
        s.push_str(&g.sipp_scenario);
        s.push('\n');
    }
    s.push_str(&heading(crate::msg::Msg::CkHeading));
    for (i, c) in g.checklist.iter().enumerate() {
        s.push_str(&format!("{}. {}\n   {}\n", i + 1, c.setting, c.why));
        if let Some(f) = &c.finding {
            s.push_str(&format!("   -> {f}\n"));
        }
    }
    (0, Ok(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> Args {
        Args {
            user: "1001".into(),
            auth_user: Some("a1001".into()),
            domain: "pbx.example.com".into(),
            proxy: None,
            transport: Transport::Tls,
            port: None,
            realm: None,
            client: Client::All,
            json: false,
            lang: Some(crate::msg::Lang::En),
        }
    }

    #[test]
    fn text_and_json() {
        let (c, out) = settings_text(&args());
        assert_eq!(c, 0);
        let out = out.unwrap();
        assert!(out.contains("== Linphone"));
        assert!(out.contains("transport=tls"));
        assert!(out.contains("-t l1"));
        assert!(out.contains("SIP ALG"));
        let mut a = args();
        a.client = Client::Baresip;
        a.json = true;
        let (_, out) = settings_text(&a);
        let v: serde_json::Value = serde_json::from_str(&out.unwrap()).unwrap();
        assert!(v.get("baresip_accounts").is_some());
        assert!(v.get("linphonerc").is_none());
        assert_eq!(v["account"]["transport"], "tls");
    }

    #[test]
    fn bad_input_is_exit_2() {
        let mut a = args();
        a.user = "10;01".into();
        let (c, out) = settings_text(&a);
        assert_eq!(c, 2);
        assert!(out.unwrap_err().contains("user"));
    }
}
