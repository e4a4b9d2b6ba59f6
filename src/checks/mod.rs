//! Server-side checks: parsers for output the technician pastes from the server (pure
//! functions, no I/O).
//!
//! - [`fail2ban`]: `fail2ban-client status [jail]` - is the phone's address banned, and the
//!   unban command.
//! - [`clock`]: `timedatectl`, `chronyc tracking`, `ntpq -p`, `w32tm`, macOS `sntp` /
//!   `systemsetup` - is the clock synchronised, by how much is it off.
//! - [`serverlog`]: Asterisk (PJSIP, chan_sip, security log), FreeSWITCH and Kamailio auth
//!   failure lines - who failed, why, and when fail2ban would ban the address.
//!
//! Each parser says clearly when the paste is not what it expects, instead of guessing.

pub mod clock;
pub mod fail2ban;
pub mod serverlog;
