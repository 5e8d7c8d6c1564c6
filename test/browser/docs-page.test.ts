// The API reference page in real headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core): it renders the sign-in operation, loads nothing from another origin, and
// logs no console error (a CSP violation would be one).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOT = join(tmpdir(), "edge-signin-docs.png");

let context: BrowserContext;
let profile: string;

// CI installs Chromium (.ci/run) and always runs this test; a developer machine without Chromium
// skips it with the reason in the test name, so `npm test` still passes there.
const runnable = existsSync(CHROMIUM) || Boolean(process.env.CI);
const title = runnable ? "GET /auth/v1/docs in Chromium" : `GET /auth/v1/docs in Chromium (skipped: no ${CHROMIUM}; apt-get install chromium)`;

describe.runIf(runnable)(title, () => {
  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), "edge-signin-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      timeout: 30_000,
      viewport: { width: 1280, height: 1000 },
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("shows the sign-in operation, with no console errors and nothing from another origin", async () => {
    const baseUrl = inject("baseUrl");
    const page = await context.newPage();
    const problems: string[] = [];
    const foreign: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    page.on("requestfailed", (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`);
    });
    page.on("request", (request) => {
      const url = request.url();
      if (!url.startsWith(`${baseUrl}/`) && !url.startsWith("data:")) foreign.push(url);
    });

    const response = await page.goto(`${baseUrl}/auth/v1/docs`, { waitUntil: "load", timeout: 30_000 });
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toContain("default-src 'none'");

    // Swagger UI ids an operation block `operations-<tag>-<operationId>`.
    const signIn = page.locator("#operations-Sign-in-signIn");
    await signIn.waitFor({ state: "visible", timeout: 20_000 });
    await expect.poll(() => signIn.innerText()).toContain("/auth/v1/signin");
    await signIn.locator(".opblock-summary").first().click();
    await page.locator("#operations-Sign-in-signIn .opblock-body").waitFor({ state: "visible", timeout: 10_000 });
    const body = await signIn.innerText();
    expect(body).toContain("invalid_username_or_password");
    expect(body).toMatch(/captcha_required/);
    expect(await page.title()).toBe("edge-signin API reference");
    await page.screenshot({ path: SCREENSHOT, fullPage: false });

    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });
});
