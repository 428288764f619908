-- What the fintech hands the hub for WIDTH's workflow nodes (particulars, identity document, liveness, documents,
-- forms, the OTP code) and the OCR result WIDTH sends back: personal data, kept here only, never in a case, an event
-- or a log. One row per customer and kind; the newest hand-over replaces the previous one.
create table width_customer_data (
    customer_id text        not null references customer (customer_id),
    kind        text        not null,
    data        jsonb       not null,
    updated_at  timestamptz not null default now(),
    primary key (customer_id, kind)
);
