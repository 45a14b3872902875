-- The start of a webhook receiver's answer, shown to admins only.
ALTER TABLE webhook_deliveries ADD COLUMN response_body TEXT;
