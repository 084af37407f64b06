-- CreateTable
CREATE TABLE "InfoReport" (
    "id" SERIAL NOT NULL,
    "year" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "departmentId" INTEGER NOT NULL,
    "reportedBy" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "place" TEXT NOT NULL DEFAULT '',
    "category" TEXT NOT NULL,
    "urgency" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "confidentiality" TEXT NOT NULL DEFAULT 'public',
    "reportedAt" TIMESTAMP(3) NOT NULL,
    "limitMinutes" INTEGER NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL DEFAULT 'open',
    "verdict" TEXT NOT NULL DEFAULT 'pending',
    "verdictBy" TEXT,
    "verdictAt" TIMESTAMP(3),
    "verdictNote" TEXT NOT NULL DEFAULT '',
    "followUpBy" TIMESTAMP(3),
    "followUpAskedAt" TIMESTAMP(3),
    "followUpStep" INTEGER NOT NULL DEFAULT 0,
    "digestNo" INTEGER,
    "files" TEXT NOT NULL DEFAULT '[]',
    "sourceChannelId" TEXT,
    "sourceTs" TEXT,
    "cardChannelId" TEXT,
    "cardTs" TEXT,
    "cardUrl" TEXT,
    "unitChannelId" TEXT,
    "unitTs" TEXT,
    "submissionKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InfoReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InfoFollowUp" (
    "id" SERIAL NOT NULL,
    "reportId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "channelId" TEXT,
    "ts" TEXT,

    CONSTRAINT "InfoFollowUp_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InfoMiss" (
    "id" SERIAL NOT NULL,
    "departmentId" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InfoMiss_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "InfoReport_submissionKey_key" ON "InfoReport"("submissionKey");

-- CreateIndex
CREATE INDEX "InfoReport_departmentId_reportedAt_idx" ON "InfoReport"("departmentId", "reportedAt");

-- CreateIndex
CREATE INDEX "InfoReport_reportedAt_idx" ON "InfoReport"("reportedAt");

-- CreateIndex
CREATE INDEX "InfoReport_verdict_digestNo_idx" ON "InfoReport"("verdict", "digestNo");

-- CreateIndex
CREATE INDEX "InfoReport_followUpBy_idx" ON "InfoReport"("followUpBy");

-- CreateIndex
CREATE INDEX "InfoReport_cardChannelId_cardTs_idx" ON "InfoReport"("cardChannelId", "cardTs");

-- CreateIndex
CREATE INDEX "InfoReport_unitChannelId_unitTs_idx" ON "InfoReport"("unitChannelId", "unitTs");

-- CreateIndex
CREATE UNIQUE INDEX "InfoReport_year_seq_key" ON "InfoReport"("year", "seq");

-- CreateIndex
CREATE INDEX "InfoFollowUp_reportId_createdAt_idx" ON "InfoFollowUp"("reportId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "InfoFollowUp_channelId_ts_key" ON "InfoFollowUp"("channelId", "ts");

-- CreateIndex
CREATE INDEX "InfoMiss_recordedAt_idx" ON "InfoMiss"("recordedAt");

-- CreateIndex
CREATE INDEX "InfoMiss_departmentId_idx" ON "InfoMiss"("departmentId");

-- AddForeignKey
ALTER TABLE "InfoFollowUp" ADD CONSTRAINT "InfoFollowUp_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "InfoReport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

