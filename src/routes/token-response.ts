// Headers for every response that carries a token (docs/protocol.md §1).
export const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };
