package com.kychub.provider.ondato;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kychub.KycProperties;
import com.kychub.canonical.ProviderNotConfiguredException;
import org.junit.jupiter.api.Test;

class OndatoStartTest {

    @Test
    void withoutASetupIdNoVerificationIsStartedAndTheCallerIsToldWhy() {
        KycProperties.Ondato unconfigured = new KycProperties.Ondato("http://127.0.0.1:1", "http://127.0.0.1:1", " ",
                "https://idv.ondato.com/?id={id}", null, null, null, 10, 30, 5, 50, null);
        OndatoProcess onboarding = new OndatoProcess(null, null, null, null, null,
                new KycProperties(null, null, null, new KycProperties.Providers(null, null, null, unconfigured, null)));

        assertThatThrownBy(() -> onboarding.start("c-1"))
                .isInstanceOf(ProviderNotConfiguredException.class)
                .hasMessageContaining("KYC_ONDATO_SETUP_ID");
    }

    /** Each verification a customer gets has a call of its own name; the first keeps the name it always had. */
    @Test
    void everyVerificationOfACustomerIsCreatedByACallOfItsOwnName() {
        assertThat(OndatoProcess.createVerification(1).name()).isEqualTo("CREATE_IDENTITY_VERIFICATION");
        assertThat(OndatoProcess.createVerification(2).name()).isEqualTo("CREATE_IDENTITY_VERIFICATION:2");
        assertThat(OndatoProcess.createVerification(3).kind())
                .isEqualTo(OndatoMapping.Action.CREATE_IDENTITY_VERIFICATION);
    }
}
