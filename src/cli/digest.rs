//! `sipdoctor-cli digest`: the digest calculator.
//!
//! Computes a response from flags; the secret (password or HA1) is read from standard input
//! only, never from an argument, so it stays out of shell history and the process list.
//! With `--expect RESPONSE` it says match / no match. Exit codes: 0 computed (or match),
//! 1 no match, 2 bad input (unknown algorithm, missing secret, qop without nc/cnonce, ...).

use std::io::{Read, Write};
use std::path::PathBuf;

use super::Exit;
use crate::digest::{self, Algorithm, DigestParams, Qop};
use crate::msg::{Lang, Text, io_reason};
use crate::secret::Secret;
use crate::text;

#[derive(Debug, clap::Args)]
#[command(group(
    clap::ArgGroup::new("secret_source")
        .required(true)
        .args(["password_stdin", "ha1_stdin"])
))]
pub struct Args {
    /// What the digest is computed over (boxed: it is the bulk of this command's flags).
    #[command(flatten)]
    pub request: Box<RequestArgs>,
    /// Read the password from standard input (one line).
    #[arg(long)]
    pub password_stdin: bool,
    /// Read the stored HA1 (hex) from standard input instead of a password.
    #[arg(long)]
    pub ha1_stdin: bool,
    /// The message body, for qop=auth-int (hashed byte for byte).
    #[arg(long)]
    pub body_file: Option<PathBuf>,
    /// Compare with this response: exit 0 on a match, 1 on no match.
    #[arg(long)]
    pub expect: Option<String>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// The request and challenge values.
#[derive(Debug, clap::Args)]
pub struct RequestArgs {
    /// User name (the auth user name, not hashed even with --userhash).
    #[arg(long)]
    pub username: String,
    /// Realm, exactly as in the challenge.
    #[arg(long)]
    pub realm: String,
    /// Request method (ACK and CANCEL are computed with INVITE, RFC 3261 22.4).
    #[arg(long)]
    pub method: String,
    /// The digest uri exactly as sent in the Authorization header.
    #[arg(long)]
    pub uri: String,
    /// Nonce from the challenge.
    #[arg(long)]
    pub nonce: String,
    /// qop: auth or auth-int (absent: the RFC 2069 form).
    #[arg(long)]
    pub qop: Option<String>,
    /// Nonce count, e.g. 00000001 (required with --qop).
    #[arg(long)]
    pub nc: Option<String>,
    /// Client nonce (required with --qop).
    #[arg(long)]
    pub cnonce: Option<String>,
    /// MD5 (default), MD5-sess, SHA-256, SHA-256-sess, SHA-512-256, SHA-512-256-sess.
    #[arg(long)]
    pub algorithm: Option<String>,
    /// Also print the hashed user name (RFC 7616 3.4.4).
    #[arg(long)]
    pub userhash: bool,
}

pub fn run(args: Args) -> Exit {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    run_with(&args, stdin.lock(), &mut out, &mut err)
}

/// The whole command with its reader and writers given, so tests need not spawn a process.
pub fn run_with(args: &Args, input: impl Read, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    run_in(args, input, out, err, super::exit::error_lang())
}

/// [`run_with`], its errors and notes said in `lang`.
pub fn run_in(
    args: &Args,
    input: impl Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
    lang: Lang,
) -> Exit {
    match compute(args, input, &mut |t| say(err, &t, lang)) {
        Ok(c) => report(args, &c, out),
        Err(msg) => {
            say(err, &text!(DgCommand, e = msg), lang);
            Exit::BadInput
        }
    }
}

struct Computed {
    algorithm: Algorithm,
    method: String,
    response: String,
    userhash: Option<String>,
}

/// One line on `err` in `lang`.
fn say(err: &mut dyn Write, t: &Text, lang: Lang) {
    let _ = writeln!(err, "{}", t.render(lang));
}

/// The response, or why not; `note` hears the remarks (a body ignored, a method changed).
fn compute(args: &Args, input: impl Read, note: &mut dyn FnMut(Text)) -> Result<Computed, Text> {
    let algorithm = Algorithm::parse(args.request.algorithm.as_deref()).map_err(|e| e.text())?;
    let qop = Qop::parse(args.request.qop.as_deref()).map_err(|e| e.text())?;
    let nc = args.request.nc.as_deref().unwrap_or("");
    let cnonce = args.request.cnonce.as_deref().unwrap_or("");
    if qop != Qop::None && (nc.is_empty() || cnonce.is_empty()) {
        return Err(text!(DgQopNeeds, qop = qop.as_str().unwrap_or("")));
    }
    if args.password_stdin == args.ha1_stdin {
        return Err(text!(DgExactlyOne));
    }
    let body = match (&args.body_file, qop) {
        (Some(path), _) => std::fs::read(path).map_err(|e| {
            text!(
                DgCannotReadBody,
                path = path.display().to_string(),
                reason = io_reason(&e)
            )
        })?,
        (None, Qop::AuthInt) => {
            note(text!(DgNoteAuthIntEmpty));
            Vec::new()
        }
        (None, _) => Vec::new(),
    };
    if args.body_file.is_some() && qop != Qop::AuthInt {
        note(text!(DgNoteBodyIgnored));
    }
    let secret = Secret::read_line(input, args.ha1_stdin)
        .map_err(|e| text!(DgCannotReadSecret, reason = io_reason(&e)))?;
    if secret.expose().is_empty() {
        return Err(if secret.is_ha1() {
            text!(DgNoHa1)
        } else {
            text!(DgNoPassword)
        });
    }
    if secret.is_ha1() {
        let h = secret.expose();
        // The check names only lengths, never the value.
        if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(text!(DgHa1NotHex));
        }
        if h.len() != algorithm.hex_len() {
            return Err(text!(
                DgHa1Length,
                n = h.len(),
                alg = algorithm.base().to_string(),
                want = algorithm.hex_len()
            ));
        }
    }
    let method = digest::ha2_method(&args.request.method, &args.request.method).to_string();
    if method != args.request.method.trim() {
        note(text!(
            DgNoteInviteMethod,
            method = args.request.method.trim()
        ));
    }
    let p = DigestParams {
        algorithm,
        username: &args.request.username,
        realm: &args.request.realm,
        method: &method,
        uri: &args.request.uri,
        nonce: &args.request.nonce,
        qop,
        nc,
        cnonce,
        body: &body,
        userhash: args.request.userhash,
    };
    let response = digest::response(&p, &secret);
    let userhash = args
        .request
        .userhash
        .then(|| digest::userhash(algorithm, &args.request.username, &args.request.realm));
    Ok(Computed {
        algorithm,
        method,
        response,
        userhash,
    })
}

fn report(args: &Args, c: &Computed, out: &mut dyn Write) -> Exit {
    let matched = args
        .expect
        .as_deref()
        .map(|e| digest::same_hex(e, &c.response));
    let res = if args.json {
        let v = serde_json::json!({
            "algorithm": c.algorithm,
            "method": c.method,
            "response": c.response,
            "userhash": c.userhash,
            "expect": args.expect,
            "match": matched,
        });
        writeln!(out, "{v}")
    } else {
        let mut s = String::new();
        match matched {
            None => s.push_str(&format!("{}\n", c.response)),
            Some(true) => s.push_str("match\n"),
            Some(false) => s.push_str(&format!(
                "no match: computed {}, expected {}\n",
                c.response,
                args.expect.as_deref().unwrap_or("").trim()
            )),
        }
        if let Some(u) = &c.userhash {
            s.push_str(&format!("userhash {u}\n"));
        }
        out.write_all(s.as_bytes())
    };
    Exit::after(
        res.and_then(|_| out.flush()),
        Exit::problem_if(matched == Some(false)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct T {
        #[command(flatten)]
        a: Args,
    }

    fn parse(argv: &[&str]) -> Result<Args, clap::Error> {
        T::try_parse_from(std::iter::once("digest").chain(argv.iter().copied())).map(|t| t.a)
    }

    fn run_case(argv: &[&str], stdin: &str) -> (i32, String, String) {
        let a = parse(argv).unwrap();
        let mut out = Vec::new();
        let mut err = Vec::new();
        let code = run_with(&a, stdin.as_bytes(), &mut out, &mut err);
        (
            i32::from(code.code()),
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    // RFC 2617 section 3.5 (Mufasa / "Circle Of Life").
    const MUFASA: &[&str] = &[
        "--username",
        "Mufasa",
        "--realm",
        "testrealm@host.com",
        "--method",
        "GET",
        "--uri",
        "/dir/index.html",
        "--nonce",
        "dcd98b7102dd2f0e8b11d0f600bfb0c093",
        "--qop",
        "auth",
        "--nc",
        "00000001",
        "--cnonce",
        "0a4f113b",
        "--password-stdin",
    ];

    fn with(extra: &[&'static str]) -> Vec<&'static str> {
        let mut v = MUFASA.to_vec();
        v.extend_from_slice(extra);
        v
    }

    #[test]
    fn computes_rfc2617_vector_and_keeps_the_secret_out() {
        let (code, out, err) = run_case(MUFASA, "Circle Of Life\n");
        assert_eq!(code, 0);
        assert_eq!(out, "6629fae49393a05397450978507c4ef1\n");
        for (argv, stdin, want) in [
            (
                with(&["--expect", "6629FAE49393A05397450978507C4EF1"]),
                "Circle Of Life\n",
                0,
            ),
            (
                with(&["--expect", "6629fae49393a05397450978507c4ef1"]),
                "Circle Of Life \n",
                1,
            ),
            (with(&["--json", "--expect", "00"]), "Circle Of Life", 1),
            (with(&["--json", "--userhash"]), "Circle Of Life\r\n", 0),
        ] {
            let (code, out, err) = run_case(&argv, stdin);
            assert_eq!(code, want, "{argv:?}: {out} {err}");
            assert!(!out.contains("Circle Of Life"), "secret in stdout: {out}");
            assert!(!err.contains("Circle Of Life"), "secret in stderr: {err}");
            assert!(!out.contains("Circle"));
        }
        assert!(!err.contains("Circle"));
        let (_, out, _) = run_case(&with(&["--expect", "00"]), "Circle Of Life\n");
        assert!(out.starts_with("no match: computed 6629fae4"));
        let (_, out, _) = run_case(&with(&["--json", "--userhash"]), "Circle Of Life\n");
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["response"], "6629fae49393a05397450978507c4ef1");
        assert_eq!(v["algorithm"], "MD5");
        assert_eq!(
            v["userhash"],
            digest::userhash(Algorithm::Md5, "Mufasa", "testrealm@host.com")
        );
        assert!(v["match"].is_null());
    }

    #[test]
    fn ha1_on_stdin() {
        let ha1 = digest::ha1(
            Algorithm::Md5,
            "Mufasa",
            "testrealm@host.com",
            "Circle Of Life",
        );
        let mut argv: Vec<&str> = MUFASA[..MUFASA.len() - 1].to_vec();
        argv.push("--ha1-stdin");
        let (code, out, err) = run_case(&argv, &format!("{}\n", ha1.to_uppercase()));
        assert_eq!(code, 0, "{err}");
        assert_eq!(out, "6629fae49393a05397450978507c4ef1\n");
        assert!(!out.contains(&ha1) && !err.contains(&ha1));
        // Wrong length / not hex: bad input, and the value is not echoed.
        let (code, out, err) = run_case(&argv, "abc123\n");
        assert_eq!(code, 2);
        assert!(!out.contains("abc123") && !err.contains("abc123"));
        let (code, _, err) = run_case(&argv, "zz345678901234567890123456789012\n");
        assert_eq!(code, 2);
        assert!(!err.contains("zz3456"));
    }

    #[test]
    fn auth_int_body_file() {
        let dir = std::env::temp_dir().join(format!("sipdoctor-digest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("body.sdp");
        std::fs::write(&f, b"v=0\r\n").unwrap();
        let path = f.to_str().unwrap().to_string();
        let base: Vec<String> = [
            "--username",
            "bob",
            "--realm",
            "biloxi.com",
            "--method",
            "INVITE",
            "--uri",
            "sip:bob@biloxi.com",
            "--nonce",
            "n",
            "--qop",
            "auth-int",
            "--nc",
            "00000001",
            "--cnonce",
            "c",
            "--password-stdin",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut argv = base.clone();
        argv.extend(["--body-file".to_string(), path]);
        let a = parse(&argv.iter().map(String::as_str).collect::<Vec<_>>()).unwrap();
        let mut out = Vec::new();
        let mut err = Vec::new();
        assert_eq!(run_with(&a, &b"zanzibar\n"[..], &mut out, &mut err), 0);
        let want = digest::response(
            &DigestParams {
                algorithm: Algorithm::Md5,
                username: "bob",
                realm: "biloxi.com",
                method: "INVITE",
                uri: "sip:bob@biloxi.com",
                nonce: "n",
                qop: Qop::AuthInt,
                nc: "00000001",
                cnonce: "c",
                body: b"v=0\r\n",
                userhash: false,
            },
            &Secret::password("zanzibar"),
        );
        assert_eq!(String::from_utf8(out).unwrap().trim(), want);
        // Missing body file: bad input.
        let mut argv = base.clone();
        argv.extend([
            "--body-file".to_string(),
            dir.join("nope").display().to_string(),
        ]);
        let a = parse(&argv.iter().map(String::as_str).collect::<Vec<_>>()).unwrap();
        let mut err = Vec::new();
        assert_eq!(
            run_with(&a, &b"zanzibar\n"[..], &mut Vec::new(), &mut err),
            2
        );
        assert!(!String::from_utf8(err).unwrap().contains("zanzibar"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn bad_input_exits_2() {
        // Unknown algorithm.
        let (code, _, err) = run_case(&with(&["--algorithm", "AKAv1-MD5"]), "Circle Of Life\n");
        assert_eq!(code, 2);
        assert!(err.contains("AKAv1-MD5"));
        // qop without nc / cnonce.
        let argv: Vec<&str> = MUFASA
            .iter()
            .copied()
            .filter(|a| !["--nc", "00000001"].contains(a))
            .collect();
        let (code, _, err) = run_case(&argv, "Circle Of Life\n");
        assert_eq!(code, 2);
        assert!(err.contains("--nc"));
        // Empty stdin.
        let (code, _, _) = run_case(MUFASA, "");
        assert_eq!(code, 2);
        // No secret source, or both: clap refuses (exit 2 in cli::main).
        let no_secret: Vec<&str> = MUFASA[..MUFASA.len() - 1].to_vec();
        assert!(parse(&no_secret).is_err());
        assert!(parse(&with(&["--ha1-stdin"])).is_err());
        // The secret can not be given as an argument at all.
        assert!(parse(&with(&["--password", "Circle Of Life"])).is_err());
        assert!(parse(&with(&["Circle Of Life"])).is_err());
    }

    #[test]
    fn ack_is_computed_with_invite() {
        let argv: Vec<&str> = MUFASA
            .iter()
            .map(|a| if *a == "GET" { "ACK" } else { *a })
            .collect();
        let (code, ack, err) = run_case(&argv, "Circle Of Life\n");
        assert_eq!(code, 0);
        assert!(err.contains("INVITE"));
        let argv: Vec<&str> = MUFASA
            .iter()
            .map(|a| if *a == "GET" { "INVITE" } else { *a })
            .collect();
        let (_, invite, _) = run_case(&argv, "Circle Of Life\n");
        assert_eq!(ack, invite);
    }
}
