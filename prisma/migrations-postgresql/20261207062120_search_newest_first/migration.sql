-- 查考, newest first: entries are ordered by "sortKey" (time in seconds × 10⁹ + id). The index
-- is derived from the records: emptied, watermarks reset, filled again by the search catch-up.
DELETE FROM "SearchEntry";
DELETE FROM "Counter" WHERE "name" LIKE 'search:%';

-- AlterTable
ALTER TABLE "SearchEntry" ADD COLUMN     "sortKey" BIGINT NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "SearchEntry_sortKey_key" ON "SearchEntry"("sortKey");
