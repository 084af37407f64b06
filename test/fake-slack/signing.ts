import crypto from "node:crypto";

/** The headers Slack adds to every request: v0 HMAC-SHA256 over `v0:timestamp:body`. */
export function slackSignatureHeaders(
  signingSecret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = crypto
    .createHmac("sha256", signingSecret)
    .update(`v0:${timestamp}:${body}`)
    .digest("hex");
  return {
    "X-Slack-Request-Timestamp": String(timestamp),
    "X-Slack-Signature": `v0=${signature}`,
  };
}
