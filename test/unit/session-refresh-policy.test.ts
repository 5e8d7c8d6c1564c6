import { describe, expect, it } from "vitest";
import { decideRefresh, type RefreshTokenState } from "../../src/auth/refresh-policy";

const NOW = 1_000_000_000_000;
const GRACE = 10;

const live: RefreshTokenState = {
  sessionId: "s",
  expiresAt: NOW + 1_000,
  rotatedAt: null,
  successorCiphertext: null,
  sessionExpiresAt: NOW + 5_000,
};

describe("decideRefresh", () => {
  it("rotates a live, unrotated token", () => {
    expect(decideRefresh(live, NOW, GRACE)).toEqual({ kind: "rotate" });
  });

  it("refuses an expired token, at its expiry instant", () => {
    expect(decideRefresh({ ...live, expiresAt: NOW }, NOW, GRACE)).toEqual({ kind: "refuse", reason: "token_expired" });
  });

  it("replays the successor within the grace window, inclusive", () => {
    for (const ago of [0, 1, 9_999, 10_000]) {
      expect(decideRefresh({ ...live, rotatedAt: NOW - ago }, NOW, GRACE)).toEqual({ kind: "replay_successor" });
    }
  });

  it("treats a rotated token as a replay even when it has expired meanwhile", () => {
    expect(decideRefresh({ ...live, rotatedAt: NOW - 5, expiresAt: NOW - 1 }, NOW, GRACE)).toEqual({ kind: "replay_successor" });
  });

  it("detects reuse after the grace window, expired or not", () => {
    expect(decideRefresh({ ...live, rotatedAt: NOW - 10_001 }, NOW, GRACE)).toEqual({ kind: "reuse_detected" });
    expect(decideRefresh({ ...live, rotatedAt: NOW - 86_400_000, expiresAt: NOW - 1 }, NOW, GRACE)).toEqual({
      kind: "reuse_detected",
    });
  });

  it("refuses anything of an expired session before looking at rotation", () => {
    const rotatedLongAgo = { ...live, rotatedAt: NOW - 86_400_000 };
    expect(decideRefresh({ ...rotatedLongAgo, sessionExpiresAt: NOW }, NOW, GRACE)).toEqual({ kind: "refuse", reason: "session_expired" });
    expect(decideRefresh({ ...live, sessionExpiresAt: NOW }, NOW, GRACE)).toEqual({ kind: "refuse", reason: "session_expired" });
  });
});
