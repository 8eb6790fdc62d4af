//! Loading jieba with tongbao's domain dictionary, fully or for one query.
//!
//! jieba's bundled dictionary lacks much police vocabulary (电信网络诈骗, 扫黑除恶, 断卡 …);
//! without these words a bulletin's key terms are cut into fragments that match too much.
//! Lines without a frequency get the frequency jieba needs to keep the word whole
//! (`suggest_freq`), because jieba-rs's own `load_dict` would give them 0, i.e. no effect.
//!
//! Building jieba's full dictionary trie costs 80–150 ms, more than a whole `tongbao
//! search` should take. A search only ever segments its own query, and jieba's cut of a
//! text depends only on (a) the dictionary words that occur inside the text and (b) the
//! sum of all frequencies. [`for_texts`] therefore builds a jieba holding just the
//! dictionary words found in the given texts — looked up by binary search in a table
//! `build.rs` sorted at compile time — plus one padding word, made of characters jieba
//! never looks up, whose frequency makes the total equal the full dictionary's. Its cuts
//! of those texts are identical to the full load's (see the tests); of other texts they
//! are not, so it must only segment the texts it was built for.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use jieba_rs::Jieba;

use super::normalize::fold;

/// Load jieba's default dictionary plus the user dictionary text (one word per line,
/// optional frequency and tag; `#` starts a comment).
pub(crate) fn build_jieba(user_dictionary: &str) -> Jieba {
    let mut jieba = Jieba::new();
    add_words(&mut jieba, user_dictionary);
    jieba
}

/// Add dictionary lines to a loaded jieba.
pub(crate) fn add_words(jieba: &mut Jieba, user_dictionary: &str) {
    for (word, freq, tag) in user_entries(user_dictionary) {
        let freq = freq.unwrap_or_else(|| jieba.suggest_freq(word).max(3));
        jieba.add_word(word, Some(freq), tag);
    }
}

/// The entries of a user dictionary: word, optional frequency, optional tag.
fn user_entries(user_dictionary: &str) -> impl Iterator<Item = (&str, Option<usize>, Option<&str>)> {
    user_dictionary.lines().filter_map(|line| {
        let line = line.split('#').next().unwrap_or("").trim();
        let mut parts = line.split_whitespace();
        let word = parts.next()?;
        let freq = parts.next().and_then(|f| f.parse::<usize>().ok());
        Some((word, freq, parts.next()))
    })
}

static SHARED: OnceLock<Arc<Jieba>> = OnceLock::new();

/// The process-wide jieba. The first caller's dictionary wins; later calls share it, so a
/// process never pays the dictionary load (or the 25 MB copy a clone makes) twice.
pub fn shared(user_dictionary: &str) -> Arc<Jieba> {
    SHARED.get_or_init(|| Arc::new(build_jieba(user_dictionary))).clone()
}

/// jieba's own dictionary, sorted by `build.rs` (see `data/README.md`).
pub mod table {
    include!(concat!(env!("OUT_DIR"), "/jieba-meta.rs"));

    /// One `word freq tag` line per word, sorted by the word's bytes.
    pub(crate) static SORTED: &str = include_str!(concat!(env!("OUT_DIR"), "/jieba-sorted.txt"));

    /// Every entry: word, frequency, tag.
    pub fn entries() -> impl Iterator<Item = (&'static str, usize, &'static str)> {
        SORTED.lines().filter_map(parse_line)
    }

    pub(super) fn parse_line(line: &'static str) -> Option<(&'static str, usize, &'static str)> {
        let mut it = line.split(' ');
        let word = it.next()?;
        let freq = it.next()?.parse().ok()?;
        Some((word, freq, it.next().unwrap_or("")))
    }

    /// The line at or after byte `pos` begins at the returned offset; the line holding
    /// `pos` spans `start..end` (end excludes the newline).
    fn line_around(text: &[u8], pos: usize) -> (usize, usize) {
        let start = text[..pos].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let end = text[pos..].iter().position(|&b| b == b'\n').map_or(text.len(), |i| pos + i);
        (start, end)
    }

    fn word_of(line: &[u8]) -> &[u8] {
        line.split(|&b| b == b' ').next().unwrap_or(line)
    }

    /// Byte offset of the first line whose word is not less than `key` (binary search over
    /// the text itself, so no offset array has to be built at start-up).
    fn lower_bound(key: &[u8]) -> usize {
        let text = SORTED.as_bytes();
        let (mut lo, mut hi) = (0, text.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let (start, end) = line_around(text, mid);
            if word_of(&text[start..end]) < key {
                lo = end + 1;
            } else {
                hi = start;
            }
        }
        lo.min(text.len())
    }

    fn line_from(at: usize) -> &'static str {
        let rest = SORTED.get(at..).unwrap_or("");
        rest.split('\n').next().unwrap_or("")
    }

    /// Frequency and tag of `word`.
    pub fn get(word: &str) -> Option<(usize, &'static str)> {
        let (w, freq, tag) = parse_line(line_from(lower_bound(word.as_bytes())))?;
        (w == word).then_some((freq, tag))
    }

    /// True when some word starts with `prefix`.
    pub(crate) fn has_prefix(prefix: &str) -> bool {
        line_from(lower_bound(prefix.as_bytes())).starts_with(prefix)
    }
}

/// Made of noncharacters that jieba never puts in a block it looks up, so this word can
/// carry the padding frequency without ever being cut out of a text.
const PAD_WORD: &str = "\u{10FFFF}\u{10FFFE}";

/// The state `build_jieba(user_dictionary)` would reach — user words and the total
/// frequency — without building it; hands out small jiebas for given texts.
#[derive(Debug, Clone)]
pub(crate) struct QueryDictionary {
    /// User words with their final frequency and tag; they shadow the table.
    overlay: HashMap<String, (usize, String)>,
    total: usize,
    max_chars: usize,
}

impl QueryDictionary {
    /// Replay `add_words` on the table: same order, same `suggest_freq`, same totals.
    pub fn new(user_dictionary: &str) -> QueryDictionary {
        let mut d = QueryDictionary { overlay: HashMap::new(), total: table::TOTAL, max_chars: table::MAX_WORD_CHARS };
        for (word, freq, tag) in user_entries(user_dictionary) {
            let freq = freq.unwrap_or_else(|| d.jieba_for(&[word]).suggest_freq(word).max(3));
            // `Jieba::add_word`: an existing word only changes frequency (its tag stays).
            match d.get(word) {
                Some((old, old_tag)) => {
                    let old_tag = old_tag.to_string();
                    d.total = d.total + freq - old;
                    d.overlay.insert(word.to_string(), (freq, old_tag));
                }
                None => {
                    d.total += freq;
                    d.overlay.insert(word.to_string(), (freq, tag.unwrap_or("").to_string()));
                }
            }
            d.max_chars = d.max_chars.max(word.chars().count());
        }
        d
    }

    fn get(&self, word: &str) -> Option<(usize, &str)> {
        match self.overlay.get(word) {
            Some((f, t)) => Some((*f, t.as_str())),
            None => table::get(word),
        }
    }

    fn has_prefix(&self, prefix: &str) -> bool {
        table::has_prefix(prefix) || self.overlay.keys().any(|w| w.starts_with(prefix))
    }

    /// A jieba that cuts each of `texts` — and their folded forms — exactly like the full
    /// dictionary does. Extra words are harmless: only words inside a text affect its cut.
    pub(crate) fn jieba_for(&self, texts: &[&str]) -> Jieba {
        let mut jieba = Jieba::empty();
        let mut seen: HashSet<String> = HashSet::new();
        let mut sum = 0usize;
        let all: Vec<String> = texts.iter().map(|t| t.to_string()).chain(texts.iter().map(|t| fold(t))).collect();
        for text in &all {
            let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            for i in 0..starts.len().saturating_sub(1) {
                for j in i + 1..starts.len().min(i + 1 + self.max_chars) {
                    let sub = &text[starts[i]..starts[j]];
                    if !self.has_prefix(sub) {
                        break;
                    }
                    if seen.contains(sub) {
                        continue;
                    }
                    if let Some((freq, tag)) = self.get(sub) {
                        seen.insert(sub.to_string());
                        jieba.add_word(sub, Some(freq), Some(tag));
                        sum += freq;
                    }
                }
            }
        }
        jieba.add_word(PAD_WORD, Some(self.total.saturating_sub(sum)), None);
        jieba
    }
}

static QUERY_DICTIONARY: OnceLock<QueryDictionary> = OnceLock::new();

/// A jieba for segmenting `texts` (a query and its expansions) only, built in well under a
/// millisecond instead of loading the full dictionary. Cuts of these texts equal those of
/// [`shared`]; use [`shared`] for anything else (documents).
pub fn for_texts(user_dictionary: &str, texts: &[&str]) -> Arc<Jieba> {
    let d = QUERY_DICTIONARY.get_or_init(|| QueryDictionary::new(user_dictionary));
    Arc::new(d.jieba_for(texts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_cut(jieba: &Jieba, s: &str) -> Vec<String> {
        jieba.cut(s, false).into_iter().map(|t| t.word.to_string()).collect()
    }

    #[test]
    fn domain_words_stay_whole() {
        let jieba = build_jieba(include_str!("../../index-schema/dictionary.txt"));
        for (sentence, word) in [
            ("依法打击电信网络诈骗犯罪", "电信网络诈骗"),
            ("严厉打击养老诈骗违法犯罪", "养老诈骗"),
            ("深入推进扫黑除恶常态化", "扫黑除恶"),
            ("开展断卡行动", "断卡"),
            ("打击跨境赌博", "跨境赌博"),
            ("整治两抢一盗", "两抢一盗"),
        ] {
            let words = default_cut(&jieba, sentence);
            assert!(words.iter().any(|w| w == word), "{word} not kept whole in {words:?}");
        }
    }

    /// Sentences of the sample corpus (UTF-8 files), cut at sentence ends.
    fn sample_sentences() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus-samples");
        let mut files: Vec<_> = std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        files.sort();
        let mut out = Vec::new();
        for f in files {
            let Ok(bytes) = std::fs::read(&f) else { continue };
            // The GBK samples decode to text too; UTF-8 is tried first.
            let text = match std::str::from_utf8(&bytes) {
                Ok(t) => t.to_string(),
                Err(_) => encoding_rs::GBK.decode(&bytes).0.into_owned(),
            };
            for sentence in text.split(['。', '！', '？', '\n']).map(str::trim).filter(|s| !s.is_empty()) {
                out.push(sentence.to_string());
                // Clauses too: more, shorter cases, each with its own block boundaries.
                let clauses: Vec<&str> = sentence.split(['，', '、', '；', '：']).filter(|c| !c.is_empty()).collect();
                if clauses.len() > 1 {
                    out.extend(clauses.into_iter().map(str::to_string));
                }
            }
        }
        out
    }

    #[test]
    fn fast_load_segments_like_full_load() {
        let user = include_str!("../../index-schema/dictionary.txt");
        let full = build_jieba(user);
        let fast = QueryDictionary::new(user);
        let mut sentences = sample_sentences();
        // Traditional script, full-width forms, domain words, mixed Latin and digits.
        sentences.extend(["破獲詐騙案件，打擊電信網絡詐騙", "公安ＡＰＰ反诈ICP备2022号", "养老诈骗追赃挽损", "开展断卡行动", "乾隆年间"].map(String::from));
        assert!(sentences.len() > 2000, "only {} sample sentences", sentences.len());
        for s in &sentences {
            let small = fast.jieba_for(&[s.as_str()]);
            for search in [false, true] {
                assert_eq!(
                    crate::analysis::tokenizer::segment(&full, s, search),
                    crate::analysis::tokenizer::segment(&small, s, search),
                    "search={search}: {s}"
                );
            }
            let cut = |j: &Jieba| j.cut(s, false).into_iter().map(|t| t.word.to_string()).collect::<Vec<_>>();
            assert_eq!(cut(&full), cut(&small), "{s}");
            let words: Vec<&str> = s.split_whitespace().collect();
            for w in words.iter().filter(|w| w.chars().count() <= 8) {
                assert_eq!(full.suggest_freq(w), fast.jieba_for(&[w]).suggest_freq(w), "suggest_freq({w})");
            }
        }
    }

    #[test]
    fn table_lookup_finds_words_and_prefixes() {
        assert!(table::get("我们").is_some());
        assert!(table::get("我们我们").is_none());
        assert!(table::has_prefix("电信"));
        assert!(!table::has_prefix("\u{10FFFF}"));
        assert_eq!(table::entries().count(), table::WORDS);
        let full = Jieba::new();
        for (w, _, _) in table::entries().step_by(97) {
            assert!(full.has_word(w), "{w} in table but not in jieba-rs");
        }
    }

    #[test]
    fn words_without_frequency_take_effect() {
        let mut jieba = Jieba::new();
        assert!(!default_cut(&jieba, "开展断卡行动").contains(&"断卡".to_string()));
        add_words(&mut jieba, "断卡\n");
        assert!(default_cut(&jieba, "开展断卡行动").contains(&"断卡".to_string()));
    }
}
