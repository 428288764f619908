-- Personal data kept only where it must be, and erasable everywhere (issue 13, items 1 to 3).

-- What each provider reported about a customer, per provider and reference: apart from the fintech's profile
-- (customer.personal_data), never sent to another provider, erased with the customer or with the reference.
create table provider_report (
    provider     text        not null,
    provider_ref text        not null,
    customer_id  text        not null references customer (customer_id),
    as_of        timestamptz,
    fields       jsonb       not null default '{}'::jsonb,
    updated_at   timestamptz not null default now(),
    primary key (provider, provider_ref)
);
create index provider_report_customer on provider_report (customer_id);

-- Moved out of customer.personal_data, where they sat under a provider key ({"argos": {"<ref>": {asOf, fields}}}).
insert into provider_report (provider, provider_ref, customer_id, as_of, fields)
select provider.key, ref.key, c.customer_id, (ref.value ->> 'asOf')::timestamptz,
       coalesce(ref.value -> 'fields', '{}'::jsonb)
from customer c
     cross join lateral jsonb_each(c.personal_data) as provider
     cross join lateral jsonb_each(case when jsonb_typeof(provider.value) = 'object' then provider.value
                                        else '{}'::jsonb end) as ref
where provider.key in ('striga', 'connectfi', 'argos', 'ondato', 'width')
  and jsonb_typeof(ref.value) = 'object';

-- customer.email is the fintech's only. A customer whose email came from a report (no profile of the fintech's beside
-- it) loses it; one the fintech created with its own email keeps it.
update customer c set email = null
where email is not null
  and (personal_data - array['striga', 'connectfi', 'argos', 'ondato', 'width']) = '{}'::jsonb
  and exists (select 1 from provider_report r where r.customer_id = c.customer_id and r.fields ->> 'email' = c.email);

update customer set personal_data = personal_data - array['striga', 'connectfi', 'argos', 'ondato', 'width']
where personal_data ?| array['striga', 'connectfi', 'argos', 'ondato', 'width'];

-- Erasure marks: a customer erased through the API (later messages about them are redacted as they are processed,
-- their profile cannot be given again); a case erased by its provider (ARGOS delete); a message, a document whose
-- personal content is gone (by erasure or by retention), so neither is done twice.
alter table customer add column erased_at timestamptz;
alter table kyc_case add column erased_at timestamptz;
alter table inbound_message add column redacted_at timestamptz;
alter table customer_document add column erased_at timestamptz;

-- Retention claims processed messages not yet redacted, oldest first, and documents whose content is still held.
create index inbound_message_retention on inbound_message (processed_at, id)
    where state = 'PROCESSED' and redacted_at is null;
create index customer_document_retention on customer_document (created_at, id) where erased_at is null;

-- The audit trail holds no personal data: what a provider says in free text or names a person by (ARGOS's
-- account_email and comment on delete) lives here, beside the event, where erasure can reach it.
create table kyc_event_personal (
    event_id   bigint      primary key references kyc_event (id),
    detail     jsonb       not null,
    created_at timestamptz not null default now()
);

insert into kyc_event_personal (event_id, detail)
select id, jsonb_strip_nulls(jsonb_build_object('accountEmail', detail -> 'accountEmail',
                                                'comment', detail -> 'comment'))
from kyc_event
where detail ?| array['accountEmail', 'comment'];

-- kyc_event is append-only and its trigger refuses every update. This migration is the one writer allowed past it,
-- once: it removes from the history the personal values copied above, and nothing else. The trigger is back on
-- before the migration's transaction commits.
alter table kyc_event disable trigger kyc_event_no_update_or_delete;
update kyc_event set detail = detail - array['accountEmail', 'comment']
where detail ?| array['accountEmail', 'comment'];
alter table kyc_event enable trigger kyc_event_no_update_or_delete;

-- An erasure of a customer is one audit event of the customer, not of a case: it may have no case at all.
alter table kyc_event add column customer_id text references customer (customer_id);
alter table kyc_event alter column case_id drop not null;
alter table kyc_event add constraint kyc_event_about_something check (case_id is not null or customer_id is not null);
create index kyc_event_customer on kyc_event (customer_id, id) where customer_id is not null;
