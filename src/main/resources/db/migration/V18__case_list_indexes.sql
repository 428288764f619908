-- GET /api/v1/cases lists cases newest change first, (updated_at, id) descending, and its cursor continues from the
-- last (updated_at, id) shown. Without these, the list without filters or by status or provider read and sorted every
-- matching case for each page (30,000 cases: a sequential scan and a sort per page); with them it reads one page of an
-- index backwards. The stalled-case list has V11's kyc_case_unfinished_updated, a customer's cases kyc_case_customer.
create index kyc_case_updated on kyc_case (updated_at, id);
create index kyc_case_status_updated on kyc_case (status, updated_at, id);
create index kyc_case_provider_updated on kyc_case (provider, updated_at, id);
-- search= and providerRef= without a provider match a reference alone: the unique (provider, provider_ref) leads with
-- the provider and cannot serve them.
create index kyc_case_reference on kyc_case (provider_ref);
