-- AlterTable
ALTER TABLE "Decision" ADD COLUMN     "sourceFileName" TEXT,
ADD COLUMN     "sourceFileUrl" TEXT;

