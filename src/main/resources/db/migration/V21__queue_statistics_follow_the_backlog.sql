-- The queues' statistics follow their backlog. PostgreSQL analyses a table on its own once a tenth of it has changed
-- (autovacuum_analyze_scale_factor 0.1): in a table that keeps 90 days of settled rows, a burst of a few hundred
-- thousand does not reach that, and the statistics go on saying that nothing waits. Planned on them, a claim that
-- should read one entry reads the whole backlog: the inbox's claim sorted it (it now runs with sorting off,
-- DurableQueue.claim), and the outbound dispatcher's claim reads every pending delivery of an endpoint once for each
-- of them (bench/claim.sh). Each queue is now analysed after every 1,000 rows changed, at most once per
-- autovacuum_naptime (a minute by default); ANALYZE reads a sample of 30,000 rows, whatever the table's size.
alter table inbound_message set (autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000);
alter table provider_action set (autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000);
alter table event_delivery set (autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000);
