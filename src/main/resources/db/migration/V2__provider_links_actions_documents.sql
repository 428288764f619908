-- What a message is (a webhook, a status-poll answer, an action's answer), what it is about at the provider, and
-- which message caused it: the process route of each provider routes on message_type.
alter table inbound_message add column message_type text not null default 'webhook';
alter table inbound_message add column subject text;
alter table inbound_message add column caused_by bigint references inbound_message (id);

-- The fintech's customer as each provider knows them, and the provider reference of their current case there.
create table provider_customer (
    provider             text        not null,
    provider_customer_id text        not null,
    customer_id          text        not null references customer (customer_id),
    current_ref          text,
    created_at           timestamptz not null default now(),
    primary key (provider, provider_customer_id),
    constraint provider_customer_once unique (provider, customer_id)
);

-- Documents the fintech handed the hub, to upload to providers that ask for them.
create table customer_document (
    id           bigserial primary key,
    customer_id  text        not null references customer (customer_id),
    type         text        not null,
    file_name    text        not null,
    content_type text        not null,
    content      bytea       not null,
    sha256       text        not null,
    created_at   timestamptz not null default now()
);
create index customer_document_customer on customer_document (customer_id, type);

-- Calls the hub makes to a provider, decided in the same transaction as the case change that calls for them and
-- carried out afterwards by the action worker: a crash can delay an action, never lose or invent one.
create table provider_action (
    id              bigserial primary key,
    provider        text        not null,
    case_id         uuid references kyc_case (id),
    customer_id     text        not null,
    action          text        not null,
    payload         jsonb       not null default '{}'::jsonb,
    state           text        not null default 'PENDING' check (state in ('PENDING', 'DONE', 'FAILED', 'DEAD')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      text,
    created_at      timestamptz not null default now(),
    done_at         timestamptz
);
-- One pending action of a kind per customer and provider: a status seen twice does not call the provider twice.
create unique index provider_action_one_pending on provider_action (provider, customer_id, action) where state = 'PENDING';
create index provider_action_due on provider_action (next_attempt_at, id) where state = 'PENDING';

-- Cases a provider's status poller must look at again, and when.
alter table kyc_case add column next_poll_at timestamptz;
create index kyc_case_poll_due on kyc_case (provider, next_poll_at) where next_poll_at is not null;
