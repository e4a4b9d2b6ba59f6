//! TEMPORARY stub (real module lands from wip/kb).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang { En, Zh, Vi }
pub struct Command { pub server: String, pub command: String }
pub struct Step { pub commands: Vec<Command> }
impl Step { pub fn title(&self, _l: Lang) -> &str { "" } pub fn detail(&self, _l: Lang) -> &str { "" } }
pub struct Entry { pub id: String, pub steps: Vec<Step> }
impl Entry { pub fn title(&self, _l: Lang) -> &str { "" } pub fn root_cause(&self, _l: Lang) -> &str { "" } }
pub fn for_code(_code: &str) -> Option<&'static Entry> { None }
pub fn get(_id: &str) -> Option<&'static Entry> { None }
