import type { WebClient } from "@slack/web-api";
import type { Logger } from "../logger.js";
import type { ChannelStatus, SlackGateway } from "../services/ports.js";

/** The use cases' view of Slack, over the Web API. */
export function createSlackGateway(client: WebClient, logger: Logger): SlackGateway {
  return {
    async channelStatus(channelId): Promise<ChannelStatus> {
      try {
        const result = await client.conversations.info({ channel: channelId });
        return result.channel?.is_member === false ? "not_member" : "member";
      } catch (error) {
        const code = (error as { data?: { error?: string } }).data?.error;
        if (code === "channel_not_found") return "not_found";
        logger.warn({ err: error, channelId }, "could not check a channel");
        return "unknown";
      }
    },
    async fileInfo(fileId) {
      try {
        const file = (await client.files.info({ file: fileId })).file;
        if (!file?.name) return null;
        return {
          fileId,
          name: file.name,
          title: file.title ?? file.name,
          mimetype: file.mimetype ?? "",
          size: file.size ?? null,
          permalink: file.permalink ?? null,
        };
      } catch (error) {
        logger.warn({ err: error, fileId }, "could not read a file's details (files.info)");
        return null;
      }
    },
  };
}
