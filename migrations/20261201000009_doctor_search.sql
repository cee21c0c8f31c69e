-- Doctor search filters in the database. A name's search form is the folding of
-- app::kernel::values::arabic_search::normalize (harakat and tatweel dropped; hamza, alef, taa
-- marbuta and alef maqsura forms folded; lower case; the article removed from words long
-- enough to keep a stem), kept as an array of words beside the name it comes from. A test
-- (server/tests/api/search.rs) checks that both foldings find the same doctors.
CREATE FUNCTION search_words(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(CASE
               WHEN starts_with(w, 'ال') AND char_length(w) >= 4 THEN substr(w, 3)
               WHEN starts_with(w, 'al') AND char_length(w) >= 5 THEN substr(w, 3)
               ELSE w END ORDER BY n), '{}')
    FROM regexp_split_to_table(
             lower(translate(regexp_replace(name, '[\u064B-\u065F\u0670\u0640]', '', 'g'),
                             'أإآٱةىؤئ', 'ااااهيوي')),
             '[[:space:]''-]+') WITH ORDINALITY AS t(w, n)
    WHERE w <> ''
$$;

ALTER TABLE users
    ADD COLUMN search_ar text[] NOT NULL
        GENERATED ALWAYS AS (search_words(first_name || ' ' || family_name)) STORED,
    ADD COLUMN search_latin text[] NOT NULL
        GENERATED ALWAYS AS (coalesce(search_words(latin_name), '{}')) STORED;
