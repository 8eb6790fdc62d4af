//! Near-duplicate detection: SimHash fingerprints of bulletin bodies and the band map that
//! finds an existing fingerprint within a few bits of a new one.
//!
//! The same bulletin is republished by city, county and news sites with different page
//! chrome, titles and dates. Their bodies share almost every 4-character shingle, so their
//! 64-bit SimHashes differ in at most a few bits, while unrelated bulletins differ in about
//! 32. Two fingerprints within [`MAX_DISTANCE`] bits agree exactly on at least one of four
//! 16-bit bands (pigeonhole), so [`GroupMap`] only compares a new fingerprint with those
//! sharing a band: a lookup costs a few dozen comparisons whether the index holds a
//! thousand bulletins or a million.

use std::collections::HashMap;

use crate::analysis::is_separator;

/// Largest Hamming distance between two fingerprints of the same bulletin.
pub(crate) const MAX_DISTANCE: u32 = 3;
/// Characters per shingle.
pub(crate) const SHINGLE: usize = 4;
/// Bodies with fewer searchable characters than this are never grouped: a short notice
/// ("今日无通报") has too few shingles for its fingerprint to mean anything.
pub(crate) const MIN_CHARS: usize = 60;

/// The SimHash of a folded body (folded, so traditional and simplified copies agree):
/// short lines dropped (see [`MIN_LINE_CHARS`]), stripped of whitespace and punctuation
/// (so reflowed or re-punctuated copies agree), cut into overlapping
/// [`SHINGLE`]-character shingles. `None` when the body is too short.
pub fn simhash(folded_body: &str) -> Option<u64> {
    let chars = significant_chars(folded_body);
    if chars.len() < MIN_CHARS {
        return None;
    }
    // A bit is set when more than half of the shingle hashes have it. The characters are
    // encoded once (a shingle is a slice of that), and the ones are counted eight bits at
    // a time in byte-wide lanes (see `BitCounts`): both ran for every shingle of every
    // bulletin, and SimHash was 8 % of an indexing profile.
    let mut bytes = Vec::with_capacity(chars.len() * 3);
    let mut starts = Vec::with_capacity(chars.len() + 1);
    let mut buf = [0u8; 4];
    for c in &chars {
        starts.push(bytes.len());
        bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
    starts.push(bytes.len());
    let shingles = chars.len() + 1 - SHINGLE;
    let mut counts = BitCounts::default();
    for i in 0..shingles {
        counts.add(shingle_hash(&bytes[starts[i]..starts[i + SHINGLE]]));
    }
    let ones = counts.totals();
    Some(ones.iter().enumerate().fold(0u64, |acc, (bit, &n)| if 2 * n as usize > shingles { acc | 1 << bit } else { acc }))
}

/// How many of the added hashes have each of the 64 bits set. Lane `j` of `lanes` holds
/// eight one-byte counters, for bits `8j .. 8j+8`; adding a hash adds, per byte of it, a
/// table entry with a 1 in the lane byte of each of its set bits. Eight additions per hash
/// instead of 64; the lanes are emptied into `totals` before a byte can overflow.
struct BitCounts {
    lanes: [u64; 8],
    pending: u32,
    totals: [u32; 64],
}

impl Default for BitCounts {
    fn default() -> Self {
        BitCounts { lanes: [0; 8], pending: 0, totals: [0; 64] }
    }
}

/// `SPREAD[b]` has byte `k` equal to bit `k` of `b`.
const SPREAD: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut b = 0;
    while b < 256 {
        let mut k = 0;
        while k < 8 {
            t[b] |= ((b as u64 >> k) & 1) << (8 * k);
            k += 1;
        }
        b += 1;
    }
    t
};

impl BitCounts {
    fn add(&mut self, h: u64) {
        for (j, lane) in self.lanes.iter_mut().enumerate() {
            *lane += SPREAD[(h >> (8 * j)) as usize & 0xff];
        }
        self.pending += 1;
        if self.pending == 255 {
            self.flush();
        }
    }

    fn flush(&mut self) {
        for (j, lane) in self.lanes.iter_mut().enumerate() {
            for k in 0..8 {
                self.totals[8 * j + k] += ((*lane >> (8 * k)) & 0xff) as u32;
            }
            *lane = 0;
        }
        self.pending = 0;
    }

    fn totals(mut self) -> [u32; 64] {
        self.flush();
        self.totals
    }
}

/// Lines shorter than this (in significant characters) are left out of the fingerprint when
/// the long lines alone are enough: republishers add and change short lines — headlines,
/// "来源：… 编辑：…", dates, share buttons — while the bulletin's paragraphs are long.
pub(crate) const MIN_LINE_CHARS: usize = 40;

/// The letters and digits of a folded body that the fingerprint is taken over.
fn significant_chars(folded: &str) -> Vec<char> {
    let lines: Vec<Vec<char>> = folded.lines().map(|l| l.chars().filter(|&c| !is_separator(c)).collect()).collect();
    let long: Vec<char> = lines.iter().filter(|l| l.len() >= MIN_LINE_CHARS).flatten().copied().collect();
    if long.len() >= MIN_CHARS {
        long
    } else {
        lines.into_iter().flatten().collect()
    }
}

/// FNV-1a followed by the SplitMix64 finaliser: stable across builds and platforms (the
/// fingerprints are stored in the index) and with well-spread bits, which SimHash needs.
fn shingle_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// Number of differing bits.
pub(crate) fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

fn band(h: u64, i: usize) -> u16 {
    (h >> (16 * i)) as u16
}

/// Group id for a bulletin that starts its own group. Never 0: 0 means "no group" in the
/// index (documents written before grouping existed).
pub(crate) fn own_group(simhash: u64) -> u64 {
    simhash.max(1)
}

/// Fingerprints of the indexed bulletins with their group ids, looked up by band.
#[derive(Debug, Default)]
pub(crate) struct GroupMap {
    entries: Vec<(u64, u64)>,
    bands: [HashMap<u16, Vec<u32>>; 4],
}

impl GroupMap {
    pub fn new() -> GroupMap {
        GroupMap::default()
    }

    /// Remember that a bulletin with fingerprint `simhash` belongs to `group`.
    pub fn insert(&mut self, simhash: u64, group: u64) {
        let Ok(at) = u32::try_from(self.entries.len()) else { return };
        self.entries.push((simhash, group));
        for (i, map) in self.bands.iter_mut().enumerate() {
            map.entry(band(simhash, i)).or_default().push(at);
        }
    }

    /// The group of the nearest known fingerprint within [`MAX_DISTANCE`] bits.
    pub fn find(&self, simhash: u64) -> Option<u64> {
        let mut best: Option<(u32, u64)> = None;
        for (i, map) in self.bands.iter().enumerate() {
            for &at in map.get(&band(simhash, i)).into_iter().flatten() {
                let (h, g) = self.entries[at as usize];
                let d = distance(h, simhash);
                if d <= MAX_DISTANCE && best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, g));
                }
            }
        }
        best.map(|(_, g)| g)
    }

    /// The group a new bulletin joins: an existing one when a near-duplicate is known,
    /// otherwise a new group of its own. Either way the fingerprint is remembered, so later
    /// copies in the same run find it.
    pub(crate) fn assign(&mut self, simhash: u64) -> u64 {
        let group = self.find(simhash).unwrap_or_else(|| own_group(simhash));
        self.insert(simhash, group);
        group
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fingerprint of a body as written (indexing hands over the fold it made).
    fn simhash(body: &str) -> Option<u64> {
        super::simhash(&crate::analysis::fold(body))
    }

    const BODY: &str = "2022年8月以来，清远市公安局针对养老诈骗违法犯罪多发的情况，组织开展专项打击行动，\
        共破获养老诈骗案件12起，抓获犯罪嫌疑人35名，追缴涉案资金300余万元。警方提醒广大老年朋友，\
        凡是以高额回报为诱饵推销保健品、投资理财的，都要提高警惕，谨防上当受骗，如遇可疑情况请及时拨打110报警。";

    #[test]
    fn copies_with_other_chrome_and_punctuation_are_near() {
        let a = simhash(BODY).unwrap();
        let republished = format!("来源：清远日报 编辑：张三\n{}\n（责任编辑：李四）", BODY.replace('，', ", "));
        let b = simhash(&republished).unwrap();
        assert!(distance(a, b) <= MAX_DISTANCE, "distance {}", distance(a, b));
        let traditional = simhash(
            "2022年8月以來，清遠市公安局針對養老詐騙違法犯罪多發的情況，組織開展專項打擊行動，\
            共破獲養老詐騙案件12起，抓獲犯罪嫌疑人35名，追繳涉案資金300餘萬元。警方提醒廣大老年朋友，\
            凡是以高額回報為誘餌推銷保健品、投資理財的，都要提高警惕，謹防上當受騙，如遇可疑情況請及時撥打110報警。",
        )
        .unwrap();
        assert!(distance(a, traditional) <= MAX_DISTANCE);
    }

    #[test]
    fn headlines_and_source_lines_do_not_count() {
        let original = format!("市公安局召开新闻发布会通报养老诈骗打击情况\n• 时间：2022-08-16 10:37 • 来源：市公安局\n{BODY}");
        let copy = format!("转载：清远警方通报养老诈骗专项行动战果\n来源：清远日报 2022-08-17 编辑：王五\n{BODY}\n（责任编辑：赵六）");
        let (a, b) = (simhash(&original).unwrap(), simhash(&copy).unwrap());
        assert!(distance(a, b) <= MAX_DISTANCE, "distance {}", distance(a, b));
    }

    #[test]
    fn different_bulletins_are_far() {
        let a = simhash(BODY).unwrap();
        let other = simhash(
            "近日，南宁市公安局交警支队在全市范围内开展酒驾醉驾专项整治行动，共查处酒后驾驶机动车违法行为86起，\
             其中醉酒驾驶23起，依法暂扣驾驶证，并对涉嫌危险驾驶罪的驾驶人立案侦查。交警部门提醒，喝酒不开车，开车不喝酒。",
        )
        .unwrap();
        assert!(distance(a, other) > 10, "distance {}", distance(a, other));
    }

    /// Fingerprints are stored in indexes, so the counting form must give exactly what
    /// the plain ±1 vote of the SimHash definition gives.
    #[test]
    fn counting_matches_voting() {
        fn voted(body: &str) -> u64 {
            let chars = significant_chars(&crate::analysis::fold(body));
            let mut votes = [0i32; 64];
            for window in chars.windows(SHINGLE) {
                let h = shingle_hash(window.iter().collect::<String>().as_bytes());
                for (bit, vote) in votes.iter_mut().enumerate() {
                    *vote += if h >> bit & 1 == 1 { 1 } else { -1 };
                }
            }
            votes.iter().enumerate().fold(0u64, |acc, (bit, &v)| if v > 0 { acc | 1 << bit } else { acc })
        }
        let half: String = BODY.chars().take(BODY.chars().count() / 2).collect();
        // Long enough for the byte-wide counters to be emptied several times (255 shingles).
        for (i, text) in [BODY, &half, &BODY.repeat(3), &BODY.repeat(12)].into_iter().enumerate() {
            let text = format!("{text}{}", "案".repeat(i));
            assert_eq!(simhash(&text), Some(voted(&text)), "{text}");
        }
    }

    #[test]
    fn short_bodies_have_no_fingerprint() {
        assert_eq!(simhash("今日无通报。"), None);
        assert_eq!(simhash(""), None);
    }

    #[test]
    fn group_map_finds_near_and_only_near() {
        let mut m = GroupMap::new();
        let a = 0x1234_5678_9abc_def0u64;
        assert_eq!(m.assign(a), a);
        // Three bits flipped, one in each of three bands: still found.
        let near = a ^ (1 | 1 << 20 | 1 << 40);
        assert_eq!(m.assign(near), a);
        // Four bits flipped: a new group.
        let far = a ^ (1 << 3 | 1 << 5 | 1 << 7 | 1 << 9);
        assert_eq!(m.find(far), None);
        assert_eq!(m.entries.len(), 2);
        assert_eq!(own_group(0), 1);
    }
}
