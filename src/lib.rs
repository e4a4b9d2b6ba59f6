//! SIP Doctor: the analysis core.
//!
//! Layers, each importing only the ones before it (`grep 'use crate::'` shows it):
//! 1. `capture` (pcap/pcapng -> frames -> UDP/TCP payloads);
//! 2. `sip` (messages, auth headers);
//! 3. `digest` (pure functions) and `transaction` (auth exchanges);
//! 4. `verify` (a typed secret against the captured digests);
//! 5. `model` (`Analysis`, what one capture holds) with the leaf modules `finding` (codes,
//!    severities) and `time` (timestamp formatting);
//! 6. `diagnose` (rules: model -> findings);
//! 7. `analysis` (the pipeline: runs 1-6), then `kb` (the knowledge base, joined to findings by
//!    their code) and `report` (JSON contract, text, Markdown, HTML, exported packets).
//!
//! `checks`, `clients` and `probe` serve the server-side and known-good-client steps; `cli` and
//! `gui` are the two fronts and hold no conclusion of their own. `gui` (feature `gui`) is the
//! only module that names egui/eframe. `error` and `secret` are used everywhere; `limits` (every
//! resource bound), `textsafe` (escaping for a terminal and Markdown) and `msg` (the message
//! catalogue: every sentence of the core in en/zh/vi, by id) import nothing, so every layer can
//! use them.

pub mod accounts;
pub mod analysis;
pub mod capture;
pub mod checks;
pub mod cli;
pub mod clients;
pub mod diagnose;
pub mod digest;
pub mod error;
pub mod finding;
pub mod fix;
pub mod kb;
pub mod limits;
pub mod model;
pub mod msg;
pub mod probe;
pub mod report;
pub mod secret;
pub mod sip;
pub mod textsafe;
pub mod time;
pub mod transaction;
pub mod verify;

#[cfg(test)]
mod i18n_tests;
#[cfg(test)]
mod testutil;

#[cfg(feature = "gui")]
pub mod gui;

pub use error::Error;
