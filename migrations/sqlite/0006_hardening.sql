-- Hardening: a session's last use (for the idle timeout) and a homepage inquiry's spam mark.
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
ALTER TABLE inquiries ADD COLUMN spam_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX inquiries_spam_created ON inquiries (spam_reason, created_at);
-- Why staff set a building's region class other than its 시군구 code's (empty: it follows it).
ALTER TABLE buildings ADD COLUMN region_reason TEXT NOT NULL DEFAULT '';
-- The reason of an increase over the renewal cap that landlord and tenant agreed to.
ALTER TABLE leases ADD COLUMN increase_agreement TEXT NOT NULL DEFAULT '';
