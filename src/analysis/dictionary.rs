//! Loading jieba with tongbao's domain dictionary.
//!
//! jieba's bundled dictionary lacks much police vocabulary (电信网络诈骗, 扫黑除恶, 断卡 …);
//! without these words a bulletin's key terms are cut into fragments that match too much.
//! Lines without a frequency get the frequency jieba needs to keep the word whole
//! (`suggest_freq`), because jieba-rs's own `load_dict` would give them 0, i.e. no effect.

use std::sync::{Arc, OnceLock};

use jieba_rs::Jieba;

/// Load jieba's default dictionary plus the user dictionary text (one word per line,
/// optional frequency and tag; `#` starts a comment).
pub fn build_jieba(user_dictionary: &str) -> Jieba {
    let mut jieba = Jieba::new();
    add_words(&mut jieba, user_dictionary);
    jieba
}

/// Add dictionary lines to a loaded jieba.
pub fn add_words(jieba: &mut Jieba, user_dictionary: &str) {
    for line in user_dictionary.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        let mut parts = line.split_whitespace();
        let Some(word) = parts.next() else { continue };
        let freq = parts.next().and_then(|f| f.parse::<usize>().ok());
        let tag = parts.next();
        let freq = freq.unwrap_or_else(|| jieba.suggest_freq(word).max(3));
        jieba.add_word(word, Some(freq), tag);
    }
}

static SHARED: OnceLock<Arc<Jieba>> = OnceLock::new();

/// The process-wide jieba. The first caller's dictionary wins; later calls share it, so a
/// process never pays the dictionary load (or the 25 MB copy a clone makes) twice.
pub fn shared(user_dictionary: &str) -> Arc<Jieba> {
    SHARED.get_or_init(|| Arc::new(build_jieba(user_dictionary))).clone()
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

    #[test]
    fn words_without_frequency_take_effect() {
        let mut jieba = Jieba::new();
        assert!(!default_cut(&jieba, "开展断卡行动").contains(&"断卡".to_string()));
        add_words(&mut jieba, "断卡\n");
        assert!(default_cut(&jieba, "开展断卡行动").contains(&"断卡".to_string()));
    }
}
