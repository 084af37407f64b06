-- A claim on an owed message carries a lease: when it runs out (the process died mid-send),
-- any worker takes the message over, looking for it in Slack before sending it again.
ALTER TABLE "OutboxMessage" ADD COLUMN "leaseUntil" DATETIME;
