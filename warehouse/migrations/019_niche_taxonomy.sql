-- 019: the niche taxonomy grows from nine niches to sixteen (issue 14, niches-v3): art, beauty,
-- books, family, fashion, fitness, food, gaming, interior, music, outdoors, pet, sport, tech,
-- travel, other, in transforms/niches.py NICHES order. `niche_probs` becomes FLOAT[16]. The nine
-- numbers stored before (a nine-niche model's: niches-v1 or niches-v2) do not fit that order, so
-- they are cleared rather than misread, and `niche_version` says which niche model read each
-- score's text: `nine-niches` for the scores with niches made before this migration. A match
-- treats a score of another niche version as unknown and says so; `scout rescore` makes new
-- ones. `niches` and `niche` (the words) keep what the nine-niche model read.

ALTER TABLE creator_scores ADD COLUMN niche_version VARCHAR;

UPDATE creator_scores SET niche_version = 'nine-niches' WHERE niches IS NOT NULL OR niche_probs IS NOT NULL;

ALTER TABLE creator_scores ALTER niche_probs SET DATA TYPE FLOAT[16] USING NULL;
