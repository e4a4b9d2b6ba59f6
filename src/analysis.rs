//! analysis (being built).
