-- A case that a provider call refused (FAILED) or out of attempts (DEAD) holds at ACTION_REQUIRED / CONTACT_SUPPORT
-- (CanonicalStore.holdForAction): the action that holds it, and what the provider had said of the case before
-- ({"status", "nextAction", "reasons"}). While held, a message that only says that again leaves the hold in place;
-- one that says anything new replaces it. The action succeeding on a replay ends the hold (CanonicalStore.releaseHold).
alter table kyc_case add column held_by_action bigint;
alter table kyc_case add column held_from jsonb;

-- The stalled cases (GET /api/v1/ops/cases?stalledFor=, the kyc.cases.stalled gauge): unfinished cases by last change.
create index kyc_case_unfinished_updated on kyc_case (updated_at)
    where status not in ('APPROVED', 'REJECTED', 'REJECTED_FINAL', 'EXPIRED', 'CANCELLED');
