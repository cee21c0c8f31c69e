//! The ICD-10-CM catalogue (April 2026 release, 98,147 codes; `scripts/icd10-codes.sh` says
//! where it comes from), held in memory: it never changes while the server runs, and a scan of
//! it answers faster than a round trip to the database would.

use crate::records::domain::icd10_code::Icd10Code;
use crate::records::model::Icd10Entry;
use std::io::Read;
use std::ops::Range;
use std::sync::LazyLock;

static FILE: &[u8] = include_bytes!("../../data/icd10cm-2026.tsv.gz");

struct Row {
    code: Range<usize>,
    title: Range<usize>,
    billable: bool,
}

pub struct Catalogue {
    /// The file as text, and its titles again in lower case at the same offsets.
    text: String,
    lower: String,
    rows: Vec<Row>,
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    let mut text = String::new();
    // The file is compiled in; a failure here is a broken build, caught by the tests below.
    if let Err(e) = flate2::read::GzDecoder::new(FILE).read_to_string(&mut text) {
        tracing::error!(error = %e, "the ICD-10 catalogue in the binary cannot be read");
        text.clear();
    }
    Catalogue::parse(text)
});

/// The catalogue, read from the binary the first time it is asked for.
pub fn catalogue() -> &'static Catalogue {
    &CATALOGUE
}

impl Catalogue {
    fn parse(text: String) -> Catalogue {
        // ASCII lower-casing keeps every byte offset, so one set of ranges serves both.
        let lower = text.to_ascii_lowercase();
        let mut rows = Vec::with_capacity(100_000);
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let end = start + line.trim_end_matches('\n').len();
            let mut parts = text[start..end].splitn(3, '\t');
            if let (Some(code), Some(flag), Some(title)) =
                (parts.next(), parts.next(), parts.next())
            {
                let title_start = end - title.len();
                rows.push(Row {
                    code: start..start + code.len(),
                    title: title_start..end,
                    billable: flag == "1",
                });
            }
            start += line.len();
        }
        Catalogue { text, lower, rows }
    }

    /// The lower-cased titles as one text, for the benchmark's baseline scan.
    pub fn text_for_baseline(&self) -> &str {
        &self.lower
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn entry(&self, row: &Row) -> Icd10Entry {
        Icd10Entry {
            code: self.text[row.code.clone()].to_owned(),
            title: self.text[row.title.clone()].to_owned(),
            billable: row.billable,
        }
    }

    /// The entry for an exact code, in any form `Icd10Code` reads.
    pub fn get(&self, code: &Icd10Code) -> Option<Icd10Entry> {
        let wanted = code.as_str();
        let at = self
            .rows
            .binary_search_by(|row| self.text[row.code.clone()].cmp(wanted))
            .ok()?;
        Some(self.entry(&self.rows[at]))
    }

    /// Up to `limit` entries for what a doctor typed: codes that start with it when it looks
    /// like a code (`J45`, `e11.9`), then codes whose title holds every word typed, in code
    /// order (so a category comes before its subcodes).
    pub fn search(&self, query: &str, limit: usize) -> Vec<Icd10Entry> {
        let query = query.trim();
        if query.is_empty() || limit == 0 {
            return vec![];
        }
        let mut found: Vec<usize> = Vec::new();
        if let Some(prefix) = code_prefix(query) {
            let first = self
                .rows
                .partition_point(|row| self.text[row.code.clone()] < *prefix);
            found.extend(
                (first..self.rows.len())
                    .take_while(|&i| self.text[self.rows[i].code.clone()].starts_with(&prefix))
                    .take(limit),
            );
        }
        let words: Vec<String> = query
            .split_whitespace()
            .map(|w| w.to_ascii_lowercase())
            .filter(|w| !w.is_empty())
            .collect();
        if found.len() < limit && !words.is_empty() {
            for (i, row) in self.rows.iter().enumerate() {
                let title = &self.lower[row.title.clone()];
                if words.iter().all(|w| title.contains(w.as_str())) && !found.contains(&i) {
                    found.push(i);
                    if found.len() == limit {
                        break;
                    }
                }
            }
        }
        found
            .into_iter()
            .map(|i| self.entry(&self.rows[i]))
            .collect()
    }
}

/// `J45`, `j45.9`, `E119` as the start of a code in the catalogue's form; `None` for words.
fn code_prefix(query: &str) -> Option<String> {
    let compact: String = query.chars().filter(|c| *c != '.').collect();
    let bytes = compact.as_bytes();
    let looks_like_code = !bytes.is_empty()
        && bytes.len() <= 7
        && bytes[0].is_ascii_alphabetic()
        && bytes.get(1).is_some_and(u8::is_ascii_digit)
        && bytes.iter().all(u8::is_ascii_alphanumeric);
    if !looks_like_code {
        return None;
    }
    Some(crate::records::domain::icd10_code::written_form(&compact))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_release_is_compiled_in_and_in_code_order() {
        let c = catalogue();
        assert_eq!(c.len(), 98_147);
        assert!(c
            .rows
            .windows(2)
            .all(|w| c.text[w[0].code.clone()] < c.text[w[1].code.clone()]));
    }

    #[test]
    fn codes_are_found_by_their_start_and_exactly() {
        let c = catalogue();
        let hits = c.search("j45.9", 5);
        assert_eq!(hits[0].code, "J45.9");
        assert!(hits.iter().all(|h| h.code.starts_with("J45.9")));
        let exact = c
            .get(&Icd10Code::parse("e119").expect("shape"))
            .expect("in the list");
        assert_eq!(
            exact.title,
            "Type 2 diabetes mellitus without complications"
        );
        assert!(exact.billable);
        assert!(
            !c.get(&Icd10Code::parse("E11").expect("shape"))
                .expect("category")
                .billable
        );
        assert_eq!(c.get(&Icd10Code::parse("Z99.99").expect("shape")), None);
    }

    #[test]
    fn words_find_titles_holding_all_of_them() {
        let hits = catalogue().search("Asthma  severe persistent", 50);
        assert!(!hits.is_empty());
        assert!(hits.iter().all(|h| {
            let t = h.title.to_lowercase();
            t.contains("asthma") && t.contains("severe") && t.contains("persistent")
        }));
        assert_eq!(hits[0].code, "J45.5");
        assert!(catalogue().search("", 10).is_empty());
        assert!(catalogue().search("zzzqqq", 10).is_empty());
    }
}
