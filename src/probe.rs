//! probe (being built).
