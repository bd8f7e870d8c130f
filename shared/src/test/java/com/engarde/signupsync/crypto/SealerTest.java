package com.engarde.signupsync.crypto;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SealerTest {

    static final String KEY_1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final String KEY_2 = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
    static final byte[] SECRET = "{\"api_key\":\"sealer-test-value\"}".getBytes(StandardCharsets.UTF_8);

    static ApplicationContext context(String current, String previous) {
        Map<String, Object> p = new HashMap<>();
        if (current != null) {
            p.put("signup.sync.encryption.key", current);
        }
        if (previous != null) {
            p.put("signup.sync.encryption.key.previous", previous);
        }
        return ApplicationContext.builder().properties(p).start();
    }

    @Test
    void aSealOpensForItsOwnContextOnlyAndNeverRepeatsANonce() {
        try (ApplicationContext context = context(KEY_1, null)) {
            Sealer sealer = context.getBean(Sealer.class);
            SealedValue first = sealer.seal("brevo", SECRET);
            SealedValue second = sealer.seal("brevo", SECRET);

            assertThat(first.nonce()).hasSize(12).isNotEqualTo(second.nonce());
            assertThat(first.ciphertext()).isNotEqualTo(second.ciphertext()).hasSize(SECRET.length + 16);
            assertThat(first.keyVersion()).matches("[0-9a-f]{16}");
            assertThat(sealer.open("brevo", first)).isEqualTo(SECRET);
            assertThatThrownBy(() -> sealer.open("eventbrite", first)).isInstanceOf(SealBroken.class)
                    .hasMessageContaining("eventbrite");
        }
    }

    @Test
    void anAlteredCiphertextOrARelabelledKeyVersionDoesNotOpen() {
        try (ApplicationContext context = context(KEY_2, KEY_1)) {
            Sealer sealer = context.getBean(Sealer.class);
            SealedValue sealed = sealer.seal("zoom", SECRET);
            byte[] altered = sealed.ciphertext().clone();
            altered[0] ^= 1;
            assertThatThrownBy(() -> sealer.open("zoom", new SealedValue(sealed.keyVersion(), sealed.nonce(), altered)))
                    .isInstanceOf(SealBroken.class);

            String previousVersion;
            try (ApplicationContext old = context(KEY_1, null)) {
                previousVersion = old.getBean(Sealer.class).currentVersion();
            }
            assertThat(previousVersion).isNotEqualTo(sealed.keyVersion());
            assertThatThrownBy(() -> sealer.open("zoom", new SealedValue(previousVersion, sealed.nonce(), sealed.ciphertext())))
                    .as("the key version is associated data").isInstanceOf(SealBroken.class);
        }
    }

    @Test
    void thePreviousKeyOpensOldValuesAndResealingMovesThemToTheCurrentKey() {
        SealedValue old;
        try (ApplicationContext before = context(KEY_1, null)) {
            old = before.getBean(Sealer.class).seal("poshvip", SECRET);
        }
        try (ApplicationContext during = context(KEY_2, KEY_1)) {
            Sealer sealer = during.getBean(Sealer.class);
            assertThat(sealer.open("poshvip", old)).isEqualTo(SECRET);
            SealedValue fresh = sealer.reseal("poshvip", old);
            assertThat(fresh.keyVersion()).isEqualTo(sealer.currentVersion()).isNotEqualTo(old.keyVersion());
            try (ApplicationContext after = context(KEY_2, null)) {
                Sealer afterSealer = after.getBean(Sealer.class);
                assertThat(afterSealer.open("poshvip", fresh)).isEqualTo(SECRET);
                assertThatThrownBy(() -> afterSealer.open("poshvip", old)).isInstanceOf(SealBroken.class)
                        .hasMessageContaining("neither the current nor the previous");
            }
        }
    }

    @Test
    void aMissingOrMisshapenKeyIsRefusedWithoutShowingIt() {
        try (ApplicationContext none = context(null, null)) {
            assertThatThrownBy(() -> none.getBean(Sealer.class).seal("brevo", SECRET))
                    .isInstanceOf(EncryptionKeyMissing.class).hasMessageContaining("not set");
        }
        String shortKey = "c2hvcnQta2V5LW9ubHk=";
        try (ApplicationContext wrong = context(shortKey, null)) {
            assertThatThrownBy(() -> wrong.getBean(Sealer.class).seal("brevo", SECRET))
                    .isInstanceOf(EncryptionKeyMissing.class).hasMessageContaining("32 bytes")
                    .hasMessageNotContaining(shortKey);
        }
    }
}
