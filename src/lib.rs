//! SIP Doctor: the analysis core.
//!
//! Layers, each depending only on the ones above it:
//! `capture` (pcap/pcapng -> frames -> UDP/TCP payloads) -> `sip` (messages, auth headers)
//! -> `digest` (pure functions) and `transaction` (auth exchanges) -> `verify` -> `diagnose`
//! -> `kb` -> `report`. `analysis` runs the whole pipeline; `checks`, `clients` and `probe`
//! serve the server-side and known-good-client steps. `gui` (feature `gui`) is the only module
//! that names egui/eframe. `limits` (every resource bound) and `textsafe` (escaping for a
//! terminal and Markdown) import nothing, so every layer can use them.

pub mod analysis;
pub mod capture;
pub mod checks;
pub mod cli;
pub mod clients;
pub mod diagnose;
pub mod digest;
pub mod error;
pub mod fix;
pub mod kb;
pub mod limits;
pub mod probe;
pub mod report;
pub mod secret;
pub mod sip;
pub mod textsafe;
pub mod transaction;
pub mod verify;

#[cfg(feature = "gui")]
pub mod gui;

pub use error::Error;
