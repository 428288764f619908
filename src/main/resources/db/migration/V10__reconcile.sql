-- Reconciliation (canonical-claim-quiet): a case the provider has said nothing about for reconcile.after is pulled
-- from the provider's status API. heard_at is when a provider message (webhook or pulled answer) last reached the
-- case, whatever it changed; reconciled_at when the hub last pulled its status. A case is due once both are older
-- than reconcile.after, so each quiet case is pulled once per reconcile.after, however many instances sweep.
alter table kyc_case add column heard_at timestamptz;
update kyc_case set heard_at = updated_at;
alter table kyc_case alter column heard_at set not null;
alter table kyc_case alter column heard_at set default now();
alter table kyc_case add column reconciled_at timestamptz;
create index kyc_case_quiet on kyc_case (provider, (greatest(heard_at, reconciled_at)));
