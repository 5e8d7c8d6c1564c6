import { afterEach, expect, it, vi } from "vitest";
import { consoleSender } from "../../src/senders/console-sender";

afterEach(() => vi.restoreAllMocks());

it("the console sender logs exactly one JSON line with channel, to and code", async () => {
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  await consoleSender.send({ channel: "email", to: "a@example.com", code: "012345", expiresIn: 600, usage: "REGISTER" });
  expect(log).toHaveBeenCalledTimes(1);
  expect(JSON.parse(String(log.mock.calls[0]![0]))).toEqual({
    type: "verification_code",
    channel: "email",
    to: "a@example.com",
    code: "012345",
    usage: "REGISTER",
    expires_in: 600,
  });
});
