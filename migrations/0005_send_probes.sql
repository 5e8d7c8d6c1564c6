-- Code sends stopped by their `target` check (404 user_not_found / 409 already_exists). They
-- send nothing but tell the caller whether a contact has an account, so they count against the
-- per-IP hourly send budget like real sends (after which every send needs a captcha).
CREATE TABLE send_probes (
  ip_key     TEXT NOT NULL,                     -- SHA-256 of the sender's CF-Connecting-IP, as in verifications
  created_at INTEGER NOT NULL
);
CREATE INDEX send_probes_by_ip ON send_probes(ip_key, created_at);
