#![no_main]
//! The property is [`samestory_fuzz::jsonl`]'s.
libfuzzer_sys::fuzz_target!(|data: &[u8]| samestory_fuzz::jsonl(data));
