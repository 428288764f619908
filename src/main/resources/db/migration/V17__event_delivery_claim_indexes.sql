-- The dispatcher (outbound.EventDispatcher) claims each endpoint's due deliveries apart, up to that endpoint's free
-- slots, so that an endpoint with a backlog (its receiver was down) does not hold the others back: each claim walks
-- one endpoint's pending rows in due order, not every endpoint's.
create index event_delivery_endpoint_due on event_delivery (endpoint_id, next_attempt_at, id) where state = 'PENDING';

-- The lag gauge (kyc.events.lag) reads the oldest pending delivery.
create index event_delivery_pending_age on event_delivery (created_at) where state = 'PENDING';
