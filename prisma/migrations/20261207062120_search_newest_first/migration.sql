-- 查考, newest first: the full-text index is keyed by "sortKey" (time in seconds × 10⁹ + id), so
-- FTS5 hands a search its hits newest first. The index is derived from the records: the table,
-- its FTS5 table and triggers are made again empty and the watermarks reset, and the search
-- catch-up (at start and before each search) fills them anew.
DROP TRIGGER IF EXISTS "SearchEntry_ai";
DROP TRIGGER IF EXISTS "SearchEntry_ad";
DROP TRIGGER IF EXISTS "SearchEntry_au";
DROP TABLE IF EXISTS "SearchGrams";
DROP TABLE "SearchEntry";
DELETE FROM "Counter" WHERE "name" LIKE 'search:%';

-- CreateTable
CREATE TABLE "SearchEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "refId" INTEGER NOT NULL,
    "taskId" INTEGER,
    "decisionId" INTEGER,
    "infoId" INTEGER,
    "at" DATETIME NOT NULL,
    "sortKey" BIGINT NOT NULL,
    "text" TEXT NOT NULL,
    "grams" TEXT NOT NULL
);
CREATE UNIQUE INDEX "SearchEntry_sortKey_key" ON "SearchEntry"("sortKey");
CREATE INDEX "SearchEntry_taskId_idx" ON "SearchEntry"("taskId");
CREATE INDEX "SearchEntry_decisionId_idx" ON "SearchEntry"("decisionId");
CREATE INDEX "SearchEntry_infoId_idx" ON "SearchEntry"("infoId");
CREATE UNIQUE INDEX "SearchEntry_kind_refId_key" ON "SearchEntry"("kind", "refId");

-- The full-text index over the entries' two-character pieces, its rowid the entry's "sortKey":
-- an external-content FTS5 table kept in step by triggers.
CREATE VIRTUAL TABLE "SearchGrams" USING fts5("grams", content='SearchEntry', content_rowid='sortKey', tokenize='unicode61');
CREATE TRIGGER "SearchEntry_ai" AFTER INSERT ON "SearchEntry" BEGIN
  INSERT INTO "SearchGrams"(rowid, "grams") VALUES (new."sortKey", new."grams");
END;
CREATE TRIGGER "SearchEntry_ad" AFTER DELETE ON "SearchEntry" BEGIN
  INSERT INTO "SearchGrams"("SearchGrams", rowid, "grams") VALUES ('delete', old."sortKey", old."grams");
END;
CREATE TRIGGER "SearchEntry_au" AFTER UPDATE ON "SearchEntry" BEGIN
  INSERT INTO "SearchGrams"("SearchGrams", rowid, "grams") VALUES ('delete', old."sortKey", old."grams");
  INSERT INTO "SearchGrams"(rowid, "grams") VALUES (new."sortKey", new."grams");
END;
