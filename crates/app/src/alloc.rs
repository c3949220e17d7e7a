//! The allocator: mimalloc, tuned before any thread starts ([`tune`]). The only unsafe code of
//! the binary (mimalloc's option FFI and one `prctl`) is here.

// The pipeline allocates many short-lived buffers per article on several threads at once; glibc's
// allocator spent a sixth of the CPU of a `cluster` run on them, mimalloc a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Whether the environment sets one of these mimalloc options (mimalloc reads the names in any
/// case).
fn set_by_environment(names: &[&str]) -> bool {
    std::env::vars_os().any(|(name, _)| {
        name.to_str()
            .is_some_and(|n| names.iter().any(|m| n.eq_ignore_ascii_case(m)))
    })
}

fn purge_delay_set_by_environment() -> bool {
    set_by_environment(&["MIMALLOC_PURGE_DELAY", "MIMALLOC_RESET_DELAY"])
}

fn thp_set_by_environment() -> bool {
    set_by_environment(&["MIMALLOC_ALLOW_THP"])
}

/// mimalloc's `mi_option_purge_delay`: its place in `mi_option_e` (mimalloc.h), which keeps its
/// deprecated entries so that the places stay put. The crate names no constant for it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Has mimalloc give freed memory back to the system after 10 ms instead of its default second,
/// unless the environment sets it (`MIMALLOC_PURGE_DELAY`, or its old name `MIMALLOC_RESET_DELAY`,
/// in any case, as mimalloc reads them). Each article's buffers are freed within
/// milliseconds, thousands of them a second, so a second's worth of them stayed resident: peaks
/// 236 -> 204 MiB for `cluster` on the 1M corpus (5 % more time), 477 -> 427 MiB for `ingest` and
/// 157-171 -> 111-117 MiB for `dedup` on 100k (BENCHMARKS.md §3). Call before any thread starts
/// (`mi_option_set` is not thread-safe).
///
/// It also turns transparent huge pages off for the process (unless `MIMALLOC_ALLOW_THP` says
/// otherwise): mimalloc asks for them on its arena, and a 2 MiB page counts as resident once any
/// of it is touched, so the pages that long-lived entries (window signatures, centroids) share
/// with freed buffers stayed resident whole. Peaks of `cluster` 202-210 -> 175 MiB on the 1M
/// corpus, 157 -> 141 MiB on 100k, at the same speed (BENCHMARKS.md §3). mimalloc reserved its
/// arena before `main`, so setting its option now would be too late: the kernel's per-process
/// switch (`PR_SET_THP_DISABLE`) applies to pages faulted in from now on, wherever they are.
pub fn tune() {
    if !purge_delay_set_by_environment() {
        // SAFETY: no other thread runs yet, and the option is a plain integer setting.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10) }
    }
    if !thp_set_by_environment() {
        disable_transparent_huge_pages();
    }
}

fn disable_transparent_huge_pages() {
    // SAFETY: prctl with integer arguments changes a flag of this process only. A kernel without
    // THP refuses it, which changes nothing either: the result is not needed.
    let _ = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_at_the_place_we_set() {
        if super::purge_delay_set_by_environment() {
            eprintln!("skipped: the environment sets mimalloc's purge delay");
            return;
        }
        // 1000 ms is its default and no other option's: a mimalloc that moved it fails here.
        // SAFETY: a read of an integer setting.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }

    #[test]
    fn transparent_huge_pages_are_turned_off_for_the_process() {
        let thp_enabled = || {
            std::fs::read_to_string("/proc/self/status")
                .unwrap()
                .lines()
                .find_map(|l| l.strip_prefix("THP_enabled:").map(|v| v.trim().to_string()))
        };
        let Some(before) = thp_enabled() else {
            eprintln!("skipped: this kernel does not report THP_enabled");
            return;
        };
        super::disable_transparent_huge_pages();
        assert_eq!(thp_enabled().unwrap(), "0", "was {before}");
    }
}
