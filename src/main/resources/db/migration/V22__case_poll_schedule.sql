-- The poll schedule of the cases whose provider is polled (Connect Financial, WIDTH), in a table of its own. Every
-- poll claims its case, which moves the case's next look on: an UPDATE of next_poll_at. In kyc_case that column is
-- indexed, so the update could not be HOT and wrote a new entry into each of the table's eleven indexes, and a copy
-- of the whole case row, on every poll (about 1 kB of WAL a case claimed; 3,333 polls a second for 10,000 WIDTH
-- executions). Here it writes a narrow row and two index entries (a third of the WAL in pgbench, 2026-12-07), and the
-- case row changes only when the case does.
create table case_poll (
    case_id      uuid        primary key references kyc_case (id) on delete cascade,
    provider     text        not null,
    next_poll_at timestamptz not null
);

insert into case_poll (case_id, provider, next_poll_at)
select id, provider, next_poll_at from kyc_case where next_poll_at is not null;

create index case_poll_due on case_poll (provider, next_poll_at);

drop index kyc_case_poll_due;
alter table kyc_case drop column next_poll_at;
