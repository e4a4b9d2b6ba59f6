//! Settings for known-good clients (Linphone, Zoiper, baresip, sipp) that reproduce an account,
//! so the technician can test the same credentials from another client, and a checklist of the
//! phone-side settings that commonly break digest authentication.
//!
//! The password is NEVER written into generated text: every output carries the placeholder
//! [`PASSWORD_PLACEHOLDER`]. When the caller has the technician's [`Secret`], only a masked
//! indication (length, leading/trailing white space) is shown.

use crate::msg::{Lang, Msg, Text};
use crate::secret::Secret;
use crate::text;
use serde::{Deserialize, Serialize};

/// What every generated text holds in place of the password.
pub const PASSWORD_PLACEHOLDER: &str = "<PASSWORD>";

pub use crate::capture::Transport;

/// The default port (RFC 3261 section 19.1.2: 5060 for sip over UDP/TCP, 5061 for TLS).
pub fn default_port(t: Transport) -> u16 {
    match t {
        Transport::Tls => 5061,
        Transport::Udp | Transport::Tcp => 5060,
    }
}

/// The SIP account to reproduce.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Account {
    /// The SIP user (the user part of the address-of-record, `From`/`To`).
    pub user: String,
    /// The authentication user name (digest `username`), when it differs from `user`.
    #[serde(default)]
    pub auth_user: Option<String>,
    /// The SIP domain (host part of the address-of-record; often the realm).
    pub domain: String,
    /// Outbound proxy / registrar host[:port], when it is not the domain.
    #[serde(default)]
    pub proxy: Option<String>,
    #[serde(default)]
    pub transport: Transport,
    /// The server port, when not the default one for the transport.
    #[serde(default)]
    pub port: Option<u16>,
    /// The realm expected in the challenge, when the technician knows it.
    #[serde(default)]
    pub realm: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("the {0} is empty")]
    Empty(&'static str),
    #[error("the {field} contains a character that cannot appear there: {what}")]
    BadChar { field: &'static str, what: String },
    #[error("the proxy port is not a number between 1 and 65535: {0}")]
    BadPort(String),
}

impl AccountError {
    /// The error in words of the catalogue, for any language.
    pub fn text(&self) -> crate::msg::Text {
        use crate::msg::Msg;
        use crate::text;
        let field = |f: &str| match f {
            "user" => Msg::FieldUser,
            "auth user" => Msg::FieldAuthUser,
            "domain" => Msg::FieldDomain,
            "proxy" => Msg::FieldProxy,
            _ => Msg::FieldRealm,
        };
        match self {
            AccountError::Empty(f) => text!(StEmpty, field = field(f)),
            AccountError::BadChar { field: f, what } => {
                text!(StBadChar, field = field(f), what = what)
            }
            AccountError::BadPort(p) => text!(StBadPort, port = p),
        }
    }
}

impl Account {
    pub fn auth_user(&self) -> &str {
        self.auth_user.as_deref().unwrap_or(&self.user)
    }

    /// Where requests go: the proxy if set, else the domain; and the port.
    pub fn server(&self) -> (String, u16) {
        let (host, port) = match &self.proxy {
            Some(p) => split_host_port(p),
            None => (self.domain.clone(), None),
        };
        let port = port
            .or(self.port)
            .unwrap_or_else(|| default_port(self.transport));
        (host, port)
    }

    /// Reject values that would corrupt the generated files (quotes, line breaks, `;`, `<>`).
    /// Leading/trailing spaces are not rejected here: they are reported by [`checklist`].
    pub fn validate(&self) -> Result<(), AccountError> {
        let fields: [(&'static str, Option<&str>); 5] = [
            ("user", Some(&self.user)),
            ("auth user", self.auth_user.as_deref()),
            ("domain", Some(&self.domain)),
            ("proxy", self.proxy.as_deref()),
            ("realm", self.realm.as_deref()),
        ];
        for (name, v) in fields {
            let Some(v) = v else { continue };
            if v.trim().is_empty() && (name == "user" || name == "domain") {
                return Err(AccountError::Empty(name));
            }
            if let Some(c) = v
                .chars()
                .find(|c| c.is_control() || matches!(c, '"' | '<' | '>' | ';' | '\\' | '\''))
            {
                return Err(AccountError::BadChar {
                    field: name,
                    what: format!("{c:?}"),
                });
            }
        }
        if let Some(p) = &self.proxy
            && let Some(port) = p.trim().rsplit_once(':').map(|(_, port)| port)
            && !p.trim().ends_with(']')
            && port.parse::<u16>().map_or(true, |n| n == 0)
        {
            return Err(AccountError::BadPort(port.to_string()));
        }
        Ok(())
    }
}

fn split_host_port(s: &str) -> (String, Option<u16>) {
    let s = s.trim();
    let s = s
        .strip_prefix("sip:")
        .or_else(|| s.strip_prefix("sips:"))
        .unwrap_or(s);
    if let Some(rest) = s.strip_prefix('[')
        && let Some((h, tail)) = rest.split_once(']')
    {
        return (
            format!("[{h}]"),
            tail.strip_prefix(':').and_then(|p| p.parse().ok()),
        );
    }
    match s.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => (h.to_string(), p.parse().ok()),
        _ => (s.to_string(), None),
    }
}

/// The masked indication of a secret: never the secret itself.
pub fn masked(secret: &Secret) -> String {
    let s = secret.expose();
    let n = s.chars().count();
    let mut out = format!("{} set ({n} characters, hidden)", secret.kind());
    if s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace) {
        out.push_str(" - WARNING: it starts or ends with white space");
    }
    out
}

/// Linphone configuration (`linphonerc`) sections for the account: a `[proxy_0]` and an
/// `[auth_info_0]`. Keys as used by liblinphone's config file (reg_proxy, reg_route,
/// reg_identity, reg_expires, reg_sendregister; username, userid, passwd, realm, domain).
pub fn linphonerc(a: &Account) -> String {
    let t = a.transport.as_str();
    let (host, port) = a.server();
    let mut s = String::new();
    s.push_str("[proxy_0]\n");
    s.push_str(&format!("reg_proxy=<sip:{host}:{port};transport={t}>\n"));
    if a.proxy.is_some() {
        s.push_str(&format!("reg_route=<sip:{host}:{port};transport={t};lr>\n"));
    }
    s.push_str(&format!(
        "reg_identity=sip:{}@{}\n",
        a.user.trim(),
        a.domain.trim()
    ));
    if let Some(r) = &a.realm {
        s.push_str(&format!("realm={r}\n"));
    }
    s.push_str("reg_expires=60\nreg_sendregister=1\npublish=0\n\n");
    s.push_str("[auth_info_0]\n");
    s.push_str(&format!("username={}\n", a.user.trim()));
    s.push_str(&format!("userid={}\n", a.auth_user().trim()));
    s.push_str(&format!("passwd={PASSWORD_PLACEHOLDER}\n"));
    if let Some(r) = &a.realm {
        s.push_str(&format!("realm={r}\n"));
    }
    s.push_str(&format!("domain={}\n", a.domain.trim()));
    s
}

/// baresip `accounts` line: `<sip:user@domain;transport=udp>;auth_user=…;auth_pass=<PASSWORD>;
/// outbound="sip:proxy:port;transport=udp";regint=60` (baresip's documented account
/// parameters).
pub fn baresip_account(a: &Account) -> String {
    let t = a.transport.as_str();
    let mut s = format!(
        "<sip:{}@{};transport={t}>;auth_user={};auth_pass={PASSWORD_PLACEHOLDER}",
        a.user.trim(),
        a.domain.trim(),
        a.auth_user().trim()
    );
    if a.proxy.is_some() || a.port.is_some() {
        let (host, port) = a.server();
        s.push_str(&format!(";outbound=\"sip:{host}:{port};transport={t}\""));
    }
    s.push_str(";regint=60");
    s
}

/// The Zoiper account fields to fill, label -> value.
pub fn zoiper_fields(a: &Account) -> Vec<(String, String)> {
    let (host, port) = a.server();
    let mut v = vec![
        ("Domain (host)".to_string(), a.domain.trim().to_string()),
        ("Username".to_string(), a.user.trim().to_string()),
        ("Password".to_string(), PASSWORD_PLACEHOLDER.to_string()),
        (
            "Authentication username".to_string(),
            a.auth_user().trim().to_string(),
        ),
        (
            "Outbound proxy".to_string(),
            if a.proxy.is_some() {
                format!("{host}:{port}")
            } else {
                "(empty)".to_string()
            },
        ),
        ("Transport".to_string(), a.transport.label().to_string()),
    ];
    if let Some(r) = &a.realm {
        v.push(("Realm (advanced)".to_string(), r.clone()));
    }
    v
}

/// A small sipp scenario that REGISTERs and answers a 401 or 407 with `[authentication]`
/// (sipp computes the digest from `-au`/`-ap` and the last challenge). Exit code 0 only on a
/// final 200. Tested against Kamailio 5.6 (tests/samples/README.md).
pub const SIPP_REGISTER_XML: &str = r#"<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<!-- sipdoctor: REGISTER, answer the 401/407 challenge, expect 200. Binding expires in 60 s. -->
<scenario name="REGISTER with digest authentication">
  <send retrans="500">
    <![CDATA[
      REGISTER sip:[domain] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      Max-Forwards: 70
      From: <sip:[service]@[domain]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[domain]>
      Call-ID: [call_id]
      CSeq: 1 REGISTER
      Contact: <sip:[service]@[local_ip]:[local_port];transport=[transport]>
      Expires: 60
      User-Agent: sipdoctor-sipp
      Content-Length: 0

    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="401" auth="true" optional="true" next="auth"/>
  <recv response="407" auth="true" next="auth"/>
  <label id="auth"/>
  <send retrans="500">
    <![CDATA[
      REGISTER sip:[domain] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      Max-Forwards: 70
      From: <sip:[service]@[domain]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[domain]>
      Call-ID: [call_id]
      CSeq: 2 REGISTER
      Contact: <sip:[service]@[local_ip]:[local_port];transport=[transport]>
      [authentication]
      Expires: 60
      User-Agent: sipdoctor-sipp
      Content-Length: 0

    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="200"/>
</scenario>
"#;

/// The sipp command line that runs [`SIPP_REGISTER_XML`] (saved as `register.xml`) once.
/// `-t u1`/`t1`/`l1`: one socket over UDP/TCP/TLS; `-key domain D` fills `[domain]`.
pub fn sipp_command(a: &Account) -> String {
    let (host, port) = a.server();
    let t = match a.transport {
        Transport::Udp => "u1",
        Transport::Tcp => "t1",
        Transport::Tls => "l1",
    };
    format!(
        "sipp -sf register.xml -s {} -au {} -ap '{PASSWORD_PLACEHOLDER}' -key domain {} -t {t} -m 1 -l 1 -timeout 10 -timeout_error -nostdin {host}:{port}",
        a.user.trim(),
        a.auth_user().trim(),
        a.domain.trim()
    )
}

/// One phone-side setting that breaks auth, with what to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistItem {
    pub setting: String,
    pub why: String,
    /// Something about THIS account that needs attention (None when nothing was spotted).
    pub finding: Option<String>,
}

/// The checklist, with findings for this account.
pub fn checklist(a: &Account, secret: Option<&Secret>) -> Vec<ChecklistItem> {
    checklist_in(a, secret, Lang::En)
}

/// The checklist in `lang` (values from the account stay as they are).
pub fn checklist_in(a: &Account, secret: Option<&Secret>, lang: Lang) -> Vec<ChecklistItem> {
    checklist_texts(a, secret)
        .into_iter()
        .map(|(setting, why, finding)| ChecklistItem {
            setting: setting.template(lang).to_string(),
            why: why.template(lang).to_string(),
            finding: finding.map(|f| f.render(lang)),
        })
        .collect()
}

/// (setting, why, what needs attention in this account) of each checklist item, as messages.
fn checklist_texts(a: &Account, secret: Option<&Secret>) -> Vec<(Msg, Msg, Option<Text>)> {
    let spaces = |v: &str| v != v.trim();
    let mut out = Vec::new();
    out.push((
        Msg::CkAuthUser,
        Msg::CkAuthUserWhy,
        match &a.auth_user {
            Some(au) if au.trim() != a.user.trim() => Some(text!(
                CkAuthUserDiffers,
                au = au.trim(),
                user = a.user.trim()
            )),
            _ => None,
        },
    ));
    let domain = if a.domain.trim().parse::<std::net::IpAddr>().is_ok() {
        Some(text!(CkDomainIsIp))
    } else {
        a.realm.as_ref().and_then(|r| {
            (r.trim() != a.domain.trim())
                .then(|| text!(CkRealmDiffers, realm = r.trim(), domain = a.domain.trim()))
        })
    };
    out.push((Msg::CkDomain, Msg::CkDomainWhy, domain));
    out.push((
        Msg::CkProxy,
        Msg::CkProxyWhy,
        a.proxy.as_ref().map(|p| text!(CkProxyUsed, proxy = p)),
    ));
    let (host, port) = a.server();
    out.push((
        Msg::CkTransport,
        Msg::CkTransportWhy,
        Some(text!(
            CkTransportUse,
            transport = a.transport.label(),
            host = host,
            port = port
        )),
    ));
    out.push((Msg::CkAlg, Msg::CkAlgWhy, None));
    let mut space_fields: Vec<Text> = Vec::new();
    if spaces(&a.user) {
        space_fields.push(text!(FieldUser));
    }
    if a.auth_user.as_deref().is_some_and(spaces) {
        space_fields.push(text!(FieldAuthUser));
    }
    if spaces(&a.domain) {
        space_fields.push(text!(FieldDomain));
    }
    if secret.is_some_and(|s| spaces(s.expose())) {
        space_fields.push(text!(FieldPassword));
    }
    out.push((
        Msg::CkSpaces,
        Msg::CkSpacesWhy,
        (!space_fields.is_empty())
            .then(|| text!(CkSpacesIn, fields = crate::msg::Arg::List(space_fields))),
    ));
    out
}

/// Everything generated for an account, for text or JSON output.
#[derive(Debug, Clone, Serialize)]
pub struct ClientSettings {
    pub account: Account,
    pub password: String,
    pub linphonerc: String,
    pub zoiper: Vec<(String, String)>,
    pub baresip_accounts: String,
    pub sipp_command: String,
    pub sipp_scenario: String,
    pub checklist: Vec<ChecklistItem>,
}

pub fn generate(a: &Account, secret: Option<&Secret>) -> Result<ClientSettings, AccountError> {
    generate_in(a, secret, Lang::En)
}

/// [`generate`] with the checklist and the notes in `lang`.
pub fn generate_in(
    a: &Account,
    secret: Option<&Secret>,
    lang: Lang,
) -> Result<ClientSettings, AccountError> {
    a.validate()?;
    Ok(ClientSettings {
        account: a.clone(),
        password: match secret {
            Some(s) => masked(s),
            None => text!(PasswordNotGiven, placeholder = PASSWORD_PLACEHOLDER).render(lang),
        },
        linphonerc: linphonerc(a),
        zoiper: zoiper_fields(a),
        baresip_accounts: baresip_account(a),
        sipp_command: sipp_command(a),
        sipp_scenario: SIPP_REGISTER_XML.to_string(),
        checklist: checklist_in(a, secret, lang),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::process::{Command, Stdio};
    use std::time::Duration;

    #[test]
    fn one_transport_names_parse_and_ports() {
        for t in Transport::ALL {
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_str());
            assert_eq!(t.as_str().parse::<Transport>(), Ok(t));
            assert_eq!(t.label().parse::<Transport>(), Ok(t));
            assert_eq!(t.to_string(), t.label());
            let back: Transport = serde_json::from_value(t.as_str().into()).unwrap();
            assert_eq!(back, t);
        }
        assert!("sctp".parse::<Transport>().is_err());
        assert_eq!(Transport::default(), Transport::Udp);
        assert_eq!(
            Transport::ALL.map(default_port),
            [5060, 5060, 5061],
            "RFC 3261 19.1.2"
        );
    }

    fn acct() -> Account {
        Account {
            user: "1001".into(),
            auth_user: Some("auth1001".into()),
            domain: "pbx.example.com".into(),
            proxy: Some("sbc.example.net:5080".into()),
            transport: Transport::Tcp,
            port: None,
            realm: Some("asterisk".into()),
        }
    }

    #[test]
    fn password_never_in_output() {
        let secret = Secret::password("s3cr3t-Pa55 ");
        let g = generate(&acct(), Some(&secret)).unwrap();
        let json = serde_json::to_string(&g).unwrap();
        assert!(!json.contains("s3cr3t"));
        assert!(json.contains(PASSWORD_PLACEHOLDER));
        assert!(g.password.contains("12 characters"));
        assert!(g.password.contains("white space"));
        let f = g
            .checklist
            .iter()
            .find(|c| c.setting.starts_with("Trailing"))
            .unwrap();
        assert!(f.finding.as_deref().unwrap().contains("password"));
    }

    #[test]
    fn generated_texts() {
        let a = acct();
        let l = linphonerc(&a);
        assert!(l.contains("reg_proxy=<sip:sbc.example.net:5080;transport=tcp>"));
        assert!(l.contains("reg_route=<sip:sbc.example.net:5080;transport=tcp;lr>"));
        assert!(l.contains("reg_identity=sip:1001@pbx.example.com"));
        assert!(l.contains("userid=auth1001"));
        assert!(l.contains("passwd=<PASSWORD>"));
        assert_eq!(
            baresip_account(&a),
            "<sip:1001@pbx.example.com;transport=tcp>;auth_user=auth1001;auth_pass=<PASSWORD>;outbound=\"sip:sbc.example.net:5080;transport=tcp\";regint=60"
        );
        let c = sipp_command(&a);
        assert!(c.contains("-s 1001 -au auth1001 -ap '<PASSWORD>'"));
        assert!(c.contains("-t t1"));
        assert!(c.ends_with("sbc.example.net:5080"));
        let z = zoiper_fields(&a);
        assert!(z.contains(&("Authentication username".into(), "auth1001".into())));
        let plain = Account {
            user: "1001".into(),
            domain: "pbx.example.com".into(),
            ..Default::default()
        };
        assert!(!baresip_account(&plain).contains("outbound"));
        assert!(sipp_command(&plain).ends_with("pbx.example.com:5060"));
        let tls = Account {
            transport: Transport::Tls,
            ..plain.clone()
        };
        assert!(sipp_command(&tls).ends_with("pbx.example.com:5061"));
    }

    #[test]
    fn checklist_findings() {
        let items = checklist(&acct(), None);
        assert_eq!(items.len(), 6);
        assert!(items[0].finding.as_deref().unwrap().contains("auth1001"));
        assert!(
            items[1]
                .finding
                .as_deref()
                .unwrap()
                .contains("realm 'asterisk'")
        );
        assert!(items[2].finding.is_some());
        let spaced = Account {
            user: "1001 ".into(),
            domain: "192.0.2.1".into(),
            ..Default::default()
        };
        let items = checklist(&spaced, None);
        assert!(items[1].finding.as_deref().unwrap().contains("IP address"));
        assert!(items[5].finding.as_deref().unwrap().contains("user"));
        assert!(items[0].finding.is_none());
    }

    #[test]
    fn validation() {
        let mut a = acct();
        a.user = "10\"01".into();
        assert!(matches!(a.validate(), Err(AccountError::BadChar { .. })));
        let mut a = acct();
        a.domain = " ".into();
        assert_eq!(a.validate(), Err(AccountError::Empty("domain")));
        let mut a = acct();
        a.proxy = Some("sbc:99999".into());
        assert!(matches!(a.validate(), Err(AccountError::BadPort(_))));
        let mut a = acct();
        a.proxy = Some("[2001:db8::1]:5060".into());
        assert!(a.validate().is_ok());
        assert_eq!(a.server(), ("[2001:db8::1]".into(), 5060));
        let json = serde_json::to_string(&acct()).unwrap();
        let back: Account = serde_json::from_str(&json).unwrap();
        assert_eq!(back, acct());
    }

    fn have(prog: &str) -> bool {
        std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).any(|d| d.join(prog).is_file()))
            .unwrap_or(false)
    }

    /// Run `args` with HOME set to `home`, inside a fresh network namespace when possible (so a
    /// client cannot reach anything; loopback up), killed after `secs`. `input` lines are
    /// written to stdin one per second; stdin stays open until the end. Returns stdout+stderr.
    fn run_briefly(args: &[&str], secs: u64, input: &[&str], home: &Path) -> String {
        let netns = have("unshare")
            && Command::new("unshare")
                .args(["--net", "true"])
                .status()
                .is_ok_and(|s| s.success());
        let mut cmd = if netns {
            let mut c = Command::new("unshare");
            c.args([
                "--net",
                "--",
                "sh",
                "-c",
                "ip link set lo up 2>/dev/null; exec \"$@\"",
                "sh",
            ]);
            c
        } else {
            eprintln!("note: unshare --net not available, running without a private network");
            Command::new("env")
        };
        cmd.arg("timeout")
            .arg(secs.to_string())
            .args(args)
            .env("HOME", home);
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut si = child.stdin.take().unwrap();
        let lines: Vec<String> = input.iter().map(|l| format!("{l}\n")).collect();
        std::thread::spawn(move || {
            use std::io::Write;
            for l in lines {
                std::thread::sleep(Duration::from_secs(1));
                if si.write_all(l.as_bytes()).is_err() {
                    return;
                }
            }
            std::thread::sleep(Duration::from_secs(secs + 1));
            drop(si);
        });
        let out = child.wait_with_output().expect("wait");
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    }

    /// baresip reads the generated `accounts` line: its startup output lists the account
    /// ("Populated 1 account") and `/reginfo` shows the AOR.
    #[test]
    fn baresip_accepts_generated_account() {
        if !have("baresip") {
            eprintln!(
                "SKIP baresip_accepts_generated_account: baresip is not installed (apt-get install baresip)"
            );
            return;
        }
        let dir = std::env::temp_dir().join(format!("sipdoctor-baresip-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let a = acct();
        std::fs::write(dir.join("accounts"), format!("{}\n", baresip_account(&a))).unwrap();
        // A minimal config: no audio/video modules, the account and menu modules only.
        std::fs::write(
            dir.join("config"),
            "module_path /usr/lib/baresip/modules\nmodule stdio.so\nmodule_app account.so\nmodule_app menu.so\nsip_listen 127.0.0.1:0\n",
        )
        .unwrap();
        let out = run_briefly(
            &["baresip", "-f", dir.to_str().unwrap(), "-e", "/reginfo"],
            4,
            &[],
            &dir,
        );
        let _ = std::fs::remove_dir_all(&dir);
        // Registration itself fails (no network in the namespace); loading must not.
        assert!(
            out.contains("Populated 1 account"),
            "baresip did not load the account:\n{out}"
        );
        assert!(out.contains("User Agents (1)"), "{out}");
        assert!(out.contains("sip:1001@pbx.example.com"), "{out}");
    }

    /// linphonec loads the generated `[proxy_0]`/`[auth_info_0]`: `proxy list` prints it.
    #[test]
    fn linphonec_accepts_generated_config() {
        if !have("linphonec") {
            eprintln!(
                "SKIP linphonec_accepts_generated_config: linphonec is not installed (apt-get install linphone-cli)"
            );
            return;
        }
        let dir = std::env::temp_dir().join(format!("sipdoctor-linphone-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let rc = dir.join("linphonerc");
        std::fs::write(
            &rc,
            format!(
                "[sip]\nsip_port=-1\nsip_tcp_port=-1\n\n{}",
                linphonerc(&acct())
            ),
        )
        .unwrap();
        let out = run_briefly(
            &["linphonec", "-c", rc.to_str().unwrap()],
            10,
            &["", "", "proxy list", "", "quit"],
            &dir,
        );
        let _ = std::fs::remove_dir_all(&dir);
        assert!(
            out.contains("****** Proxy 0 *******"),
            "linphonec did not list the proxy:\n{out}"
        );
        assert!(out.contains("identity: sip:1001@pbx.example.com"), "{out}");
        assert!(
            out.contains("route: <sip:sbc.example.net:5080;transport=tcp;lr>"),
            "{out}"
        );
    }
}
