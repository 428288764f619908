-- What an action does (START_KYC, UPLOAD_DOCUMENT, OCR, ...), one of the provider's action kinds: the provider's act
-- route routes on it by equality. The action's name (action) stays what makes it unique: its kind and what it is
-- about (UPLOAD_DOCUMENT:W9:<document id>), so that a status seen twice never plans the same call twice.
alter table provider_action add column kind text;
update provider_action set kind = split_part(action, ':', 1);
alter table provider_action alter column kind set not null;
