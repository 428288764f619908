-- The canonical store (customer, kyc_case, kyc_check, kyc_event) and the inbound-message inbox.
-- Vocabularies are CHECK constraints so a row outside them cannot exist, whatever writes it.

create table customer (
    customer_id   text primary key,
    email         text,
    personal_data jsonb       not null default '{}'::jsonb,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);

-- Every webhook body and every poll response exactly as received.
create table inbound_message (
    id              bigserial primary key,
    provider        text        not null,
    channel         text        not null check (channel in ('WEBHOOK', 'POLL')),
    dedup_key       text        not null,
    headers         jsonb       not null default '{}'::jsonb,
    body            text        not null,
    state           text        not null default 'ACCEPTED'
                    check (state in ('ACCEPTED', 'PROCESSED', 'FAILED', 'DEAD')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      text,
    outcome         text,
    case_id         uuid,
    received_at     timestamptz not null default now(),
    processed_at    timestamptz,
    constraint inbound_message_dedup unique (provider, dedup_key)
);

-- The worker's claim query reads only this partial index.
create index inbound_message_due on inbound_message (next_attempt_at, id) where state = 'ACCEPTED';
create index inbound_message_state on inbound_message (provider, state);

create table kyc_case (
    id                  uuid primary key default gen_random_uuid(),
    customer_id         text references customer (customer_id),
    provider            text        not null,
    provider_ref        text        not null,
    status              text        not null
                        check (status in ('NOT_STARTED', 'IN_PROGRESS', 'ACTION_REQUIRED', 'IN_REVIEW', 'APPROVED',
                                          'REJECTED', 'REJECTED_FINAL', 'EXPIRED', 'ERROR', 'CANCELLED')),
    next_action         text        not null
                        check (next_action in ('NONE', 'START_KYC', 'COMPLETE_VERIFICATION', 'PROVIDE_PERSONAL_DATA',
                                               'PROVIDE_DOCUMENT', 'PROVIDE_LIVENESS', 'PROVIDE_OTP', 'PROVIDE_FORM',
                                               'UPDATE_PROFILE', 'RESTART_KYC', 'WAIT', 'CONTACT_SUPPORT')),
    reasons             jsonb       not null default '[]'::jsonb,
    provider_status     text,
    provider_details    jsonb       not null default '{}'::jsonb,
    provider_updated_at timestamptz,
    version             integer     not null default 1,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    constraint kyc_case_provider_ref unique (provider, provider_ref)
);

create index kyc_case_customer on kyc_case (customer_id);

alter table inbound_message
    add constraint inbound_message_case foreign key (case_id) references kyc_case (id);

create table kyc_check (
    case_id    uuid        not null references kyc_case (id),
    name       text        not null,
    passed     boolean     not null,
    required   boolean     not null,
    detail     jsonb       not null default '{}'::jsonb,
    updated_at timestamptz not null default now(),
    primary key (case_id, name)
);

-- The audit trail: append-only, enforced below.
create table kyc_event (
    id                 bigserial primary key,
    case_id            uuid        not null references kyc_case (id),
    type               text        not null,
    from_status        text,
    to_status          text,
    from_next_action   text,
    to_next_action     text,
    provider_event     text,
    inbound_message_id bigint references inbound_message (id),
    detail             jsonb       not null default '{}'::jsonb,
    occurred_at        timestamptz not null default now()
);

create index kyc_event_case on kyc_event (case_id, id);

create function kyc_event_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'kyc_event is append-only';
end;
$$;

create trigger kyc_event_no_update_or_delete
    before update or delete on kyc_event
    for each row execute function kyc_event_append_only();
