-- Every poll of a WIDTH execution or a Connect Financial customer first reads the last status stored for it
-- (WidthMessages.storePolledStatus, ConnectfiMessages), by subject; the answer to "what changed since" reads the
-- case's actions. Without these, each poll read every message of the provider and every action, a cost that grew
-- with the store. Webhooks have no subject: the partial index costs their INSERT nothing.
create index inbound_message_subject on inbound_message (provider, subject, id) where subject is not null;
create index provider_action_case on provider_action (case_id);
