-- CreateTable
CREATE TABLE "ReportFile" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "reportId" INTEGER NOT NULL,
    "fileId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "mimetype" TEXT NOT NULL DEFAULT '',
    "size" INTEGER,
    "permalink" TEXT,
    CONSTRAINT "ReportFile_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ReportFile_fileId_idx" ON "ReportFile"("fileId");

-- CreateIndex
CREATE UNIQUE INDEX "ReportFile_reportId_fileId_key" ON "ReportFile"("reportId", "fileId");

