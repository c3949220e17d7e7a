//! The commands that are not the server: one file each, over `input`, `ingest` and the store.

pub mod cluster;
pub mod compare;
pub mod dedup;
pub mod eval;
pub mod export;
pub mod extract;
pub mod ingest;
pub mod messages;
pub mod printers;
pub mod train;
pub mod watch;
