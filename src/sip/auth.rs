//! TEMPORARY stub of the auth tokenizer API (real module lands from wip/digest).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Param { pub name: String, pub value: String, pub quoted: bool }
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuthValue { pub scheme: String, pub params: Vec<Param> }
impl AuthValue {
    pub fn get(&self, name: &str) -> Option<&str> { self.params.iter().find(|p| p.name.eq_ignore_ascii_case(name)).map(|p| p.value.as_str()) }
    pub fn is_digest(&self) -> bool { self.scheme.eq_ignore_ascii_case("digest") }
    pub fn realm(&self) -> Option<&str> { self.get("realm") }
    pub fn nonce(&self) -> Option<&str> { self.get("nonce") }
    pub fn opaque(&self) -> Option<&str> { self.get("opaque") }
    pub fn algorithm(&self) -> Option<&str> { self.get("algorithm") }
    pub fn qop(&self) -> Option<&str> { self.get("qop") }
    pub fn qop_options(&self) -> Vec<String> { self.qop().map(|q| q.split(',').map(|s| s.trim().to_ascii_lowercase()).collect()).unwrap_or_default() }
    pub fn stale(&self) -> bool { self.get("stale").is_some_and(|s| s.eq_ignore_ascii_case("true")) }
    pub fn username(&self) -> Option<String> { self.get("username").map(str::to_string) }
    pub fn uri(&self) -> Option<&str> { self.get("uri") }
    pub fn response(&self) -> Option<&str> { self.get("response") }
    pub fn nc(&self) -> Option<&str> { self.get("nc") }
    pub fn cnonce(&self) -> Option<&str> { self.get("cnonce") }
    pub fn userhash(&self) -> bool { self.get("userhash").is_some_and(|s| s.eq_ignore_ascii_case("true")) }
}
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} at byte {offset}")]
pub struct AuthError { pub offset: usize, pub what: String }
pub fn parse_challenges(value: &str) -> Result<Vec<AuthValue>, AuthError> { parse_credentials(value).map(|v| vec![v]) }
pub fn parse_credentials(value: &str) -> Result<AuthValue, AuthError> {
    let (scheme, rest) = value.trim().split_once(' ').unwrap_or((value, ""));
    let params = rest.split(',').filter_map(|kv| kv.split_once('=')).map(|(k, v)| Param { name: k.trim().into(), value: v.trim().trim_matches('"').into(), quoted: v.trim().starts_with('"') }).collect();
    Ok(AuthValue { scheme: scheme.into(), params })
}
