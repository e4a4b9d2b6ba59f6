//! Parsers for pasted server output (being built).
