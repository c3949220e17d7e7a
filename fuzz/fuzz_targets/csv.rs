#![no_main]
//! The property is [`samestory_fuzz::csv`]'s.
libfuzzer_sys::fuzz_target!(|data: &[u8]| samestory_fuzz::csv(data));
