-- AlterTable
ALTER TABLE "Task" ADD COLUMN "cardLight" TEXT;

