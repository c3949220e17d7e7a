#![no_main]
//! The property is [`samestory_fuzz::cleaner`]'s.
libfuzzer_sys::fuzz_target!(|data: &[u8]| samestory_fuzz::cleaner(data));
