//! Crime categories: the rules of `index-schema/categories.toml` (facet path → cue words,
//! minus look-alike phrases) and the multi-label matcher built from them.
//!
//! All cue and exclusion phrases go into one Aho-Corasick automaton, so a document is read
//! once however many rules there are. A cue occurrence counts unless an exclusion phrase of
//! the same category covers it: `经侦查` hides the `经侦` inside it, `打盗骗保民安` the `骗保`.

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;

use crate::resources::ResourceError;

use super::fold;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default, rename = "category")]
    categories: Vec<RuleEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleEntry {
    path: String,
    #[serde(default)]
    cues: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    weak_cues: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
}

/// What one automaton pattern belongs to.
#[derive(Debug, Clone, Copy)]
struct Owner {
    category: usize,
    role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Cue,
    /// Counts only when none of the category's `unless` categories matched.
    Weak,
    Exclude,
}

/// The category rules, ready to match. Build once with [`CategoryRules::parse`].
#[derive(Debug)]
pub struct CategoryRules {
    paths: Vec<String>,
    /// Extra names a user may type for a category (`电诈` → `/诈骗/电信网络诈骗`).
    aliases: Vec<(String, usize)>,
    /// Per category: the categories whose presence silences its weak cues.
    unless: Vec<Vec<usize>>,
    ac: AhoCorasick,
    owners: Vec<Vec<Owner>>,
    /// Per category: its cues and weak cues, folded (the evidence search scores a
    /// bulletin matched only through its category by).
    cue_words: Vec<Vec<String>>,
}

impl CategoryRules {
    /// Parse the TOML rules (format documented at the top of `categories.toml`).
    pub fn parse(toml_text: &str) -> Result<Self, ResourceError> {
        let invalid = |reason: String| ResourceError::Invalid { name: "categories.toml".into(), reason };
        let file: RulesFile = toml::from_str(toml_text).map_err(|e| invalid(e.to_string()))?;
        let mut paths = Vec::new();
        let mut aliases = Vec::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<Owner>> = Vec::new();
        let mut cue_words: Vec<Vec<String>> = Vec::new();
        let add = |s: &str, owner: Owner, patterns: &mut Vec<String>, owners: &mut Vec<Vec<Owner>>| {
            let s = fold(s.trim());
            if s.is_empty() {
                return;
            }
            match patterns.iter().position(|p| *p == s) {
                Some(i) => owners[i].push(owner),
                None => {
                    patterns.push(s);
                    owners.push(vec![owner]);
                }
            }
        };
        for entry in &file.categories {
            let path = normalize_path(&entry.path).ok_or_else(|| invalid(format!("category path {:?} must look like /诈骗/养老诈骗", entry.path)))?;
            if paths.contains(&path) {
                return Err(invalid(format!("category {path} is defined twice")));
            }
            if entry.cues.is_empty() {
                return Err(invalid(format!("category {path} has no cues")));
            }
            let category = paths.len();
            paths.push(path);
            cue_words.push(entry.cues.iter().chain(&entry.weak_cues).map(|c| fold(c.trim())).filter(|c| !c.is_empty()).collect());
            for cue in &entry.cues {
                add(cue, Owner { category, role: Role::Cue }, &mut patterns, &mut owners);
            }
            for cue in &entry.weak_cues {
                add(cue, Owner { category, role: Role::Weak }, &mut patterns, &mut owners);
            }
            for ex in &entry.exclude {
                add(ex, Owner { category, role: Role::Exclude }, &mut patterns, &mut owners);
            }
            for a in &entry.aliases {
                aliases.push((fold(a.trim()), category));
            }
        }
        if paths.is_empty() {
            return Err(invalid("no [[category]] entries".into()));
        }
        let mut unless = Vec::new();
        for entry in &file.categories {
            let mut ids = Vec::new();
            for u in &entry.unless {
                let p = normalize_path(u).unwrap_or_default();
                let id = paths.iter().position(|x| *x == p).ok_or_else(|| invalid(format!("{}: `unless` names unknown category {u:?}", entry.path)))?;
                ids.push(id);
            }
            unless.push(ids);
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&patterns)
            .map_err(|e| invalid(format!("cannot build cue automaton: {e}")))?;
        Ok(CategoryRules { paths, aliases, unless, ac, owners, cue_words })
    }

    /// Facet paths of every category whose cues occur in `text` (already folded to
    /// simplified script), in the order of the rules file.
    pub fn classify(&self, text: &str) -> Vec<String> {
        let mut cues: Vec<(Role, usize, usize, usize)> = Vec::new();
        let mut excluded: Vec<(usize, usize, usize)> = Vec::new();
        for m in self.ac.find_overlapping_iter(text) {
            if numbers_an_item(text, m.start()) || accuses_the_listener(text, m.start()) {
                continue;
            }
            for o in &self.owners[m.pattern().as_usize()] {
                match o.role {
                    Role::Exclude => excluded.push((o.category, m.start(), m.end())),
                    role => cues.push((role, o.category, m.start(), m.end())),
                }
            }
        }
        let counts = |cat: usize, s: usize, e: usize| !excluded.iter().any(|&(c, xs, xe)| c == cat && xs <= s && e <= xe);
        let mut hit = vec![false; self.paths.len()];
        for &(role, cat, s, e) in &cues {
            if role == Role::Cue && !hit[cat] && counts(cat, s, e) {
                hit[cat] = true;
            }
        }
        // Weak cues after the strong ones: a bare 诈骗 is "other fraud" only when no
        // specific kind of fraud was found.
        for &(role, cat, s, e) in &cues {
            if role == Role::Weak && !hit[cat] && counts(cat, s, e) && !self.unless[cat].iter().any(|&u| hit[u]) {
                hit[cat] = true;
            }
        }
        self.paths.iter().zip(hit).filter(|(_, h)| *h).map(|(p, _)| p.clone()).collect()
    }

    /// The facet path a user means: a path (`/诈骗`, `诈骗/养老诈骗`), a leaf name
    /// (`养老诈骗`, `毒品`) or an alias from the rules file. Parents of rule paths count
    /// (`/诈骗` filters all fraud).
    pub fn resolve(&self, input: &str) -> Option<String> {
        let key = fold(input.trim());
        if key.is_empty() {
            return None;
        }
        if let Some(p) = normalize_path(&key) {
            if self.all_paths().contains(&p) {
                return Some(p);
            }
        }
        let leaf = key.trim_matches('/');
        let by_leaf: Vec<String> = self.all_paths().into_iter().filter(|p| p.rsplit('/').next() == Some(leaf)).collect();
        if let [one] = by_leaf.as_slice() {
            return Some(one.clone());
        }
        self.aliases.iter().find(|(a, _)| *a == leaf).map(|(_, c)| self.paths[*c].clone())
    }

    /// The category a search term names: a path, a leaf or alias name, or a cue word that
    /// belongs to exactly one category (偷渡 → `/妨害国边境`). Search uses it to find
    /// bulletins classified under the category that never use the term itself.
    pub fn named(&self, term: &str) -> Option<String> {
        if let Some(p) = self.resolve(term) {
            return Some(p);
        }
        let key = fold(term.trim());
        if key.chars().count() < 2 {
            return None;
        }
        let m = self.ac.find_overlapping_iter(key.as_str()).find(|m| m.start() == 0 && m.end() == key.len())?;
        let owners = &self.owners[m.pattern().as_usize()];
        match owners.as_slice() {
            [o] if o.role == Role::Cue => Some(self.paths[o.category].clone()),
            _ => None,
        }
    }

    /// Every facet path a document can carry, with their parents (`/诈骗` before
    /// `/诈骗/电信网络诈骗`), in rules-file order.
    pub(crate) fn all_paths(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in &self.paths {
            let mut prefix = String::new();
            for part in p.trim_start_matches('/').split('/') {
                prefix.push('/');
                prefix.push_str(part);
                if !out.contains(&prefix) {
                    out.push(prefix.clone());
                }
            }
        }
        out
    }

    /// The cue words (folded) of a category and of every category under it
    /// (`/诈骗` gathers all kinds of fraud), without repeats, in file order.
    pub(crate) fn cue_words(&self, path: &str) -> Vec<String> {
        let under = format!("{}/", path.trim_end_matches('/'));
        let mut out: Vec<String> = Vec::new();
        for (p, cues) in self.paths.iter().zip(&self.cue_words) {
            if p == path || p.starts_with(&under) {
                for c in cues {
                    if !out.contains(c) {
                        out.push(c.clone());
                    }
                }
            }
        }
        out
    }
}

/// `诈骗/养老诈骗/` → `/诈骗/养老诈骗`; `None` for text that is not a path.
/// Whether the match at `start` begins with the 、 of a numbered item (`1、诈骗分子…`,
/// `二、诈骗…`) rather than the 、 between crimes in a list.
fn numbers_an_item(text: &str, start: usize) -> bool {
    text[start..].starts_with('、') && text[..start].chars().next_back().is_some_and(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
}

/// Whether the match at `start` is a crime a swindler's script accuses the listener of
/// (`骗子自称民警，称您涉嫌洗钱`, `“你的银行卡涉嫌贩毒”`): a bulletin never tells its reader
/// "you are suspected of", so the words are the script it warns about, not a case.
fn accuses_the_listener(text: &str, start: usize) -> bool {
    let before = &text[..start];
    let Some(clause_at) =
        before.char_indices().rev().take(12).take_while(|(_, c)| !matches!(c, ',' | '。' | ';' | '!' | '?' | ':' | '“' | '"' | '\n')).last().map(|(i, _)| i)
    else {
        return false;
    };
    let clause = &before[clause_at..];
    clause.ends_with("涉嫌") && clause.contains(['你', '您'])
}

fn normalize_path(p: &str) -> Option<String> {
    let parts: Vec<&str> = p.split('/').map(str::trim).filter(|s| !s.is_empty()).collect();
    if parts.is_empty() || !p.contains('/') {
        return None;
    }
    Some(format!("/{}", parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::CategoryRules;
    use crate::extract::fold;
    use crate::extract::testing::EXTRACTOR;

    fn classify(text: &str) -> Vec<String> {
        EXTRACTOR.categories().classify(&fold(text))
    }

    #[test]
    fn cues_and_look_alikes() {
        let cases: &[(&str, &[&str])] = &[
            ("经侦查，犯罪嫌疑人王某系外地来京人员，已被刑事拘留。", &[]),
            ("由刑侦、经侦、治安、户政等各部门作为成员单位，全面部署安排。", &[]),
            ("省公安厅经侦总队依法严厉打击聚集型传销活动。", &["/经济犯罪"]),
            ("专案组民警杀了个回马枪，在其住处将其抓获。", &[]),
            ("打响夏季治安打击整治行动第一枪。", &[]),
            ("共破获非法制造、买卖枪支弹药案47起，缴获各类枪支90支。", &["/枪爆"]),
            ("持续优化营商环境，护航民营经济健康发展。", &[]),
            ("针对多发性侵财犯罪，警方加强夜间巡逻。", &[]),
            ("犯罪嫌疑人王某涉嫌强制猥亵一案已移送起诉。", &["/性侵"]),
            ("营造良好的社会环境和治安环境。", &[]),
            ("严惩破坏生态环境犯罪活动，侦办环境污染领域刑事案件同比上升42.9%。", &["/食药环知"]),
            ("市场监管局开展食品安全宣传周活动。", &[]),
            ("破获一起生产、销售有毒有害食品案。", &["/食药环知"]),
            ("药店违规刷医保电子凭证，药品收购人员低价收购名贵药材。", &[]),
            ("吉林省公安机关“打盗骗保民安”冬季治安攻势专项行动结束。", &["/诈骗/其他诈骗", "/侵财/盗窃"]),
            ("依法严厉打击盗窃、诈骗等突出犯罪活动。", &["/诈骗/其他诈骗", "/侵财/盗窃"]),
            ("紧盯电信网络诈骗等多发侵财犯罪。", &["/诈骗/电信网络诈骗"]),
            ("对涉及“投资理财”“高额回报”等话术的情况，很可能是诈骗陷阱。", &["/诈骗/其他诈骗"]),
            ("民警提醒：网络交友要谨慎，谨防电信网络诈骗，很可能是诈骗陷阱。", &["/诈骗/电信网络诈骗"]),
            ("香港警方拘捕3名男子，涉嫌诈骗。", &["/诈骗/其他诈骗"]),
            ("全市交通事故亡人数实现“六年六连降”。", &[]),
            ("最美逆行者坚守抗疫一线。", &[]),
            ("打擊整治養老詐騙專項行動開展以來", &["/诈骗/养老诈骗"]),
            ("扎實推進打擊整治養(yǎng)老詐騙工作", &["/诈骗/养老诈骗"]),
            (
                "扫黑除恶、反诈和打击盗抢骗、黄赌毒、食药环、打假等成效持续保持全省前列。",
                &["/诈骗/电信网络诈骗", "/诈骗/其他诈骗", "/侵财/盗窃", "/侵财/抢劫抢夺", "/涉黑涉恶", "/毒品", "/黄赌/赌博", "/黄赌/卖淫嫖娼", "/食药环知"],
            ),
            ("黑客入侵企业计算机信息系统非法获取信息数据，已成为公民个人信息泄露的源头。", &["/网络犯罪"]),
            ("打击治理电信网络违法犯罪工作取得明显成效。", &[]),
            ("对参与偷越国边境的边民进行惩戒。", &["/妨害国边境"]),
            ("苍梧交警大队严查酒后驾驶违法行为，查处各类交通违法行为15起。", &["/交通/酒驾醉驾", "/交通/其他交通违法"]),
        ];
        assert_classes(cases);
    }

    /// Each sentence gets exactly the listed categories, in any order.
    fn assert_classes(cases: &[(&str, &[&str])]) {
        for (text, want) in cases {
            let mut got = classify(text);
            got.sort();
            let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
            want.sort();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn classes_of_misses_and_look_alikes() {
        let cases: &[(&str, &[&str])] = &[
            // Counterfeit goods and crackdowns on food and drug crime.
            ("警方近日破获一起销售假冒药品案，查获假冒降压药2000余盒。", &["/食药环知"]),
            ("会议要求，依法严厉打击食品、药品领域违法犯罪。", &["/食药环知"]),
            // An office's name or a regulator is not a case; nor are relief goods.
            ("市场监管局、食品药品监督管理部门派员参加会议。", &[]),
            ("公安部食品药品犯罪侦查局有关负责人出席发布会并介绍医保诈骗案情。", &["/诈骗/其他诈骗"]),
            // A numbered item opens with 、, which is no list of crimes.
            ("防骗提示：\n1、诈骗分子冒充电商客服，谎称商品质量有问题要退款。", &["/诈骗/电信网络诈骗"]),
            ("严厉打击盗窃、诈骗等多发性侵财犯罪。", &["/侵财/盗窃", "/诈骗/其他诈骗"]),
            // Deceit words are other fraud unless the story is telecom fraud.
            ("团伙以推销保健品为名，骗取老年人钱财200余万元。", &["/诈骗/其他诈骗"]),
            ("骗子冒充客服，骗取受害人的信任后将其银行卡盗刷。", &["/诈骗/电信网络诈骗"]),
            ("共破获刷单返利类诈骗案件214起。", &["/诈骗/电信网络诈骗"]),
            ("警方打掉一个冒充军人实施婚恋类诈骗的团伙。", &["/诈骗/其他诈骗"]),
            // Cross-border gambling and fraud named together.
            ("边境一线查获的涉赌诈偷渡人员同比下降。", &["/诈骗/电信网络诈骗", "/黄赌/赌博", "/妨害国边境"]),
            // The eight serious violent crimes, and harm named in a list of crimes.
            ("全市八类严重暴力案件发案同比下降10%。", &["/暴力/其他暴力"]),
            ("共破获杀人、伤害、抢劫案件56起。", &["/暴力/命案", "/暴力/伤害", "/侵财/抢劫抢夺"]),
            ("事故未造成人员伤害。", &[]),
            // A drug squad officer listed among kinds of police is a job, not a case.
            ("社区民警没有刑警、缉毒警那样惊险的经历。", &[]),
            ("缉毒警察在高速路口查获冰毒2公斤。", &["/毒品"]),
            // A crime a swindler's script accuses the listener of is not a case.
            ("对方自称检察官，说您的账户涉嫌洗钱，要求转账到“安全账户”配合调查。", &[]),
            ("骗子在电话中称：“你涉嫌贩毒，名下银行卡已被冻结。”", &[]),
            // The police's own suspect is.
            ("犯罪嫌疑人李某涉嫌洗钱罪，已被依法刑事拘留。", &["/经济犯罪"]),
            ("警方查明，该团伙为他人涉嫌贩毒所得资金提供账户。", &["/毒品"]),
            // Malware and intrusion are network crime.
            ("犯罪嫌疑人制作并传播木马病毒，远程控制他人电脑窃取数据。", &["/网络犯罪"]),
            ("该团伙利用勒索病毒加密企业服务器，索要比特币赎金。", &["/网络犯罪"]),
            ("张某涉嫌非法控制计算机信息系统罪被批准逮捕。", &["/网络犯罪"]),
            // A carousel horse is no trojan.
            ("游乐场的旋转木马旁，民警帮助走失儿童找到家人。", &[]),
        ];
        assert_classes(cases);
    }

    #[test]
    fn exclusion_covers_only_its_own_category() {
        let rules = CategoryRules::parse(
            r#"
            [[category]]
            path = "/诈骗/骗保"
            cues = ["骗保"]
            exclude = ["打盗骗保民安"]

            [[category]]
            path = "/治安"
            cues = ["保民安"]
            "#,
        )
        .expect("valid rules");
        assert_eq!(rules.classify("开展“打盗骗保民安”行动"), vec!["/治安".to_string()]);
        assert_eq!(rules.classify("严厉打击欺诈骗保行为"), vec!["/诈骗/骗保".to_string()]);
    }

    #[test]
    fn bad_rules_are_reported() {
        for (text, needle) in [
            ("[[category]]\npath = \"毒品\"\ncues = [\"毒品\"]", "must look like"),
            ("[[category]]\npath = \"/毒品\"\ncues = []", "no cues"),
            ("[[category]]\npath = \"/毒品\"\ncues = [\"毒品\"]\n[[category]]\npath = \"/毒品\"\ncues = [\"吸毒\"]", "twice"),
            ("[[category]]\npath = \"/毒品\"\ncue = [\"毒品\"]", "unknown field"),
        ] {
            let err = CategoryRules::parse(text).expect_err(text).to_string();
            assert!(err.contains(needle), "{err}");
        }
    }

    #[test]
    fn resolve_paths_leaves_and_aliases() {
        let rules = EXTRACTOR.categories();
        let cases = [
            ("毒品", Some("/毒品")),
            ("/毒品", Some("/毒品")),
            ("/诈骗", Some("/诈骗")),
            ("诈骗", Some("/诈骗")),
            ("养老诈骗", Some("/诈骗/养老诈骗")),
            ("诈骗/养老诈骗/", Some("/诈骗/养老诈骗")),
            ("電詐", Some("/诈骗/电信网络诈骗")),
            ("盗窃", Some("/侵财/盗窃")),
            ("/侵财/诈骗", None),
            ("天气", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(rules.resolve(input).as_deref(), want, "{input}");
        }
        let all = rules.all_paths();
        for p in ["/诈骗", "/诈骗/养老诈骗", "/毒品", "/交通", "/交通/酒驾醉驾", "/妨害国边境"] {
            assert!(all.contains(&p.to_string()), "{p} missing from {all:?}");
        }
        assert!(all.iter().position(|p| p == "/诈骗") < all.iter().position(|p| p == "/诈骗/养老诈骗"));
    }
}
