//! TEMPORARY stub (real module lands from wip/kb).
pub struct Entry { pub id: String }
pub fn for_code(_code: &str) -> Option<&'static Entry> { None }
