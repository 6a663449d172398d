-- 013: content (issue 14). Each score carries what a brief is matched against, computed once per
-- score so a match over the warehouse reads them instead of re-reading every creator's posts:
-- `niche_probs`, the niche model's probability of each niche in transforms/niches.py NICHES order
-- (beauty, family, fashion, fitness, food, interior, pet, travel, other); `content_vector`, 64
-- numbers of unit length, a signed random projection of the hashed word and character n-grams
-- of name, bio and recent captions (transforms/content.py: cosine = closeness of vocabulary);
-- `language`, the main language of that text as an ISO 639-1 code (transforms/language.py).
-- NULL for scores made before this migration, for creators with no text, and (language only)
-- for too little text to tell.

ALTER TABLE creator_scores ADD COLUMN niche_probs FLOAT[9];
ALTER TABLE creator_scores ADD COLUMN content_vector FLOAT[64];
ALTER TABLE creator_scores ADD COLUMN language VARCHAR;
