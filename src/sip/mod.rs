//! SIP layer (being built).
