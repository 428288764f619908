-- ProviderActions.plan plans an action only when no action of that name was ever planned for the customer (a refused
-- or dead call is not planned again by itself; new data has a new name), and it now runs on every message that still
-- asks for something, changed or not: the lookup by name gets an index of its own instead of reading every action of
-- the provider.
create index provider_action_name on provider_action (provider, customer_id, action);
