// The typed client's refresh: before a call when the access token has expired, after a 401, and
// a session that can no longer be refreshed is cleared.
import { afterEach, describe, expect, it } from "vitest";
import { vi } from "vitest";
import { testClient } from "./client-helpers";
import { createUser, uniqueName } from "./helpers";

const PASSWORD = "refresh me please";

async function signedIn() {
  const username = uniqueName("refresh");
  const user = await createUser({ username, password: PASSWORD });
  const t = testClient();
  const session = await t.client.signIn({ username, password: PASSWORD });
  return { ...t, session, sub: user.sub };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("AuthClient refresh", () => {
  it("refreshes an expired access token before the call, then calls with the new one", async () => {
    const { client, calls, session, sub } = await signedIn();
    // Two hours and a minute later, in the client and in the Worker (same isolate, same clock).
    vi.setSystemTime(Date.now() + (7200 + 60) * 1000);
    calls.length = 0;
    const user = await client.getUser();
    expect(user.sub).toBe(sub);
    expect(calls.map((call) => [call.path, call.status])).toEqual([
      ["/auth/v1/token", 200],
      ["/auth/v1/user/me", 200],
    ]);
    const renewed = (await client.getSession())!;
    expect(renewed.refresh_token).not.toBe(session.refresh_token);
    expect(renewed.access_token).not.toBe(session.access_token);
    expect(renewed.expires_at).toBeGreaterThan(Date.now());
  });

  it("the service's own expiry check agrees: an expired token sent anyway is a 401", async () => {
    const { client, calls, storage } = await signedIn();
    vi.setSystemTime(Date.now() + (7200 + 60) * 1000);
    // The client believes the token is still good (a clock behind the service's): the 401 triggers the refresh.
    const stored = JSON.parse(storage.get("edge-signin.session")!);
    storage.set("edge-signin.session", JSON.stringify({ ...stored, expires_at: Date.now() + 3600_000 }));
    calls.length = 0;
    await client.getUser();
    expect(calls.map((call) => [call.path, call.status])).toEqual([
      ["/auth/v1/user/me", 401],
      ["/auth/v1/token", 200],
      ["/auth/v1/user/me", 200],
    ]);
  });

  it("concurrent calls share one refresh", async () => {
    const { client, calls } = await signedIn();
    vi.setSystemTime(Date.now() + (7200 + 60) * 1000);
    calls.length = 0;
    await Promise.all([client.getUser(), client.getUser(), client.getAccessToken()]);
    expect(calls.filter((call) => call.path === "/auth/v1/token")).toHaveLength(1);
  });

  it("refresh() rotates the pair; a dead refresh token clears the session with invalid_grant", async () => {
    const { client, storage } = await signedIn();
    const first = (await client.getSession())!;
    const second = await client.refresh();
    expect(second.refresh_token).not.toBe(first.refresh_token);

    storage.set("edge-signin.session", JSON.stringify({ ...second, refresh_token: "x".repeat(43) }));
    await expect(client.refresh()).rejects.toMatchObject({ error: "invalid_grant", status: 400 });
    expect(await client.getSession()).toBeNull();
  });
});
