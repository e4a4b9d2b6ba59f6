//! The guided fix of each Kamailio lab capture's main finding names the capture's own user and
//! addresses, with Kamailio's commands first (issue 11, part 1).

use sipdoctor::diagnose::server::ServerKind;
use sipdoctor::fix::{self, Did, FixContext, FixHints, Method};
use sipdoctor::kb::Lang;

use crate::{analyze, fixtures, lab_rows};

/// Glue from an Analysis to a FixContext: the first exchange's values (kept small on purpose,
/// the Analysis API may change).
fn context(a: &sipdoctor::analysis::Analysis) -> (FixContext, ServerKind) {
    let e = &a.exchanges[0];
    let creds = e
        .attempts
        .iter()
        .filter_map(|t| {
            let m = &a.messages[t.request()];
            m.credentials("authorization")
                .or_else(|| m.credentials("proxy-authorization"))
        })
        .find_map(|v| v.as_ref().ok().map(|c| c.unpack()));
    let host = e
        .request_uri
        .trim_start_matches("sips:")
        .trim_start_matches("sip:");
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split([';', ':', '>']).next().unwrap_or(host);
    let kind = sipdoctor::diagnose::servers(a)
        .iter()
        .find(|s| s.address == *e.server)
        .map(|s| s.kind)
        .unwrap_or(ServerKind::Unknown);
    let ctx = FixContext {
        user: e.from_user.map(|u| u.to_string()),
        auth_user: creds.as_ref().and_then(|c| c.username()),
        realm: creds.as_ref().and_then(|c| c.realm().map(str::to_string)),
        domain: Some(host.to_string()),
        server: Some(host.to_string()),
        server_ip: Some(e.server.ip().to_string()),
        server_port: Some(e.server.port()),
        client_ip: Some(e.client.ip().to_string()),
        transport: Some(
            a.messages[e.attempts[0].request()]
                .transport()
                .label()
                .to_string(),
        ),
        ban_ip: Some(e.client.ip().to_string()),
        jail: None,
        method: Method::parse(&e.method),
    };
    (ctx, kind)
}

#[test]
fn lab_fixes_name_the_capture_and_put_kamailio_first() {
    let mut checked = 0;
    let mut named_user = 0;
    let mut named_ip = 0;
    for row in lab_rows() {
        let file = row["file"].as_str().unwrap();
        let Some(code) = row["root_cause"].as_str() else {
            continue;
        };
        if code == "no-sip" || code == "no-response" {
            continue; // no server answered: nothing to fingerprint
        }
        let a = analyze(&fixtures().join(file)).unwrap();
        let (ctx, kind) = context(&a);
        assert_eq!(kind, ServerKind::Kamailio, "{file}: detected server");
        assert!(a.findings.iter().any(|f| f.code == code), "{file}: {code}");
        let user = ctx.user.clone().unwrap();
        let auth_user = ctx.auth_user.clone().unwrap_or(user.clone());
        for lang in [Lang::En, Lang::Zh, Lang::Vi] {
            let f = captured_fix(code, kind, &ctx, lang)
                .unwrap_or_else(|| panic!("{file}: no fix for {code}"));
            assert_eq!(f.server, "kamailio", "{file}");
            assert!(f.withheld.is_empty(), "{file}: {:?}", f.withheld);
            let entry = sipdoctor::kb::get(&f.kb).unwrap();
            for (s, ks) in f.steps.iter().zip(entry.steps.iter().filter(|s| {
                s.applies_to.is_empty() || s.applies_to.iter().any(|m| m == &e_method(&ctx))
            })) {
                if ks.commands.iter().any(|c| c.server == "kamailio") {
                    assert_eq!(s.commands[0].server, "kamailio", "{file}: {}", s.title);
                }
                assert!(s.other_servers.iter().all(|c| c.server != "kamailio"));
                assert!(
                    s.commands
                        .iter()
                        .all(|c| !c.server.starts_with("asterisk") && c.server != "freeswitch")
                );
                for c in &s.commands {
                    // Every placeholder the capture has a value for is filled with it.
                    for p in [
                        "<user>",
                        "<auth_user>",
                        "<realm>",
                        "<domain>",
                        "<server_port>",
                        "<client_ip>",
                        "<ban_ip>",
                        "<method>",
                    ] {
                        assert!(!c.text.contains(p), "{file}: {p} left in {}", c.text);
                    }
                }
                if ks.done_by.as_deref() == Some("capture") {
                    assert!(s.done, "{file}: capture step not done");
                }
            }
            let texts: Vec<&str> = f
                .steps
                .iter()
                .flat_map(|s| s.commands.iter().chain(&s.other_servers))
                .map(|c| c.text.as_str())
                .collect();
            let uses_user = entry
                .steps
                .iter()
                .flat_map(|s| &s.commands)
                .any(|c| c.command.contains("{user}") || c.command.contains("{auth_user}"));
            if uses_user && lang == Lang::En {
                assert!(
                    texts
                        .iter()
                        .any(|t| t.contains(&user) || t.contains(&auth_user)),
                    "{file}: {} names neither {user} nor {auth_user}",
                    f.kb
                );
                named_user += 1;
            }
            let port = ctx.server_port.unwrap().to_string();
            if entry
                .steps
                .iter()
                .flat_map(|s| &s.commands)
                .any(|c| c.command.contains("{server_port}"))
            {
                assert!(texts.iter().any(|t| t.contains(&port)), "{file}");
            }
            let ip = ctx.client_ip.clone().unwrap();
            if entry
                .steps
                .iter()
                .flat_map(|s| &s.commands)
                .any(|c| c.command.contains("{client_ip}") || c.command.contains("{ban_ip}"))
            {
                assert!(texts.iter().any(|t| t.contains(&ip)), "{file}: {ip}");
                named_ip += 1;
            }
            let md = fix::to_markdown(&f, lang);
            assert!(!md.contains("&gt;") && md.contains("```"), "{file}");
        }
        checked += 1;
    }
    assert!(checked >= 25, "{checked} lab captures checked");
    assert!(named_ip >= 3, "{named_ip} fixes named the client address");
    assert!(named_user >= 12, "{named_user} fixes named the user");
}

/// The fix of a finding on a loaded capture (no hints).
fn captured_fix(code: &str, kind: ServerKind, ctx: &FixContext, lang: Lang) -> Option<fix::Fix> {
    fix::fix_for(
        sipdoctor::finding::FindingCode::parse(code).expect("a finding code"),
        kind,
        &FixHints::default(),
        ctx,
        &[Did::Capture],
        lang,
    )
}

fn e_method(ctx: &FixContext) -> String {
    ctx.method.unwrap_or(Method::Register).wire().to_string()
}

/// Scripted Asterisk-PJSIP-like and FreeSWITCH-like servers: a synthetic context with their
/// users (6009 on Asterisk, 1001@pbx on FreeSWITCH) gets their own commands first.
#[test]
fn synthetic_asterisk_and_freeswitch_fixes_name_their_values() {
    for (kind, tag, code, user, domain, want) in [
        (
            ServerKind::AsteriskPjsip,
            "asterisk-pjsip",
            "password-ok-but-rejected",
            "6009",
            "10.0.0.5",
            "pjsip show auth 6009",
        ),
        (
            ServerKind::AsteriskPjsip,
            "asterisk-pjsip",
            "credentials-rejected",
            "6009",
            "10.0.0.5",
            "pjsip show endpoint 6009",
        ),
        (
            ServerKind::FreeSwitch,
            "freeswitch",
            "credentials-rejected",
            "1001",
            "pbx.lab",
            "user_exists id 1001 pbx.lab",
        ),
        (
            ServerKind::FreeSwitch,
            "freeswitch",
            "wrong-password",
            "1001",
            "pbx.lab",
            "directory/default/1001.xml",
        ),
    ] {
        let ctx = FixContext {
            user: Some(user.into()),
            auth_user: Some(user.into()),
            realm: Some(domain.into()),
            domain: Some(domain.into()),
            server_port: Some(5060),
            client_ip: Some("10.0.0.9".into()),
            method: Some(Method::Register),
            ..Default::default()
        };
        let f = captured_fix(code, kind, &ctx, Lang::En).unwrap();
        assert_eq!(f.server, tag);
        let first_own = f
            .steps
            .iter()
            .find(|s| s.commands.iter().any(|c| c.server == tag))
            .unwrap();
        assert_eq!(first_own.commands[0].server, tag);
        assert!(
            f.steps
                .iter()
                .flat_map(|s| &s.commands)
                .any(|c| c.text.contains(want)),
            "{code} on {tag}: {}",
            fix::to_text(&f, Lang::En)
        );
    }
}
