//! digest (being built).
