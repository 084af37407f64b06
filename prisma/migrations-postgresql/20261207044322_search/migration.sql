-- CreateTable
CREATE TABLE "SearchEntry" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "refId" INTEGER NOT NULL,
    "taskId" INTEGER,
    "decisionId" INTEGER,
    "infoId" INTEGER,
    "at" TIMESTAMP(3) NOT NULL,
    "text" TEXT NOT NULL,
    "grams" TEXT NOT NULL,

    CONSTRAINT "SearchEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SearchEntry_taskId_idx" ON "SearchEntry"("taskId");

-- CreateIndex
CREATE INDEX "SearchEntry_decisionId_idx" ON "SearchEntry"("decisionId");

-- CreateIndex
CREATE INDEX "SearchEntry_infoId_idx" ON "SearchEntry"("infoId");

-- CreateIndex
CREATE UNIQUE INDEX "SearchEntry_kind_refId_key" ON "SearchEntry"("kind", "refId");


-- The full-text index over the entries' two-character pieces (查考): each piece an element of
-- the array the GIN index holds; a search asks for the rows holding all of a word's pieces.
CREATE INDEX "SearchEntry_grams_idx" ON "SearchEntry" USING GIN (string_to_array("grams", ' '));
