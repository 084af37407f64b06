-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "status" TEXT;


-- What the worker used to read from prefixes of lastError.
UPDATE "OutboxMessage" SET "status" = 'ambiguous', "lastError" = substr("lastError", 11) WHERE "lastError" LIKE 'ambiguous:%';
UPDATE "OutboxMessage" SET "status" = 'blocked', "lastError" = substr("lastError", 9) WHERE "lastError" LIKE 'blocked:%';
UPDATE "OutboxMessage" SET "status" = 'ratelimited' WHERE "lastError" = 'ratelimited';
