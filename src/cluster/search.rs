//! Searching a Solr collection with the local plan: the same hits, in the same order,
//! with the same passages.
//!
//! Everything but running the plan is the local search's code: the query is parsed and
//! planned by `search::plan`, its tiers of match kinds by `search::kind_plans`, and hits are
//! made from the stored text by `search::make_hit` (passages, highlights). Here the plan
//! goes through `search::solr` into one JSON request that ranks as `search::rank` does —
//! by kind (a sort function over the kind plans, sent as named queries), score, date, then
//! id where tantivy breaks exact ties by document address — and counts the kinds with
//! query facets (with `--facets`, also by province, city, category, year and month, as
//! `cluster::facets` asks for them, after one request for the collection's first and last
//! dates). Before it, one request (two per prefix character) reads the document
//! frequencies the translation corrects scores with. Near-duplicate groups collapse as
//! locally: the best copy stands for its group, and the window widens until the page is
//! full. Partial matches fill a short page as locally (`partial_base`), codes are
//! checked against stored text (`verify_codes`), and `--explain` runs each leaf over the
//! page (`explain`).

use std::collections::{HashMap, HashSet};

use jieba_rs::Jieba;
use serde_json::{json, Map, Value};

use super::{ClusterError, Solr};
use crate::search::clause::{Clause, TextField};
use crate::search::solr::{self as translate, Needs, Stats, Translation};
use crate::search::{self, kind_plans, make_hit, parse, tier, KindPlans, MatchKind, SearchRequest, SearchResults, SortBy, Stored};

/// Most candidates ranked to fill a page with distinct groups (as locally).
const MAX_CANDIDATES: usize = 50_000;

/// Run a search against the collection.
pub fn search(solr: &Solr, jieba: &Jieba, req: &SearchRequest) -> Result<SearchResults, search::SearchError> {
    let store = |e: ClusterError| search::SearchError::Store(e.to_string());
    let parsed = parse(&req.query);
    let browsing = req.query.trim().is_empty();
    if parsed.is_empty() && !browsing {
        return Err(search::SearchError::EmptyQuery);
    }
    let plan = if browsing { search::everything() } else { search::planner(jieba, req).plan(&parsed) };
    let sort = if browsing && req.sort == SortBy::Relevance { SortBy::Date } else { req.sort };
    let kinds = kind_plans(jieba, req, &parsed, &plan);

    // Every clause this search may send: the plan, the plans of its kinds.
    let mut clauses: Vec<&Clause> = vec![&plan.query];
    if let KindPlans::Tiered { literal, typed, worded, .. } = &kinds {
        clauses.extend([Some(literal), typed.as_ref(), worded.as_ref()].into_iter().flatten());
    }
    if req.explain {
        clauses.extend(plan.components.iter().flat_map(|c| std::iter::once(&c.query).chain(c.guards.iter().map(|g| &g.1))));
    }
    let relaxed = plan.relaxed.as_ref().filter(|_| sort == SortBy::Relevance && req.partial);
    if let Some(r) = relaxed {
        clauses.extend(r.units.iter().map(|u| &u.query).chain(&r.excluded));
    }
    let mut needs = Needs::default();
    for c in &clauses {
        let n = c.solr_needs();
        needs.terms.extend(n.terms);
        needs.prefixes.extend(n.prefixes);
    }
    let mut stats = stats(solr, &needs).map_err(store)?;
    verify_codes(solr, &mut stats, &clauses).map_err(store)?;

    let mut t = Translation::new(&stats);
    let query = t.clause(&plan.query, 1.0);
    let kind = kind_function(&mut t, &kinds);
    let query = t.named_statistics(query);
    let filters = translate::filters(&req.filters);
    let base = Base { query, queries: t.queries, params: t.params, filters, kind };

    let limit = req.limit.clamp(1, search::MAX_LIMIT);
    let offset = req.offset.min(1_000_000);
    let want = offset + limit;
    // Counting months needs the collection's first and last dates (one small request).
    let counting = if req.facets { Some(super::facets::request(super::facets::month_span(solr).map_err(store)?)) } else { None };
    let ranked = page(solr, &base, sort, want, req.all_copies, counting.as_ref()).map_err(store)?;
    let total = ranked.total;
    let mut top = ranked.top;
    let mut partial_total = 0;
    if let (true, Some(relaxed)) = (top.len() < want, relaxed) {
        // Too few full matches: the rest of the page comes from partial ones (as locally,
        // `search::search_in`), if the query carries enough information for them.
        if let Some(partial) = partial_base(solr, &stats, relaxed, &base.filters).map_err(store)? {
            let more = page(solr, &partial, sort, want + top.len(), req.all_copies, None).map_err(store)?;
            partial_total = more.total.saturating_sub(total);
            let strict: HashSet<String> = top.iter().map(|c| c.id.clone()).collect();
            let strict_groups: HashSet<String> = top.iter().filter_map(|c| c.group.clone()).collect();
            let room = want - top.len();
            let fresh = |c: &Candidate| !strict.contains(&c.id) && (req.all_copies || c.group.as_ref().is_none_or(|g| !strict_groups.contains(g)));
            let extra: Vec<Candidate> = more
                .top
                .into_iter()
                .filter(fresh)
                .take(room)
                .map(|c| Candidate { score: c.score * search::PARTIAL_DISCOUNT, kind: Some(MatchKind::Partial), ..c })
                .collect();
            top.extend(extra);
        }
    }
    let undated_left_out = if (req.filters.from.is_some() || req.filters.to.is_some()) && !req.filters.include_undated {
        Some(undated(solr, &base, &req.filters).map_err(store)?)
    } else {
        None
    };
    let page: Vec<&Candidate> = top.iter().skip(offset).take(limit).collect();

    let docs = stored(solr, page.iter().map(|c| c.id.as_str())).map_err(store)?;
    let mut explained = if req.explain && !browsing { explain(solr, &stats, &plan, &page).map_err(store)? } else { HashMap::new() };
    let mut hits = Vec::with_capacity(page.len());
    let groups: Vec<&str> = page.iter().filter_map(|c| c.group.as_deref()).collect::<HashSet<_>>().into_iter().collect();
    let members = group_members(solr, &groups).map_err(store)?;
    for (i, c) in page.iter().enumerate() {
        let Some(doc) = docs.get(&c.id) else { continue };
        let mut hit = make_hit(doc.clone(), offset + i + 1, c.score, &plan.highlight, &plan.expanded, req.passages);
        hit.match_kind = if browsing { None } else { c.kind };
        hit.partial = c.kind == Some(MatchKind::Partial);
        if req.explain {
            hit.explain = Some(explained.remove(&c.id).unwrap_or_default());
        }
        if let Some(group) = &c.group {
            hit.group = Some(group.clone());
            let all = members.get(group).map_or(&[][..], Vec::as_slice);
            let listed_itself = all.binary_search(&hit.path).is_ok();
            hit.duplicates_total = all.len() - usize::from(listed_itself);
            hit.duplicates = all.iter().filter(|p| **p != hit.path).take(search::MAX_DUPLICATES_LISTED).cloned().collect();
        }
        hits.push(hit);
    }
    let counts = ranked.counts;
    Ok(SearchResults {
        total,
        hits,
        facets: ranked.facets,
        truncated: parsed.truncated,
        expanded: plan.expanded,
        partial_total,
        literal_total: if browsing { total } else { counts[0] },
        words_total: counts[1],
        synonym_total: counts[2],
        category_total: counts[3],
        categories: plan.categories,
        undated_left_out,
    })
}

/// The partial-match request (`search::coverage` locally): bulletins whose units weigh at
/// least half the query's information, scored by the sum of their units' scores. A unit
/// weighs its IDF in the collection (counted here, one request for all units), nothing if
/// uninformative; `None` when the query carries no information.
fn partial_base(solr: &Solr, stats: &Stats, relaxed: &search::plan::Relaxed, filters: &[Value]) -> Result<Option<Base>, ClusterError> {
    use crate::search::coverage::{idf, uninformative, MIN_SHARE};
    let mut t = Translation::new(stats);
    let units: Vec<String> = relaxed
        .units
        .iter()
        .map(|u| {
            let q = t.clause(&u.query, 1.0);
            t.name(q)
        })
        .collect();
    let mut facet = Map::new();
    for (i, name) in units.iter().enumerate() {
        facet.insert(format!("u{i}"), json!({ "type": "query", "q": format!("{{!v=${name}}}") }));
    }
    let body = json!({ "query": "*:*", "queries": t.queries, "params": t.params, "limit": 0, "facet": facet });
    let answer = solr.post_json("query", &body)?;
    let n = answer["response"]["numFound"].as_u64().unwrap_or(0) as usize;
    let weights: Vec<f32> = relaxed
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| if uninformative(&u.text) { 0.0 } else { idf(answer["facets"][format!("u{i}")]["count"].as_u64().unwrap_or(0) as usize, n) })
        .collect();
    let whole: f32 = weights.iter().sum();
    if whole <= 0.0 {
        return Ok(None);
    }
    // The units' scores summed; the covered information, a function over the same units.
    let should: Vec<Value> = units.iter().map(|name| json!(format!("{{!v=${name}}}"))).collect();
    let covered: Vec<String> = units.iter().zip(&weights).filter(|(_, w)| **w > 0.0).map(|(name, w)| format!("if(exists(query(${name})),{w},0)")).collect();
    // A hair below the share, so a bulletin covering exactly half is in, as locally.
    let min = MIN_SHARE * whole * (1.0 - 1e-6);
    let mut must_not = Vec::new();
    for c in &relaxed.excluded {
        must_not.push(t.clause(c, 1.0));
    }
    let query =
        json!({ "bool": { "should": should, "must_not": must_not, "filter": [{ "frange": { "l": min, "query": format!("sum(0,{})", covered.join(",")) } }] } });
    let query = t.named_statistics(query);
    let partial = tier(Some(MatchKind::Partial));
    Ok(Some(Base { query, queries: t.queries, params: t.params, filters: filters.to_vec(), kind: format!("{partial}") }))
}

/// What each hit's score is made of (`search::explain` locally): the plan's leaves that
/// scored on it, largest first, those of an alternative that failed as a whole left out.
/// Each leaf and each enclosing item is run once, narrowed to the page's bulletins, so a
/// page costs one request per leaf and per distinct item rather than per hit.
fn explain(solr: &Solr, stats: &Stats, plan: &search::Plan, page: &[&Candidate]) -> Result<HashMap<String, Vec<search::Contribution>>, ClusterError> {
    use crate::index::schema::name;
    let only_page = json!({ "terms": { "f": name::ID, "query": page.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(",") } });
    let mut known: HashMap<String, HashMap<String, f32>> = HashMap::new();
    // The score of a clause on each bulletin of the page it matches.
    let mut scores = |c: &Clause| -> Result<HashMap<String, f32>, ClusterError> {
        let key = format!("{c:?}");
        if let Some(s) = known.get(&key) {
            return Ok(s.clone());
        }
        let mut t = Translation::new(stats);
        let query = t.clause(c, 1.0);
        let query = t.named_statistics(query);
        let body = json!({
            "query": query, "queries": t.queries, "params": t.params, "filter": [only_page],
            "limit": page.len(), "fields": format!("{},score", name::ID),
        });
        if std::env::var_os("TONGBAO_SOLR_TRACE").is_some() {
            eprintln!("explain {body}");
        }
        let answer = solr.post_json("query", &body)?;
        let found: HashMap<String, f32> = answer["response"]["docs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| Some((d[name::ID].as_str()?.to_string(), d["score"].as_f64()? as f32)))
            .collect();
        known.insert(key, found.clone());
        Ok(found)
    };
    let mut out = HashMap::new();
    for c in page {
        let partial = c.kind == Some(MatchKind::Partial);
        let mut parts = Vec::new();
        for component in plan.components.iter().filter(|k| k.in_plan(partial)) {
            let mut guarded = true;
            for (alternative, g) in &component.guards {
                // A partial match needs only the items of synonym alternatives.
                if (!partial || *alternative) && !scores(g)?.contains_key(&c.id) {
                    guarded = false;
                    break;
                }
            }
            if !guarded {
                continue;
            }
            if let Some(v) = scores(&component.query)?.get(&c.id).copied().filter(|v| *v > 0.0) {
                parts.push(search::Contribution { what: component.label.clone(), score: v });
            }
        }
        parts.sort_by(|a, b| b.score.partial_cmp(&a.score).unwrap_or(std::cmp::Ordering::Equal));
        if partial {
            let sum: f32 = parts.iter().map(|p| p.score).sum();
            parts.push(search::Contribution {
                what: format!("partial match: score ×{}", search::PARTIAL_DISCOUNT),
                score: sum * (search::PARTIAL_DISCOUNT - 1.0),
            });
        }
        out.insert(c.id.clone(), parts);
    }
    Ok(out)
}

/// Bulletins that match and pass every filter but the dates, and have no date: what a
/// date filter leaves out besides those dated outside it (as locally).
fn undated(solr: &Solr, base: &Base, filters: &search::Filters) -> Result<usize, ClusterError> {
    use crate::index::schema::name;
    let mut fq = translate::filters(&search::Filters { from: None, to: None, include_undated: false, ..filters.clone() });
    fq.push(json!({ "lucene": { "query": format!("*:* -{}:[* TO *]", name::DATE) } }));
    let body = json!({ "query": base.query, "queries": base.queries, "params": base.params, "filter": fq, "limit": 0 });
    let answer = solr.post_json("query", &body)?;
    Ok(answer["response"]["numFound"].as_u64().unwrap_or(0) as usize)
}

/// The parts of the request every page of one search shares.
struct Base {
    query: Value,
    queries: Map<String, Value>,
    /// Terms the functions name (see `Translation::params`).
    params: Map<String, Value>,
    filters: Vec<Value>,
    /// The function that gives a match's tier (0 literal … 3 category), as `rank::tier`.
    kind: String,
}

/// A ranked match.
#[derive(Debug, Clone)]
struct Candidate {
    id: String,
    score: f32,
    kind: Option<MatchKind>,
    group: Option<String>,
}

struct Ranked {
    total: usize,
    /// Matches per kind: literal, words, synonym, category.
    counts: [usize; 4],
    top: Vec<Candidate>,
    facets: Option<search::FacetCounts>,
}

/// The tier function of the kind plans: `if(exists(query($L)),0,…)`.
fn kind_function(t: &mut Translation, kinds: &KindPlans) -> String {
    match kinds {
        KindPlans::Fixed(k) => format!("{}", tier(*k)),
        KindPlans::Tiered { literal, typed, worded, synonyms } => {
            let mut name = |c: &Clause| {
                let q = t.clause(c, 1.0);
                t.name(q)
            };
            let l = name(literal);
            let after_words = match worded {
                Some(w) => format!("if(exists(query(${})),2,3)", name(w)),
                None => (if *synonyms { "2" } else { "3" }).to_string(),
            };
            let words = match typed {
                Some(ty) => format!("if(exists(query(${})),1,{after_words})", name(ty)),
                // Without a typed plan the full plan is the typed one.
                None => "1".to_string(),
            };
            format!("if(exists(query(${l})),0,{words})")
        }
    }
}

fn kind_of(tier: i64, fixed: bool, browsing_none: bool) -> Option<MatchKind> {
    if browsing_none && fixed {
        return None;
    }
    Some(match tier {
        0 => MatchKind::Literal,
        1 => MatchKind::Words,
        2 => MatchKind::Synonym,
        3 => MatchKind::Category,
        _ => MatchKind::Partial,
    })
}

/// The best `want` matches in order, one per group unless `all_copies`, widening the
/// window as `search::page` does.
fn page(solr: &Solr, base: &Base, sort: SortBy, want: usize, all_copies: bool, facets: Option<&Map<String, Value>>) -> Result<Ranked, ClusterError> {
    let mut fetch = if all_copies { want } else { (want * 3).max(want + 20) };
    loop {
        let mut ranked = rank(solr, base, sort, fetch, facets)?;
        let exhausted = ranked.top.len() < fetch || fetch >= MAX_CANDIDATES;
        if !all_copies {
            let mut seen = HashSet::new();
            ranked.top.retain(|c| c.group.as_ref().is_none_or(|g| seen.insert(g.clone())));
        }
        if all_copies || ranked.top.len() >= want || exhausted {
            ranked.top.truncate(want);
            return Ok(ranked);
        }
        fetch = (fetch * 4).min(MAX_CANDIDATES);
    }
}

/// One ranking request: the best `rows` in `sort` order, the total and the counts per kind.
fn rank(solr: &Solr, base: &Base, sort: SortBy, rows: usize, facets: Option<&Map<String, Value>>) -> Result<Ranked, ClusterError> {
    use crate::index::schema::name;
    let k = &base.kind;
    let relevance = format!("{k} asc, score desc, {date} desc", date = name::DATE);
    let order = match sort {
        SortBy::Relevance => relevance,
        SortBy::Date => format!("{} desc, {relevance}", name::DATE),
        SortBy::DateOldestFirst => format!("{} asc, {relevance}", name::DATE),
    };
    let mut facet = Map::new();
    for (i, key) in ["literal", "words", "synonym", "category"].into_iter().enumerate() {
        facet.insert(format!("kind_{key}"), json!({ "type": "query", "q": format!("{{!frange l={i} u={i}}}{k}") }));
    }
    if let Some(counting) = facets {
        facet.extend(counting.clone());
    }
    let body = json!({
        "query": base.query,
        "queries": base.queries,
        "params": base.params,
        "filter": base.filters,
        "limit": rows,
        "offset": 0,
        "sort": format!("{order}, {} asc", name::ID),
        "fields": format!("{},{},score,tier:{k}", name::ID, name::GROUP),
        "facet": facet,
    });
    if std::env::var_os("TONGBAO_SOLR_TRACE").is_some() {
        // The ranking request as sent, for comparing a score with Solr's own explanation.
        eprintln!("{body}");
    }
    let answer = solr.post_json("query", &body)?;
    let bad = |detail: &str| ClusterError::BadAnswer { what: "a search".to_string(), detail: detail.to_string() };
    let response = &answer["response"];
    let total = response["numFound"].as_u64().ok_or_else(|| bad("no numFound"))? as usize;
    let fixed = !k.starts_with("if(");
    let browsing_none = base.query == json!("*:*");
    let top = response["docs"]
        .as_array()
        .ok_or_else(|| bad("no docs"))?
        .iter()
        .map(|d| Candidate {
            id: d[name::ID].as_str().unwrap_or("").to_string(),
            // Ordered by date, the local index scores nothing (0).
            score: if sort == SortBy::Relevance { d["score"].as_f64().unwrap_or(0.0) as f32 } else { 0.0 },
            kind: kind_of(d["tier"].as_f64().unwrap_or(0.0) as i64, fixed, browsing_none),
            group: d[name::GROUP].as_str().map(str::to_string),
        })
        .collect();
    let count = |key: &str| answer["facets"][format!("kind_{key}")]["count"].as_u64().unwrap_or(0) as usize;
    let counts = [count("literal"), count("words"), count("synonym"), count("category")];
    let facets = facets.map(|_| super::facets::counts(&answer["facets"]));
    Ok(Ranked { total, counts, top, facets })
}

/// The document frequencies and prefix expansions a translation needs, and the number of
/// bulletins: one `terms` request, and two per prefix (plain and marked).
pub fn stats(solr: &Solr, needs: &Needs) -> Result<Stats, ClusterError> {
    let fields = [TextField::Title.name(), TextField::Body.name()];
    let mut stats = Stats::default();
    let terms: Vec<&str> = needs.terms.iter().map(|(_, t)| t.as_str()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let body = json!({ "params": {
        "terms.fl": fields, "terms.list": terms.join(","), "terms.stats": true, "terms.limit": -1, "json.nl": "map",
    }});
    let answer = solr.post_json("terms", &body)?;
    stats.docs = answer["indexstats"]["numDocs"].as_u64().unwrap_or(0);
    for field in [TextField::Title, TextField::Body] {
        if let Some(m) = answer["terms"][field.name()].as_object() {
            for (t, n) in m {
                stats.df.insert((field, t.clone()), n.as_u64().unwrap_or(0));
            }
        }
    }
    for (field, c) in &needs.prefixes {
        let mut found = Vec::new();
        for start in [c.clone(), format!("{}{c}", crate::analysis::text::GRAM_MARK)] {
            let body = json!({ "params": {
                "terms.fl": field.name(), "terms.prefix": start, "terms.regex": format!("{}.?", regex::escape(&start)),
                "terms.limit": -1, "json.nl": "map",
            }});
            let answer = solr.post_json("terms", &body)?;
            if let Some(m) = answer["terms"][field.name()].as_object() {
                found.extend(m.iter().filter(|(t, _)| translate::prefix_matches(c, t)).map(|(t, n)| (t.clone(), n.as_u64().unwrap_or(0))));
            }
        }
        stats.expansions.insert((*field, c.clone()), found);
    }
    Ok(stats)
}

/// Candidates read per request when checking a code.
const CODE_CANDIDATES_PER_REQUEST: usize = 200;

/// Check each code of the clauses (`4·28`, `(2023)粤0304刑初123号`) against the stored
/// title and body of every bulletin its phrase finds, as `search::exact` does locally
/// document by document: the grams carry no punctuation, so the phrase of `4·28` also
/// finds `4、28`. The ids that pass are kept in `stats` for the translation.
fn verify_codes(solr: &Solr, stats: &mut Stats, clauses: &[&Clause]) -> Result<(), ClusterError> {
    use crate::index::schema::name;
    let mut codes: Vec<(&str, &Clause)> = Vec::new();
    for c in clauses {
        for (needle, inner) in c.codes() {
            if !codes.iter().any(|(n, _)| *n == needle) {
                codes.push((needle, inner));
            }
        }
    }
    let fields = [name::ID, name::TITLE, name::BODY].join(",");
    for (needle, inner) in codes {
        let mut t = Translation::new(stats);
        let query = t.clause(inner, 1.0);
        let (queries, mut params) = (t.queries, t.params);
        let mut passed = Vec::new();
        let mut cursor = "*".to_string();
        loop {
            params.insert("cursorMark".to_string(), json!(cursor));
            let body = json!({
                "query": query,
                "queries": queries,
                "params": params,
                "limit": CODE_CANDIDATES_PER_REQUEST,
                "sort": format!("{} asc", name::ID),
                "fields": fields,
            });
            let answer = solr.post_json("query", &body)?;
            let docs = answer["response"]["docs"].as_array().cloned().unwrap_or_default();
            for d in &docs {
                let contains = [name::TITLE, name::BODY].iter().any(|f| crate::search::exact::canonical(&stored_text(&d[*f])).contains(needle));
                if let (true, Some(id)) = (contains, d[name::ID].as_str()) {
                    passed.push(id.to_string());
                }
            }
            match answer["nextCursorMark"].as_str() {
                Some(next) if next != cursor && !docs.is_empty() => cursor = next.to_string(),
                _ => break,
            }
        }
        stats.verified.insert(needle.to_string(), passed);
    }
    Ok(())
}

/// The stored bulletins of some ids, by id.
fn stored<'a>(solr: &Solr, ids: impl Iterator<Item = &'a str>) -> Result<HashMap<String, Stored>, ClusterError> {
    use crate::index::schema::name;
    let ids: Vec<&str> = ids.collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let fields = STORED_FIELDS.join(",");
    let body = json!({
        "query": { "terms": { "f": name::ID, "query": ids.join(",") } },
        "limit": ids.len(),
        "fields": fields,
    });
    let answer = solr.post_json("query", &body)?;
    Ok(answer["response"]["docs"].as_array().into_iter().flatten().map(stored_of).map(|s| (s.id.clone(), s)).collect())
}

/// The fields [`stored_of`] reads.
pub(super) const STORED_FIELDS: [&str; 8] = {
    use crate::index::schema::name;
    [name::ID, name::PATH, name::TITLE, name::BODY, name::DATE, name::REGION, name::CATEGORY, name::URL]
};

/// What a hit shows of a Solr document, as the local index gives it (`search::Stored`).
pub(super) fn stored_of(d: &Value) -> Stored {
    use crate::index::schema::name;
    let s = |k: &str| d[k].as_str().map(str::to_string);
    let list = |k: &str| -> Vec<String> { d[k].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_string)).collect() };
    let region = list(name::REGION).into_iter().max_by_key(|p| p.matches('/').count()).unwrap_or_default();
    let mut parts = region.trim_start_matches('/').split('/').filter(|s| !s.is_empty());
    let categories = list(name::CATEGORY);
    // Ancestors are stored for filtering; a hit names the paths themselves.
    let leaves = categories.iter().filter(|p| !categories.iter().any(|q| q.len() > p.len() && q.starts_with(&format!("{p}/")))).cloned().collect();
    Stored {
        id: s(name::ID).unwrap_or_default(),
        path: s(name::PATH).unwrap_or_default(),
        title: stored_text(&d[name::TITLE]),
        body: stored_text(&d[name::BODY]),
        date: s(name::DATE).map(|d| d.chars().take(10).collect()),
        province: parts.next().map(str::to_string),
        city: parts.next().map(str::to_string),
        categories: leaves,
        url: s(name::URL),
    }
}

/// A pre-analyzed field's stored value: its text (Solr gives back `str`).
fn stored_text(v: &Value) -> String {
    let v = if let Some(a) = v.as_array() { a.first().unwrap_or(&Value::Null) } else { v };
    let Some(s) = v.as_str() else { return String::new() };
    match serde_json::from_str::<Value>(s) {
        Ok(parsed) if parsed.get("str").is_some() => parsed["str"].as_str().unwrap_or("").to_string(),
        _ => s.to_string(),
    }
}

/// Paths of every bulletin of some groups, sorted, by group: one request for a page.
fn group_members(solr: &Solr, groups: &[&str]) -> Result<HashMap<String, Vec<String>>, ClusterError> {
    use crate::index::schema::name;
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    if groups.is_empty() {
        return Ok(out);
    }
    let body = json!({
        "query": { "terms": { "f": name::GROUP, "query": groups.join(",") } },
        "limit": MAX_CANDIDATES,
        "fields": format!("{},{}", name::GROUP, name::PATH),
    });
    let answer = solr.post_json("query", &body)?;
    for d in answer["response"]["docs"].as_array().into_iter().flatten() {
        if let (Some(g), Some(p)) = (d[name::GROUP].as_str(), d[name::PATH].as_str()) {
            out.entry(g.to_string()).or_default().push(p.to_string());
        }
    }
    for paths in out.values_mut() {
        paths.sort();
    }
    Ok(out)
}
