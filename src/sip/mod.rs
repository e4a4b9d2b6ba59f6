//! SIP layer (being built).
pub mod auth;
