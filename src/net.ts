import { type Dispatcher, EnvHttpProxyAgent, fetch as undiciFetch } from "undici";

/**
 * Where outgoing calls go. Government networks often reach Slack only through a proxy:
 * HTTPS_PROXY (HTTP_PROXY for plain http) is used for every outgoing call — the Web API,
 * file uploads and the Socket Mode WebSocket — except to the hosts NO_PROXY lists.
 */
export interface ProxySettings {
  httpsProxy?: string;
  httpProxy?: string;
  noProxy?: string;
}

export interface Network {
  /** The dispatcher every outgoing connection uses; undefined without a proxy (direct). */
  dispatcher: Dispatcher | undefined;
  /** fetch through that dispatcher. */
  fetch: typeof globalThis.fetch;
}

/** The proxy settings of an environment, as curl and most tools read them (upper or lower case). */
export function proxyFromEnv(env: Record<string, string | undefined>): ProxySettings {
  const pick = (name: string) => env[name]?.trim() || env[name.toLowerCase()]?.trim() || undefined;
  const settings: ProxySettings = {};
  const https = pick("HTTPS_PROXY");
  const http = pick("HTTP_PROXY");
  const no = pick("NO_PROXY");
  if (https) settings.httpsProxy = https;
  if (http) settings.httpProxy = http;
  if (no) settings.noProxy = no;
  return settings;
}

export function createNetwork(proxy: ProxySettings = {}): Network {
  if (!proxy.httpsProxy && !proxy.httpProxy) return { dispatcher: undefined, fetch: globalThis.fetch };
  const dispatcher = new EnvHttpProxyAgent({
    // Explicit values, so the process environment is read once, by the configuration.
    httpProxy: proxy.httpProxy ?? "",
    httpsProxy: proxy.httpsProxy ?? proxy.httpProxy ?? "",
    noProxy: proxy.noProxy ?? "",
  });
  const fetch = ((input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    })) as unknown as typeof globalThis.fetch;
  return { dispatcher, fetch };
}
