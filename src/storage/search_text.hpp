#pragma once
// What the list route's `query` matches, the same on SQLite and PostgreSQL.
//
// Title and description are folded (search_fold) into one search text that the database keeps
// in step with every write: PostgreSQL in a generated column `opportunities.search_text` with
// a pg_trgm GIN index, SQLite in the FTS5 trigram table `opportunity_search` filled by triggers
// (migrations/<dialect>/0002_search.sql). A query is folded the same way and split at
// whitespace; every word must occur in the search text as a literal substring (so codes,
// prefixes and parts of words match, and % _ \ ' " are ordinary characters).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace oms::storage {

// The folding table, applied code point by code point as PostgreSQL's translate(text, from, to)
// does: the n-th code point of `from` becomes the n-th of `to`, and those of `from` beyond the
// end of `to` are removed. It maps A-Z, Latin-1, Latin Extended-A, Greek and Cyrillic capitals to
// lower case, Latin and Greek letters with diacritics to their base letter (e with acute -> e,
// o with stroke -> o), removes combining diacritical marks (U+0300-U+036F, so decomposed input
// folds like composed input) and turns the no-break space into a space. Every other code point
// (digits, punctuation, other scripts, ss, ae ligatures) stays as it is.
// migrations/postgres/0002_search.sql holds the same two strings in oms_search_fold(); a storage
// integration test checks both folds agree on every code point up to U+052F.
extern const std::string_view k_search_fold_from;
extern const std::string_view k_search_fold_to;

// The folded text; bytes that are not valid UTF-8 are kept as they are.
std::string search_fold(std::string_view text);

// The folded words of a query, split at ASCII whitespace; empty when nothing is left.
std::vector<std::string> search_words(std::string_view query);

// Words of at least this many code points are looked up in the trigram index; shorter ones
// (which have no trigram) are compared against every search text, on both stores.
inline constexpr std::size_t k_search_min_indexed = 3;

std::size_t search_code_points(std::string_view word);

// A LIKE pattern matching `word` anywhere, with % _ \ escaped by a backslash (PostgreSQL's
// default LIKE escape).
std::string search_like_pattern(std::string_view word);

// An FTS5 phrase matching `word` literally: quoted, inner quotes doubled.
std::string search_fts5_phrase(std::string_view word);

}  // namespace oms::storage
