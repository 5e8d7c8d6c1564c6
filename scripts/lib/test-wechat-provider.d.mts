export interface WechatApp {
  appid: string;
  secret: string;
  /** The host WeChat lets the login return to (the app's authorised callback domain). */
  domain: string;
  /** The Open Platform account the app is bound to: its apps share each user's unionid. */
  open_platform?: string;
}

export function startWechatStandIn(options: { port?: number; apps: WechatApp[] }): Promise<{ url: string; stop: () => Promise<void> }>;
