//! A secret the technician types (password or HA1).
//!
//! It is zeroed when dropped, and its `Debug`/`Display` never show it, so it cannot leak into a
//! log, a report or the screen by accident. It deliberately does not implement `Serialize` or
//! `Clone`.

use zeroize::Zeroizing;

/// What the technician typed: the plain password, or the HA1 the server stores.
pub enum Secret {
    Password(Zeroizing<String>),
    Ha1(Zeroizing<String>),
}

impl Secret {
    pub fn password(s: impl Into<String>) -> Self {
        Secret::Password(Zeroizing::new(s.into()))
    }
    pub fn ha1(s: impl Into<String>) -> Self {
        Secret::Ha1(Zeroizing::new(s.into().trim().to_ascii_lowercase()))
    }
    /// The secret's text; callers must not copy it anywhere that outlives the check.
    pub fn expose(&self) -> &str {
        match self {
            Secret::Password(s) | Secret::Ha1(s) => s.as_str(),
        }
    }
    pub fn is_ha1(&self) -> bool {
        matches!(self, Secret::Ha1(_))
    }
    pub fn kind(&self) -> &'static str {
        match self {
            Secret::Password(_) => "password",
            Secret::Ha1(_) => "HA1",
        }
    }
    /// Read a secret from a reader (standard input): one line, the line end removed but no
    /// other white space, because a trailing space may be exactly what the technician must find.
    pub fn read_line(mut r: impl std::io::Read, ha1: bool) -> std::io::Result<Self> {
        let mut buf = Zeroizing::new(String::new());
        r.read_to_string(&mut buf)?;
        let line = buf.split(['\n']).next().unwrap_or("");
        let line = line.strip_suffix('\r').unwrap_or(line);
        Ok(if ha1 {
            Secret::ha1(line)
        } else {
            Secret::password(line)
        })
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret::{}(<hidden>)", self.kind())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret() {
        let s = Secret::password("hunter2 ");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert_eq!(s.expose(), "hunter2 ");
    }

    #[test]
    fn read_line_keeps_spaces_drops_line_end() {
        let s = Secret::read_line(&b" pass word \r\nrest"[..], false).unwrap();
        assert_eq!(s.expose(), " pass word ");
        let h = Secret::read_line(&b"ABCDEF\n"[..], true).unwrap();
        assert_eq!(h.expose(), "abcdef");
    }
}
