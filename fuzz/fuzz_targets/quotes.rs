#![no_main]
//! The property is [`samestory_fuzz::quotes`]'s.
libfuzzer_sys::fuzz_target!(|data: &[u8]| samestory_fuzz::quotes(data));
