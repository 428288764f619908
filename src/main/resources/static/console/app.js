// The KYC Hub operations console: hash routes, each page drawn from the hub's documented API only.
// Every value from the API reaches the page through textContent (el() below), never as HTML: provider payloads
// are untrusted text.

const STATUSES = ['NOT_STARTED', 'IN_PROGRESS', 'ACTION_REQUIRED', 'IN_REVIEW', 'APPROVED', 'REJECTED',
  'REJECTED_FINAL', 'EXPIRED', 'ERROR', 'CANCELLED'];
const NEXT_ACTIONS = ['NONE', 'START_KYC', 'COMPLETE_VERIFICATION', 'PROVIDE_PERSONAL_DATA', 'PROVIDE_DOCUMENT',
  'PROVIDE_LIVENESS', 'PROVIDE_OTP', 'PROVIDE_FORM', 'UPDATE_PROFILE', 'RESTART_KYC', 'WAIT', 'CONTACT_SUPPORT'];
const PROVIDERS = ['argos', 'connectfi', 'ondato', 'striga', 'width'];
const INBOX_STATES = ['ACCEPTED', 'PROCESSED', 'FAILED', 'DEAD'];
const ACTION_STATES = ['FAILED', 'DEAD', 'PENDING', 'DONE'];
const DELIVERY_STATES = ['PENDING', 'DELIVERED', 'DEAD'];

/** The session's CSRF token: sent with every change, as the hub refuses a change made with the cookie alone. */
let csrfToken = null;

// ---------------------------------------------------------------------------------------------------------------
// The API

class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

/** Calls the hub API with the session cookie; answers the JSON body, or throws the problem's detail. */
async function api(path, method = 'GET', body = undefined) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['X-CSRF-TOKEN'] = csrfToken ?? '';
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    // Every error of the hub is an RFC 9457 problem: its detail says what the operator can do.
    const detail = json && (json.detail || json.title) || `${method} ${path} answered ${response.status}`;
    throw new ApiError(response.status, detail);
  }
  return json;
}

/** A query string of the non-empty values. */
function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      search.set(name, value);
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

// ---------------------------------------------------------------------------------------------------------------
// Drawing

/** An element with attributes and children; strings become text nodes, so data is never parsed as HTML. */
function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on')) {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'text') {
      element.textContent = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return element;
}

const page = () => document.getElementById('page');

/** Replaces the page's content; a missing part (null, false: a section this item does not have) is left out. */
function show(...children) {
  page().replaceChildren(...children.filter((child) => child !== null && child !== undefined && child !== false));
}

function showError(message) {
  const error = document.getElementById('error');
  error.textContent = message;
  error.hidden = !message;
}

function when(instant) {
  return instant ? new Date(instant).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}

function select(id, label, values, current, test) {
  return el('label', { for: id }, label,
    el('select', { id, name: id, 'data-test': test ?? id },
      el('option', { value: '' }, 'any'),
      values.map((value) => el('option', { value, selected: value === current }, value))));
}

function input(id, label, current, attributes = {}) {
  return el('label', { for: id }, label,
    el('input', { id, name: id, value: current ?? '', 'data-test': id, ...attributes }));
}

function table(headings, rows, test) {
  return el('table', { 'data-test': test },
    el('thead', {}, el('tr', {}, headings.map((heading) => el('th', { scope: 'col' }, heading)))),
    el('tbody', {}, rows));
}

function stateBadge(state) {
  return el('span', { class: `badge state-${String(state).toLowerCase()}`, 'data-test': 'state' }, state ?? '');
}

function message(text, test = 'notice') {
  return el('p', { class: 'notice', role: 'status', 'data-test': test }, text);
}

/** A JSON value shown as indented text (a string body as it is). */
function jsonBlock(value, test) {
  return el('pre', { class: 'json', 'data-test': test },
    typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

/** The route's path and its query parameters: {@code #/cases?status=APPROVED} → ['cases'], {status: 'APPROVED'}. */
function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, search] = hash.split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(search ?? '') };
}

function go(path, params = {}) {
  location.hash = `#/${path}${query(params)}`;
}

/**
 * A paged list: draws the first page of {@code path} into the table body, and a "More" button that follows the
 * page's {@code next} link until there is none.
 */
async function pagedRows(path, tbody, row, moreTest) {
  const more = el('button', { type: 'button', 'data-test': moreTest, hidden: true }, 'More');
  let next = path;
  const load = async () => {
    more.disabled = true;
    try {
      const answer = await api(next);
      tbody.append(...answer.items.map(row));
      next = answer.next;
      more.hidden = !next;
    } catch (e) {
      showError(e.message);
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', load);
  await load();
  if (!tbody.children.length) {
    tbody.append(el('tr', {}, el('td', { colspan: 20, class: 'empty' }, 'Nothing here.')));
  }
  return more;
}

// ---------------------------------------------------------------------------------------------------------------
// Pages

function signInPage(params) {
  document.getElementById('nav').hidden = true;
  document.body.dataset.page = 'sign-in';
  const key = el('input', { id: 'key', name: 'key', type: 'password', autocomplete: 'current-password',
    required: true, 'data-test': 'key' });
  const form = el('form', { id: 'sign-in', 'data-test': 'sign-in-form' },
    el('h1', {}, 'Sign in'),
    el('p', {}, 'The console is for operators: sign in once with an operator API key (kyc.api.operator-keys).'),
    el('label', { for: 'key' }, 'Operator key', key),
    el('button', { type: 'submit', id: 'sign-in-button', 'data-test': 'sign-in-button' }, 'Sign in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const session = await api('/api/v1/session', 'POST', { key: key.value });
      csrfToken = session.csrfToken;
      showError('');
      const back = params.get('then') ?? location.hash;
      location.hash = back && back.startsWith('#/') && !back.startsWith('#/sign-in') ? back : '#/cases';
    } catch (e) {
      showError(e.message);
      key.select();
    }
  });
  show(form);
  key.focus();
}

async function casesPage(params) {
  const filters = {
    status: params.get('status'), nextAction: params.get('nextAction'), provider: params.get('provider'),
    updatedSince: params.get('updatedSince'), stalledFor: params.get('stalledFor'), search: params.get('search'),
  };
  const form = el('form', { class: 'filters', 'data-test': 'case-filters' },
    input('search', 'Customer id or provider reference', filters.search, { type: 'search' }),
    select('status', 'Status', STATUSES, filters.status),
    select('nextAction', 'Next action', NEXT_ACTIONS, filters.nextAction),
    select('provider', 'Provider', PROVIDERS, filters.provider),
    input('updatedSince', 'Updated since (ISO instant)', filters.updatedSince, { placeholder: '2026-01-31T00:00:00Z' }),
    input('stalledFor', 'Stalled for (ISO duration)', filters.stalledFor, { placeholder: 'PT1H' }),
    el('button', { type: 'submit', 'data-test': 'apply-filters' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(form));
    go('cases', values);
  });
  const counts = el('ul', { class: 'counts', 'data-test': 'counts', 'aria-label': 'Cases per status' });
  const tbody = el('tbody');
  show(el('h1', {}, 'Cases'), form, counts,
    el('table', { 'data-test': 'cases' },
      el('thead', {}, el('tr', {}, ['Customer', 'Provider', 'Provider reference', 'Status', 'Next action', 'Updated']
        .map((heading) => el('th', { scope: 'col' }, heading)))), tbody));

  const { status, ...countFilters } = filters;
  api(`/api/v1/cases/counts${query(countFilters)}`).then((answer) => {
    counts.replaceChildren(el('li', { 'data-test': 'count-total' }, `All: ${answer.total}`),
      ...STATUSES.map((name) => el('li', {},
        el('a', { href: `#/cases${query({ ...filters, status: name })}`, 'data-test': `count-${name}` },
          `${name}: ${answer.byStatus[name] ?? 0}`))));
  }).catch((e) => showError(e.message));

  const more = await pagedRows(`/api/v1/cases${query({ ...filters, limit: 50 })}`, tbody, (kycCase) =>
    el('tr', { 'data-test': 'case-row', 'data-id': kycCase.id },
      el('td', {}, el('a', { href: `#/case/${kycCase.id}`, 'data-test': 'case-link' }, kycCase.customerId ?? '(none)')),
      el('td', {}, kycCase.provider), el('td', {}, kycCase.providerRef),
      el('td', {}, stateBadge(kycCase.status)), el('td', {}, kycCase.nextAction),
      el('td', { class: 'nowrap' }, when(kycCase.updatedAt))), 'more-cases');
  page().append(more);
}

async function casePage(id) {
  const kycCase = await api(`/api/v1/cases/${encodeURIComponent(id)}`);
  const facts = el('dl', { class: 'facts', 'data-test': 'case' },
    ...[['Customer', kycCase.customerId, 'customer'], ['Provider', kycCase.provider, 'provider'],
      ['Provider reference', kycCase.providerRef, 'provider-ref'], ['Status', kycCase.status, 'case-status'],
      ['Next action', kycCase.nextAction, 'next-action'], ['Provider status', kycCase.providerStatus, 'provider-status'],
      ['Opened', when(kycCase.createdAt), 'created'], ['Updated', when(kycCase.updatedAt), 'updated']]
      .flatMap(([term, value, test]) => [el('dt', {}, term), el('dd', { 'data-test': test }, value ?? '')]));
  const reasons = el('ul', { 'data-test': 'reasons' },
    (kycCase.reasons ?? []).map((reason) => el('li', {}, reason)));
  const checks = table(['Check', 'Passed', 'Required'], (kycCase.checks ?? []).map((check) =>
    el('tr', { 'data-test': 'check-row' }, el('td', {}, check.name), el('td', {}, check.passed ? 'yes' : 'no'),
      el('td', {}, check.required ? 'yes' : 'no'))), 'checks');
  const tbody = el('tbody');
  show(el('h1', {}, `Case ${kycCase.id}`), facts,
    el('h2', {}, 'Reasons'), kycCase.reasons?.length ? reasons : el('p', {}, 'None.'),
    el('h2', {}, 'Checks'), kycCase.checks?.length ? checks : el('p', {}, 'None.'),
    el('h2', {}, 'Timeline'),
    el('p', {}, 'Every change of the case, oldest first, with the raw message or provider call behind it.'),
    el('table', { 'data-test': 'timeline' },
      el('thead', {}, el('tr', {}, ['When', 'Event', 'Status', 'Next action', 'Provider event', 'Caused by']
        .map((heading) => el('th', { scope: 'col' }, heading)))), tbody));
  const more = await pagedRows(`/api/v1/cases/${encodeURIComponent(id)}/events?limit=100`, tbody, (event) =>
    el('tr', { 'data-test': 'event-row', 'data-id': event.id },
      el('td', { class: 'nowrap' }, when(event.occurredAt)), el('td', {}, event.type),
      el('td', {}, change(event.fromStatus, event.toStatus)), el('td', {}, change(event.fromNextAction, event.toNextAction)),
      el('td', {}, event.providerEvent ?? ''),
      el('td', {},
        event.inboundMessageId != null && el('a', { href: `#/message/${event.inboundMessageId}`, 'data-test': 'raw-message-link' },
          `message ${event.inboundMessageId}`),
        event.inboundMessageId != null && event.actionId != null && ' ',
        event.actionId != null && el('a', { href: `#/action/${event.actionId}`, 'data-test': 'action-link' },
          `provider call ${event.actionId}`))), 'more-events');
  page().append(more);
}

function change(from, to) {
  return from && from !== to ? `${from} → ${to}` : (to ?? '');
}

/** A raw inbound message or a provider call, redacted unless the operator asks to see the personal data. */
async function rawPage(kind, id, reveal) {
  const path = kind === 'message' ? `/api/v1/ops/inbox/${encodeURIComponent(id)}` : `/api/v1/ops/actions/${encodeURIComponent(id)}`;
  const item = await api(`${path}?reveal=${reveal}`);
  const shown = kind === 'message'
    ? [['provider', 'Provider'], ['channel', 'Channel'], ['messageType', 'Type'], ['subject', 'Subject'],
      ['state', 'State'], ['attempts', 'Attempts'], ['lastError', 'Last error'], ['receivedAt', 'Received'],
      ['processedAt', 'Processed'], ['caseId', 'Case']]
    : [['provider', 'Provider'], ['kind', 'Kind'], ['name', 'Call'], ['state', 'State'], ['attempts', 'Attempts'],
      ['lastError', 'Last error'], ['createdAt', 'Created'], ['doneAt', 'Done'], ['customerId', 'Customer'],
      ['caseId', 'Case']];
  const facts = el('dl', { class: 'facts', 'data-test': kind },
    ...shown.flatMap(([name, label]) => [el('dt', {}, label),
      el('dd', { 'data-test': `${kind}-${name}` },
        name === 'caseId' && item.caseId ? el('a', { href: `#/case/${item.caseId}` }, item.caseId)
          : name.endsWith('At') ? when(item[name]) : String(item[name] ?? ''))]));
  const content = kind === 'message' ? item.body : item.payload;
  const revealButton = el('button', { type: 'button', 'data-test': 'reveal', onclick: () => rawPage(kind, id, true).catch(failed) },
    'Reveal personal data');
  const hideButton = el('button', { type: 'button', 'data-test': 'hide', onclick: () => rawPage(kind, id, false).catch(failed) },
    'Hide personal data');
  const replayable = item.state === 'FAILED' || item.state === 'DEAD';
  const replay = replayable && el('button', { type: 'button', 'data-test': 'replay-one', onclick: async () => {
    await replayOne(kind === 'message' ? `/api/v1/ops/inbox/${item.id}/replay` : `/api/v1/ops/actions/${item.id}/replay`);
    rawPage(kind, id, reveal).catch(failed);
  } }, 'Replay');
  show(el('h1', {}, kind === 'message' ? `Inbound message ${item.id}` : `Provider call ${item.id}`), facts,
    el('div', { class: 'buttons' }, reveal ? hideButton : revealButton, replay),
    el('h2', {}, kind === 'message' ? 'Body' : 'Payload',
      el('span', { class: 'muted', 'data-test': 'redaction' },
        reveal ? ' (as received, personal data shown)' : ' (personal data redacted)')),
    jsonBlock(content, 'body'),
    kind === 'message' && el('h2', {}, 'Headers'), kind === 'message' && jsonBlock(item.headers ?? {}, 'headers'));
}

async function replayOne(path) {
  try {
    const answer = await api(path, 'POST');
    showError('');
    return answer;
  } catch (e) {
    showError(e.message);
    return null;
  }
}

/**
 * Replays every FAILED and DEAD item of one provider: a dry run counts them first, and only the operator's
 * confirmation replays them.
 */
function bulkReplay(path, nouns, onDone) {
  const noun = (n) => (n === 1 ? nouns.slice(0, -1) : nouns);
  const provider = el('select', { id: 'bulk-provider', 'data-test': 'bulk-provider' },
    PROVIDERS.map((name) => el('option', { value: name }, name)));
  const outcome = el('p', { role: 'status', 'data-test': 'bulk-outcome' });
  const confirm = el('button', { type: 'button', hidden: true, 'data-test': 'bulk-confirm' }, 'Replay them');
  const count = el('button', { type: 'button', 'data-test': 'bulk-dry-run' }, 'Count FAILED and DEAD');
  count.addEventListener('click', async () => {
    try {
      const dry = await api(`${path}${query({ provider: provider.value, dryRun: true })}`, 'POST');
      outcome.textContent = `${dry.count} ${noun(dry.count)} of ${dry.provider} would be replayed.`;
      confirm.hidden = dry.count === 0;
      confirm.dataset.provider = dry.provider;
    } catch (e) {
      showError(e.message);
    }
  });
  confirm.addEventListener('click', async () => {
    try {
      const done = await api(`${path}${query({ provider: confirm.dataset.provider, dryRun: false })}`, 'POST');
      outcome.textContent = `${done.count} ${noun(done.count)} of ${done.provider} replayed.`;
      confirm.hidden = true;
      onDone();
    } catch (e) {
      showError(e.message);
    }
  });
  provider.addEventListener('change', () => {
    confirm.hidden = true;
    outcome.textContent = '';
  });
  return el('section', { class: 'bulk', 'aria-label': `Replay all of a provider's FAILED and DEAD ${nouns}` },
    el('h2', {}, `Replay all FAILED and DEAD ${nouns} of a provider`),
    el('label', { for: 'bulk-provider' }, 'Provider', provider), count, confirm, outcome);
}

async function inboxPage(params) {
  const filters = { state: params.get('state'), provider: params.get('provider') };
  const form = el('form', { class: 'filters', 'data-test': 'inbox-filters' },
    select('state', 'State', INBOX_STATES, filters.state), select('provider', 'Provider', PROVIDERS, filters.provider),
    el('button', { type: 'submit', 'data-test': 'apply-filters' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go('inbox', Object.fromEntries(new FormData(form)));
  });
  const tbody = el('tbody');
  const reload = () => inboxPage(params).catch(failed);
  show(el('h1', {}, 'Inbox'), el('p', {}, 'Every webhook and poll answer the hub took in, newest first.'), form,
    el('table', { 'data-test': 'inbox' },
      el('thead', {}, el('tr', {}, ['Message', 'Provider', 'Channel', 'State', 'Attempts', 'Last error', 'Received', '']
        .map((heading) => el('th', { scope: 'col' }, heading)))), tbody));
  const more = await pagedRows(`/api/v1/ops/inbox${query({ ...filters, limit: 50 })}`, tbody, (item) =>
    el('tr', { 'data-test': 'inbox-row', 'data-id': item.id },
      el('td', {}, el('a', { href: `#/message/${item.id}`, 'data-test': 'message-link' }, String(item.id))),
      el('td', {}, item.provider), el('td', {}, item.channel), el('td', {}, stateBadge(item.state)),
      el('td', {}, String(item.attempts)), el('td', { class: 'error-text' }, item.lastError ?? ''),
      el('td', { class: 'nowrap' }, when(item.receivedAt)),
      el('td', {}, (item.state === 'FAILED' || item.state === 'DEAD') && el('button', {
        type: 'button', 'data-test': 'replay', onclick: async () => {
          if (await replayOne(`/api/v1/ops/inbox/${item.id}/replay`)) {
            reload();
          }
        },
      }, 'Replay'))), 'more-inbox');
  page().append(more, bulkReplay('/api/v1/ops/inbox/replay', 'messages', reload));
}

async function actionsPage(params) {
  const filters = { state: params.get('state') ?? 'FAILED', provider: params.get('provider') };
  const form = el('form', { class: 'filters', 'data-test': 'action-filters' },
    el('label', { for: 'state' }, 'State', el('select', { id: 'state', name: 'state', 'data-test': 'state' },
      ACTION_STATES.map((value) => el('option', { value, selected: value === filters.state }, value)))),
    select('provider', 'Provider', PROVIDERS, filters.provider),
    el('button', { type: 'submit', 'data-test': 'apply-filters' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go('actions', Object.fromEntries(new FormData(form)));
  });
  const tbody = el('tbody');
  const reload = () => actionsPage(params).catch(failed);
  show(el('h1', {}, 'Provider actions'),
    el('p', {}, 'Calls the hub makes to providers (start a KYC, submit data); FAILED ones were refused, DEAD ones ran out of attempts.'),
    form,
    el('table', { 'data-test': 'actions' },
      el('thead', {}, el('tr', {}, ['Call', 'Provider', 'Name', 'Customer', 'State', 'Attempts', 'Last error', 'Created', '']
        .map((heading) => el('th', { scope: 'col' }, heading)))), tbody));
  const more = await pagedRows(`/api/v1/ops/actions${query({ ...filters, limit: 50 })}`, tbody, (item) =>
    el('tr', { 'data-test': 'action-row', 'data-id': item.id },
      el('td', {}, el('a', { href: `#/action/${item.id}`, 'data-test': 'action-link' }, String(item.id))),
      el('td', {}, item.provider), el('td', {}, item.name),
      el('td', {}, item.caseId ? el('a', { href: `#/case/${item.caseId}` }, item.customerId ?? item.caseId) : (item.customerId ?? '')),
      el('td', {}, stateBadge(item.state)), el('td', {}, String(item.attempts)),
      el('td', { class: 'error-text' }, item.lastError ?? ''), el('td', { class: 'nowrap' }, when(item.createdAt)),
      el('td', {}, (item.state === 'FAILED' || item.state === 'DEAD') && el('button', {
        type: 'button', 'data-test': 'replay', onclick: async () => {
          if (await replayOne(`/api/v1/ops/actions/${item.id}/replay`)) {
            reload();
          }
        },
      }, 'Replay'))), 'more-actions');
  page().append(more, bulkReplay('/api/v1/ops/actions/replay', 'actions', reload));
}

async function stalledPage(params) {
  const stalledFor = params.get('stalledFor');
  const form = el('form', { class: 'filters', 'data-test': 'stalled-filters' },
    input('stalledFor', 'Unchanged for at least (ISO duration; empty: the hub\'s default)', stalledFor, { placeholder: 'PT1H' }),
    el('button', { type: 'submit', 'data-test': 'apply-filters' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go('stalled', Object.fromEntries(new FormData(form)));
  });
  const tbody = el('tbody');
  show(el('h1', {}, 'Stalled cases'), el('p', {}, 'Cases not finished and unchanged for a while: each waits on someone.'),
    form, el('table', { 'data-test': 'stalled' },
      el('thead', {}, el('tr', {}, ['Customer', 'Provider', 'Status', 'Next action', 'Updated']
        .map((heading) => el('th', { scope: 'col' }, heading)))), tbody));
  const more = await pagedRows(`/api/v1/ops/cases${query({ stalledFor, limit: 50 })}`, tbody, (kycCase) =>
    el('tr', { 'data-test': 'stalled-row' },
      el('td', {}, el('a', { href: `#/case/${kycCase.id}` }, kycCase.customerId ?? kycCase.id)),
      el('td', {}, kycCase.provider), el('td', {}, stateBadge(kycCase.status)), el('td', {}, kycCase.nextAction),
      el('td', { class: 'nowrap' }, when(kycCase.updatedAt))), 'more-stalled');
  page().append(more);
}

/** Webhooks and pulls per minute over the last hour, as two polylines in an inline SVG. */
function perMinuteChart(provider, minutes) {
  const width = 360;
  const height = 80;
  const most = Math.max(1, ...minutes.map((minute) => Math.max(minute.webhooks, minute.pulls)));
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height + 2}`);
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('data-test', 'chart');
  const total = (name) => minutes.reduce((sum, minute) => sum + minute[name], 0);
  svg.setAttribute('aria-label', `${provider}: ${total('webhooks')} webhooks and ${total('pulls')} pulls in the last `
    + `${minutes.length} minutes, at most ${most} a minute`);
  for (const [name, css] of [['webhooks', 'line-webhooks'], ['pulls', 'line-pulls']]) {
    const line = document.createElementNS(svgNs, 'polyline');
    const step = minutes.length > 1 ? width / (minutes.length - 1) : width;
    line.setAttribute('points', minutes.map((minute, index) =>
      `${(index * step).toFixed(1)},${(1 + height - (minute[name] / most) * height).toFixed(1)}`).join(' '));
    line.setAttribute('class', css);
    svg.append(line);
  }
  return el('figure', {}, svg,
    el('figcaption', {}, el('span', { class: 'key-webhooks' }, '— webhooks'), ' ', el('span', { class: 'key-pulls' }, '— pulls'),
      ` per minute, last hour (peak ${most})`));
}

function counts(title, values, link) {
  return el('div', {}, el('h3', {}, title), el('ul', { class: 'counts' },
    Object.entries(values ?? {}).map(([state, n]) => el('li', {}, el('a', { href: link(state) }, `${state}: ${n}`)))));
}

async function providersPage() {
  const answer = await api('/api/v1/ops/providers');
  show(el('h1', {}, 'Providers'),
    el('p', {}, 'Each provider: its circuit breaker, its backlog, its last error and its traffic.'),
    el('div', { class: 'cards' }, answer.items.map((provider) =>
      el('section', { class: 'card', 'data-test': 'provider', 'data-provider': provider.provider },
        el('h2', {}, provider.provider),
        el('p', {}, 'Circuit ', el('span', { class: `badge circuit-${String(provider.circuit).toLowerCase()}`, 'data-test': 'circuit' },
          provider.circuit), provider.circuitSince ? ` since ${when(provider.circuitSince)}` : ''),
        counts('Inbox', provider.inbox, (state) => `#/inbox${query({ state, provider: provider.provider })}`),
        counts('Actions', provider.actions, (state) => `#/actions${query({ state, provider: provider.provider })}`),
        el('h3', {}, 'Last error'),
        provider.lastError
          ? el('p', { class: 'error-text', 'data-test': 'last-error' }, when(provider.lastError.at), ' ',
            el('a', { href: provider.lastError.source === 'inbox' ? `#/message/${provider.lastError.id}` : `#/action/${provider.lastError.id}` },
              `${provider.lastError.source} ${provider.lastError.id}`), ': ', provider.lastError.text ?? '')
          : el('p', { 'data-test': 'last-error' }, 'None.'),
        perMinuteChart(provider.provider, provider.perMinute ?? [])))));
}

async function outboundPage() {
  const endpoints = await api('/api/v1/event-endpoints');
  show(el('h1', {}, 'Outbound'),
    el('p', {}, 'Where the hub sends its events (Standard Webhooks, RabbitMQ); open one for its deliveries.'),
    table(['Endpoint', 'Kind', 'Enabled', 'Failing since', 'Event types', 'Providers'], endpoints.map((endpoint) =>
      el('tr', { 'data-test': 'endpoint-row', 'data-id': endpoint.id },
        el('td', {}, el('a', { href: `#/outbound/${endpoint.id}`, 'data-test': 'endpoint-link' }, endpoint.url),
          endpoint.description ? el('div', { class: 'muted' }, endpoint.description) : null),
        el('td', {}, endpoint.kind), el('td', {}, endpoint.enabled ? 'yes' : `no: ${endpoint.disabledReason ?? ''}`),
        el('td', { class: 'nowrap' }, when(endpoint.failingSince)), el('td', {}, (endpoint.eventTypes ?? []).join(', ') || 'all'),
        el('td', {}, (endpoint.providers ?? []).join(', ') || 'all'))), 'endpoints'),
    endpoints.length ? null : message('No event endpoint yet (POST /api/v1/event-endpoints adds one).'));
}

async function deliveriesPage(id, params) {
  const endpoint = await api(`/api/v1/event-endpoints/${encodeURIComponent(id)}`);
  const state = params.get('state');
  const form = el('form', { class: 'filters', 'data-test': 'delivery-filters' },
    select('state', 'State', DELIVERY_STATES, state), el('button', { type: 'submit', 'data-test': 'apply-filters' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go(`outbound/${id}`, Object.fromEntries(new FormData(form)));
  });
  const tbody = el('tbody');
  const reload = () => deliveriesPage(id, params).catch(failed);
  show(el('h1', {}, 'Deliveries'), el('p', { 'data-test': 'endpoint-url' }, endpoint.url), form,
    el('table', { 'data-test': 'deliveries' },
      el('thead', {}, el('tr', {}, ['Delivery', 'Event', 'Case', 'State', 'Attempts', 'Last answer', 'Last error', 'Delivered', '']
        .map((heading) => el('th', { scope: 'col' }, heading)))), tbody));
  const more = await pagedRows(`/api/v1/event-endpoints/${encodeURIComponent(id)}/deliveries${query({ state, limit: 50 })}`,
    tbody, (delivery) => el('tr', { 'data-test': 'delivery-row', 'data-id': delivery.id },
      el('td', {}, String(delivery.id)), el('td', {}, delivery.type),
      el('td', {}, delivery.caseId ? el('a', { href: `#/case/${delivery.caseId}` }, String(delivery.sequence)) : ''),
      el('td', {}, stateBadge(delivery.state)), el('td', {}, String(delivery.attempts)),
      el('td', {}, delivery.lastStatus != null ? `${delivery.lastStatus} in ${delivery.lastLatencyMs} ms` : ''),
      el('td', { class: 'error-text' }, delivery.lastError ?? ''), el('td', { class: 'nowrap' }, when(delivery.deliveredAt)),
      el('td', {}, (delivery.state === 'DELIVERED' || delivery.state === 'DEAD') && el('button', {
        type: 'button', 'data-test': 'replay', onclick: async () => {
          if (await replayOne(`/api/v1/ops/deliveries/${delivery.id}/replay`)) {
            reload();
          }
        },
      }, 'Replay'))), 'more-deliveries');
  page().append(more);
}

function erasurePage(params) {
  const customer = el('input', { id: 'erase-customer', name: 'customerId', required: true, value: params.get('customerId') ?? '',
    'data-test': 'erase-customer' });
  const confirmation = el('section', { class: 'confirm', hidden: true, 'data-test': 'erase-confirmation' });
  const receipt = el('div', { 'data-test': 'erase-receipt' });
  const form = el('form', { 'data-test': 'erase-form' },
    el('label', { for: 'erase-customer' }, 'Customer id', customer),
    el('button', { type: 'submit', 'data-test': 'erase-start' }, 'Erase personal data…'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = customer.value.trim();
    const typed = el('input', { id: 'erase-typed', autocomplete: 'off', 'data-test': 'erase-typed' });
    const erase = el('button', { type: 'button', class: 'danger', disabled: true, 'data-test': 'erase-confirm' },
      'Erase for good');
    typed.addEventListener('input', () => {
      erase.disabled = typed.value !== id;
    });
    erase.addEventListener('click', async () => {
      try {
        const done = await api(`/api/v1/customers/${encodeURIComponent(id)}/personal-data`, 'DELETE');
        confirmation.hidden = true;
        receipt.replaceChildren(message(`Personal data of ${done.customerId} erased at ${when(done.erasedAt)}.`, 'erased'),
          table(['Table', 'Rows'], Object.entries(done.rows ?? {}).map(([name, rows]) =>
            el('tr', {}, el('td', {}, name), el('td', {}, String(rows)))), 'erase-rows'));
        showError('');
      } catch (e) {
        showError(e.message);
      }
    });
    confirmation.replaceChildren(
      el('h2', {}, 'Erase the personal data of customer ', el('strong', { 'data-test': 'erase-named' }, id), '?'),
      el('p', {}, 'Their profile, the data providers reported and every stored body that holds them are erased; the '
        + 'cases and their audit trail stay, without personal data. This cannot be undone.'),
      el('label', { for: 'erase-typed' }, `Type the customer id (${id}) to confirm`, typed),
      el('div', { class: 'buttons' }, erase,
        el('button', { type: 'button', 'data-test': 'erase-cancel', onclick: () => { confirmation.hidden = true; } }, 'Cancel')));
    confirmation.hidden = false;
    receipt.replaceChildren();
    typed.focus();
  });
  show(el('h1', {}, 'Erasure'),
    el('p', {}, 'Erase every personal value the hub holds about one customer (a data subject\'s request).'),
    form, confirmation, receipt);
}

// ---------------------------------------------------------------------------------------------------------------
// Routing and the session

function failed(e) {
  if (e instanceof ApiError && e.status === 401) {
    csrfToken = null;
    go('sign-in', { then: location.hash });
    return;
  }
  showError(e.message);
}

async function render() {
  // The tests (and a reader of the DOM) know a page is drawn, its first page of data in, by data-ready.
  delete document.body.dataset.ready;
  showError('');
  const { parts, params } = route();
  const [name, id] = parts;
  if (name === 'sign-in' || csrfToken === null) {
    signInPage(params);
    document.body.dataset.ready = 'true';
    return;
  }
  document.getElementById('nav').hidden = false;
  for (const link of document.querySelectorAll('#nav a')) {
    link.toggleAttribute('aria-current', link.getAttribute('href') === `#/${name}`);
  }
  show(el('p', { class: 'muted' }, 'Loading…'));
  try {
    switch (name) {
      case 'case': await casePage(id); break;
      case 'message': await rawPage('message', id, false); break;
      case 'action': await rawPage('action', id, false); break;
      case 'inbox': await inboxPage(params); break;
      case 'actions': await actionsPage(params); break;
      case 'stalled': await stalledPage(params); break;
      case 'providers': await providersPage(); break;
      case 'outbound': await (id ? deliveriesPage(id, params) : outboundPage()); break;
      case 'erasure': erasurePage(params); break;
      default: await casesPage(params);
    }
    document.body.dataset.page = name ?? 'cases';
  } catch (e) {
    failed(e);
  }
  document.body.dataset.ready = 'true';
}

async function signOut() {
  try {
    await api('/api/v1/session', 'DELETE');
  } catch (e) {
    // Signed out either way: the session is gone or was never there.
  }
  csrfToken = null;
  go('sign-in');
}

async function start() {
  document.getElementById('sign-out').addEventListener('click', signOut);
  try {
    csrfToken = (await api('/api/v1/session')).csrfToken;
  } catch {
    csrfToken = null;
  }
  window.addEventListener('hashchange', render);
  await render();
}

start();
