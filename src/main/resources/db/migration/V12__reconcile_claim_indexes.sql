-- canonical-claim-quiet claims open cases and recently finished ones apart (DueCases.CLAIM_QUIET), each through an
-- index of its own. V10's one index on every case made each claim walk the cases finished long ago, which are most of
-- a store and quiet for ever, before it found an open one.
drop index kyc_case_quiet;
create index kyc_case_quiet_open on kyc_case (provider, (greatest(heard_at, reconciled_at)))
    where status not in ('APPROVED', 'REJECTED', 'REJECTED_FINAL', 'EXPIRED', 'CANCELLED');
create index kyc_case_finished_recently on kyc_case (provider, updated_at)
    where status in ('APPROVED', 'REJECTED', 'REJECTED_FINAL', 'EXPIRED', 'CANCELLED');
