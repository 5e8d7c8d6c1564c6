// A Durable Object per image-captcha challenge: its tries and the single use of the captcha token
// it yields. (Being built.)
import { DurableObject } from "cloudflare:workers";

export class CaptchaChallenge extends DurableObject {}
