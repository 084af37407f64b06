-- CreateTable
CREATE TABLE "SearchEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "refId" INTEGER NOT NULL,
    "taskId" INTEGER,
    "decisionId" INTEGER,
    "infoId" INTEGER,
    "at" DATETIME NOT NULL,
    "text" TEXT NOT NULL,
    "grams" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "SearchEntry_taskId_idx" ON "SearchEntry"("taskId");

-- CreateIndex
CREATE INDEX "SearchEntry_decisionId_idx" ON "SearchEntry"("decisionId");

-- CreateIndex
CREATE INDEX "SearchEntry_infoId_idx" ON "SearchEntry"("infoId");

-- CreateIndex
CREATE UNIQUE INDEX "SearchEntry_kind_refId_key" ON "SearchEntry"("kind", "refId");


-- The full-text index over the entries' two-character pieces (查考): an external-content FTS5
-- table kept in step by triggers, so a write to "SearchEntry" is a write to the index.
CREATE VIRTUAL TABLE "SearchGrams" USING fts5("grams", content='SearchEntry', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER "SearchEntry_ai" AFTER INSERT ON "SearchEntry" BEGIN
  INSERT INTO "SearchGrams"(rowid, "grams") VALUES (new."id", new."grams");
END;
CREATE TRIGGER "SearchEntry_ad" AFTER DELETE ON "SearchEntry" BEGIN
  INSERT INTO "SearchGrams"("SearchGrams", rowid, "grams") VALUES ('delete', old."id", old."grams");
END;
CREATE TRIGGER "SearchEntry_au" AFTER UPDATE ON "SearchEntry" BEGIN
  INSERT INTO "SearchGrams"("SearchGrams", rowid, "grams") VALUES ('delete', old."id", old."grams");
  INSERT INTO "SearchGrams"(rowid, "grams") VALUES (new."id", new."grams");
END;
