//! The auth values of every capture of tests/fixtures (the lab's and the third-party ones),
//! as an analysis keeps them (their shapes in the dictionary its scanners share), read as
//! parsing the captured header lines again gives, through every accessor; the dictionary
//! goes with the analysis.

use sipdoctor::sip::auth::{self, AuthValue, PackedAuth};

use crate::{analyze, fixtures};

/// Every accessor of `p` gives what the parse result `want` gives (the named ones read
/// through `get`).
fn assert_same(p: &PackedAuth, want: &AuthValue, ctx: &str) {
    assert_eq!(p.unpack(), *want, "{ctx}");
    assert_eq!(p.scheme(), want.scheme, "{ctx}");
    let got: Vec<_> = p.params().collect();
    let wanted: Vec<_> = (want.params.iter())
        .map(|q| (q.name.as_str(), q.value.as_str(), q.quoted))
        .collect();
    assert_eq!(got, wanted, "{ctx}");
    // Every name it has, in upper case too, and a few it has not: the first of each.
    let names = want.params.iter().map(|q| q.name.clone());
    let more = ["username", "nonce", "stale", "x", ""].map(String::from);
    for name in names.chain(more) {
        for name in [name.clone(), name.to_ascii_uppercase()] {
            assert_eq!(p.get(&name), want.get(&name), "{ctx}: {name}");
        }
    }
    let derived = |c: &PackedAuth| (c.username(), c.qop_options(), c.stale(), c.userhash());
    assert_eq!(derived(p), derived(&PackedAuth::from(want)), "{ctx}");
    assert_eq!(p.is_digest(), want.is_digest(), "{ctx}");
}

/// Every capture file of tests/fixtures and tests/fixtures/thirdparty.
fn captures() -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for dir in [fixtures(), fixtures().join("thirdparty")] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if name.contains(".pcap") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_fixtures_auth_values_read_as_parsed_again() {
    let (mut values, mut shaped, mut files) = (0usize, 0usize, 0usize);
    for path in captures() {
        let Ok(a) = analyze(&path) else { continue };
        files += 1;
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let mut dicts = Vec::new();
        for m in &a.messages {
            let bytes = m.raw_bytes(&a.raw).unwrap();
            let headers = sipdoctor::sip::parse_datagram(&bytes).unwrap().1;
            let lines = |n: &'static str| {
                headers
                    .iter()
                    .filter(move |h| sipdoctor::sip::header_is(&h.name, n))
                    .map(|h| h.value.as_str())
            };
            let ctx = format!("{name} message {}", m.index());
            for n in ["authorization", "proxy-authorization"] {
                let want = lines(n).next().map(auth::parse_credentials);
                match (m.credentials(n), want) {
                    (None, None) => {}
                    (Some(Ok(got)), Some(Ok(want))) => {
                        assert_same(got, &want, &format!("{ctx} {n}"));
                        values += 1;
                        shaped += usize::from(got.is_shaped());
                        dicts.extend(got.shapes());
                    }
                    (Some(Err(got)), Some(Err(want))) => assert_eq!(**got, want, "{ctx}"),
                    (got, want) => panic!("{ctx} {n}: {got:?} where {want:?}"),
                }
            }
            for (n, got) in [
                ("www-authenticate", m.www_challenges()),
                ("proxy-authenticate", m.proxy_challenges()),
            ] {
                let want: Vec<_> = lines(n)
                    .flat_map(|v| auth::parse_challenges(v).unwrap_or_default())
                    .collect();
                assert_eq!(got.len(), want.len(), "{ctx} {n}");
                for (g, w) in got.iter().zip(&want) {
                    assert_same(g, w, &format!("{ctx} {n}"));
                    values += 1;
                    shaped += usize::from(g.is_shaped());
                    dicts.extend(g.shapes());
                }
            }
        }
        // One dictionary per analysis, freed with it.
        dicts.dedup_by(|a, b| a.ptr_eq(b));
        assert!(dicts.len() <= 1, "{name}: {} dictionaries", dicts.len());
        drop(a);
        assert!(dicts.iter().all(|d| d.upgrade().is_none()), "{name}");
    }
    assert!(files >= 30, "{files} captures");
    // Real captures' values are kept shaped.
    assert!(
        values > 200 && shaped * 10 > values * 9,
        "{shaped} of {values}"
    );
}

/// A value copied out of the analysis keeps its dictionary (and reads the same) after the
/// analysis is dropped; the dictionary goes with the last such copy.
#[test]
fn a_value_kept_past_its_analysis_keeps_its_dictionary() {
    let a = analyze(&fixtures().join("13-office-register-mixed.pcap")).unwrap();
    let m = (a.messages.iter())
        .find(|m| matches!(m.credentials("authorization"), Some(Ok(_))))
        .unwrap();
    let Some(Ok(c)) = m.credentials("authorization") else {
        unreachable!()
    };
    let (copy, want) = (c.clone(), c.unpack());
    let dict = copy.shapes().expect("an analysis' value has a dictionary");
    drop(a);
    assert!(dict.upgrade().is_some());
    assert_eq!(copy.unpack(), want);
    drop(copy);
    assert!(dict.upgrade().is_none());
}
