//! `sipdoctor-cli --help` in the user's language.
//!
//! The English help is clap's, from the doc comments of the `clap::Args` in src/cli, untouched.
//! For Chinese and Vietnamese the command tree is built first (clap then adds `--help`,
//! `--version` and the `help` subcommand with its own English words), then every about, every
//! argument's help and every possible value's help is replaced by the message whose English is
//! that text (the `Hl*` ids of the catalogue; a test holds every text of the tree to one).
//! Clap's own words go through its API, not by editing the rendered text: the headings through
//! a help template naming `{subcommands}`, `{positionals}` and `{options}`, and the
//! `[default: ..]` and `[possible values: ..]` notes by hiding clap's and adding ours to the
//! help. The tree keeps its order, so parsing is the same in every language.

use std::collections::HashMap;
use std::sync::OnceLock;

use clap::builder::PossibleValue;
use clap::{Arg, Command, CommandFactory};

use crate::msg::{Lang, Msg, Text};
use crate::text;

/// The command line as clap parses it, its help in `lang`.
pub fn command(lang: Lang) -> Command {
    let cmd = missing_subcommand_is_an_error(super::Cli::command());
    if lang == Lang::En {
        return cmd;
    }
    let mut cmd = cmd;
    cmd.build();
    translate(cmd, lang)
}

/// A command that needs a subcommand and got none answers with clap's `MissingSubcommand`
/// usage error (said in words by `usage::usage_error`), not with its help as an error.
fn missing_subcommand_is_an_error(cmd: Command) -> Command {
    cmd.arg_required_else_help(false)
        .mut_subcommands(missing_subcommand_is_an_error)
}

/// The message whose English is `en`, in `lang`; `en` itself when there is none.
fn said(en: &str, lang: Lang) -> String {
    static BY_ENGLISH: OnceLock<HashMap<&'static str, Msg>> = OnceLock::new();
    let by = BY_ENGLISH.get_or_init(|| {
        let mut by = HashMap::new();
        for &m in Msg::ALL {
            by.entry(m.template(Lang::En)).or_insert(m);
        }
        by
    });
    by.get(en)
        .map_or_else(|| en.to_string(), |&m| Text::new(m).render(lang))
}

/// `cmd` and its subcommands (built) in `lang`.
fn translate(cmd: Command, lang: Lang) -> Command {
    let about = cmd.get_about().map(|a| said(&a.to_string(), lang));
    let long_about = cmd.get_long_about().map(|a| said(&a.to_string(), lang));
    let template = template(&cmd, lang);
    let mut cmd = cmd
        .help_template(template)
        .mut_args(|a| translate_arg(a, lang))
        .mut_subcommands(|s| translate(s, lang));
    if let Some(about) = about {
        cmd = cmd.about(about);
    }
    if let Some(long_about) = long_about {
        cmd = cmd.long_about(long_about);
    }
    cmd
}

/// Clap's default help template, its headings in `lang`: the usage, then the sections the
/// command has, in clap's order (commands, arguments, options).
fn template(cmd: &Command, lang: Lang) -> String {
    let shown = |a: &Arg| !a.is_hide_set();
    let sections = [
        (
            cmd.get_subcommands().any(|s| !s.is_hide_set()),
            Msg::HlCommands,
            "{subcommands}",
        ),
        (
            cmd.get_positionals().any(shown),
            Msg::HlArguments,
            "{positionals}",
        ),
        (
            cmd.get_arguments().any(|a| !a.is_positional() && shown(a)),
            Msg::HlOptions,
            "{options}",
        ),
    ];
    let usage = Msg::HlUsage.template(lang);
    // A full-width colon carries its own space.
    let gap = if usage.ends_with('：') { "" } else { " " };
    let mut t = format!("{{before-help}}{{about-with-newline}}\n{usage}{gap}{{usage}}");
    for (_, heading, tag) in sections.iter().filter(|s| s.0) {
        t.push_str("\n\n");
        t.push_str(heading.template(lang));
        t.push('\n');
        t.push_str(tag);
    }
    t.push_str("{after-help}");
    t
}

/// One argument's help in `lang`, its default and possible values said in `lang` too.
fn translate_arg(a: Arg, lang: Lang) -> Arg {
    let mut help = a.get_help().map(|h| said(&h.to_string(), lang));
    let mut long = a.get_long_help().map(|h| said(&h.to_string(), lang));
    let mut a = a;
    let add = |to: &mut Option<String>, note: &str| {
        *to = Some(match to.take() {
            // A full-width parenthesis carries its own space.
            Some(h) if note.starts_with('（') => format!("{h}{note}"),
            Some(h) if !h.is_empty() => format!("{h} {note}"),
            _ => note.to_string(),
        });
    };
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    // Clap shows the default of an argument that takes a value (not a flag's "false").
    if !defaults.is_empty() && !a.is_hide_default_value_set() && a.get_action().takes_values() {
        let note = text!(HlDefault, value = defaults.join(" ")).render(lang);
        add(&mut help, &note);
        if long.is_some() {
            add(&mut long, &note);
        }
        a = a.hide_default_value(true);
    }
    let values: Vec<PossibleValue> = a
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    if !values.is_empty() && !a.is_hide_possible_values_set() {
        if values.iter().any(|v| v.get_help().is_some()) {
            let first = long.clone().or_else(|| help.clone()).unwrap_or_default();
            long = Some(values_block(&first, &values, lang));
        }
        let names: Vec<String> = values.iter().map(|v| v.get_name().to_string()).collect();
        let note = text!(HlValues, list = super::usage::values(&names)).render(lang);
        add(&mut help, &note);
        a = a.hide_possible_values(true);
    }
    if let Some(h) = help {
        a = a.help(h);
    }
    if let Some(l) = long {
        a = a.long_help(l);
    }
    a
}

/// `help`, then the possible values each with its help, as clap lays them out in `--help`
/// ("Possible values:" and "- name: help" lines, the helps aligned).
fn values_block(help: &str, values: &[PossibleValue], lang: Lang) -> String {
    let colon = match lang {
        Lang::Zh => "：",
        Lang::En | Lang::Vi => ": ",
    };
    let width = values
        .iter()
        .map(|v| v.get_name().chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    if !help.is_empty() {
        out.push_str(help);
        out.push_str("\n\n");
    }
    out.push_str(Msg::HlPossibleValues.template(lang));
    for v in values {
        let name = v.get_name();
        out.push_str("\n- ");
        out.push_str(name);
        if let Some(h) = v.get_help() {
            let pad = width - name.chars().count();
            out.push_str(colon);
            out.push_str(&" ".repeat(pad));
            out.push_str(&said(&h.to_string(), lang));
        }
    }
    out
}

/// Every English text of the help tree (abouts, argument and possible-value helps, clap's
/// own), for the tests: each has a message.
#[cfg(test)]
pub(crate) fn english_texts() -> Vec<String> {
    fn walk(c: &Command, out: &mut Vec<String>) {
        out.extend(c.get_about().map(|s| s.to_string()));
        out.extend(c.get_long_about().map(|s| s.to_string()));
        for a in c.get_arguments() {
            out.extend(a.get_help().map(|s| s.to_string()));
            out.extend(a.get_long_help().map(|s| s.to_string()));
            for v in a.get_possible_values() {
                out.extend(v.get_help().map(|s| s.to_string()));
            }
        }
        for s in c.get_subcommands() {
            walk(s, out);
        }
    }
    let mut cmd = command(Lang::En);
    cmd.build();
    let mut out = Vec::new();
    walk(&cmd, &mut out);
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests;
