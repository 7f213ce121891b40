-- Optional TOTP second factor: the shared secret, sealed with the report key (base64).
ALTER TABLE staff ADD COLUMN totp_secret TEXT;
