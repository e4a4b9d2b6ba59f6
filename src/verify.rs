//! TEMPORARY stub of the verification API (real module lands from wip/digest).
use crate::secret::Secret;
use crate::sip::auth::AuthValue;
#[derive(Debug, Clone)]
pub struct CapturedAuth { pub frame: u64, pub method: String, pub cseq_method: String, pub request_uri: String, pub from_user: Option<String>, pub to_user: Option<String>, pub header: String, pub credentials: AuthValue, pub challenge: Option<(u64, AuthValue)>, pub earlier_challenges: Vec<(u64, AuthValue)>, pub body: Vec<u8> }
#[derive(Debug, Clone, Default)]
pub struct Expectation { pub username: Option<String>, pub realm: Option<String>, pub domain: Option<String> }
#[derive(Debug, Clone, serde::Serialize)]
pub struct Verification { pub frame: u64, pub verified: bool, pub differs: Option<Differs>, pub algorithm: String, pub explanation: String, pub detail: Vec<String> }
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Differs { Password, Realm, Username, Uri, Algorithm, Nonce, Qop, PasswordWhitespace, PasswordCase, UnsupportedAlgorithm, Incomplete }
pub fn verify(c: &CapturedAuth, _secret: &Secret, _expect: &Expectation) -> Verification {
    Verification { frame: c.frame, verified: false, differs: None, algorithm: String::new(), explanation: String::new(), detail: vec![] }
}
