-- The audit trail holds no personal data (issue 13). Before V14's release an ARGOS rejection's reasons were its
-- comment codes followed by the reviewer's free-text comment (which can name the customer); since then they are the
-- codes only, and the comment stays in the case's details, where erasure reaches it. This removes the comments that
-- earlier rejections left in the reasons of ARGOS cases and of their audit events. A code never holds whitespace (ARGOS
-- codes such as ID_BLUR, the hub's AML:... and INJECTION_FAIL:... reasons); a comment is told by the whitespace it
-- holds. A one-word comment cannot be told from a code and stays.
create function pg_temp.without_free_text(reasons jsonb) returns jsonb language sql immutable as $$
    select coalesce(jsonb_agg(reason order by position), '[]'::jsonb)
    from jsonb_array_elements(reasons) with ordinality as element(reason, position)
    where not (jsonb_typeof(reason) = 'string' and reason #>> '{}' ~ '\s')
$$;

update kyc_case set reasons = pg_temp.without_free_text(reasons)
where provider = 'argos' and jsonb_typeof(reasons) = 'array'
  and reasons <> pg_temp.without_free_text(reasons);

-- kyc_event is append-only and its trigger refuses every update: as in V14, this migration alone goes past it, for
-- this one statement, and the trigger is back on before the migration's transaction commits.
alter table kyc_event disable trigger kyc_event_no_update_or_delete;
update kyc_event e set detail = jsonb_set(e.detail, '{reasons}', pg_temp.without_free_text(e.detail -> 'reasons'))
from kyc_case k
where k.id = e.case_id and k.provider = 'argos' and jsonb_typeof(e.detail -> 'reasons') = 'array'
  and e.detail -> 'reasons' <> pg_temp.without_free_text(e.detail -> 'reasons');
alter table kyc_event enable trigger kyc_event_no_update_or_delete;
