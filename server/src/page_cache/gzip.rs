//! A gzip body spliced from pieces deflated once and text that differs per response (the
//! script nonce). Each piece is its own deflate run that shares no history with the others and
//! ends byte-aligned (a sync flush), so the differing text can sit between two pieces as a
//! stored block; only the checksum is computed per response, over the plain text.

use axum::body::Bytes;
use flate2::{Compress, Compression, FlushCompress};

/// The gzip header: deflate, no name or time, unknown system.
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
/// An empty final block (fixed Huffman codes, only the end-of-block code).
const LAST_BLOCK: [u8; 2] = [0x03, 0x00];
/// The most a stored block holds.
const STORED_MAX: usize = u16::MAX as usize;

/// One piece of a page, deflated on its own and ended by a sync flush.
pub struct Deflated(Bytes);

impl Deflated {
    pub fn new(plain: &[u8]) -> Option<Deflated> {
        let mut deflate = Compress::new(Compression::default(), false);
        let mut out = Vec::with_capacity(plain.len() / 3 + 64);
        loop {
            let done = usize::try_from(deflate.total_in()).ok()?;
            if out.len() == out.capacity() {
                out.reserve(out.capacity().max(1024));
            }
            deflate
                .compress_vec(&plain[done..], &mut out, FlushCompress::Sync)
                .ok()?;
            let all_in = usize::try_from(deflate.total_in()).ok()? == plain.len();
            // The flush is complete once a call consumed everything and left room unused.
            if all_in && out.len() < out.capacity() {
                return Some(Deflated(Bytes::from(out)));
            }
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// One gzip member: the plain `pieces` joined by `between`, from their deflated forms.
pub fn splice(plain: &[Bytes], deflated: &[Deflated], between: &[u8]) -> Vec<u8> {
    let joins = plain.len().saturating_sub(1);
    let stored = between.len() + 5 * between.len().div_ceil(STORED_MAX).max(1);
    let size = HEADER.len()
        + deflated.iter().map(Deflated::len).sum::<usize>()
        + joins * stored
        + LAST_BLOCK.len()
        + 8;
    let mut body = Vec::with_capacity(size);
    body.extend_from_slice(&HEADER);
    let mut crc = crc32fast::Hasher::new();
    let mut total: u64 = 0;
    for (i, (piece, packed)) in plain.iter().zip(deflated).enumerate() {
        if i > 0 {
            push_stored(&mut body, between);
            crc.update(between);
            total += between.len() as u64;
        }
        body.extend_from_slice(&packed.0);
        crc.update(piece);
        total += piece.len() as u64;
    }
    body.extend_from_slice(&LAST_BLOCK);
    body.extend_from_slice(&crc.finalize().to_le_bytes());
    // The format keeps the length modulo 2^32.
    body.extend_from_slice(&((total & u64::from(u32::MAX)) as u32).to_le_bytes());
    body
}

/// `text` as stored (uncompressed) blocks, each starting byte-aligned as a sync flush leaves it.
fn push_stored(body: &mut Vec<u8>, text: &[u8]) {
    let mut chunks = text.chunks(STORED_MAX).peekable();
    if chunks.peek().is_none() {
        return;
    }
    for chunk in chunks {
        // Not the last block, type 0 (stored); the rest of the byte is padding.
        body.push(0x00);
        let len = chunk.len() as u16;
        body.extend_from_slice(&len.to_le_bytes());
        body.extend_from_slice(&(!len).to_le_bytes());
        body.extend_from_slice(chunk);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn gunzip(body: &[u8]) -> Vec<u8> {
        let mut plain = vec![];
        // The decoder checks the checksum and length in the trailer.
        flate2::read::GzDecoder::new(body)
            .read_to_end(&mut plain)
            .expect("a valid gzip member");
        plain
    }

    fn spliced(pieces: &[&str], between: &str) -> Vec<u8> {
        let plain: Vec<Bytes> = pieces
            .iter()
            .map(|p| Bytes::copy_from_slice(p.as_bytes()))
            .collect();
        let deflated: Vec<Deflated> = plain
            .iter()
            .map(|p| Deflated::new(p).expect("deflates"))
            .collect();
        splice(&plain, &deflated, between.as_bytes())
    }

    #[test]
    fn the_spliced_body_unpacks_to_the_pieces_joined_by_the_text_between() {
        let page = "<html><script nonce=\"N\">a()</script><p>مرحبا</p><script nonce=\"N\">b()</script></html>"
            .repeat(50);
        let pieces: Vec<&str> = page.split('N').collect();
        for nonce in ["abc123", "ZmVkY2JhOTg3NjU0MzIxMA"] {
            let body = spliced(&pieces, nonce);
            assert_eq!(gunzip(&body), page.replace('N', nonce).into_bytes());
        }
    }

    #[test]
    fn a_page_with_nothing_between_and_empty_pieces_still_unpacks() {
        assert_eq!(gunzip(&spliced(&["only"], "unused")), b"only");
        assert_eq!(gunzip(&spliced(&["", "", ""], "x")), b"xx");
        assert_eq!(gunzip(&spliced(&["a", "b"], "")), b"ab");
    }

    #[test]
    fn text_between_longer_than_one_stored_block_is_split() {
        let long = "n".repeat(STORED_MAX + 10);
        let body = spliced(&["start", "end"], &long);
        assert_eq!(gunzip(&body), format!("start{long}end").into_bytes());
    }

    #[test]
    fn a_large_piece_is_deflated_whole() {
        // Larger than the first output buffer, and hard to compress.
        let noisy: String = (0..200_000u32)
            .map(|i| char::from(b'a' + (i.wrapping_mul(2_654_435_761) >> 27) as u8 % 26))
            .collect();
        assert_eq!(
            gunzip(&spliced(&[&noisy, "tail"], "-")),
            format!("{noisy}-tail").into_bytes()
        );
    }
}
