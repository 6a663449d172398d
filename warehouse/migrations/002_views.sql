-- 002: once the views; they now live in warehouse/views/ and are re-created after migrations.
-- Kept (empty) so warehouses that recorded version 2 and new ones number alike.
SELECT 1;
