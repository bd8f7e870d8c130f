package com.engarde.signupsync.crypto;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The one SHA-256: the published test vectors (FIPS 180-2), so an operator's {@code sha256sum} agrees with it. */
class Sha256Test {

    @Test
    void theDigestIsTheStandardOne() {
        assertThat(Sha256.hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Sha256.hex("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Sha256.digest("abc")).isEqualTo(HexFormat.of().parseHex(Sha256.hex("abc".getBytes())));
        var parts = Sha256.incremental();
        parts.update("a".getBytes());
        parts.update("bc".getBytes());
        assertThat(parts.digest()).isEqualTo(Sha256.digest("abc"));
        assertThat(Sha256.hex("é")).as("text is UTF-8")
                .isEqualTo(Sha256.hex(new byte[] {(byte) 0xc3, (byte) 0xa9}));
    }

    @Test
    void digestsAreEqualOnlyWhenBothArePresentAndTheSame() {
        assertThat(Sha256.same(Sha256.digest("a-token"), Sha256.digest("a-token"))).isTrue();
        assertThat(Sha256.same(Sha256.digest("a-token"), Sha256.digest("a-tokem"))).isFalse();
        assertThat(Sha256.same(Sha256.digest("a-token"), null)).isFalse();
        assertThat(Sha256.same(null, null)).as("nothing configured matches nothing").isFalse();
    }
}
