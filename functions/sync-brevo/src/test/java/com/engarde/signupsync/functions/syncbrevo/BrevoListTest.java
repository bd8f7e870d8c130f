package com.engarde.signupsync.functions.syncbrevo;

import com.engarde.signupsync.crypto.Sha256;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.testing.BrevoStub;
import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.testing.RecordedWaits;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The master email list against a stub Brevo: what each contact carries, and who is never sent. */
@ExpectsWarnings({"record\\(s\\) of batch \\d+ failed", "Brevo answered 429", "sync run \\d+ of brevo failed: "})
class BrevoListTest {

    @Test
    void aContactIsCreatedWithItsAttributesThenUpdatedOnlyWhenItChanges() {
        try (BrevoListFixture b = new BrevoListFixture()) {
            long ann = b.lead("ann@example.com", "Ann", "+33 6 12 34 56 78");
            b.booking(ann, "ann@example.com", 1, BrevoListFixture.NOW.minus(Duration.ofDays(40)), "Fencing trial");
            b.booking(ann, "ann@example.com", 2, BrevoListFixture.NOW.minus(Duration.ofDays(10)), "Foil class");
            b.lead("bob@example.com", "Bob", "not a number");

            SyncRun first = b.sync();

            assertThat(first.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(first.counts().created()).isEqualTo(2);
            BrevoStub.Contact contact = b.brevo.contact("ann@example.com").orElseThrow();
            assertThat(contact.listIds()).containsExactly(BrevoListFixture.LIST);
            assertThat(contact.attributes().path("FIRSTNAME").asText()).isEqualTo("Ann");
            assertThat(contact.attributes().path("LASTNAME").asText()).isEqualTo("Last");
            assertThat(contact.attributes().path("SMS").asText()).isEqualTo("+33612345678");
            assertThat(contact.attributes().path("TOTAL_BOOKINGS").asInt()).isEqualTo(2);
            assertThat(contact.attributes().path("LAST_BOOKING").asText()).isEqualTo("2026-06-05");
            assertThat(contact.attributes().path("SERVICES").asText()).isEqualTo("Fencing trial, Foil class");
            assertThat(contact.attributes().path("SEGMENT").asText()).isEqualTo("returning_customer");
            assertThat(contact.attributes().path("RECENCY").asText()).isEqualTo("recent_customer");
            assertThat(b.brevo.contact("bob@example.com").orElseThrow().attributes().has("SMS"))
                    .as("a phone that is not E.164 is not sent as SMS").isFalse();
            assertThat(Rows.number("SELECT count(*) FROM email_list_contacts WHERE email_hash = decode(?, 'hex')",
                    Sha256.hex("ann@example.com"))).as("erasure finds the row by the email's hash").isEqualTo(1);

            int requests = b.brevo.contactRequests();
            Rows.number("UPDATE leads SET first_name = 'Annie' WHERE id = ? RETURNING id", ann);
            SyncRun second = b.sync();

            assertThat(second.counts().updated()).isEqualTo(1);
            assertThat(second.counts().unchanged()).isEqualTo(1);
            assertThat(b.brevo.contactRequests() - requests).as("the account's changes read, then only the changed contact sent")
                    .isEqualTo(2);
            assertThat(b.brevo.contact("ann@example.com").orElseThrow().attributes().path("FIRSTNAME").asText()).isEqualTo("Annie");
        }
    }

    @Test
    void aContactBlocklistedOrUnsubscribedInBrevoIsNeverSubscribedAgain() {
        try (BrevoListFixture b = new BrevoListFixture()) {
            b.lead("gone@example.com", "Gone", null);
            b.lead("left@example.com", "Left", null);
            b.brevo.hold("gone@example.com", JsonNodeFactory.instance.objectNode(), Set.of(BrevoListFixture.LIST), Set.of(), true);
            b.brevo.hold("left@example.com", JsonNodeFactory.instance.objectNode(), Set.of(), Set.of(BrevoListFixture.LIST), false);

            SyncRun run = b.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(run.counts().unchanged()).isEqualTo(2);
            assertThat(b.brevo.accepted()).isZero();
            assertThat(b.brevo.contact("gone@example.com").orElseThrow().emailBlacklisted()).isTrue();
            assertThat(b.brevo.contact("left@example.com").orElseThrow().listUnsubscribed()).containsExactly(BrevoListFixture.LIST);
            assertThat(b.brevo.contact("left@example.com").orElseThrow().listIds()).isEmpty();
        }
    }

    @Test
    void aSuppressedPersonIsNeverSent() {
        try (BrevoListFixture b = new BrevoListFixture()) {
            b.lead("erased@example.com", "Erased", null);
            b.lead("kept@example.com", "Kept", null);
            Rows.number("INSERT INTO suppressed_emails (email_hash, reason, keyed) VALUES (decode(?, 'hex'), 'unsubscribed', false) RETURNING 1",
                    Sha256.hex("erased@example.com"));

            SyncRun run = b.sync();

            assertThat(run.counts().created()).isEqualTo(1);
            assertThat(run.counts().suppressed()).isEqualTo(1);
            assertThat(run.counts().unchanged()).isZero();
            assertThat(b.brevo.contact("erased@example.com")).isEmpty();
            assertThat(b.brevo.requests()).noneMatch(r -> r.contains("erased"));
        }
    }

    @Test
    void anSmsAnotherContactHoldsIsDroppedWhetherBrevoCallsItDuplicateOrInvalid() {
        for (boolean invalid : new boolean[] {false, true}) {
            try (BrevoListFixture b = new BrevoListFixture()) {
                if (invalid) {
                    b.brevo.duplicatesAsInvalid();
                }
                b.brevo.hold("other@example.com", JsonNodeFactory.instance.objectNode().put("SMS", "+33612345678"),
                        Set.of(), Set.of(), false);
                b.lead("cat@example.com", "Cat", "+33612345678");

                SyncRun run = b.sync();

                assertThat(run.counts().created()).as("invalid_parameter: " + invalid).isEqualTo(1);
                BrevoStub.Contact cat = b.brevo.contact("cat@example.com").orElseThrow();
                assertThat(cat.attributes().has("SMS")).isFalse();
                assertThat(cat.attributes().path("FIRSTNAME").asText()).isEqualTo("Cat");
            }
        }
    }

    @Test
    void aContactBrevoRefusesFailsAloneWithoutItsAddress() {
        try (BrevoListFixture b = new BrevoListFixture()) {
            b.lead("one@example.com", "One", null);
            long two = b.lead("two@example.com", "Two", null);
            b.lead("three@example.com", "Three", null);
            b.brevo.refuse("two@example.com");

            SyncRun run = b.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(run.counts().created()).isEqualTo(2);
            assertThat(run.failedRecords()).singleElement().satisfies(f -> {
                assertThat(f.externalId()).isEqualTo(Long.toString(two));
                assertThat(f.reason()).isEqualTo("Brevo refused it: 400 invalid_parameter").doesNotContain("@");
            });
        }
    }

    @Test
    void aFailedLookUpNamesNoAddressInTheRunLog() {
        try (BrevoListFixture b = new BrevoListFixture()) {
            b.lead("private@example.com", "Private", null);
            b.brevo.failContactRequest(1, 401, "unauthorized", "Key not found");

            SyncRun run = b.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.FAILED);
            assertThat(run.errorMessage()).contains("401").doesNotContain("private").doesNotContain("example.com");
        }
    }

    @Test
    void aRateLimitStormWaitsWhatBrevosHeadersAnnounceAndLosesNothing() {
        try (BrevoListFixture b = new BrevoListFixture()) {
            b.leads(3);
            b.brevo.rateLimited(3, 7);

            SyncRun run = b.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(run.counts().created()).isEqualTo(3);
            assertThat(b.brevo.contacts()).isEqualTo(3);
            assertThat(b.lambda.context().getBean(RecordedWaits.class).waits())
                    .filteredOn(w -> w.equals(Duration.ofSeconds(7))).hasSize(3);
        }
    }

    @Test
    void changedContactsBrevoHoldsGoInOneBatchUpdateSplitUntilAnUnknownOneFailsAlone() {
        try (BrevoListFixture b = new BrevoListFixture()) {
            b.leads(8);
            assertThat(b.sync().counts().created()).isEqualTo(8);
            b.brevo.delete("person3@example.com");
            Rows.number("UPDATE leads SET first_name = 'Renamed' WHERE email LIKE 'person%' RETURNING 1");
            int batches = b.brevo.batchUpdates();

            SyncRun run = b.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(run.counts().updated()).isEqualTo(7);
            assertThat(run.failedRecords()).singleElement().satisfies(f -> {
                assertThat(f.reason()).contains("no longer holds").doesNotContain("@");
            });
            // One request for the 8, then halves: 4+4, 2+2, 1+1 around the unknown one.
            assertThat(b.brevo.batchUpdates() - batches).isEqualTo(7);
            assertThat(b.brevo.contact("person1@example.com").orElseThrow().attributes().path("FIRSTNAME").asText())
                    .isEqualTo("Renamed");
            assertThat(b.brevo.contact("person3@example.com")).as("a contact deleted in Brevo is not created again").isEmpty();

            Rows.number("UPDATE leads SET first_name = 'Again' WHERE email = 'person3@example.com' RETURNING 1");
            SyncRun later = b.sync();
            assertThat(later.counts().failed()).isZero();
            assertThat(b.brevo.contact("person3@example.com")).isEmpty();
        }
    }

    @Test
    void contactsBrevoHoldsOutsideTheListAreAdded150ARequestAndOneItRefusesFailsAlone() {
        try (BrevoListFixture b = new BrevoListFixture(java.util.Map.of("brevo.list.batch-size", 150))) {
            for (int i = 1; i <= 160; i++) {
                b.brevo.hold("person" + i + "@example.com", JsonNodeFactory.instance.objectNode(), Set.of(3L), Set.of(), false);
            }
            b.leads(160);
            b.brevo.refuseListAdd("person42@example.com");

            SyncRun run = b.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(run.counts().updated()).isEqualTo(159);
            assertThat(run.counts().failed()).isEqualTo(1);
            assertThat(run.failedRecords().get(0).reason()).isEqualTo("Brevo did not add it to the list");
            assertThat(b.brevo.listAdds()).as("150, then 10").isEqualTo(2);
            assertThat(b.brevo.contact("person1@example.com").orElseThrow().listIds()).containsExactlyInAnyOrder(3L, BrevoListFixture.LIST);
            assertThat(b.brevo.contact("person42@example.com").orElseThrow().listIds()).containsExactly(3L);
            assertThat(b.brevo.accepted()).as("no contact was created").isEqualTo(160);
        }
    }

    @Test
    void anAccountThatEnforcesTenRequestsASecondIsNeverOverrun() {
        // Real waits: the stub's windows are real seconds, and the pacing is the default the deploy gives.
        try (BrevoListFixture b = new BrevoListFixture(java.util.Map.of("test.waits", "real"))) {
            b.brevo.enforce(10);
            b.leads(25);

            SyncRun run = b.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(run.counts().created()).isEqualTo(25);
            assertThat(b.brevo.contacts()).isEqualTo(25);
            assertThat(b.brevo.refusedForRate()).as("requests refused with 429").isZero();
        }
    }

    @Test
    void anAccountThatAnnouncesALowerLimitThanThePaceIsFollowedByItsHeaders() {
        // The pace is the deploy's 10 a second; this account allows 5 and says so in x-sib-ratelimit-limit.
        try (BrevoListFixture b = new BrevoListFixture(java.util.Map.of("test.waits", "real"))) {
            b.brevo.enforce(5);
            b.leads(12);

            SyncRun run = b.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(b.brevo.contacts()).isEqualTo(12);
            assertThat(b.brevo.refusedForRate()).as("requests refused with 429").isZero();
        }
    }
}
