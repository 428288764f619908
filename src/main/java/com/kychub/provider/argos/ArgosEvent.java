package com.kychub.provider.argos;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One ARGOS Identity webhook (provider doc 002), decrypted when the encryption option is on. Every trigger's fields
 * are here, with every spelling the doc uses ({@code update_at} / {@code updated_at}, {@code addtional_list} /
 * {@code additional_list}, {@code cf} as an object or {@code cf1..cf3} flat); anything else ARGOS adds is ignored.
 * Fields whose shape the doc leaves open (a comment that is a string or a list, {@code data.kyc_result} as a
 * string or an object) are kept as JSON and read by {@link ArgosMapping}.
 * <p>
 * The personal fields (marked below) go to the customer row only, never into the case, its events or a log.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ArgosEvent(
        @JsonProperty("webhook_trigger") @JsonAlias("webhookTrigger") String webhookTrigger,
        @JsonProperty("submission_id") @JsonAlias("submissionId") String submissionId,
        @JsonProperty("applicant_id") @JsonAlias("applicantId") String applicantId,
        @JsonProperty("userid") @JsonAlias({"userId", "user_id"}) String userid,
        @JsonProperty("created_at") @JsonAlias("createdAt") String createdAt,
        @JsonProperty("tokenId") @JsonAlias({"tokenID", "token_id"}) String tokenId,
        @JsonProperty("kyc_result") @JsonAlias("kycResult") KycResult kycResult,
        @JsonProperty("kyc_status") @JsonAlias("kycStatus") String kycStatus,
        @JsonProperty("data") UpdateData data,
        @JsonProperty("admin") String admin,
        @JsonProperty("update_time") @JsonAlias("updateTime") String updateTime,
        @JsonProperty("aml_result") @JsonAlias("amlResult") AmlResult amlResult,
        @JsonProperty("records") List<MonitorRecord> records,
        @JsonProperty("action") Action action,
        @JsonProperty("account_email") @JsonAlias("accountEmail") String accountEmail,
        @JsonProperty("delete_time") @JsonAlias("deleteTime") String deleteTime,
        @JsonProperty("comment") String comment,
        // Personal data.
        @JsonProperty("email") String email,
        @JsonProperty("cf") JsonNode cf,
        @JsonProperty("cf1") JsonNode cf1,
        @JsonProperty("cf2") JsonNode cf2,
        @JsonProperty("cf3") JsonNode cf3,
        @JsonProperty("age_group") @JsonAlias("ageGroup") String ageGroup,
        @JsonProperty("gender") String gender,
        @JsonProperty("date_of_birth") @JsonAlias("dateOfBirth") String dateOfBirth,
        @JsonProperty("nationality") String nationality,
        @JsonProperty("ipAddress") @JsonAlias({"ip_address", "ipaddress"}) String ipAddress,
        @JsonProperty("fullName") @JsonAlias({"full_name", "fullname"}) String fullName,
        @JsonProperty("idType") @JsonAlias("id_type") String idType,
        @JsonProperty("issuingCountry") @JsonAlias("issuing_country") String issuingCountry,
        @JsonProperty("issueDate") @JsonAlias("issue_date") String issueDate,
        @JsonProperty("expireDate") @JsonAlias("expire_date") String expireDate,
        @JsonProperty("identityNumber") @JsonAlias("identity_number") String identityNumber,
        @JsonProperty("documentNumber") @JsonAlias("document_number") String documentNumber,
        @JsonProperty("additional_list") @JsonAlias({"addtional_list", "additionalList"}) JsonNode additionalList) {

    /**
     * {@code kyc_result}: the doc spells its time {@code update_at} and {@code updated_at}, its status
     * {@code approved}, {@code rejected} and {@code reject}, and shows the comment as a string and as a list.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record KycResult(
            @JsonProperty("status") String status,
            @JsonProperty("updated_at") @JsonAlias({"update_at", "updatedAt"}) String updatedAt,
            @JsonProperty("created_at") @JsonAlias("createdAt") String createdAt,
            @JsonProperty("kyc_result_at") @JsonAlias("kycResultAt") String kycResultAt,
            @JsonProperty("pending_at") @JsonAlias("pendingAt") String pendingAt,
            @JsonProperty("reviewer") String reviewer,
            @JsonProperty("comment") JsonNode comment,
            @JsonProperty("commentCode") @JsonAlias({"comment_code", "commentcode"}) JsonNode commentCode) {

        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public KycResult {
        }

        /** The result as bare text, as {@code data.kyc_result} may be. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static KycResult of(String status) {
            return new KycResult(status, null, null, null, null, null, null, null);
        }
    }

    /** {@code data} of {@code updated}: the list of changed fields and the submission's result after the change. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UpdateData(
            @JsonProperty("update") JsonNode update,
            @JsonProperty("kyc_result") @JsonAlias("kycResult") JsonNode kycResult,
            @JsonProperty("created_at") @JsonAlias("createdAt") String createdAt,
            @JsonProperty("kyc_result_at") @JsonAlias("kycResultAt") String kycResultAt,
            @JsonProperty("pending_at") @JsonAlias("pendingAt") String pendingAt,
            @JsonProperty("reviewer") String reviewer) {
    }

    /** {@code aml_result}: {@code currentstatus} Not Screened / Red Flag, {@code risk_level_summary}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AmlResult(
            @JsonProperty("currentstatus") @JsonAlias({"currentStatus", "current_status"}) String currentStatus,
            @JsonProperty("risk_level_summary") @JsonAlias("riskLevelSummary") String riskLevelSummary) {
    }

    /**
     * One entry of {@code records} of {@code aml_monitor}: the submission registered as a record of an ongoing
     * monitoring worklist (ARGOS developer docs, "AML Ongoing Monitoring Results").
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MonitorRecord(
            @JsonProperty("recordId") @JsonAlias({"record_id", "recordid"}) String recordId,
            @JsonProperty("worklistId") @JsonAlias({"worklist_id", "worklistid"}) String worklistId,
            @JsonProperty("created_at") @JsonAlias("createdAt") String createdAt) {
    }

    /**
     * {@code action} of {@code injection} and {@code injectionFail} (ARGOS developer docs, "Data Injection"): the
     * type of data injected (address), when, and for a failed one ARGOS's {@code failCode}.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Action(
            @JsonProperty("type") String type,
            @JsonProperty("created_at") @JsonAlias("createdAt") String createdAt,
            @JsonProperty("failCode") @JsonAlias({"fail_code", "failcode"}) String failCode) {
    }
}
