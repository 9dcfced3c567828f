#include "storage/search_text.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "util/utf8.hpp"

namespace oms::storage {

// Keep in step with oms_search_fold() in migrations/postgres/0002_search.sql (see the header).
// clang-format off
const std::string_view k_search_fold_from =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ\u00A0ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜ"
    "ÝÞàáâãäåçèéêëìíîïðñòóôõöøùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜ"
    "ĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİıĲĴĵĶķĹĺĻļĽľĿŀŁłŃńŅņŇňŊŌōŎŏŐőŒŔŕŖŗŘřŚśŜŝ"
    "ŞşŠšŢţŤťŦŧŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſͰͲͶͿΆΈΉΊΌΎΏΐΑΒΓΔΕΖΗΘΙΚΛΜΝΞ"
    "ΟΠΡΣΤΥΦΧΨΩΪΫάέήίΰςϊϋόύώϏϓϔϘϚϜϞϠϢϤϦϨϪϬϮϴϷϹϺϽϾϿЀЁЂЃЄЅІЇЈЉЊЋЌЍЎ"
    "ЏАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ\u0300\u0301\u0302\u0303\u0304"
    "\u0305\u0306\u0307\u0308\u0309\u030A\u030B\u030C\u030D\u030E"
    "\u030F\u0310\u0311\u0312\u0313\u0314\u0315\u0316\u0317\u0318"
    "\u0319\u031A\u031B\u031C\u031D\u031E\u031F\u0320\u0321\u0322"
    "\u0323\u0324\u0325\u0326\u0327\u0328\u0329\u032A\u032B\u032C"
    "\u032D\u032E\u032F\u0330\u0331\u0332\u0333\u0334\u0335\u0336"
    "\u0337\u0338\u0339\u033A\u033B\u033C\u033D\u033E\u033F\u0340"
    "\u0341\u0342\u0343\u0344\u0345\u0346\u0347\u0348\u0349\u034A"
    "\u034B\u034C\u034D\u034E\u034F\u0350\u0351\u0352\u0353\u0354"
    "\u0355\u0356\u0357\u0358\u0359\u035A\u035B\u035C\u035D\u035E"
    "\u035F\u0360\u0361\u0362\u0363\u0364\u0365\u0366\u0367\u0368"
    "\u0369\u036A\u036B\u036C\u036D\u036E\u036F";
const std::string_view k_search_fold_to =
    "abcdefghijklmnopqrstuvwxyz aaaaaaæceeeeiiiidnoooooouuuuyþaaa"
    "aaaceeeeiiiidnoooooouuuuyyaaaaaaccccccccddddeeeeeeeeeegggggg"
    "gghhhhiiiiiiiiiiĳjjkkllllllllllnnnnnnŋooooooœrrrrrrsssssssst"
    "tttttuuuuuuuuuuuuwwyyyzzzzzzsͱͳͷϳαεηιουωιαβγδεζηθικλμνξοπρστ"
    "υφχψωιυαεηιυσιυουωϗϒϒϙϛϝϟϡϣϥϧϩϫϭϯθϸϲϻͻͼͽѐёђѓєѕіїјљњћќѝўџабвг"
    "дежзийклмнопрстуфхцчшщъыьэюя";
// clang-format on

namespace {

constexpr char32_t k_removed = 0xFFFFFFFF;

// Decodes one UTF-8 sequence at `at`; returns the code point and its length, or length 0 when
// the bytes there are not valid UTF-8.
std::pair<char32_t, std::size_t> decode(std::string_view s, std::size_t at) {
  const auto b0 = static_cast<unsigned char>(s[at]);
  if (b0 < 0x80) return {b0, 1};
  std::size_t n = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4;
    cp = b0 & 0x07;
  } else {
    return {0, 0};
  }
  if (at + n > s.size()) return {0, 0};
  for (std::size_t i = 1; i < n; ++i) {
    const auto b = static_cast<unsigned char>(s[at + i]);
    if ((b & 0xC0) != 0x80) return {0, 0};
    cp = (cp << 6) | (b & 0x3F);
  }
  return {cp, n};
}

std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    auto [cp, n] = decode(s, i);
    out.push_back(cp);
    i += n == 0 ? 1 : n;
  }
  return out;
}

// Every code point below U+0530 looked up directly; the table holds nothing above it.
constexpr char32_t k_table_end = 0x530;

const std::array<char32_t, k_table_end>& fold_table() {
  static const auto table = [] {
    std::array<char32_t, k_table_end> t{};
    for (char32_t c = 0; c < k_table_end; ++c) t[c] = c;
    const auto from = code_points(k_search_fold_from);
    const auto to = code_points(k_search_fold_to);
    for (std::size_t i = 0; i < from.size(); ++i) t[from[i]] = i < to.size() ? to[i] : k_removed;
    return t;
  }();
  return table;
}

}  // namespace

std::string search_fold(std::string_view text) {
  const auto& table = fold_table();
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80) {
      out.push_back(b0 >= 'A' && b0 <= 'Z' ? static_cast<char>(b0 - 'A' + 'a') : text[i]);
      ++i;
      continue;
    }
    auto [cp, n] = decode(text, i);
    if (n == 0) {
      out.push_back(text[i]);
      ++i;
      continue;
    }
    const char32_t folded = cp < k_table_end ? table[cp] : cp;
    if (folded != k_removed) util::append_utf8(folded, out);
    i += n;
  }
  return out;
}

std::vector<std::string> search_words(std::string_view query) {
  const std::string folded = search_fold(query);
  std::vector<std::string> words;
  std::string word;
  for (char c : folded) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word.push_back(c);
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::size_t search_code_points(std::string_view word) {
  // Continuation bytes do not start a code point.
  return static_cast<std::size_t>(
      std::count_if(word.begin(), word.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string search_like_pattern(std::string_view word) {
  std::string out = "%";
  for (char c : word) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

std::string search_fts5_phrase(std::string_view word) {
  std::string out = "\"";
  for (char c : word) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace oms::storage
