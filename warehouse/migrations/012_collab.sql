-- 012: collaboration stance and history (issue 14). Each score carries the bio's stance
-- (open_to_gifting, paid_only or unknown) and the words that decided it, the counts of paid,
-- gifted and affiliate posts, the paid share of posts and the brands named in those posts
-- ("@a, @b", most often first); each post its collab_kind (paid, gifted, affiliate, organic).
-- NULL for rows stored before this migration.

ALTER TABLE creator_scores ADD COLUMN collab_stance VARCHAR;
ALTER TABLE creator_scores ADD COLUMN collab_evidence VARCHAR;
ALTER TABLE creator_scores ADD COLUMN paid_posts INTEGER;
ALTER TABLE creator_scores ADD COLUMN gifted_posts INTEGER;
ALTER TABLE creator_scores ADD COLUMN affiliate_posts INTEGER;
ALTER TABLE creator_scores ADD COLUMN paid_share DOUBLE;
ALTER TABLE creator_scores ADD COLUMN past_partners VARCHAR;

ALTER TABLE posts ADD COLUMN collab_kind VARCHAR;
