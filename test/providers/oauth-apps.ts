// The apps registered at the GitHub and WeChat stand-ins (test/providers/oauth-setup.ts) and the
// entries the tests configure for them: shared by the Node setup and the workerd tests.

export const GITHUB_APP = { client_id: "Iv1.edge-signin", client_secret: "gh-secret-0123456789abcdef0123456789abcdef" };

/** Two website apps of one Open Platform account (one unionid per user), and one app of none. */
export const WECHAT_APPS = {
  web: { appid: "wx0123456789abcdef", secret: "wx-secret-0123456789abcdef0123456" },
  web2: { appid: "wx1111111111111111", secret: "wx-secret-1111111111111111111111" },
  solo: { appid: "wx2222222222222222", secret: "wx-secret-2222222222222222222222" },
};

export const githubEndpoints = (url: string) => ({
  authorization_endpoint: `${url}/login/oauth/authorize`,
  token_endpoint: `${url}/login/oauth/access_token`,
  api_url: `${url}/api/v3`,
});

export const wechatEndpoints = (url: string) => ({
  authorization_endpoint: `${url}/connect/qrconnect`,
  token_endpoint: `${url}/sns/oauth2/access_token`,
  userinfo_endpoint: `${url}/sns/userinfo`,
});
