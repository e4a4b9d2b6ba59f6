//! Capture layer (being built).
