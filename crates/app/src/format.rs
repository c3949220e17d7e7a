//! Formatting shared by the command line's printers and the web pages.

use samestory_engine::Timestamp;

/// A time as `YYYY-MM-DD HH:MM` (UTC); `-` for none.
pub fn fmt_time(t: Option<Timestamp>) -> String {
    t.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map_or_else(
            || "-".to_owned(),
            |d| d.format("%Y-%m-%d %H:%M").to_string(),
        )
}
