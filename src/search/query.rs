//! The query language: words (all required), `"exact phrases"`, `-excluded`, and `OR`.
//!
//! `养老诈骗 追赃挽损` needs both; `电诈 OR 电信诈骗 -澳门` needs either of the first two and
//! not the third. Parsing only splits the query; segmentation happens when the plan is
//! built, so 养老诈骗追赃挽损 typed without a space still needs both words.

/// At most this many items are kept; a query is a need, not a document.
pub const MAX_ITEMS: usize = 64;
/// Longest item kept, in characters.
pub const MAX_ITEM_CHARS: usize = 200;
/// Most characters kept over all items. Planning costs memory per query character (words,
/// parts and literal grams for each item: about 100 KB each), so 64 items of 200
/// characters would need over a gigabyte; real queries are a few dozen characters.
pub const MAX_TOTAL_CHARS: usize = 500;

/// One thing the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub text: String,
    /// Quoted: must appear as written.
    pub phrase: bool,
}

/// A parsed query: every group is required, any item of a group satisfies it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub groups: Vec<Vec<Item>>,
    pub excluded: Vec<Item>,
    /// Something was dropped (too many items, too long); the caller may say so.
    pub truncated: bool,
}

impl ParsedQuery {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Every positive item, in order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.groups.iter().flatten()
    }
}

enum Piece {
    Item { item: Item, negated: bool },
    Or,
}

/// Parse a query string. Never fails: unmatched quotes close at the end, and pieces with
/// nothing searchable in them (only punctuation) are dropped.
pub fn parse(input: &str) -> ParsedQuery {
    let mut pieces = Vec::new();
    let mut chars = input.chars().peekable();
    let mut truncated = false;
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut negated = false;
        if c == '-' || c == '－' {
            chars.next();
            match chars.peek() {
                Some(n) if !n.is_whitespace() => negated = true,
                _ => continue,
            }
        }
        let phrase = matches!(chars.peek(), Some('"') | Some('“') | Some('”') | Some('「'));
        let mut text = String::new();
        if phrase {
            chars.next();
            for c in chars.by_ref() {
                if matches!(c, '"' | '“' | '”' | '」') {
                    break;
                }
                text.push(c);
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || matches!(c, '"' | '“' | '”' | '「') {
                    break;
                }
                text.push(c);
                chars.next();
            }
        }
        if !phrase && !negated && (text == "OR" || text == "|" || text == "或") {
            pieces.push(Piece::Or);
            continue;
        }
        if !text.chars().any(|c| c.is_alphanumeric()) {
            continue;
        }
        if text.chars().count() > MAX_ITEM_CHARS {
            text = text.chars().take(MAX_ITEM_CHARS).collect();
            truncated = true;
        }
        pieces.push(Piece::Item { item: Item { text, phrase }, negated });
    }

    let mut q = ParsedQuery::default();
    let mut join_next = false;
    let mut count = 0;
    let mut budget = MAX_TOTAL_CHARS;
    for piece in pieces {
        match piece {
            Piece::Or => join_next = !q.groups.is_empty(),
            Piece::Item { mut item, negated } => {
                count += 1;
                if count > MAX_ITEMS || budget == 0 {
                    truncated = true;
                    break;
                }
                let chars = item.text.chars().count();
                if chars > budget {
                    item.text = item.text.chars().take(budget).collect();
                    truncated = true;
                }
                budget = budget.saturating_sub(chars);
                if negated {
                    q.excluded.push(item);
                } else if join_next {
                    if let Some(last) = q.groups.last_mut() {
                        last.push(item);
                    }
                } else {
                    q.groups.push(vec![item]);
                }
                join_next = false;
            }
        }
    }
    q.truncated = truncated;
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(t: &str) -> Item {
        Item { text: t.into(), phrase: false }
    }
    fn p(t: &str) -> Item {
        Item { text: t.into(), phrase: true }
    }

    /// A query, its alternatives per item, and its exclusions.
    type Case = (&'static str, Vec<Vec<Item>>, Vec<Item>);

    #[test]
    fn parses_words_phrases_or_and_exclusions() {
        let cases: Vec<Case> = vec![
            ("养老诈骗 追赃挽损", vec![vec![w("养老诈骗")], vec![w("追赃挽损")]], vec![]),
            ("\"百日行动\" 广西", vec![vec![p("百日行动")], vec![w("广西")]], vec![]),
            ("电诈 OR 电信诈骗 -澳门", vec![vec![w("电诈"), w("电信诈骗")]], vec![w("澳门")]),
            ("“扫黑除恶”", vec![vec![p("扫黑除恶")]], vec![]),
            ("毒品 -\"大麻 种植\"", vec![vec![w("毒品")]], vec![p("大麻 种植")]),
            ("OR 盗窃", vec![vec![w("盗窃")]], vec![]),
        ];
        for (input, groups, excluded) in cases {
            let q = parse(input);
            assert_eq!(q.groups, groups, "{input}");
            assert_eq!(q.excluded, excluded, "{input}");
        }
    }

    #[test]
    fn unmatched_quote_and_punctuation_only() {
        assert_eq!(parse("\"打击 犯罪").groups, vec![vec![p("打击 犯罪")]]);
        assert!(parse("，。！？ - \"\" ...").is_empty());
        assert!(parse("").is_empty());
    }

    #[test]
    fn huge_queries_are_bounded() {
        let q = parse(&"诈骗 OR ".repeat(5000));
        assert!(q.truncated);
        assert!(q.items().count() <= MAX_ITEMS);
        let q = parse(&"盗".repeat(10_000));
        assert_eq!(q.groups[0][0].text.chars().count(), MAX_ITEM_CHARS);
        let q = parse(&vec!["盗".repeat(150); 10].join(" "));
        assert!(q.truncated);
        assert_eq!(q.items().map(|i| i.text.chars().count()).sum::<usize>(), MAX_TOTAL_CHARS);
    }

    #[test]
    fn control_characters_and_odd_spaces_do_not_confuse_the_parser() {
        let q = parse("\u{1b}[2J 诈骗\u{0}\u{9b}\u{202e} \u{3000}盗窃\t-\u{7f}");
        let texts: Vec<&str> = q.items().map(|i| i.text.as_str()).collect();
        assert_eq!(texts.len(), 3, "{texts:?}");
        assert!(q.excluded.is_empty());
        assert!(parse("\u{0}\u{1b}\u{7}").is_empty());
    }
}
