package com.engarde.signupsync.retention;

import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.persistence.Database;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes what is past its retention, kind by kind, in batches of at most {@code batchSize} rows, each batch its own
 * short transaction (so no lock is held for long and a stop loses nothing), until a batch removes nothing or the
 * invocation's time budget would not fit another batch. A run removes only what is past its retention at the run's
 * start, so running it again at once removes nothing; a run cut short by its budget is finished by the next one.
 */
@Singleton
public class DataRetention {

    /** The most one batch is allowed to take: well within the statement timeout, and the budget's last step. */
    static final Duration BATCH_ALLOWANCE = Duration.ofSeconds(15);

    private static final Logger LOG = LoggerFactory.getLogger(DataRetention.class);

    private final Database database;
    private final Clock clock;
    private final List<Expiring> kinds;
    private final int batchSize;

    public DataRetention(Database database, Clock clock, List<Expiring> kinds,
                         @Value("${signup.sync.retention.batch-size:1000}") int batchSize) {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("signup.sync.retention.batch-size must be between 1 and 10000, not " + batchSize);
        }
        this.database = database;
        this.clock = clock;
        this.kinds = kinds.stream().sorted(Comparator.comparing(Expiring::kind)).toList();
        this.batchSize = batchSize;
    }

    /** How many rows of each kind a run removed, and whether it got through every kind. */
    public record Run(Map<String, Long> removed, boolean complete) {
    }

    public Run run(TimeBudget budget) {
        Instant now = clock.instant();
        Map<String, Long> removed = new LinkedHashMap<>();
        boolean complete = true;
        for (Expiring kind : kinds) {
            long total = 0;
            while (true) {
                if (!budget.allows(clock.instant(), BATCH_ALLOWANCE)) {
                    complete = false;
                    break;
                }
                int batch = database.transaction(connection -> kind.removeBatch(connection, now, batchSize));
                total += batch;
                if (batch == 0) {
                    break;
                }
            }
            removed.put(kind.kind(), total);
            if (!complete) {
                break;
            }
        }
        LOG.info("data retention removed {}{}", removed,
                complete ? "" : "; stopped at the time budget, the next run goes on");
        return new Run(removed, complete);
    }
}
