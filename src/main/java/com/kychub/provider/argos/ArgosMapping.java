package com.kychub.provider.argos;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.CaseView;
import com.kychub.canonical.CheckResult;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.Quote;
import com.kychub.canonical.RiskSignal;
import com.kychub.canonical.UnmappableMessageException;

/**
 * ARGOS Identity's webhooks (provider doc 002) in the canonical vocabulary. The tables below read side by side with
 * the doc's trigger table and its {@code kyc_result} and {@code aml_result} values; a value that is not in them is
 * never guessed.
 * <p>
 * ARGOS's messages say what happened, not always where the submission now stands ({@code aml} has no result of its
 * own, {@code updated} lists changed fields), so the mapping starts from the case as it stands: ARGOS's KYC result
 * is the case's {@code providerStatus}, the rest of what ARGOS said lives in {@code providerDetails}, and the
 * canonical status, the reasons and the checks are derived from both on every message. Personal fields never enter
 * the case: see {@link #personalData} and {@link #PERSONAL_FIELDS}.
 * <p>
 * Risk signals ({@link RiskSignal}): an AML red flag or HIGH risk level ({@code aml}, {@code aml_monitor}) and a failed
 * data injection ({@code injectionFail}) open a signal, kept in {@code providerDetails} and shown as a required check
 * that has not passed; only a dashboard decision ({@code updated} setting the KYC result) closes it. A result that is
 * not a hit never closes one.
 */
public final class ArgosMapping {

    public static final String PROVIDER = "argos";

    /**
     * The fields of ARGOS's webhooks and submission answers, and of the case details this package writes, that are
     * not personal: ids, triggers, results, statuses, codes, times. Every other value is redacted on erasure and by
     * retention ({@code com.kychub.privacy.Redaction}): the applicant's data, the reviewer and admin, comments.
     */
    public static final Set<String> NOT_PERSONAL = Set.of("webhook_trigger", "webhookTrigger", "submission_id",
            "submissionId", "applicant_id", "applicantId", "userid", "userId", "user_id", "tokenId", "token_id",
            "created_at", "createdAt", "updated_at", "update_at", "updatedAt", "kyc_result_at", "kycResultAt",
            "pending_at", "pendingAt", "approved_at", "rejected_at", "submittedAt", "closedAt", "status", "result",
            "kyc_status", "kycStatus", "kyc_result", "update", "update_time", "updateTime", "delete_time",
            "deleteTime", "commentCode", "comment_code", "currentstatus", "currentStatus", "riskLevel",
            "risk_level", "riskLevelSummary", "failCode", "fail_code", "type", "trigger", "lastTrigger",
            "worklistId", "recordId", "retry", "created");


    /** What a webhook_trigger does to the case. */
    enum Effect {
        /** sets ARGOS's KYC result to the one the trigger names */
        RESULT,
        /**
         * a dashboard update: {@code data.kyc_result} is the result after it when {@code data.update} lists it or it
         * differs; such a decision is dated by the update's own time and closes the case's open risk signals
         */
        UPDATE,
        /** the one-time AML screening after the approval; the trigger table's KYC status for it is Approved */
        AML,
        /** ongoing AML monitoring: the submission's worklist records, and a new hit when it carries an aml_result */
        AML_MONITOR,
        /** the submission's personal data is erased; the status is kept */
        ERASE,
        /** data such as an address was added to the submission ("Data Injection"); the status is kept */
        DATA_INJECTION,
        /** adding such data failed ({@code action.failCode}): a fraud signal, open until a dashboard decision */
        INJECTION_FAIL,
        /** a newer trigger that carries nothing the case keeps: recorded, the status kept */
        RECORD
    }

    record Meaning(Effect effect, String result) {
    }

    /** webhook_trigger, with the KYC status of the doc's trigger table where it gives one. */
    static final Map<String, Meaning> TRIGGERS = Map.ofEntries(
            // "KYC submission is created and waiting for manual review" (Pending).
            Map.entry("submit", new Meaning(Effect.RESULT, "pending")),
            Map.entry("approved", new Meaning(Effect.RESULT, "approved")),
            Map.entry("rejected", new Meaning(Effect.RESULT, "rejected")),
            Map.entry("updated", new Meaning(Effect.UPDATE, null)),
            // "AML Screening is performed only when KYC is approved".
            Map.entry("aml", new Meaning(Effect.AML, "approved")),
            // ARGOS developer docs, "AML Ongoing Monitoring Results": webhook_trigger aml_monitor with records.
            Map.entry("aml_monitor", new Meaning(Effect.AML_MONITOR, null)),
            Map.entry("delete", new Meaning(Effect.ERASE, null)),
            // ARGOS developer docs, "Data Injection": "additional data is injected ... such as address information";
            // its failed payloads are webhook_trigger injectionFail with action.failCode.
            Map.entry("injection", new Meaning(Effect.DATA_INJECTION, null)),
            Map.entry("injectionFail", new Meaning(Effect.INJECTION_FAIL, null)),
            // ARGOS developer docs, webhook overview: the submission is created; the submitter retried.
            Map.entry("created", new Meaning(Effect.RECORD, null)),
            Map.entry("retry", new Meaning(Effect.RECORD, null)));

    /** ARGOS's spellings of a KYC result ({@code kyc_result.status}, {@code data.kyc_result}), any letter case. */
    static final Map<String, String> RESULT_SPELLINGS = Map.of(
            "pending", "pending",
            "approved", "approved",
            "rejected", "rejected",
            // kyc_result.status: "KYC review result (approved or reject)".
            "reject", "rejected");

    record Canonical(CaseStatus status, NextAction nextAction) {
    }

    /** ARGOS's KYC result in the canonical vocabulary. */
    static final Map<String, Canonical> STATUSES = Map.of(
            "pending", new Canonical(CaseStatus.IN_REVIEW, NextAction.WAIT),
            "approved", new Canonical(CaseStatus.APPROVED, NextAction.NONE),
            // A rejected submission is final at ARGOS, but the applicant may submit again (a new submission_id).
            "rejected", new Canonical(CaseStatus.REJECTED, NextAction.RESTART_KYC));

    /** An approval held in review by an open AML signal, until a dashboard update sets the result again. */
    static final Canonical HELD_BY_AML = new Canonical(CaseStatus.IN_REVIEW, NextAction.WAIT);

    /** No ARGOS message has given a result yet: the store's own blank case. */
    static final Canonical NO_RESULT_YET = new Canonical(CaseStatus.NOT_STARTED, NextAction.NONE);

    /** aml_result.currentstatus → is it a hit that opens the AML signal (any letter case). */
    static final Map<String, Boolean> AML_STATUSES = Map.of(
            "not screened", false,
            "red flag", true);

    /** aml_result.risk_level_summary → is it a hit that opens the AML signal (any letter case): HIGH is. */
    static final Map<String, Boolean> AML_RISK_LEVELS = Map.of(
            "not screened", false,
            "low", false,
            "medium", false,
            "high", true);

    public static final String AML_CHECK = "AML";
    public static final String INJECTION_CHECK = "INJECTION";
    public static final String INJECTION_FAIL_CHECK = "INJECTION_FAIL";
    static final String AML_RED_FLAG = "AML_RED_FLAG";
    static final String AML_RISK_HIGH = "AML_RISK_HIGH";
    static final String INJECTION_FAIL = "INJECTION_FAIL";

    /**
     * The personal fields of an ARGOS webhook in every spelling the hub reads ({@link ArgosEvent}'s personal
     * components and their aliases): on the customer row only, and removed from raw messages on erasure. {@code cf}
     * (cf1..cf3) is free data the fintech chose to send through ARGOS, so it is treated as personal.
     */
    public static final Set<String> PERSONAL_FIELDS = Set.of(
            "email",
            "cf", "cf1", "cf2", "cf3",
            "age_group", "ageGroup",
            "gender",
            "date_of_birth", "dateOfBirth",
            "nationality",
            "ipAddress", "ip_address", "ipaddress",
            "fullName", "full_name", "fullname",
            "idType", "id_type",
            "issuingCountry", "issuing_country",
            "issueDate", "issue_date",
            "expireDate", "expire_date",
            "identityNumber", "identity_number",
            "documentNumber", "document_number",
            "additional_list", "addtional_list", "additionalList");

    private ArgosMapping() {
    }

    /**
     * @param current the case as it stands, or null when this submission has none yet
     */
    public static CaseUpdate toCanonical(ArgosEvent event, CaseView current) {
        String submission = submissionId(event);
        String trigger = event.webhookTrigger();
        Meaning meaning = trigger == null ? null : TRIGGERS.get(trigger);
        if (meaning == null) {
            throw new UnmappableMessageException("unknown ARGOS webhook_trigger " + Quote.of(trigger));
        }
        Map<String, Object> details = current == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(current.providerDetails());
        String result = current == null ? null : current.providerStatus();
        Instant occurredAt = null;
        // A risk signal is applied whenever it arrives: it has no time of its own to be found stale by, and it may
        // move an approved case back to review.
        boolean opensSignal = false;
        // The signals this message says something about: only their checks are written, so an event names those.
        Set<String> touched = new LinkedHashSet<>();
        if (readLegacyInjectionFail(details)) {
            touched.add("injectionFail");
        }

        putText(details, "applicantId", event.applicantId());
        putText(details, "tokenId", event.tokenId());
        putText(details, "submittedAt", event.createdAt());
        details.put("lastTrigger", trigger);

        switch (meaning.effect()) {
            case RESULT -> {
                result = meaning.result();
                ArgosEvent.KycResult kyc = event.kycResult();
                if (kyc != null && hasText(kyc.status()) && !result.equals(result(kyc.status(), "kyc_result.status"))) {
                    throw new UnmappableMessageException("ARGOS kyc_result.status " + Quote.of(kyc.status())
                            + " contradicts webhook_trigger " + Quote.of(trigger));
                }
                details.put("kycResult", kycResult(result, kyc));
                occurredAt = "submit".equals(trigger) ? instant(event.createdAt())
                        : kyc == null ? null : firstInstant(kyc.updatedAt(), kyc.kycResultAt());
            }
            case UPDATE -> {
                ArgosEvent.UpdateData data = event.data();
                List<String> changed = data == null ? List.of() : texts(data.update());
                Map<String, Object> update = new LinkedHashMap<>();
                update.put("fields", changed);
                putText(update, "admin", event.admin());
                putText(update, "updateTime", event.updateTime());
                details.put("lastUpdate", update);
                String after = data == null ? null : updatedResult(data.kycResult());
                boolean listed = changed.stream().anyMatch(ArgosMapping::namesKycResult);
                if (listed && after == null) {
                    throw new UnmappableMessageException(
                            "ARGOS updated lists kyc_result as changed but carries no data.kyc_result");
                }
                if (after != null && (listed || !after.equals(result))) {
                    // A decision taken in the dashboard, ordered by its own time like any result: one older than what
                    // the case holds is stale and changes nothing (CanonicalStore). Without a time it cannot be
                    // ordered, so it is never guessed to be the newest.
                    String decidedAt = firstReadableTime(event.updateTime(), kycResultTime(data.kycResult()));
                    if (decidedAt == null) {
                        throw new UnmappableMessageException("ARGOS updated sets the KYC result but carries no "
                                + "update_time or data.kyc_result.updated_at the hub can read: it cannot be ordered");
                    }
                    result = after;
                    Map<String, Object> kyc = new LinkedHashMap<>();
                    kyc.put("status", after);
                    kyc.put("updatedAt", decidedAt);
                    putText(kyc, "createdAt", data.createdAt());
                    putText(kyc, "kycResultAt", data.kycResultAt());
                    putText(kyc, "pendingAt", data.pendingAt());
                    putText(kyc, "reviewer", data.reviewer());
                    details.put("kycResult", kyc);
                    touched.addAll(closeSignals(details, decidedAt));
                    occurredAt = instant(decidedAt);
                }
            }
            case AML -> {
                Screening screening = screening(event.amlResult(), trigger);
                if (result == null || "pending".equals(result)) {
                    result = meaning.result();
                }
                opensSignal = recordScreening(details, screening);
                touched.add("aml");
            }
            case AML_MONITOR -> {
                // The doc's payload lists the worklist records the submission is monitored as; a result, when ARGOS
                // sends one, is read in aml's vocabulary: a hit is new and reopens review.
                if (event.records() != null && !event.records().isEmpty()) {
                    details.put("amlMonitoring", Map.of("records", monitorRecords(event.records())));
                }
                if (event.amlResult() != null) {
                    opensSignal = recordScreening(details, screening(event.amlResult(), trigger));
                    touched.add("aml");
                }
            }
            case ERASE -> {
                scrub(details, new ArrayList<>());
                Map<String, Object> erased = new LinkedHashMap<>();
                putText(erased, "deleteTime", event.deleteTime());
                details.put("erased", erased);
            }
            case DATA_INJECTION -> {
                details.put("injection", injection(event));
                touched.add("injection");
            }
            case INJECTION_FAIL -> {
                Map<String, Object> failed = injection(event);
                failed.put("open", true);
                details.put("injectionFail", failed);
                opensSignal = true;
                touched.add("injectionFail");
            }
            case RECORD -> {
                // Kept in the inbox and named in the audit trail (lastTrigger changes); nothing is read into it.
            }
        }

        Canonical canonical = canonical(result, details);
        String customerId = current != null && current.customerId() != null ? current.customerId()
                : hasText(event.userid()) ? event.userid() : submission;
        return new CaseUpdate(PROVIDER, submission, customerId, canonical.status(), canonical.nextAction(),
                reasons(result, details), result, trigger, details, checks(details, touched), occurredAt, opensSignal,
                null, null);
    }

    /**
     * What the inbox files the answer of ARGOS's {@code GET /submission} as ({@code inbound_message.message_type});
     * webhooks are {@code webhook}. argos-process routes on it.
     */
    public static final String SUBMISSION = "submission";

    /**
     * One submission as ARGOS's {@code GET /submission} answers it (its personal fields already removed): its current
     * KYC result is the truth about the case (authoritative), whatever the webhooks said or failed to say. The case's
     * AML screening and injection signals stay as the webhooks set them: the answer does not replace them.
     *
     * @param answer  the whole answer: {@code {"Items": [submission]}}, or the submission itself
     * @param current the case as it stands, or null when the hub has none for this submission
     */
    public static CaseUpdate fromSubmission(JsonNode answer, String submissionId, CaseView current) {
        JsonNode submission = submissionOf(answer, submissionId);
        JsonNode kyc = submission.has("kyc") ? submission.get("kyc") : submission.get("kyc_result");
        JsonNode spelled = kyc == null ? null : kyc.isObject() ? kyc.has("result") ? kyc.get("result")
                : kyc.get("status") : kyc;
        if (spelled == null || !spelled.isValueNode() || spelled.asText().isBlank()) {
            throw new UnmappableMessageException("ARGOS's submission answer carries no KYC result");
        }
        String result = result(spelled.asText(), "kyc.result");
        Map<String, Object> details = current == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(current.providerDetails());
        if (!details.containsKey("submittedAt")) {
            putText(details, "submittedAt", text(submission, "created_at"));
        }
        JsonNode fields = kyc.isObject() ? kyc : submission;
        ArgosEvent.KycResult read = new ArgosEvent.KycResult(result,
                firstText(text(fields, "updated_at"), text(submission, "updated_at")),
                firstText(text(fields, "created_at"), text(submission, "created_at")),
                firstText(text(fields, "kyc_result_at"), text(submission, "kyc_result_at")),
                firstText(text(fields, "pending_at"), text(submission, "pending_at")),
                text(fields, "reviewer"), fields.get("comment"),
                fields.has("commentCode") ? fields.get("commentCode") : fields.get("comment_code"));
        // The result the case already holds keeps the details a webhook gave it (same result, other spellings of its
        // times): the answer repairs what was missed, it does not rewrite what was heard.
        if (current == null || !result.equals(current.providerStatus()) || !details.containsKey("kycResult")) {
            details.put("kycResult", kycResult(result, read));
        }
        Canonical canonical = canonical(result, details);
        String customerId = current != null && current.customerId() != null ? current.customerId()
                : hasText(text(submission, "userid")) ? text(submission, "userid") : submissionId;
        return new CaseUpdate(PROVIDER, submissionId, customerId, canonical.status(), canonical.nextAction(),
                reasons(result, details), result, SUBMISSION, details, List.of(),
                firstInstant(read.updatedAt(), read.kycResultAt()), true, null, null);
    }

    private static JsonNode submissionOf(JsonNode answer, String submissionId) {
        JsonNode items = answer == null ? null : answer.has("Items") ? answer.get("Items") : answer.get("items");
        if (items != null && items.isArray()) {
            for (JsonNode item : items) {
                if (submissionId.equals(text(item, "submission_id")) || items.size() == 1 && !item.has("submission_id")) {
                    return item;
                }
            }
            throw new UnmappableMessageException("ARGOS's answer holds no submission " + Quote.of(submissionId));
        }
        if (answer != null && answer.isObject() && submissionId.equals(text(answer, "submission_id"))) {
            return answer;
        }
        throw new UnmappableMessageException("ARGOS's answer is not a submission");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || !value.isValueNode() || value.isNull() ? null : value.asText();
    }

    private static String firstText(String... values) {
        for (String value : values) {
            if (hasText(value)) {
                return value;
            }
        }
        return null;
    }

    /**
     * The personal fields the message carries, under one name each: {@code email}, {@code cf} (the object and the
     * flat cf1..cf3 together), {@code ageGroup}, {@code gender}, {@code dateOfBirth}, {@code nationality},
     * {@code ipAddress}, {@code fullName}, {@code idType}, {@code issuingCountry}, {@code issueDate},
     * {@code expireDate}, {@code identityNumber}, {@code documentNumber}, {@code additionalList}.
     */
    public static Map<String, Object> personalData(ArgosEvent event) {
        Map<String, Object> fields = new LinkedHashMap<>();
        putText(fields, "email", event.email());
        ObjectNode cf = JsonNodeFactory.instance.objectNode();
        if (event.cf() != null && event.cf().isObject()) {
            cf.setAll((ObjectNode) event.cf());
        }
        putNode(cf, "cf1", event.cf1());
        putNode(cf, "cf2", event.cf2());
        putNode(cf, "cf3", event.cf3());
        if (!cf.isEmpty()) {
            fields.put("cf", cf);
        }
        putText(fields, "ageGroup", event.ageGroup());
        putText(fields, "gender", event.gender());
        putText(fields, "dateOfBirth", event.dateOfBirth());
        putText(fields, "nationality", event.nationality());
        putText(fields, "ipAddress", event.ipAddress());
        putText(fields, "fullName", event.fullName());
        putText(fields, "idType", event.idType());
        putText(fields, "issuingCountry", event.issuingCountry());
        putText(fields, "issueDate", event.issueDate());
        putText(fields, "expireDate", event.expireDate());
        putText(fields, "identityNumber", event.identityNumber());
        putText(fields, "documentNumber", event.documentNumber());
        // An array of {answer, inputValue, blockType} in the doc; an object is kept as it comes.
        if (event.additionalList() != null && !event.additionalList().isNull()) {
            fields.put("additionalList", event.additionalList());
        }
        return fields;
    }

    /**
     * When the message's personal data was current: its own time (a result's, a dashboard update's, an injection's),
     * else when the submission was made.
     */
    public static Instant personalDataAsOf(ArgosEvent event, CaseUpdate update) {
        if (update.occurredAt() != null) {
            return update.occurredAt();
        }
        return firstInstant(event.updateTime(), event.action() == null ? null : event.action().createdAt(),
                event.createdAt());
    }

    /**
     * Removes every personal field ({@link #PERSONAL_FIELDS}) at any depth, collecting the text values removed.
     *
     * @return true when something was removed
     */
    public static boolean scrub(JsonNode tree, List<String> removed) {
        boolean changed = false;
        if (tree instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (PERSONAL_FIELDS.contains(field.getKey())) {
                    collectText(field.getValue(), removed);
                    fields.remove();
                    changed = true;
                } else {
                    changed |= scrub(field.getValue(), removed);
                }
            }
        } else if (tree != null && tree.isArray()) {
            for (JsonNode element : tree) {
                changed |= scrub(element, removed);
            }
        }
        return changed;
    }

    /** {@link #scrub(JsonNode, List)} for provider details held as plain maps and lists. */
    @SuppressWarnings("unchecked")
    static void scrub(Map<String, Object> map, List<String> removed) {
        Iterator<Map.Entry<String, Object>> entries = map.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<String, Object> entry = entries.next();
            if (PERSONAL_FIELDS.contains(entry.getKey())) {
                removed.add(String.valueOf(entry.getValue()));
                entries.remove();
            } else if (entry.getValue() instanceof Map<?, ?> child) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) child);
                scrub(copy, removed);
                entry.setValue(copy);
            }
        }
    }

    /**
     * ARGOS's times are "UTC+0" with no format given: ISO-8601 with or without an offset, {@code yyyy-MM-dd HH:mm:ss}
     * or the submission API's {@code yyyy-MM-dd-HH-mm-ss-SSS} (read as UTC), or epoch seconds or milliseconds. Anything else is no time at all: the value is still kept.
     */
    static Instant instant(String value) {
        if (!hasText(value)) {
            return null;
        }
        String text = value.trim();
        if (text.chars().allMatch(Character::isDigit) && text.length() <= 15) {
            long number = Long.parseLong(text);
            return number > 100_000_000_000L ? Instant.ofEpochMilli(number) : Instant.ofEpochSecond(number);
        }
        try {
            return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
        } catch (DateTimeParseException e) {
            // no offset: UTC, as the doc says
        }
        try {
            return LocalDateTime.parse(text, LOCAL).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // the submission API's own shape, next
        }
        try {
            return LocalDateTime.parse(text, DASHED).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The times of ARGOS's submission API: {@code 2024-05-01-09-30-00-123}. */
    private static final DateTimeFormatter DASHED = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss-SSS", Locale.ROOT);

    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter(Locale.ROOT);

    private static Canonical canonical(String result, Map<String, Object> details) {
        if (result == null) {
            return NO_RESULT_YET;
        }
        if ("approved".equals(result) && isOpen(details, "aml", "hold")) {
            return HELD_BY_AML;
        }
        return STATUSES.get(result);
    }

    /**
     * Rejection codes while rejected, then the open risk signals, whatever the result. The reviewer's free-text
     * comment is not a reason: reasons reach the audit trail, which holds no free text; it stays in the case's
     * details ({@code kycResult.comment}), where erasure reaches it.
     */
    private static List<String> reasons(String result, Map<String, Object> details) {
        Set<String> reasons = new LinkedHashSet<>();
        if ("rejected".equals(result) && details.get("kycResult") instanceof Map<?, ?> kyc) {
            addTexts(reasons, kyc.get("commentCode"));
        }
        Map<String, Object> aml = mapOf(details.get("aml"));
        if (isOpen(details, "aml", "hold")) {
            reasons.add(Boolean.TRUE.equals(AML_STATUSES.get(normalise(String.valueOf(aml.get("currentstatus")))))
                    ? AML_RED_FLAG : AML_RISK_HIGH);
        }
        Map<String, Object> failed = mapOf(details.get("injectionFail"));
        if (isOpen(details, "injectionFail", "open")) {
            reasons.add(failed.get("failCode") instanceof String code ? INJECTION_FAIL + ":" + code : INJECTION_FAIL);
        }
        return List.copyOf(reasons);
    }

    /**
     * The checks of what the message touched, from what the case's details now say: the AML screening
     * ({@link RiskSignal#AML}: never passed, since neither documented currentstatus is a clean result; required while
     * it holds), the data injection (passed) and the failed data injection ({@link RiskSignal#FRAUD}: required while
     * open). A closed signal stays, not required.
     */
    private static List<CheckResult> checks(Map<String, Object> details, Set<String> touched) {
        List<CheckResult> checks = new ArrayList<>();
        Map<String, Object> aml = touched.contains("aml") ? mapOf(details.get("aml")) : null;
        if (aml != null) {
            Map<String, Object> detail = new LinkedHashMap<>(aml);
            detail.remove("hold");
            checks.add(new CheckResult(AML_CHECK, false, isOpen(details, "aml", "hold"), RiskSignal.AML.mark(detail)));
        }
        Map<String, Object> injection = touched.contains("injection") ? mapOf(details.get("injection")) : null;
        if (injection != null) {
            checks.add(new CheckResult(INJECTION_CHECK, true, false, injection));
        }
        Map<String, Object> failed = touched.contains("injectionFail") ? mapOf(details.get("injectionFail")) : null;
        if (failed != null) {
            Map<String, Object> detail = new LinkedHashMap<>(failed);
            detail.remove("open");
            checks.add(new CheckResult(INJECTION_FAIL_CHECK, false, isOpen(details, "injectionFail", "open"),
                    RiskSignal.FRAUD.mark(detail)));
        }
        return checks;
    }

    /** One AML result ({@code aml_result}), its values checked against the doc's lists. */
    record Screening(String currentStatus, String riskLevel, boolean hit) {
    }

    private static Screening screening(ArgosEvent.AmlResult aml, String trigger) {
        if (aml == null || !hasText(aml.currentStatus())) {
            throw new UnmappableMessageException("ARGOS " + Quote.of(trigger) + " without aml_result.currentstatus");
        }
        Boolean redFlag = AML_STATUSES.get(normalise(aml.currentStatus()));
        if (redFlag == null) {
            throw new UnmappableMessageException(
                    "unknown ARGOS aml_result.currentstatus " + Quote.of(aml.currentStatus()));
        }
        Boolean highRisk = aml.riskLevelSummary() == null ? Boolean.FALSE
                : AML_RISK_LEVELS.get(normalise(aml.riskLevelSummary()));
        if (highRisk == null) {
            throw new UnmappableMessageException(
                    "unknown ARGOS aml_result.risk_level_summary " + Quote.of(aml.riskLevelSummary()));
        }
        return new Screening(aml.currentStatus(), aml.riskLevelSummary(), redFlag || highRisk);
    }

    /**
     * Keeps the screening in {@code details.aml}. A hit opens the AML signal (again, if a decision had closed it); a
     * result that is not a hit never closes an open one: it is only kept as the {@code latest} screening.
     *
     * @return whether the screening opened the signal
     */
    private static boolean recordScreening(Map<String, Object> details, Screening screening) {
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("currentstatus", screening.currentStatus());
        putText(seen, "riskLevelSummary", screening.riskLevel());
        seen.put("trigger", details.get("lastTrigger"));
        if (!screening.hit() && isOpen(details, "aml", "hold")) {
            Map<String, Object> held = new LinkedHashMap<>(mapOf(details.get("aml")));
            held.put("latest", seen);
            details.put("aml", held);
            return false;
        }
        seen.put("hold", screening.hit());
        details.put("aml", seen);
        return screening.hit();
    }

    /**
     * A dashboard decision closes every open signal of the case; each keeps when it was closed.
     *
     * @return the signals it closed
     */
    private static List<String> closeSignals(Map<String, Object> details, String decidedAt) {
        List<String> closed = new ArrayList<>();
        if (close(details, "aml", "hold", decidedAt)) {
            closed.add("aml");
        }
        if (close(details, "injectionFail", "open", decidedAt)) {
            closed.add("injectionFail");
        }
        return closed;
    }

    private static boolean close(Map<String, Object> details, String signal, String flag, String decidedAt) {
        if (!isOpen(details, signal, flag)) {
            return false;
        }
        Map<String, Object> closed = new LinkedHashMap<>(mapOf(details.get(signal)));
        closed.put(flag, false);
        closed.put("closedAt", decidedAt);
        details.put(signal, closed);
        return true;
    }

    private static boolean isOpen(Map<String, Object> details, String signal, String flag) {
        Map<String, Object> kept = mapOf(details.get(signal));
        return kept != null && Boolean.TRUE.equals(kept.get(flag));
    }

    /** {@code action} of a data injection, passed or failed, and the KYC status the message gives. */
    private static Map<String, Object> injection(ArgosEvent event) {
        Map<String, Object> injection = new LinkedHashMap<>();
        if (event.action() != null) {
            putText(injection, "type", event.action().type());
            putText(injection, "createdAt", event.action().createdAt());
            putText(injection, "failCode", event.action().failCode());
        }
        putText(injection, "kycStatus", event.kycStatus());
        return injection;
    }

    private static List<Map<String, Object>> monitorRecords(List<ArgosEvent.MonitorRecord> records) {
        List<Map<String, Object>> kept = new ArrayList<>();
        for (ArgosEvent.MonitorRecord record : records) {
            if (record == null) {
                // "records": [null] reads as a null entry: nothing to keep, and no reason to fail the message.
                continue;
            }
            Map<String, Object> one = new LinkedHashMap<>();
            putText(one, "recordId", record.recordId());
            putText(one, "worklistId", record.worklistId());
            putText(one, "createdAt", record.createdAt());
            kept.add(one);
        }
        return kept;
    }

    /**
     * Before failed data injections had a signal of their own, both triggers were kept under {@code injection} with
     * their {@code trigger}: a failed one found there is carried over, open, so that it is not read as passed.
     */
    private static boolean readLegacyInjectionFail(Map<String, Object> details) {
        Map<String, Object> legacy = mapOf(details.get("injection"));
        if (legacy == null || !"injectionFail".equals(legacy.get("trigger"))) {
            return false;
        }
        Map<String, Object> failed = new LinkedHashMap<>(legacy);
        failed.remove("trigger");
        failed.put("open", true);
        details.remove("injection");
        details.putIfAbsent("injectionFail", failed);
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapOf(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    }

    private static Map<String, Object> kycResult(String result, ArgosEvent.KycResult kyc) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", result);
        if (kyc != null) {
            putText(details, "updatedAt", kyc.updatedAt());
            putText(details, "createdAt", kyc.createdAt());
            putText(details, "kycResultAt", kyc.kycResultAt());
            putText(details, "pendingAt", kyc.pendingAt());
            // "system: AI reviewed, agent: Agent reviewed".
            putText(details, "reviewer", kyc.reviewer());
            List<String> comment = texts(kyc.comment());
            List<String> commentCode = texts(kyc.commentCode());
            if (!comment.isEmpty()) {
                details.put("comment", comment);
            }
            if (!commentCode.isEmpty()) {
                details.put("commentCode", commentCode);
            }
        }
        return details;
    }

    /** {@code data.kyc_result}: a result as text, or an object with its {@code status}. */
    private static String updatedResult(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        JsonNode status = value.isObject() ? value.get("status") : value;
        if (status == null || !status.isValueNode() || status.asText().isBlank()) {
            throw new UnmappableMessageException("ARGOS data.kyc_result has no status the hub can read");
        }
        return result(status.asText(), "data.kyc_result");
    }

    private static String result(String spelled, String field) {
        String result = RESULT_SPELLINGS.get(spelled.trim().toLowerCase(Locale.ROOT));
        if (result == null) {
            throw new UnmappableMessageException("unknown ARGOS " + field + " " + Quote.of(spelled));
        }
        return result;
    }

    /** A field of {@code data.update} that is the KYC result: {@code kyc_result}, or {@code kycStatus} (newer doc). */
    private static boolean namesKycResult(String field) {
        String name = field.replace("_", "").replace("data.", "").toLowerCase(Locale.ROOT);
        return name.equals("kycresult") || name.equals("kycstatus");
    }

    /** The time of {@code data.kyc_result} when it is an object, in each spelling ArgosEvent.KycResult reads. */
    private static String kycResultTime(JsonNode kycResult) {
        if (kycResult == null || !kycResult.isObject()) {
            return null;
        }
        return firstText(text(kycResult, "updated_at"), text(kycResult, "update_at"), text(kycResult, "updatedAt"));
    }

    /** The first of the values that reads as a time, as it was written. */
    private static String firstReadableTime(String... values) {
        for (String value : values) {
            if (instant(value) != null) {
                return value;
            }
        }
        return null;
    }

    private static String submissionId(ArgosEvent event) {
        if (!hasText(event.submissionId())) {
            throw new UnmappableMessageException("ARGOS webhook " + Quote.of(event.webhookTrigger()) + " without submission_id");
        }
        return event.submissionId();
    }

    private static Instant firstInstant(String... values) {
        for (String value : values) {
            Instant instant = instant(value);
            if (instant != null) {
                return instant;
            }
        }
        return null;
    }

    private static String normalise(String value) {
        return value.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /** Text values of a string, a number or a list of them; objects inside a list give their text values. */
    static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        collectText(node, texts);
        texts.removeIf(String::isBlank);
        return texts;
    }

    private static void collectText(JsonNode node, List<String> texts) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isValueNode()) {
            texts.add(node.asText());
            return;
        }
        node.elements().forEachRemaining(child -> collectText(child, texts));
    }

    private static void addTexts(Set<String> reasons, Object value) {
        if (value instanceof String text && !text.isBlank()) {
            reasons.add(text);
        } else if (value instanceof List<?> list) {
            list.forEach(element -> addTexts(reasons, element));
        }
    }

    private static void putText(Map<String, Object> map, String name, String value) {
        if (hasText(value)) {
            map.put(name, value);
        }
    }

    private static void putNode(ObjectNode object, String name, JsonNode value) {
        if (value != null && !value.isNull()) {
            object.set(name, value);
        }
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
