-- Every poll of a WIDTH execution or a Connect Financial customer first reads the last status stored for it
-- (WidthMessages.storePolledStatus, ConnectfiMessages), by subject; the answer to "what changed since" reads the
-- case's actions. Without these, each poll read every message of the provider and every action, a cost that grew
-- with the store. Webhooks have no subject: the partial index costs their INSERT nothing.
create index inbound_message_subject on inbound_message (provider, subject, id) where subject is not null;
create index provider_action_case on provider_action (case_id);

-- Each provider's worker claims its own oldest due message (Inbox.claimNext) or action (ProviderActions): with the
-- provider first, it reads only its own entries, not those of every provider's backlog queued before them.
drop index inbound_message_due;
create index inbound_message_due on inbound_message (provider, next_attempt_at, id) where state = 'ACCEPTED';
drop index provider_action_due;
create index provider_action_due on provider_action (provider, next_attempt_at, id) where state = 'PENDING';
