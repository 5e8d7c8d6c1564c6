// A Durable Object per contact (phone number or email): its codes, send limits and verification
// tokens. (Being built.)
import { DurableObject } from "cloudflare:workers";

export class ContactVerifier extends DurableObject {}
