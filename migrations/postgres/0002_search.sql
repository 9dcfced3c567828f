-- Search over title and description that finds codes, prefixes and parts of words, the same
-- as on SQLite (src/storage/search_text.hpp has the rules).
--
-- oms_search_fold() folds case and accents with one fixed table (the same two strings as
-- k_search_fold_from/to in src/storage/search_text.cpp; a storage test compares them code point
-- by code point), so the result does not depend on the database's locale. translate() compares
-- every character with the whole table, so text of only ASCII or only Latin-1 code points
-- (the usual cases) uses just the table's entries below U+0100 (the same result, 4x faster on
-- a 2,000-character description).
CREATE OR REPLACE FUNCTION oms_search_fold(t text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE
  WHEN octet_length(t) = char_length(t)
    THEN translate(t, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
  WHEN t ~ E'^[\\x01-\\xff]*$'
    THEN translate(t,
    E'ABCDEFGHIJKLMNOPQRSTUVWXYZ\u00A0ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞàáâãäåçèéêëìíîïðñòóôõöøùúûüýÿ',
    E'abcdefghijklmnopqrstuvwxyz aaaaaaæceeeeiiiidnoooooouuuuyþaaaaaaceeeeiiiidnoooooouuuuyy')
  ELSE translate(t,
    E'ABCDEFGHIJKLMNOPQRSTUVWXYZ\u00A0ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜ'
    'ÝÞàáâãäåçèéêëìíîïðñòóôõöøùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜ'
    'ĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİıĲĴĵĶķĹĺĻļĽľĿŀŁłŃńŅņŇňŊŌōŎŏŐőŒŔŕŖŗŘřŚśŜŝ'
    'ŞşŠšŢţŤťŦŧŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſͰͲͶͿΆΈΉΊΌΎΏΐΑΒΓΔΕΖΗΘΙΚΛΜΝΞ'
    'ΟΠΡΣΤΥΦΧΨΩΪΫάέήίΰςϊϋόύώϏϓϔϘϚϜϞϠϢϤϦϨϪϬϮϴϷϹϺϽϾϿЀЁЂЃЄЅІЇЈЉЊЋЌЍЎ'
    'ЏАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ\u0300\u0301\u0302\u0303\u0304'
    '\u0305\u0306\u0307\u0308\u0309\u030A\u030B\u030C\u030D\u030E'
    '\u030F\u0310\u0311\u0312\u0313\u0314\u0315\u0316\u0317\u0318'
    '\u0319\u031A\u031B\u031C\u031D\u031E\u031F\u0320\u0321\u0322'
    '\u0323\u0324\u0325\u0326\u0327\u0328\u0329\u032A\u032B\u032C'
    '\u032D\u032E\u032F\u0330\u0331\u0332\u0333\u0334\u0335\u0336'
    '\u0337\u0338\u0339\u033A\u033B\u033C\u033D\u033E\u033F\u0340'
    '\u0341\u0342\u0343\u0344\u0345\u0346\u0347\u0348\u0349\u034A'
    '\u034B\u034C\u034D\u034E\u034F\u0350\u0351\u0352\u0353\u0354'
    '\u0355\u0356\u0357\u0358\u0359\u035A\u035B\u035C\u035D\u035E'
    '\u035F\u0360\u0361\u0362\u0363\u0364\u0365\u0366\u0367\u0368'
    '\u0369\u036A\u036B\u036C\u036D\u036E\u036F',
    E'abcdefghijklmnopqrstuvwxyz aaaaaaæceeeeiiiidnoooooouuuuyþaaa'
    'aaaceeeeiiiidnoooooouuuuyyaaaaaaccccccccddddeeeeeeeeeegggggg'
    'gghhhhiiiiiiiiiiĳjjkkllllllllllnnnnnnŋooooooœrrrrrrsssssssst'
    'tttttuuuuuuuuuuuuwwyyyzzzzzzsͱͳͷϳαεηιουωιαβγδεζηθικλμνξοπρστ'
    'υφχψωιυαεηιυσιυουωϗϒϒϙϛϝϟϡϣϥϧϩϫϭϯθϸϲϻͻͼͽѐёђѓєѕіїјљњћќѝўџабвг'
    'дежзийклмнопрстуфхцчшщъыьэюя')
END;

-- The folded title and description, filled for existing rows by this ALTER and kept in step on
-- every insert and update by PostgreSQL itself.
ALTER TABLE opportunities ADD COLUMN IF NOT EXISTS search_text text
  GENERATED ALWAYS AS (oms_search_fold(title || ' ' || description)) STORED;

-- Expand only: the previous release's index opportunities_fts stays until a later migration
-- drops it (docs/operations.md: a release must run on the schema of the release before it).

-- Every query word becomes `search_text LIKE '%word%'`, which a pg_trgm GIN index serves.
-- pg_trgm is a trusted extension (the database owner may create it). It is created in `public`
-- (or the current schema when there is no `public`), or used where it already is, so that
-- dropping an application schema never drops it; its operator class is named with its schema.
DO $$
DECLARE
  home text;
BEGIN
  SELECT n.nspname INTO home
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
   WHERE e.extname = 'pg_trgm';
  IF home IS NULL THEN
    home := CASE WHEN EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public') THEN 'public'
                 ELSE current_schema() END;
    EXECUTE format('CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA %I', home);
  END IF;
  EXECUTE format('CREATE INDEX IF NOT EXISTS opportunities_search ON opportunities USING gin (search_text %I.gin_trgm_ops)',
                 home);
END
$$;
