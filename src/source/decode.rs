//! Bytes → text: binary sniffing and encoding detection.
//!
//! Bulletins come from scrapers and old government sites, so a file may be UTF-8 (with or
//! without a BOM), UTF-16, GBK/GB18030 or Big5, and its `<meta charset>` may lie. Decoding
//! never fails on malformed bytes (they become U+FFFD); it fails only when the result is
//! mostly garbage, because indexing garbage helps nobody.

use encoding_rs::{Encoding, REPLACEMENT, UTF_16BE, UTF_16LE, UTF_8, X_USER_DEFINED};

/// How much of the file the sniffers look at. Enough to see past a long `<head>`.
const SNIFF_BYTES: usize = 64 * 1024;

/// Text decoded from a file, and the encoding it was decoded from.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
}

/// If the bytes are obviously not text, the kind of file they are (`"PNG image"`).
///
/// Magic numbers name the common kinds people keep beside bulletins (images, PDFs, office
/// files, archives); anything else with NUL bytes is "binary data". A stray NUL or two in
/// a text file does not count: scraped text sometimes carries them and hygiene strips them.
pub(crate) fn sniff_binary(bytes: &[u8]) -> Option<&'static str> {
    if Encoding::for_bom(bytes).is_some() {
        // UTF-16 text is full of NULs; a BOM says it is text.
        return None;
    }
    // (magic, kind, weak): a weak magic is made of printable letters a text file could
    // start with, so it only counts when the rest of the file looks binary too.
    const MAGIC: &[(&[u8], &str, bool)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG image", false),
        (b"\xff\xd8\xff", "JPEG image", false),
        (b"GIF87a", "GIF image", false),
        (b"GIF89a", "GIF image", false),
        (b"%PDF-", "PDF document", false),
        (b"PK\x03\x04", "ZIP archive or office document", false),
        (b"PK\x05\x06", "ZIP archive", false),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document", false),
        (b"{\\rtf", "RTF document", false),
        (b"\x1f\x8b", "gzip archive", false),
        (b"BZh", "bzip2 archive", true),
        (b"\xfd7zXZ\x00", "xz archive", false),
        (b"7z\xbc\xaf\x27\x1c", "7-Zip archive", false),
        (b"Rar!\x1a\x07", "RAR archive", false),
        (b"\x28\xb5\x2f\xfd", "zstd archive", false),
        (b"MZ", "Windows executable", true),
        (b"\x7fELF", "ELF executable", false),
        (b"\xcf\xfa\xed\xfe", "Mach-O executable", false),
        (b"\xca\xfe\xba\xbe", "Java class or Mach-O binary", false),
        (b"\x00asm", "WebAssembly module", false),
        (b"SQLite format 3\x00", "SQLite database", false),
        (b"OggS", "Ogg media", true),
        (b"fLaC", "FLAC audio", true),
        (b"ID3", "MP3 audio", true),
        (b"II*\x00", "TIFF image", false),
        (b"MM\x00*", "TIFF image", false),
        (b"\x00\x00\x01\x00", "icon image", false),
        (b"wOFF", "web font", true),
        (b"wOF2", "web font", true),
    ];
    for &(magic, name, weak) in MAGIC {
        if bytes.starts_with(magic) && (!weak || has_many_nuls(bytes) || has_high_control(bytes)) {
            return Some(name);
        }
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Some("MP4/QuickTime media");
    }
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") {
        return Some(match &bytes[8..12] {
            b"WEBP" => "WebP image",
            b"WAVE" => "WAV audio",
            b"AVI " => "AVI video",
            _ => "RIFF media",
        });
    }
    if bytes.starts_with(b"BM") && bytes.len() > 14 && bytes[6..10] == [0, 0, 0, 0] {
        return Some("BMP image");
    }
    if utf16_without_bom(bytes).is_some() {
        return None;
    }
    if has_many_nuls(bytes) && !is_text_with_nuls(bytes) {
        return Some("binary data");
    }
    None
}

/// Text that carries NUL bytes (a scraper's padding, a C string dumped into a page) but is
/// otherwise clean UTF-8: worth indexing once the NULs are gone. Binaries are almost never
/// valid UTF-8 once their NULs are removed, and they carry other control bytes too.
fn is_text_with_nuls(bytes: &[u8]) -> bool {
    let cut = bytes.len().min(SNIFF_BYTES);
    let prefix = &bytes[..cut];
    let rest: Vec<u8> = prefix.iter().copied().filter(|&b| b != 0).collect();
    if rest.len() < 8 || rest.len() * 2 < prefix.len() {
        return false;
    }
    let controls = rest.iter().filter(|&&b| b < 0x09 || ((0x0e..0x20).contains(&b) && b != 0x1b)).count();
    if controls * 100 > rest.len() {
        return false;
    }
    match std::str::from_utf8(&rest) {
        Ok(_) => true,
        // A character cut by the end of the sniffed prefix is not a sign of binary data.
        Err(e) => e.error_len().is_none() && cut < bytes.len(),
    }
}

/// More NULs than a text file plausibly carries by accident.
fn has_many_nuls(bytes: &[u8]) -> bool {
    let prefix = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let nuls = prefix.iter().filter(|&&b| b == 0).count();
    nuls >= 16 || nuls * 200 > prefix.len()
}

fn has_high_control(bytes: &[u8]) -> bool {
    let prefix = &bytes[..bytes.len().min(SNIFF_BYTES)];
    prefix.iter().any(|&b| b < 0x09 || (0x0e..0x20).contains(&b))
}

/// UTF-16 text saved without a BOM shows up as NULs at every other byte (for its ASCII
/// part). Returns the byte order when every NUL sits on the same parity and the bytes
/// decode cleanly.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let prefix = &bytes[..bytes.len().min(SNIFF_BYTES) & !1];
    if prefix.len() < 4 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in prefix.iter().enumerate() {
        if b == 0 {
            if i % 2 == 0 {
                even += 1
            } else {
                odd += 1
            }
        }
    }
    let total = even + odd;
    // Needs a real signal: a good share of ASCII characters, all with the NUL on one side.
    if total * 10 < prefix.len() / 2 || (even != 0 && odd != 0) {
        return None;
    }
    let enc = if odd > 0 { UTF_16LE } else { UTF_16BE };
    let (text, had_errors) = enc.decode_without_bom_handling(prefix);
    if had_errors || bad_char_count(&text) * 50 > text.chars().count() {
        return None;
    }
    Some(enc)
}

/// Decode the bytes, choosing the encoding in this order: BOM → valid (or nearly valid)
/// UTF-8 → a declared charset that decodes cleanly → `chardetng`'s guess.
///
/// Returns an error message (without the word "error") when the result is unusable.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let (text, encoding) = pick_and_decode(bytes);
    let total = text.chars().count();
    let bad = bad_char_count(&text);
    // A few U+FFFD are normal in scraped text (a truncated last character, a stray byte).
    // Many mean the encoding guess is wrong or the file is not text at all.
    if bad > 8 && bad * 20 > total || (total > 0 && bad * 4 > total) {
        let pct = bad as f64 * 100.0 / total.max(1) as f64;
        return Err(format!("undecodable text ({pct:.0}% of characters are invalid or control characters, best guess {})", encoding.name()));
    }
    Ok(Decoded { text, encoding })
}

fn pick_and_decode(bytes: &[u8]) -> (String, &'static Encoding) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), enc);
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return (text.into_owned(), enc);
    }
    // Outside UTF-16, a NUL byte is never part of a character (UTF-8, GBK and Big5 trail
    // bytes are all >= 0x40), so dropping NULs cannot split one; left in, they would count
    // as garbage and confuse the encoding detector.
    let without_nuls: Vec<u8>;
    let bytes = if bytes.contains(&0) {
        without_nuls = bytes.iter().copied().filter(|&b| b != 0).collect();
        &without_nuls[..]
    } else {
        bytes
    };
    if looks_like_utf8(bytes) {
        return (String::from_utf8_lossy(bytes).into_owned(), UTF_8);
    }
    if let Some(enc) = declared_encoding(bytes) {
        // Only trust the label if the bytes agree: pages saved as UTF-8 keep their old
        // `charset=gbk`, and GBK pages get served with a UTF-8 label.
        if enc != UTF_8 {
            if let Some(text) = enc.decode_without_bom_handling_and_without_replacement(bytes) {
                return (text.into_owned(), enc);
            }
        }
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let prefix = &bytes[..bytes.len().min(SNIFF_BYTES)];
    detector.feed(prefix, prefix.len() == bytes.len());
    let enc = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), enc)
}

/// Valid UTF-8, or UTF-8 with a few broken sequences (a file cut mid-character by a
/// scraper, one bad byte in a long page). Legacy CJK encodings almost never form many
/// valid multi-byte UTF-8 sequences by chance, so the ratio separates them well.
///
/// Short texts need the second test: a two-line bulletin with one stray byte has too few
/// characters for the 20-to-1 ratio, and the detector then calls it windows-1252
/// (mojibake). Characters of three or four UTF-8 bytes (all of CJK) almost never come out
/// of GBK, GB18030 or Big5 bytes by chance: over every short line of the sample and
/// evaluation bulletins encoded in those, there is at most one such character for every
/// two broken sequences. Three for each broken sequence is UTF-8 with stray bytes.
fn looks_like_utf8(bytes: &[u8]) -> bool {
    let mut valid_multibyte = 0usize;
    let mut valid_wide = 0usize;
    let mut invalid = 0usize;
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars().filter(|c| !c.is_ascii()) {
            valid_multibyte += 1;
            valid_wide += usize::from(c.len_utf8() >= 3);
        }
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    if invalid > 0 && valid_wide >= 3 && valid_wide >= 3 * invalid {
        return true;
    }
    if invalid == 0 {
        return true;
    }
    // A sequence cut off by the end of the file is the only break: still UTF-8.
    if invalid == 1 && std::str::from_utf8(bytes).err().is_some_and(|e| e.error_len().is_none()) {
        return true;
    }
    valid_multibyte >= 20 * invalid
}

/// The charset a page declares about itself: `<meta charset=…>`,
/// `<meta http-equiv="Content-Type" content="text/html; charset=…">` or an XML declaration.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(8 * 1024)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    for needle in [&b"charset"[..], &b"encoding"[..]] {
        let mut from = 0;
        while let Some(pos) = find(&lower[from..], needle) {
            let mut i = from + pos + needle.len();
            from = i;
            while i < lower.len() && matches!(lower[i], b' ' | b'\t' | b'\r' | b'\n') {
                i += 1;
            }
            if i >= lower.len() || lower[i] != b'=' {
                continue;
            }
            i += 1;
            while i < lower.len() && matches!(lower[i], b' ' | b'"' | b'\'') {
                i += 1;
            }
            let start = i;
            while i < lower.len() && (lower[i].is_ascii_alphanumeric() || matches!(lower[i], b'-' | b'_' | b'.' | b':')) {
                i += 1;
            }
            if let Some(enc) = Encoding::for_label(&lower[start..i]) {
                // UTF-16 labels on bytes without a BOM are nearly always wrong (the
                // label survived a re-save), and the HTML spec says to treat them as UTF-8.
                if enc == UTF_16LE || enc == UTF_16BE {
                    return Some(UTF_8);
                }
                // Labels that name no real text encoding: `x-user-defined` maps every
                // high byte to a private-use character (the page would read as nothing),
                // and "replacement" (ISO-2022-CN and the like) to one U+FFFD. Such a label
                // says nothing about the bytes, so the detector decides.
                if enc == X_USER_DEFINED || enc == REPLACEMENT {
                    return None;
                }
                return Some(enc);
            }
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Characters that signal a wrong decoding: U+FFFD and control characters other than
/// ordinary whitespace.
fn bad_char_count(text: &str) -> usize {
    text.chars().filter(|&c| c == '\u{FFFD}' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0c}'))).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{BIG5, GBK};

    const SAMPLE: &str = "9月28日,自治区公安厅召开新闻发布会,通报广西公安机关夏季治安打击整治“百日行动”主要举措和总体战果成效,发布典型案例并答记者问。";
    const SAMPLE_TRAD: &str = "周口公安重拳打擊治理養老詐騙違法犯罪，全國打擊整治養老詐騙專項行動開展以來，周口市公安機關牢固樹立以人民為中心的發展思想。";

    fn encode(enc: &'static Encoding, s: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = enc.encode(s);
        assert!(!unmappable, "sample must be representable in {}", enc.name());
        bytes.into_owned()
    }

    #[test]
    fn encodings_are_detected() {
        let gbk_page = {
            let mut b = encode(GBK, "<html><head><meta charset=\"gb2312\"><title>通报</title></head><body>");
            b.extend(encode(GBK, SAMPLE));
            b
        };
        let gbk_labelled_utf8 = {
            let mut b = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">".to_vec();
            b.extend(encode(GBK, SAMPLE));
            b
        };
        let utf8_labelled_gbk = format!("<meta charset=\"GBK\"><p>{SAMPLE}</p>").into_bytes();
        let mut utf8_bom = vec![0xEF, 0xBB, 0xBF];
        utf8_bom.extend(SAMPLE.as_bytes());
        let mut utf16le = vec![0xFF, 0xFE];
        for u in SAMPLE.encode_utf16() {
            utf16le.extend(u.to_le_bytes());
        }
        let mut utf16be = vec![0xFE, 0xFF];
        for u in SAMPLE.encode_utf16() {
            utf16be.extend(u.to_be_bytes());
        }
        let ascii_utf16le: Vec<u8> = "Police bulletin 2022-09-27 report text here".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let mut truncated = SAMPLE.as_bytes().to_vec();
        truncated.truncate(truncated.len() - 2); // cut "。" mid-character

        let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
            ("plain UTF-8", SAMPLE.as_bytes().to_vec(), "UTF-8", "总体战果成效"),
            ("UTF-8 with BOM", utf8_bom, "UTF-8", "9月28日"),
            ("UTF-16LE with BOM", utf16le, "UTF-16LE", "总体战果成效"),
            ("UTF-16BE with BOM", utf16be, "UTF-16BE", "总体战果成效"),
            ("UTF-16LE without BOM", ascii_utf16le, "UTF-16LE", "Police bulletin"),
            ("GBK unlabelled", encode(GBK, SAMPLE), "GBK", "总体战果成效"),
            ("GBK page with charset", gbk_page, "GBK", "总体战果成效"),
            ("GBK mislabelled UTF-8", gbk_labelled_utf8, "GBK", "总体战果成效"),
            ("UTF-8 mislabelled GBK", utf8_labelled_gbk, "UTF-8", "总体战果成效"),
            ("Big5 unlabelled", encode(BIG5, SAMPLE_TRAD), "Big5", "養老詐騙"),
            ("UTF-8 cut mid-character", truncated, "UTF-8", "答记者问"),
        ];
        for (name, bytes, want_enc, want_text) in cases {
            assert_eq!(sniff_binary(&bytes), None, "{name}: not binary");
            let d = decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(d.encoding.name(), want_enc, "{name}");
            assert!(d.text.contains(want_text), "{name}: {:?}", d.text);
            assert!(!d.text.starts_with('\u{FEFF}'), "{name}: BOM stripped");
        }
    }

    /// Short texts with a stray byte stay UTF-8; short legacy texts stay legacy; labels
    /// that name no text encoding are ignored.
    #[test]
    fn short_texts_and_labels_that_name_no_encoding() {
        let stray = |text: &str, at: usize| {
            let mut b = text.as_bytes().to_vec();
            b.insert(at, 0xFF);
            b
        };
        let lines = ["南宁警方通报\n青秀区破获盗窃案一起。", "柳州市公安局：抓获嫌疑人两名", "臺北市警察局破獲詐騙案"];
        let mut cases: Vec<(String, Vec<u8>, &str, String)> = Vec::new();
        for line in lines {
            let cut = line.char_indices().nth(4).map_or(0, |(i, _)| i);
            cases.push((format!("UTF-8 with a stray byte: {line}"), stray(line, cut), "UTF-8", line.chars().skip(5).take(3).collect()));
        }
        for line in &lines[..2] {
            cases.push((format!("GBK: {line}"), encode(GBK, line), "GBK", line.chars().take(4).collect()));
        }
        cases.push(("Big5".into(), encode(BIG5, lines[2]), "Big5", "臺北市".into()));
        for label in ["x-user-defined", "iso-2022-cn"] {
            let mut page = format!("<html><head><meta charset=\"{label}\"></head><body><p>").into_bytes();
            page.extend(encode(GBK, SAMPLE));
            cases.push((format!("GBK page labelled {label}"), page, "GBK", "总体战果成效".into()));
        }
        for (name, bytes, want_enc, want_text) in cases {
            let d = decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(d.encoding.name(), want_enc, "{name}: {:?}", d.text);
            assert!(d.text.contains(&want_text), "{name}: {:?}", d.text);
        }
    }

    #[test]
    fn binaries_are_named() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend([0u8; 64]);
        let mut exe = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
        exe.extend([0u8; 64]);
        let cases: Vec<(Vec<u8>, Option<&str>)> = vec![
            (png, Some("PNG image")),
            (b"%PDF-1.7\n%\xe2\xe3".to_vec(), Some("PDF document")),
            (b"PK\x03\x04\x14\x00\x06\x00".to_vec(), Some("ZIP archive or office document")),
            (exe, Some("Windows executable")),
            (b"\xff\xd8\xff\xe0\x00\x10JFIF".to_vec(), Some("JPEG image")),
            ([0u8; 100].to_vec(), Some("binary data")),
            (b"MZ is how the report begins, plain text".to_vec(), None),
            (b"BZh text".to_vec(), None),
            ("通报\u{0}正文".as_bytes().to_vec(), None),
            // Text padded with many NULs is still text; NULs plus control bytes are not.
            ("通报正文。\0\0\0\0".repeat(40).into_bytes(), None),
            (b"\x01\x02\x03\x04ab\0\0".repeat(40), Some("binary data")),
        ];
        for (bytes, want) in cases {
            assert_eq!(sniff_binary(&bytes), want, "{:?}", &bytes[..8.min(bytes.len())]);
        }
    }

    #[test]
    fn nul_bytes_are_dropped_from_text() {
        let bytes = "关于打击盗窃的通报\n某市公安局抓获盗窃嫌疑人。\0\0\0".repeat(30).into_bytes();
        assert_eq!(sniff_binary(&bytes), None);
        let d = decode(&bytes).expect("text with NULs decodes");
        assert_eq!(d.encoding.name(), "UTF-8");
        assert!(!d.text.contains('\0') && d.text.contains("抓获盗窃嫌疑人"));
    }

    #[test]
    fn garbage_is_undecodable() {
        // Random high bytes and control characters: no encoding makes sense of these.
        let bytes: Vec<u8> = (0..4000u32).map(|i| ((i * 7919 + 13) % 31) as u8 + 1).collect();
        let err = decode(&bytes).expect_err("control-character soup");
        assert!(err.starts_with("undecodable text ("), "{err}");
    }
}
