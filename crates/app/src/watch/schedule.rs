//! When a feed is asked for again: after a success, the wait the feed asks for (its
//! `Cache-Control: max-age`, or its RSS `<ttl>`, whichever is longer), else the default; after
//! failures, the shortest wait doubled at each failure in a row (exponential backoff). Either way
//! within the bounds given, so that no feed is polled every second nor forgotten for weeks.

use std::time::Duration;

/// The polling bounds (`--interval-secs`, `--min-interval-secs`, `--max-interval-secs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// The wait when the feed asks for none.
    pub default: Duration,
    /// The shortest wait, and the first backoff.
    pub min: Duration,
    /// The longest wait, and the longest backoff.
    pub max: Duration,
}

impl Schedule {
    /// The wait after a successful poll, given the answer's `max-age` (seconds) and the feed's
    /// `<ttl>` (minutes).
    pub fn interval(&self, max_age_secs: Option<u64>, ttl_minutes: Option<u32>) -> Duration {
        let asked = [
            max_age_secs.map(Duration::from_secs),
            ttl_minutes.map(|m| Duration::from_secs(u64::from(m) * 60)),
        ]
        .into_iter()
        .flatten()
        .max();
        asked.unwrap_or(self.default).clamp(self.min, self.max)
    }

    /// The wait after `failures` failed polls in a row (1 or more): `min`, then twice that, and
    /// so on, at most `max`.
    pub fn backoff(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(32);
        self.min
            .saturating_mul(1u32 << doublings.min(31))
            .clamp(self.min, self.max)
    }
}

/// The `max-age` of a `Cache-Control` header, in seconds; `no-cache` and `no-store` ask for no
/// wait (0), which the schedule's shortest wait then bounds.
pub fn max_age(cache_control: &str) -> Option<u64> {
    cache_control.split(',').find_map(|directive| {
        let directive = directive.trim().to_ascii_lowercase();
        if directive == "no-cache" || directive == "no-store" {
            return Some(0);
        }
        directive
            .strip_prefix("max-age=")
            .and_then(|v| v.trim_matches('"').parse().ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Schedule = Schedule {
        default: Duration::from_secs(900),
        min: Duration::from_secs(60),
        max: Duration::from_secs(86_400),
    };

    #[test]
    fn the_feed_asks_within_bounds() {
        assert_eq!(S.interval(None, None), Duration::from_secs(900));
        assert_eq!(S.interval(Some(300), None), Duration::from_secs(300));
        assert_eq!(S.interval(None, Some(30)), Duration::from_secs(1_800));
        // The longer of the two wishes.
        assert_eq!(
            S.interval(Some(7_200), Some(30)),
            Duration::from_secs(7_200)
        );
        assert_eq!(
            S.interval(Some(1), None),
            Duration::from_secs(60),
            "at least min"
        );
        assert_eq!(
            S.interval(None, Some(100_000)),
            Duration::from_secs(86_400),
            "at most max"
        );
    }

    #[test]
    fn backoff_doubles_up_to_the_longest_wait() {
        let waits: Vec<u64> = (1..=6).map(|f| S.backoff(f).as_secs()).collect();
        assert_eq!(waits, [60, 120, 240, 480, 960, 1_920]);
        assert_eq!(S.backoff(20), Duration::from_secs(86_400));
        assert_eq!(S.backoff(u32::MAX), Duration::from_secs(86_400));
    }

    #[test]
    fn cache_control_max_age() {
        assert_eq!(max_age("public, max-age=600"), Some(600));
        assert_eq!(max_age("Max-Age=\"60\", must-revalidate"), Some(60));
        assert_eq!(max_age("no-cache"), Some(0));
        assert_eq!(max_age("private"), None);
        assert_eq!(max_age("max-age=soon"), None);
    }
}
