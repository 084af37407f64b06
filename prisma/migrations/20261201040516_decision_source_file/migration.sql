-- AlterTable
ALTER TABLE "Decision" ADD COLUMN "sourceFileName" TEXT;
ALTER TABLE "Decision" ADD COLUMN "sourceFileUrl" TEXT;

