-- Outbound events (issue 14): a transactional outbox fed by the audit trail, the fintech's endpoints, and one
-- delivery row per event and endpoint.
--
-- Every kyc_event row yields one outbound_event row in the same transaction, by the trigger below: whatever writes the
-- audit trail (the canonical store, an erasure, a migration), the fintech hears of it, or the change did not commit.

-- Per-case (and, for events about a customer and no one case, per-customer) sequence numbers. The writer of an audit
-- event holds the case's row lock already, so numbering it costs no new lock.
alter table kyc_case add column event_seq bigint not null default 0;
alter table customer add column event_seq bigint not null default 0;

create table outbound_event (
    id           bigserial primary key,
    -- The Standard Webhooks message id (webhook-id header, AMQP message id): the same on every delivery and retry.
    event_id     text        not null unique,
    kyc_event_id bigint      not null unique references kyc_event (id),
    type         text        not null,
    provider     text,
    case_id      uuid references kyc_case (id),
    customer_id  text,
    -- Events of one order key are delivered to each endpoint in sequence order: the case id, or the customer id for an
    -- event about a customer as a whole.
    order_key    text        not null,
    sequence     bigint      not null,
    -- The body every destination receives; ids, statuses, codes and times only, never personal data.
    payload      jsonb       not null,
    created_at   timestamptz not null default now(),
    -- The writing transaction: the cursor feed orders by (tx, id) and shows a row only once no transaction that could
    -- still commit an earlier one is running (pg_snapshot_xmin), so a cursor never skips a late commit.
    tx           xid8        not null default pg_current_xact_id()
);

create index outbound_event_feed on outbound_event (tx, id);
create index outbound_event_case on outbound_event (case_id, id);

-- Where events go: the fintech's webhook URLs, managed through /api/v1/event-endpoints, and the RabbitMQ exchange when
-- one is configured (one row of kind RABBITMQ, kept by the hub).
create table event_endpoint (
    id                    uuid primary key default gen_random_uuid(),
    kind                  text        not null default 'WEBHOOK' check (kind in ('WEBHOOK', 'RABBITMQ')),
    url                   text        not null,
    description           text,
    -- Empty: every event type, every provider.
    event_types           text[]      not null default '{}',
    providers             text[]      not null default '{}',
    enabled               boolean     not null default true,
    -- Why a disabled endpoint is: GONE (it answered 410), FAILING (failed for kyc.events.disable-after), OPERATOR,
    -- NOT_CONFIGURED (the RabbitMQ endpoint, when the hub no longer has a broker URI).
    disabled_reason       text check (disabled_reason in ('GONE', 'FAILING', 'OPERATOR', 'NOT_CONFIGURED')),
    disabled_at           timestamptz,
    -- Standard Webhooks secrets (whsec_<base64>). During a rotation's grace period both sign.
    secret                text        not null,
    previous_secret       text,
    previous_secret_until timestamptz,
    -- The start of the current run of failed attempts; null once one succeeds.
    failing_since         timestamptz,
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now()
);

create unique index event_endpoint_one_broker on event_endpoint (kind) where kind = 'RABBITMQ';

create table event_delivery (
    id              bigserial primary key,
    event_id        bigint      not null references outbound_event (id),
    endpoint_id     uuid        not null references event_endpoint (id) on delete cascade,
    order_key       text        not null,
    state           text        not null default 'PENDING' check (state in ('PENDING', 'DELIVERED', 'DEAD')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_attempt_at timestamptz,
    last_status     integer,
    last_latency_ms integer,
    -- A code (HTTP_503, TIMEOUT, CONNECT, NACK, ...), never the receiver's answer body.
    last_error      text,
    delivered_at    timestamptz,
    created_at      timestamptz not null default now(),
    constraint event_delivery_once unique (endpoint_id, event_id)
);

-- The dispatcher's claim reads the due pending rows; the order check looks for an earlier pending row of the same
-- endpoint and order key.
create index event_delivery_due on event_delivery (next_attempt_at, id) where state = 'PENDING';
create index event_delivery_order on event_delivery (endpoint_id, order_key, event_id) where state = 'PENDING';
create index event_delivery_endpoint on event_delivery (endpoint_id, id);
create index event_delivery_event on event_delivery (event_id);

-- The canonical event type of an audit event: what changed, most telling first. An event of no case is the erasure
-- of a customer (privacy.Erasure); a case's DATA_ERASED is its provider deleting its data (ARGOS's delete).
create function outbound_event_type(e kyc_event) returns text language sql immutable as $$
    select case
        when e.case_id is null and e.type = 'ERASED' then 'kyc.customer.erased'
        when e.type = 'DATA_ERASED' then 'kyc.case.data_erased'
        when e.type = 'CASE_OPENED' then 'kyc.case.opened'
        when e.to_status = 'ACTION_REQUIRED'
             and (e.from_status is distinct from e.to_status or e.from_next_action is distinct from e.to_next_action)
            then 'kyc.case.action_required'
        when e.from_status is distinct from e.to_status then 'kyc.case.status_changed'
        when e.from_next_action is distinct from e.to_next_action then 'kyc.case.next_action_changed'
        else 'kyc.case.updated'
    end
$$;

create function outbound_event_from_audit() returns trigger language plpgsql as $$
declare
    event_type   text := outbound_event_type(new);
    message_id   text := 'evt_' || replace(gen_random_uuid()::text, '-', '');
    case_customer text;
    case_provider text;
    case_ref     text;
    seq          bigint;
    key          text;
    outbound_id  bigint;
begin
    if new.case_id is not null then
        update kyc_case set event_seq = event_seq + 1 where id = new.case_id
        returning customer_id, provider, provider_ref, event_seq into case_customer, case_provider, case_ref, seq;
        key := new.case_id::text;
    else
        update customer set event_seq = event_seq + 1 where customer_id = new.customer_id returning event_seq into seq;
        key := 'customer:' || new.customer_id;
    end if;

    insert into outbound_event (event_id, kyc_event_id, type, provider, case_id, customer_id, order_key, sequence,
                                payload)
    values (message_id, new.id, event_type, case_provider, new.case_id, coalesce(case_customer, new.customer_id), key,
            seq,
            jsonb_build_object(
                'id', message_id,
                'type', event_type,
                'version', 1,
                'timestamp', to_char(new.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'data', jsonb_strip_nulls(jsonb_build_object(
                    'caseId', new.case_id,
                    'customerId', coalesce(case_customer, new.customer_id),
                    'provider', case_provider,
                    'providerRef', case_ref,
                    'sequence', seq,
                    'status', new.to_status,
                    'previousStatus', new.from_status,
                    'nextAction', new.to_next_action,
                    'previousNextAction', new.from_next_action,
                    'reasons', new.detail -> 'reasons',
                    'auditEvent', jsonb_build_object('id', new.id, 'type', new.type),
                    'links', case when new.case_id is not null
                                  then jsonb_build_object('case', '/api/v1/cases/' || new.case_id) end))))
    returning id into outbound_id;

    -- Fan-out to every enabled endpoint whose filters take the event, in the same transaction. An event about a
    -- customer as a whole (an erasure) concerns every provider: a provider filter does not hold it back. Behind an
    -- earlier event of the case that is failing (waiting for its retry), the new one waits as long: the dispatcher's
    -- claim reads due rows only, and would otherwise walk past every event queued behind a receiver's outage.
    insert into event_delivery (event_id, endpoint_id, order_key, next_attempt_at)
    select outbound_id, ep.id, key,
           case when head.attempts > 0 then greatest(now(), head.next_attempt_at) else now() end
    from event_endpoint ep
    left join lateral (select h.next_attempt_at, h.attempts from event_delivery h
                       where h.endpoint_id = ep.id and h.order_key = key and h.state = 'PENDING'
                       order by h.event_id
                       limit 1) head on true
    where ep.enabled
      and (cardinality(ep.event_types) = 0 or event_type = any (ep.event_types))
      and (cardinality(ep.providers) = 0 or case_provider is null or case_provider = any (ep.providers));
    return null;
end;
$$;

create trigger kyc_event_outbound
    after insert on kyc_event
    for each row execute function outbound_event_from_audit();
