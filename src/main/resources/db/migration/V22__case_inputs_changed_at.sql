-- When what a case's next step depends on last changed, beside the provider's answer: the customer's profile,
-- documents or provider data (CanonicalStore.pollSoonForCustomer, WidthData), the answer to one of the case's calls
-- (ActionWorker), an erasure. A poller that gets the same status as the last one it stored passes it on again only when
-- this is newer: the claim (DueCases.CLAIM) answers it with the case, so an unchanged poll reads the inbox's last
-- status and nothing else (it read the customer, the WIDTH data and the actions too). Not indexed: writing it keeps
-- the update of the case row a heap-only one when nothing indexed changes.
alter table kyc_case add column inputs_changed_at timestamptz;

-- The cases polled today: the newest of what their poller read until now, so that none misses a change made before.
update kyc_case k set inputs_changed_at = greatest(
        (select c.updated_at from customer c where c.customer_id = k.customer_id),
        (select max(d.created_at) from customer_document d where d.customer_id = k.customer_id),
        (select max(w.updated_at) from width_customer_data w where w.customer_id = k.customer_id),
        (select max(a.done_at) from provider_action a where a.case_id = k.id))
where next_poll_at is not null;
