//! The chunked line reader under JSONL: lines come in chunks so that the caller parses a chunk in
//! parallel (JSON parsing is a third of the reading cost) while the order stays the input's.

use std::io::BufRead;

/// One non-blank line: its number (from 1) and its bytes, with the newline if there was one.
pub struct Line {
    pub no: u64,
    pub bytes: Vec<u8>,
}

/// Calls `f` with chunks of up to `chunk` non-blank lines, in order. A read error ends the
/// reading: it is returned with the number of the line that could not be read.
pub fn for_each_chunk<E>(
    mut reader: impl BufRead,
    chunk: usize,
    mut f: impl FnMut(Vec<Line>) -> Result<(), E>,
) -> Result<Result<(), (u64, std::io::Error)>, E> {
    let mut lines = Vec::with_capacity(chunk);
    let mut no = 0u64;
    loop {
        let mut bytes = Vec::new();
        match reader.read_until(b'\n', &mut bytes) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                if !lines.is_empty() {
                    f(lines)?;
                }
                return Ok(Err((no + 1, e)));
            }
        }
        no += 1;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        lines.push(Line { no, bytes });
        if lines.len() == chunk {
            f(std::mem::replace(&mut lines, Vec::with_capacity(chunk)))?;
        }
    }
    if !lines.is_empty() {
        f(lines)?;
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_skip_blank_lines_and_keep_numbers() {
        let text = b"a\n\n  \nb\nc\nd";
        let mut seen = Vec::new();
        let r: Result<_, ()> = for_each_chunk(&text[..], 2, |c| {
            seen.push(c.iter().map(|l| l.no).collect::<Vec<_>>());
            Ok(())
        });
        assert!(matches!(r, Ok(Ok(()))));
        assert_eq!(seen, vec![vec![1, 4], vec![5, 6]]);
    }
}
