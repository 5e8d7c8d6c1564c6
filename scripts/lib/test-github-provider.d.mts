export interface GithubApp {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export function startGithubStandIn(options: { port?: number; apps: GithubApp[] }): Promise<{ url: string; stop: () => Promise<void> }>;
