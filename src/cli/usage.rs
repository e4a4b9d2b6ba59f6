//! Clap's usage errors (an unknown flag, a missing argument, a value not in the list...) said
//! in the user's language, from the error's kind and its context (the offending argument, the
//! value, the values allowed, clap's suggestion). The English keeps clap's first line word for
//! word, with what clap puts on the lines below it (the missing arguments, the values allowed,
//! the tip) on the same line; a kind with no message here keeps clap's own words.

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::msg::{Msg, Text};
use crate::text;

/// The message of a usage error, or `None` for a kind we do not map (help, version, I/O, and
/// kinds our arguments cannot produce such as `TooFewValues`), which keeps clap's words.
/// Values our own parsers refuse (`ValueValidation`) are [`super::bad_value`]'s.
pub(crate) fn usage_error(e: &clap::Error) -> Option<Text> {
    let arg = || string(e, ContextKind::InvalidArg);
    let value = || string(e, ContextKind::InvalidValue);
    let said = match e.kind() {
        ErrorKind::UnknownArgument => text!(CliUnknownArg, arg = arg()?),
        ErrorKind::InvalidSubcommand => {
            text!(
                CliUnknownSubcommand,
                sub = string(e, ContextKind::InvalidSubcommand)?
            )
        }
        ErrorKind::MissingRequiredArgument => {
            text!(CliMissingArgs, args = list(e, ContextKind::InvalidArg)?)
        }
        ErrorKind::MissingSubcommand => text!(
            CliMissingSubcommand,
            cmd = string(e, ContextKind::InvalidSubcommand)?,
            list = list(e, ContextKind::ValidSubcommand).unwrap_or_else(|| values(&[]))
        ),
        ErrorKind::InvalidValue => {
            let value = value()?;
            let said = if value.is_empty() {
                text!(CliNoValue, arg = arg()?)
            } else {
                text!(CliInvalidChoice, value = value, arg = arg()?)
            };
            match list(e, ContextKind::ValidValue) {
                Some(crate::msg::Arg::List(v)) if v.is_empty() => said,
                Some(values) => text!(CliPossibleValues, e = said, list = values),
                None => said,
            }
        }
        ErrorKind::TooManyValues => text!(CliTooManyValues, value = value()?, arg = arg()?),
        ErrorKind::ArgumentConflict => conflict(e)?,
        ErrorKind::NoEquals => text!(CliNoEquals, arg = arg()?),
        ErrorKind::InvalidUtf8 => text!(CliInvalidUtf8),
        _ => return None,
    };
    Some(with_tip(e, said))
}

/// "the argument 'A' cannot be used with 'B'" and its forms (with several, with any, twice;
/// a subcommand).
fn conflict(e: &clap::Error) -> Option<Text> {
    let prior = e.get(ContextKind::PriorArg);
    let Some(arg) = string(e, ContextKind::InvalidArg) else {
        let sub = string(e, ContextKind::InvalidSubcommand)?;
        let other = match prior {
            Some(ContextValue::String(s)) => s.clone(),
            _ => return None,
        };
        return Some(text!(CliSubcommandConflict, sub = sub, other = other));
    };
    Some(match prior {
        Some(ContextValue::String(p)) if *p == arg => text!(CliUsedTwice, arg = arg),
        Some(ContextValue::String(p)) => text!(CliConflict, arg = arg, other = p),
        Some(ContextValue::Strings(_)) => text!(
            CliConflictMany,
            arg = arg,
            others = list(e, ContextKind::PriorArg)?
        ),
        _ => text!(CliConflictAny, arg = arg),
    })
}

/// `said` and clap's "a similar ... exists" tip, when it has one.
fn with_tip(e: &clap::Error, said: Text) -> Text {
    let tips = [
        (ContextKind::SuggestedArg, Msg::CliSimilarArg, "arg"),
        (
            ContextKind::SuggestedSubcommand,
            Msg::CliSimilarSubcommand,
            "sub",
        ),
        (ContextKind::SuggestedValue, Msg::CliSimilarValue, "value"),
    ];
    let tip = tips.into_iter().find_map(|(kind, id, name)| {
        let similar = match e.get(kind)? {
            ContextValue::String(s) => s.clone(),
            ContextValue::Strings(v) if !v.is_empty() => v.join("', '"),
            _ => return None,
        };
        Some(Text::new(id).arg(name, similar))
    });
    match tip {
        Some(tip) => text!(CliTip, e = said, tip = tip),
        None => said,
    }
}

/// A context value that is one string.
fn string(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// A context value that is one or more strings, as a list of values (not translated; joined
/// with the language's separator).
fn list(e: &clap::Error, kind: ContextKind) -> Option<crate::msg::Arg> {
    let items = match e.get(kind)? {
        ContextValue::String(s) => vec![s.clone()],
        ContextValue::Strings(v) => v.clone(),
        _ => return None,
    };
    Some(values(&items))
}

/// Values (arguments, subcommands, choices) as one parameter: "a, b, c" ("a、b、c" in Chinese).
pub(crate) fn values(items: &[String]) -> crate::msg::Arg {
    crate::msg::Arg::List(
        items
            .iter()
            .map(|s| text!(ProtoValue, value = s.as_str()))
            .collect(),
    )
}

#[cfg(test)]
mod tests;
