export interface TestClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export function startTestProvider(options: { port?: number; clients: TestClient[] }): Promise<{ issuer: string; stop: () => Promise<void> }>;
