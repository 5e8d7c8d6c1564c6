import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { createUser, jsonOf, post, signin, uniqueName } from "./helpers";

const DAY = 86_400_000;

async function sessionCount(sub: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE user_id = ?1").bind(sub).first<{ n: number }>();
  return row!.n;
}

async function runCron(at: number): Promise<void> {
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "17 3 * * *" }), env);
}

describe("daily clean-up", () => {
  afterEach(() => vi.restoreAllMocks());

  it("removes sessions a day past their end and keeps live ones", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const username = uniqueName();
    const user = await createUser({ username, password: "pw" });
    const { refresh_token } = await jsonOf<{ refresh_token: string }>(await signin({ username, password: "pw" }));
    await runCron(Date.now());
    expect(await sessionCount(user.sub)).toBe(1);

    await runCron(Date.now() + 90 * DAY + DAY + 1000);
    expect(await sessionCount(user.sub)).toBe(0);
    const refreshed = await post("/auth/v1/token", { grant_type: "refresh_token", refresh_token });
    expect(((await refreshed.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("logs what it purged", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    await runCron(Date.now());
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: "maintenance", cron: "17 3 * * *", purged: expect.any(Object) });
  });
});
