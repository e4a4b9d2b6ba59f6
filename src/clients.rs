//! clients (being built).
