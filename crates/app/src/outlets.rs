//! Outlet names as stored: what an input calls an outlet, made one name per outlet.
//!
//! Inputs spell one outlet several ways: escapes left by the tool that wrote the file (UCI's CSV
//! has `Forbes \(blog\)`), runs of spaces, and aliases no rule can guess (`Reuters Canada` for
//! `Reuters`). Names are cleaned here as they are ingested, by `samestory ingest` and by the
//! server alike; an alias map (`--outlet-map FILE`) is kept in the database so that both apply
//! it. Names differing only in case are one outlet where outlets are counted or filtered (the
//! store compares them case-insensitively), so they need no map. A missing name stays missing and
//! is shown and counted as the one outlet `unknown`.

use anyhow::Context;
use std::collections::BTreeMap;
use std::path::Path;

/// The alias map: each alias (compared case-insensitively) and the name it stands for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutletMap {
    /// Lower-cased alias → canonical name.
    aliases: BTreeMap<String, String>,
}

/// A name without the backslash escapes of its input, its spaces collapsed and trimmed; `None`
/// when nothing is left.
pub fn clean_name(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            // `\(` stands for `(`: an escape of the writer's syntax, not part of the name.
            '\\' => match chars.next() {
                Some(next) if !next.is_alphanumeric() => out.push(next),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    let joined = out.split_whitespace().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

impl OutletMap {
    /// Reads a map file: one `alias<TAB>name` a line; blank lines and lines starting with `#` are
    /// skipped. A line without a tab, or with an empty side, is an error naming the file and line.
    pub fn read(path: &Path) -> anyhow::Result<OutletMap> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read the outlet map", path.display()))?;
        OutletMap::parse(&text).map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))
    }

    /// Parses a map file's text; an error starts with the line number.
    pub fn parse(text: &str) -> Result<OutletMap, String> {
        let mut aliases = BTreeMap::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let Some((alias, name)) = line.split_once('\t') else {
                return Err(format!(
                    "{}: expected `alias<TAB>outlet name`, found {line:?}",
                    i + 1
                ));
            };
            let (Some(alias), Some(name)) = (clean_name(alias), clean_name(name)) else {
                return Err(format!("{}: an empty alias or outlet name", i + 1));
            };
            aliases.insert(alias.to_lowercase(), name);
        }
        Ok(OutletMap { aliases })
    }

    /// The map as kept in the database: a JSON object alias → name.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.aliases).expect("a map of strings is JSON")
    }

    /// The map kept in the database.
    pub fn from_json(json: &str) -> anyhow::Result<OutletMap> {
        Ok(OutletMap {
            aliases: serde_json::from_str(json).context("the stored outlet map")?,
        })
    }

    /// The name an article's outlet is stored under: cleaned ([`clean_name`]), then the name the
    /// map gives it, if any.
    pub fn name(&self, raw: Option<&str>) -> Option<String> {
        let name = clean_name(raw?)?;
        Some(
            self.aliases
                .get(&name.to_lowercase())
                .cloned()
                .unwrap_or(name),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_spaces_are_cleaned_and_empty_names_are_none() {
        assert_eq!(
            clean_name("Forbes \\(blog\\)").as_deref(),
            Some("Forbes (blog)")
        );
        assert_eq!(
            clean_name("  The   Guardian ").as_deref(),
            Some("The Guardian")
        );
        assert_eq!(clean_name("C:\\news").as_deref(), Some("C:\\news"));
        assert_eq!(clean_name(" \\ ").as_deref(), None);
        assert_eq!(clean_name("").as_deref(), None);
    }

    #[test]
    fn aliases_are_matched_case_insensitively_after_cleaning() {
        let map =
            OutletMap::parse("# wire services\nReuters Canada\tReuters\n\nAP\tAssociated Press\n")
                .unwrap();
        assert_eq!(
            map.to_json(),
            r#"{"ap":"Associated Press","reuters canada":"Reuters"}"#
        );
        assert_eq!(
            map.name(Some("REUTERS  canada")).as_deref(),
            Some("Reuters")
        );
        assert_eq!(map.name(Some("ap")).as_deref(), Some("Associated Press"));
        assert_eq!(map.name(Some("Reuters UK")).as_deref(), Some("Reuters UK"));
        assert_eq!(map.name(None), None);
        assert_eq!(OutletMap::from_json(&map.to_json()).unwrap(), map);
    }

    #[test]
    fn a_bad_map_line_is_named() {
        let e = OutletMap::parse("Reuters Canada\tReuters\nReuters UK Reuters\n").unwrap_err();
        assert!(e.starts_with("2: expected"), "{e}");
        let e = OutletMap::parse("\tReuters\n").unwrap_err();
        assert!(e.starts_with("1: an empty"), "{e}");
    }
}
