//! tongbao (通报): a search engine over Chinese police bulletins.
//!
//! Data flows one way. Indexing: `source` finds files and turns each into clean text and
//! hints → `extract` finds the issuing region, date and crime categories → a [`Bulletin`]
//! (the two meet in the reading stage, `read`) → `index` stores it in tantivy, segmented by
//! `analysis`. Searching: `search` parses the query, filters and ranks, and picks passages
//! → `render` prints them. The commands (the `tongbao` binary's `cli` and `serve` modules)
//! are front ends over these calls.

pub mod bulletin;
pub mod chars;
pub mod extract;
pub mod guard;
pub mod paths;
pub mod read;
pub mod resources;
pub mod sanitize;
pub mod source;

pub use bulletin::{Bulletin, Format, Region};

/// The folder of sample bulletins shipped with the source: indexed on a first search in
/// the source folder, and the benchmark's source of real sentences.
pub const SAMPLES: &str = "corpus-samples";
pub mod analysis;
pub mod bench;
pub mod cluster;
pub mod index;
pub mod render;
pub mod search;
