package com.engarde.signupsync.funnel;

import com.ibm.icu.lang.UCharacter;
import org.junit.jupiter.api.Test;

import java.text.Normalizer;

import static org.assertj.core.api.Assertions.assertThat;

/** The one normal form of an email: full Unicode case folding, NFC, trimmed. */
class EmailsTest {

    @Test
    void capitalLettersOfEveryScriptFoldToOneForm() {
        assertThat(Emails.normalize("  Zoë.Ångström@Example.COM ")).isEqualTo("zoë.ångström@example.com");
        assertThat(Emails.normalize("ΣΟΦΙΑ@example.com")).isEqualTo(Emails.normalize("Σοφία".replace("ί", "ι") + "@example.com"))
                .isEqualTo("σοφια@example.com");
        assertThat(Emails.normalize("ΟΔΥΣΣΕΥΣ@example.com")).as("final sigma is sigma")
                .isEqualTo(Emails.normalize("οδυσσευς@example.com")).isEqualTo("οδυσσευσ@example.com");
        assertThat(Emails.normalize("ДМИТРИЙ@example.com")).isEqualTo("дмитрий@example.com");
    }

    @Test
    void sharpSIsDoubleSAsFullCaseFoldingSays() {
        // Capitals write ß as SS (or ẞ): folding ß to ss is what keeps STRASSE and straße one person.
        assertThat(Emails.normalize("straße@example.com")).isEqualTo("strasse@example.com");
        assertThat(Emails.normalize("STRASSE@example.com")).isEqualTo("strasse@example.com");
        assertThat(Emails.normalize("STRAẞE@example.com")).isEqualTo("strasse@example.com");
    }

    @Test
    void turkishDottedCapitalIKeepsItsDotAndDotlessIStaysApart() {
        // Default (not Turkic) folding: İ is i with a combining dot above, so İnfo is not info, and ı is not i.
        assertThat(Emails.normalize("İnfo@example.com")).isEqualTo("i\u0307nfo@example.com")
                .isEqualTo(Emails.normalize("i\u0307nfo@example.com"));
        assertThat(Emails.normalize("İnfo@example.com")).isNotEqualTo(Emails.normalize("Info@example.com"));
        assertThat(Emails.normalize("ınfo@example.com")).isEqualTo("ınfo@example.com")
                .isNotEqualTo(Emails.normalize("INFO@example.com"));
        assertThat(Emails.isValid(Emails.normalize("İnfo@example.com"))).isTrue();
    }

    @Test
    void canonicallyEquivalentSpellingsAreOneAndLookAlikesAreNot() {
        assertThat(Emails.normalize("zoe\u0308@example.com")).as("e + combining diaeresis is ë")
                .isEqualTo(Emails.normalize("ZO\u00cb@example.com")).isEqualTo("zo\u00eb@example.com");
        assertThat(Emails.normalize("\u0430nna@example.com")).as("Cyrillic а is not Latin a")
                .isNotEqualTo(Emails.normalize("anna@example.com"));
        assertThat(Emails.normalize("\uff21nna@example.com")).as("fullwidth Ａ folds to fullwidth ａ, not a")
                .isEqualTo("\uff41nna@example.com");
    }

    @Test
    void foldingIsUnicodeFullCaseFoldingForEveryCodePoint() {
        int folded = 0;
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (Character.getType(cp) == Character.SURROGATE) {
                continue;
            }
            String s = new String(Character.toChars(cp));
            String expected = UCharacter.foldCase(s, UCharacter.FOLD_CASE_DEFAULT);
            assertThat(Emails.fold(s)).as("U+%04X", cp).isEqualTo(expected);
            if (!expected.equals(s)) {
                folded++;
            }
        }
        assertThat(folded).as("code points case folding changes").isGreaterThan(1_500);
    }

    @Test
    void theNormalFormIsItsOwnNormalForm() {
        int checked = 0;
        String[] marks = {"", "\u0307", "\u0345", "\u0301\u0323", "\u0342\u0345"};
        for (int cp = 0x20; cp <= 0x1FFFF; cp++) {
            int type = Character.getType(cp);
            if (type == Character.SURROGATE || type == Character.UNASSIGNED || type == Character.PRIVATE_USE) {
                continue;
            }
            for (String mark : marks) {
                String email = "a" + new String(Character.toChars(cp)) + mark + "@example.com";
                String once = Emails.normalize(email);
                assertThat(Emails.normalize(once)).as("U+%04X%s", cp, mark).isEqualTo(once);
                assertThat(Normalizer.isNormalized(once, Normalizer.Form.NFC)).isTrue();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(100_000);
    }
}
