-- inbound_message_state (provider, state), from V1, held every message, and so was written by every webhook the door
-- stores and again by every message the workers settle (a new state is a new index entry). Its only reader left was
-- the count of PROCESSED messages behind the kyc.inbox.backlog gauges, which no longer counts them: that count read
-- nearly the whole table every 15 s on every instance. What reads messages by state reads the partial indexes:
-- inbound_message_unsettled (ACCEPTED, FAILED, DEAD: the backlog gauges, the console's providers page, the replay and
-- its dry run, the newest FAILED or DEAD message), inbound_message_due (the workers' claim) and
-- inbound_message_retention (the retention sweep).
drop index if exists inbound_message_state;
