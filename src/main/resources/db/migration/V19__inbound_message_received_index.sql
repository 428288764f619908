-- The console's providers page (GET /api/v1/ops/providers) counts each provider's webhooks and pulls per minute of
-- the last hour every time it refreshes. The inbox only grows (retention redacts bodies, it keeps the rows), so
-- without an index on the time of receipt that count reads the whole table; with this one it reads the last hour's
-- entries only, and with provider and channel in the index, not the table rows the vacuum has seen.
create index inbound_message_received on inbound_message (received_at) include (provider, channel);
