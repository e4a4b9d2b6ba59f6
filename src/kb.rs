//! kb (being built).
