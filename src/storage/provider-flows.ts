// The ProviderFlow Durable Objects (src/providers/flow-object.ts), one per provider sign-in flow,
// behind calls named for what they do. An unreachable object fails closed (503 `unavailable`).
import type { Env } from "../env";
import type { FlowStart, ProviderIdentity, Redemption } from "../providers/flow-state";
import { failClosed } from "./fail-closed";

export class ProviderFlowStore {
  constructor(private readonly env: Env) {}

  private flow(flowId: string) {
    return this.env.PROVIDER_FLOWS.get(this.env.PROVIDER_FLOWS.idFromName(flowId));
  }

  start(flowId: string, start: FlowStart, expiresAt: number) {
    return failClosed<boolean>(() => this.flow(flowId).start(start, expiresAt));
  }

  /** The flow's start, once: a replayed or unknown flow gives undefined. */
  takeStart(flowId: string) {
    return failClosed<FlowStart | undefined>(() => this.flow(flowId).takeStart());
  }

  issueCode(flowId: string, identity: ProviderIdentity, codeHash: string, expiresAt: number) {
    return failClosed<boolean>(() => this.flow(flowId).issueCode(identity, codeHash, expiresAt));
  }

  redeemCode(flowId: string, redemption: Redemption) {
    return failClosed<ProviderIdentity | undefined>(() => this.flow(flowId).redeemCode(redemption));
  }

  peekToken(flowId: string, tokenHash: string) {
    return failClosed<ProviderIdentity | undefined>(() => this.flow(flowId).peekToken(tokenHash));
  }

  spendToken(flowId: string, tokenHash: string) {
    return failClosed<boolean>(() => this.flow(flowId).spendToken(tokenHash));
  }
}
