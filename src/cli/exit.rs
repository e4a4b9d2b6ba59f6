//! How a command ends: its exit status, and its output written like a Unix tool's.

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::msg::{Lang, Text, io_reason};
use crate::text;

/// The language of the error lines (see [`error_lang`]); English until [`set_error_lang`].
static ERROR_LANG: AtomicU8 = AtomicU8::new(0);

/// Say the errors in `lang` from now on.
pub fn set_error_lang(lang: Lang) {
    let n = match lang {
        Lang::En => 0,
        Lang::Zh => 1,
        Lang::Vi => 2,
    };
    ERROR_LANG.store(n, Ordering::Relaxed);
}

/// The language errors are said in: set by `cli::main` from `--lang` when it parses, else
/// from the environment (`SIPDOCTOR_LANG`, `LC_ALL`, `LC_MESSAGES`, `LANG`), else English.
pub fn error_lang() -> Lang {
    match ERROR_LANG.load(Ordering::Relaxed) {
        1 => Lang::Zh,
        2 => Lang::Vi,
        _ => Lang::En,
    }
}

/// The exit status of every subcommand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done, nothing wrong found.
    Ok,
    /// 1: done, and it shows a problem (an auth failure, no match, an error finding, a ban).
    Problem,
    /// 2: bad input, bad arguments, or an error that stopped the command.
    BadInput,
}

impl Exit {
    /// `Problem` when `problem`, else `Ok`.
    pub fn problem_if(problem: bool) -> Exit {
        if problem { Exit::Problem } else { Exit::Ok }
    }

    /// The numeric status.
    pub fn code(self) -> u8 {
        match self {
            Exit::Ok => 0,
            Exit::Problem => 1,
            Exit::BadInput => 2,
        }
    }

    /// The status of a command whose output could not be written: a closed pipe
    /// (`sipdoctor-cli flows F | head`) is the reader's choice and ends quietly with success, as
    /// ripgrep does; any other write error is one line on standard error and status 2.
    pub fn from_write_error(e: &io::Error) -> Exit {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Exit::Ok
        } else {
            fail(text!(CliCannotWriteOutput, reason = io_reason(e)));
            Exit::BadInput
        }
    }

    /// `verdict` once the output is written, else [`Exit::from_write_error`].
    pub fn after(written: io::Result<()>, verdict: Exit) -> Exit {
        match written {
            Ok(()) => verdict,
            Err(e) => Exit::from_write_error(&e),
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e.code())
    }
}

/// Compare with a numeric status (tests, and the commands that still count in numbers).
impl PartialEq<i32> for Exit {
    fn eq(&self, other: &i32) -> bool {
        i32::from(self.code()) == *other
    }
}

/// Write to standard output through one locked, buffered handle, flushed at the end.
pub fn to_stdout(f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    // For the writers of small pieces (serde_json's pretty printer of `accounts --json`). The
    // JSON of `analyze` and `flows` (hundreds of MB) comes in pieces of 64 KiB and more
    // (`report::json`), which a buffer this size hands on without copying them.
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    f(&mut out)?;
    out.flush()
}

/// Print `text` to standard output; the status of the write (see [`Exit::after`]) or `verdict`.
pub fn print(text: &str, verdict: Exit) -> Exit {
    Exit::after(to_stdout(|o| o.write_all(text.as_bytes())), verdict)
}

/// One error line on standard error, in the errors' language ([`error_lang`]), status 2.
pub fn fail(msg: Text) -> Exit {
    say(&text!(CliError, e = msg))
}

/// `msg` alone on standard error, in the errors' language (its own prefix), status 2.
pub fn say(msg: &Text) -> Exit {
    let text = msg.render(error_lang());
    let _ = writeln!(io::stderr(), "{}", crate::textsafe::terminal_line(&text));
    Exit::BadInput
}

/// One error line that is not ours to translate (clap's usage errors), status 2.
pub fn fail_raw(msg: &str) -> Exit {
    let _ = writeln!(io::stderr(), "sipdoctor-cli: {msg}");
    Exit::BadInput
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_write_errors() {
        assert_eq!(Exit::Ok, 0);
        assert_eq!(Exit::Problem, 1);
        assert_eq!(Exit::BadInput, 2);
        assert_eq!(Exit::problem_if(true), Exit::Problem);
        assert_eq!(Exit::problem_if(false), Exit::Ok);
        let pipe = io::Error::from(io::ErrorKind::BrokenPipe);
        assert_eq!(Exit::after(Err(pipe), Exit::Problem), Exit::Ok);
        let full = io::Error::other("disk full");
        assert_eq!(Exit::after(Err(full), Exit::Ok), Exit::BadInput);
        assert_eq!(Exit::after(Ok(()), Exit::Problem), Exit::Problem);
    }
}
